from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from meetings.clock import now
from meetings.conferences import agenda as agenda_service
from meetings.conferences import bp, scheduling
from meetings.conferences import calendar as cal
from meetings.conferences.actions import actions_for
from meetings.conferences.forms import (
    AgendaItemForm,
    AssignLocationForm,
    CancelForm,
    ConferenceForm,
    DeleteForm,
    DuplicateForm,
    LocationForm,
    PostponeForm,
    VenueForm,
)
from meetings.conferences.people import people_suggestions, person_label, resolve_person
from meetings.conferences.scheduling import SchedulingError
from meetings.conferences.service import (
    invitations_by_category,
    list_conferences,
    load_conference,
)
from meetings.conferences.venues import list_venues, reinstate_venue, retire_venue, save_venue
from meetings.documents.service import apply_suggestions, link_documents, suggest, unlink_document
from meetings.documents.service import search_documents as all_documents
from meetings.extensions import db
from meetings.forms import options
from meetings.invitemail.service import Kind, notify_change
from meetings.links import public_url
from meetings.models import (
    AgendaItem,
    ConferenceKind,
    ConferenceLocation,
    ConferenceStatus,
    Document,
    OrganisingBody,
    Role,
    Venue,
)
from meetings.security import public, roles_required

EDITORS = (Role.SECRETARIAT,)
DOUBLES_SHOWN = 50  # warnings listed by name; the rest are counted


def _readable(conference_id: int):
    """The conference if the current user may read it: 404 if none, 403 if not theirs."""
    conference = load_conference(conference_id) or abort(404)
    if not scheduling.can_read(conference, current_user):
        abort(403)
    return conference


def _editable(conference_id: int):
    return load_conference(conference_id) or abort(404)


def _frozen(conference):
    """A redirect to the page of a held or cancelled conference, whose details are final."""
    if conference.status in scheduling.EDITABLE:
        return None
    flash(_("A held or cancelled conference can no longer be changed."), "warning")
    return redirect(url_for(".detail", conference_id=conference.id))


# --- Lists and the conference page --------------------------------------------------------


@bp.route("/")
def index():
    conferences = list_conferences(user=current_user)
    return render_template("conferences/index.html", conferences=conferences)


@bp.route("/<int:conference_id>")
def detail(conference_id: int):
    conference = _readable(conference_id)
    editor = current_user.has_role(*EDITORS)
    return render_template(
        "conferences/detail.html",
        conference=conference,
        categories=invitations_by_category(conference),
        actions=actions_for(conference),
        timetable=agenda_service.timetable(conference),
        doubles=scheduling.double_invitations(conference, limit=DOUBLES_SHOWN),
        doubles_total=scheduling.count_double_invitations(conference),
        location_counts=scheduling.location_counts(conference),
        editor=editor,
        location_form=_location_form(conference) if editor else None,
        assign_form=_assign_form(conference) if editor else None,
        link_choices=_document_choices(conference) if editor else None,
        transitions=scheduling.TRANSITIONS[conference.status],
        editable=conference.status in scheduling.EDITABLE,
    )


@bp.route("/people.json")
@roles_required(*EDITORS)
def people_json():
    return jsonify(people_suggestions(request.args.get("q", "")))


# --- Create, edit, status -----------------------------------------------------------------


def _conference_form(conference=None) -> ConferenceForm:
    form = ConferenceForm(obj=conference)
    bodies = db.session.scalars(select(OrganisingBody).order_by(OrganisingBody.name)).all()
    form.body_id.choices = options((b.id, b.name) for b in bodies)
    venues = list_venues()
    if conference and conference.venue and conference.venue not in venues:
        venues.append(conference.venue)
    form.venue_id.choices = options([(0, "—")] + [(v.id, _venue_label(v)) for v in venues])
    if request.method == "GET":
        if conference is not None:
            form.kind.data = conference.kind.value
            form.venue_id.data = conference.venue_id or 0
            form.chair_name.data, form.chair_id.data = (
                person_label(conference.chair),
                conference.chair_id,
            )
            form.secretary_name.data, form.secretary_id.data = (
                person_label(conference.secretary) or conference.secretary_text,
                conference.secretary_id,
            )
        else:
            start = (now() + timedelta(days=7)).replace(hour=8, minute=0, second=0)
            form.starts_at.data, form.ends_at.data = start, start + timedelta(hours=3)
    return form


def _venue_label(venue: Venue) -> str:
    return f"{venue.name} ({venue.capacity})" if venue.capacity else venue.name


def _conference_data(form: ConferenceForm) -> scheduling.ConferenceData:
    chair, _ignored = resolve_person(form.chair_name.data, form.chair_id.data)
    secretary, secretary_text = resolve_person(
        form.secretary_name.data, form.secretary_id.data, free_text=True
    )
    return scheduling.ConferenceData(
        title=form.title.data,
        body_id=form.body_id.data,
        kind=ConferenceKind(form.kind.data),
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        venue_id=form.venue_id.data or None,
        chair_id=chair.id if chair else None,
        secretary_id=secretary.id if secretary else None,
        secretary_text=secretary_text,
        notes=form.notes.data or None,
        requirements=form.requirements.data or None,
    )


def _apply_citations(conference, suggestions) -> list[str]:
    return apply_suggestions(
        conference,
        suggestions,
        set(request.form.getlist("cite_link")),
        set(request.form.getlist("cite_create")),
        current_user,
    )


@contextmanager
def _saving(done: str | None = None, level: str = "success") -> Iterator[None]:
    """Commit what the block did and flash `done`; a refusal (SchedulingError) rolls it back
    and is flashed instead, and the view goes on to show its form again."""
    try:
        yield
    except SchedulingError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return
    db.session.commit()
    if done:
        flash(done, level)


def _flash_linked(linked: list[str]) -> None:
    if linked:
        flash(_("Documents linked: %(list)s", list=", ".join(linked)), "info")


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def create():
    form = _conference_form()
    suggestions = suggest(form.title.data, form.notes.data)
    if form.validate_on_submit() and "preview" not in request.form:
        with _saving(_("Conference saved as a draft.")):
            conference = scheduling.create_conference(_conference_data(form), current_user)
            _flash_linked(_apply_citations(conference, suggestions))
            return redirect(url_for(".detail", conference_id=conference.id))
    return render_template(
        "conferences/form.html", form=form, conference=None, suggestions=suggestions
    )


@bp.route("/<int:conference_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit(conference_id: int):
    conference = _editable(conference_id)
    if frozen := _frozen(conference):
        return frozen
    form = _conference_form(conference)
    suggestions = suggest(form.title.data, form.notes.data)
    if form.validate_on_submit() and "preview" not in request.form:
        with _saving(_("Conference saved.")):
            scheduling.update_conference(conference, _conference_data(form), current_user)
            _flash_linked(_apply_citations(conference, suggestions))
            return redirect(url_for(".detail", conference_id=conference.id))
    return render_template(
        "conferences/form.html", form=form, conference=conference, suggestions=suggestions
    )


@bp.route("/<int:conference_id>/status", methods=["POST"])
@roles_required(*EDITORS)
def change_status(conference_id: int):
    conference = _editable(conference_id)
    try:
        new = ConferenceStatus(request.form.get("status", ""))
        scheduling.change_status(conference, new, current_user)
        db.session.commit()
        flash(_("Status changed."), "success")
    except ValueError as error:  # SchedulingError, or an unknown status
        db.session.rollback()
        flash(str(error) if isinstance(error, SchedulingError) else _("Unknown status."), "danger")
    return redirect(url_for(".detail", conference_id=conference.id))


@bp.route("/<int:conference_id>/cancel", methods=["GET", "POST"])
@roles_required(*EDITORS)
def cancel(conference_id: int):
    conference = _editable(conference_id)
    form = CancelForm()
    if form.validate_on_submit():
        with _saving(_("Conference cancelled."), "warning"):
            scheduling.change_status(
                conference, ConferenceStatus.CANCELLED, current_user, form.reason.data
            )
            notify_change(conference, Kind.CANCELLED, current_user)  # to those e-mailed
            return redirect(url_for(".detail", conference_id=conference.id))
    return render_template("conferences/cancel.html", form=form, conference=conference)


@bp.route("/<int:conference_id>/postpone", methods=["GET", "POST"])
@roles_required(*EDITORS)
def postpone(conference_id: int):
    conference = _editable(conference_id)
    if frozen := _frozen(conference):
        return frozen
    form = PostponeForm(obj=conference if request.method == "GET" else None)
    if form.validate_on_submit():
        with _saving(_("Conference moved to the new time.")):
            scheduling.postpone(conference, form.starts_at.data, form.ends_at.data, current_user)
            notify_change(conference, Kind.POSTPONED, current_user)
            return redirect(url_for(".detail", conference_id=conference.id))
    return render_template("conferences/postpone.html", form=form, conference=conference)


@bp.route("/<int:conference_id>/duplicate", methods=["GET", "POST"])
@roles_required(*EDITORS)
def duplicate(conference_id: int):
    conference = _editable(conference_id)
    form = DuplicateForm()
    if request.method == "GET":
        start = conference.starts_at
        while start < now():  # the same weekday and time, a week on, in the future
            start += timedelta(days=7)
        form.starts_at.data = start if start != conference.starts_at else start + timedelta(7)
    if form.validate_on_submit():
        with _saving(_("A new draft was made from this conference.")):
            copy = scheduling.duplicate(conference, form.starts_at.data, current_user)
            return redirect(url_for(".detail", conference_id=copy.id))
    return render_template("conferences/duplicate.html", form=form, conference=conference)


# --- Documents covered --------------------------------------------------------------------


def _document_choices(conference) -> list[Document]:
    linked = {link.document_id for link in conference.document_links}
    return [d for d in all_documents() if d.id not in linked]


@bp.route("/<int:conference_id>/documents", methods=["POST"])
@roles_required(*EDITORS)
def link_document(conference_id: int):
    conference = _editable(conference_id)
    document = db.session.get(Document, request.form.get("document_id", type=int) or 0)
    if document is None:
        abort(400)
    link_documents(conference, [document], current_user)
    db.session.commit()
    return redirect(url_for(".detail", conference_id=conference.id) + "#documents")


@bp.route("/<int:conference_id>/documents/<int:document_id>/unlink", methods=["POST"])
@roles_required(*EDITORS)
def unlink(conference_id: int, document_id: int):
    conference = _editable(conference_id)
    unlink_document(conference, document_id, current_user)
    db.session.commit()
    return redirect(url_for(".detail", conference_id=conference.id) + "#documents")


# --- Agenda -------------------------------------------------------------------------------


def _item_form(conference, item: AgendaItem | None = None) -> AgendaItemForm:
    form = AgendaItemForm(obj=item)
    form.document_id.choices = options(
        [(0, "—")] + [(d.id, str(d)) for d in _agenda_documents(conference)]
    )
    if request.method == "GET" and item is not None:
        form.document_id.data = item.document_id or 0
        if item.presenter:
            form.presenter_name.data = person_label(item.presenter)
            form.presenter_id.data = item.presenter_id
        else:
            form.presenter_name.data = item.presenter_name
    return form


def _agenda_documents(conference) -> list[Document]:
    """The conference's documents first, then the rest of the register."""
    own = conference.documents
    return own + [d for d in all_documents() if d not in own]


def _item_data(form: AgendaItemForm) -> agenda_service.ItemData:
    presenter, outside = resolve_person(
        form.presenter_name.data, form.presenter_id.data, free_text=True
    )
    return agenda_service.ItemData(
        title=form.title.data,
        presenter_id=presenter.id if presenter else None,
        presenter_name=outside,
        document_id=form.document_id.data or None,
        planned_start=form.planned_start.data,
        duration_minutes=form.duration_minutes.data,
    )


def _cited_document(conference, suggestions, data: agenda_service.ItemData) -> None:
    """An item that cites exactly one document presents it, unless one was chosen."""
    if data.document_id:
        return
    found = [s.document for s in suggestions if s.document]
    if len(suggestions) == 1 and found:
        data.document_id = found[0].id


@bp.route("/<int:conference_id>/agenda", methods=["GET", "POST"])
@roles_required(*EDITORS)
def agenda(conference_id: int):
    return _agenda_page(conference_id, None)


@bp.route("/<int:conference_id>/agenda/<int:item_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def agenda_item(conference_id: int, item_id: int):
    return _agenda_page(conference_id, item_id)


def _agenda_page(conference_id: int, item_id: int | None):
    """The agenda with its form: a new item, or the item being edited."""
    conference = _editable(conference_id)
    if frozen := _frozen(conference):
        return frozen
    item = _item_of(conference, item_id) if item_id else None
    form = _item_form(conference, item)
    suggestions = suggest(form.title.data)
    if form.validate_on_submit() and "preview" not in request.form:
        with _saving(_("Agenda item added.") if item is None else _("Agenda item saved.")):
            data = _item_data(form)
            _apply_citations(conference, suggestions)
            if item is None:
                _cited_document(conference, suggest(form.title.data), data)
                agenda_service.add_item(conference, data, current_user)
            else:
                agenda_service.update_item(item, data, current_user)
            return redirect(url_for(".agenda", conference_id=conference.id))
    return render_template(
        "conferences/agenda.html",
        conference=conference,
        form=form,
        item=item,
        timetable=agenda_service.timetable(conference),
        suggestions=suggestions,
    )


def _item_of(conference, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.conference_id != conference.id:
        abort(404)
    return item


@bp.route("/<int:conference_id>/agenda/<int:item_id>/move", methods=["POST"])
@roles_required(*EDITORS)
def move_item(conference_id: int, item_id: int):
    conference = _editable(conference_id)
    step = -1 if request.form.get("direction") == "up" else 1
    with _saving():
        agenda_service.move_item(_item_of(conference, item_id), step, current_user)
    return redirect(url_for(".agenda", conference_id=conference.id))


@bp.route("/<int:conference_id>/agenda/<int:item_id>/delete", methods=["GET", "POST"])
@roles_required(*EDITORS)
def delete_item(conference_id: int, item_id: int):
    """Asks first (GET: a page naming the item), removes on the confirming POST."""
    conference = _editable(conference_id)
    if request.method == "GET":
        return render_template(
            "conferences/delete_item.html",
            conference=conference,
            item=_item_of(conference, item_id),
            form=DeleteForm(),
        )
    if not DeleteForm().validate_on_submit():
        abort(400)
    with _saving(_("Agenda item removed."), "info"):
        agenda_service.remove_item(_item_of(conference, item_id), current_user)
    return redirect(url_for(".agenda", conference_id=conference.id))


# --- Bridge points ------------------------------------------------------------------------


def _location_form(conference) -> LocationForm:
    form = LocationForm()
    taken = scheduling.venue_ids(conference)
    form.venue_id.choices = options((v.id, v.name) for v in list_venues() if v.id not in taken)
    return form


def _assign_form(conference) -> AssignLocationForm:
    form = AssignLocationForm()
    categories = [row.category for row in invitations_by_category(conference) if row.category]
    form.category_id.choices = options(
        [(0, _("Everyone invited"))] + [(c.id, c.name) for c in categories]
    )
    form.location_id.choices = options(
        [(0, _("Main hall"))] + [(loc.id, loc.venue.name) for loc in conference.locations]
    )
    return form


@bp.route("/<int:conference_id>/locations", methods=["POST"])
@roles_required(*EDITORS)
def add_location(conference_id: int):
    conference = _editable(conference_id)
    form = _location_form(conference)
    if form.validate_on_submit():
        with _saving(_("Bridge point added.")):
            host, _ignored = resolve_person(form.host_name.data, form.host_id.data)
            venue = db.session.get(Venue, form.venue_id.data) or abort(400)
            scheduling.add_location(conference, venue, host, current_user)
    else:
        flash(_("Choose a venue."), "danger")
    return redirect(url_for(".detail", conference_id=conference.id) + "#locations")


@bp.route("/<int:conference_id>/locations/<int:location_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def remove_location(conference_id: int, location_id: int):
    conference = _editable(conference_id)
    location = db.session.get(ConferenceLocation, location_id)
    if location is None or location.conference_id != conference.id:
        abort(404)
    with _saving(_("Bridge point removed."), "info"):
        scheduling.remove_location(location, current_user)
    return redirect(url_for(".detail", conference_id=conference.id) + "#locations")


@bp.route("/<int:conference_id>/locations/assign", methods=["POST"])
@roles_required(*EDITORS)
def assign_location(conference_id: int):
    conference = _editable(conference_id)
    form = _assign_form(conference)
    if form.validate_on_submit():
        location = None
        if form.location_id.data:
            location = db.session.get(ConferenceLocation, form.location_id.data)
        with _saving():
            moved = scheduling.assign_category_to_location(
                conference, form.category_id.data or None, location, current_user
            )
            flash(_("%(count)s invitees assigned.", count=moved), "success")
    return redirect(url_for(".detail", conference_id=conference.id) + "#locations")


# --- Calendar and .ics --------------------------------------------------------------------


@bp.route("/calendar")
def calendar():
    view = "week" if request.args.get("view") == "week" else "month"
    try:
        anchor = date.fromisoformat(request.args.get("date", ""))
    except ValueError:
        anchor = now().date()
    venue_id = request.args.get("venue", type=int)
    body_id = request.args.get("body", type=int)
    span = cal.period(view, anchor)
    bodies = db.session.scalars(select(OrganisingBody).order_by(OrganisingBody.name)).all()
    return render_template(
        "conferences/calendar.html",
        span=span,
        view=view,
        by_day=cal.conferences_in(span, current_user, venue_id, body_id),
        venues=list_venues(include_retired=True),
        bodies=bodies,
        venue_id=venue_id,
        body_id=body_id,
        today=now().date(),
        feeds=[
            (b, public_url(url_for(".body_feed", token=b.calendar_token)))
            for b in bodies
            if not body_id or b.id == body_id
        ],
    )


@bp.route("/<int:conference_id>.ics")
def ics(conference_id: int):
    conference = _readable(conference_id)
    url = public_url(url_for(".detail", conference_id=conference.id))
    return Response(
        cal.conference_ics(conference, url),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="hoi-nghi-{conference.id}.ics"'},
    )


@bp.route("/feeds/<token>.ics")
@public
def body_feed(token: str):
    """A body's calendar for calendar apps, which cannot log in: the URL's token is the key."""
    body = cal.body_by_token(token) or abort(404)
    # PUBLIC_BASE_URL, not the request's Host header, which whoever fetches the feed sets.
    feed = cal.body_feed(body, lambda c: public_url(url_for(".detail", conference_id=c.id)))
    return Response(feed, mimetype="text/calendar", headers={"Cache-Control": "private"})


@bp.route("/feeds/<int:body_id>/rotate", methods=["POST"])
@roles_required(*EDITORS)
def rotate_feed(body_id: int):
    body = db.session.get(OrganisingBody, body_id) or abort(404)
    cal.rotate_calendar_token(body, current_user)
    db.session.commit()
    flash(_("New calendar link made: the old one no longer works."), "success")
    return redirect(url_for(".calendar", body=body.id) + "#feeds")


# --- Venues -------------------------------------------------------------------------------


def _venue_form(venue: Venue | None = None) -> VenueForm:
    form = VenueForm(obj=venue)
    bodies = db.session.scalars(select(OrganisingBody).order_by(OrganisingBody.name)).all()
    form.body_id.choices = options([(0, "—")] + [(b.id, b.name) for b in bodies])
    if request.method == "GET" and venue is not None:
        form.body_id.data = venue.body_id or 0
    return form


@bp.route("/venues")
@roles_required(Role.SECRETARIAT, Role.CLERK)
def venues():
    return render_template("conferences/venues.html", venues=list_venues(include_retired=True))


@bp.route("/venues/new", methods=["GET", "POST"])
@bp.route("/venues/<int:venue_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def venue_form(venue_id: int | None = None):
    venue = db.session.get(Venue, venue_id) or abort(404) if venue_id else None
    form = _venue_form(venue)
    if form.validate_on_submit():
        with _saving(_("Venue saved.")):
            save_venue(
                venue,
                form.name.data,
                form.address.data or None,
                form.capacity.data,
                form.body_id.data or None,
                current_user,
            )
            return redirect(url_for(".venues"))
    return render_template("conferences/venue_form.html", form=form, venue=venue)


@bp.route("/venues/<int:venue_id>/retire", methods=["POST"])
@roles_required(*EDITORS)
def venue_retire(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    if request.form.get("reinstate"):
        reinstate_venue(venue, current_user)
    else:
        retire_venue(venue, current_user)
    db.session.commit()
    return redirect(url_for(".venues"))
