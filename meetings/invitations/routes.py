from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.directory.routes import spreadsheet_response
from meetings.directory.service import list_categories, search_people
from meetings.exports import write_csv, write_xlsx
from meetings.extensions import db
from meetings.invitations import bp
from meetings.invitations.forms import (
    RSVP_LABELS,
    AddCategoryForm,
    AddPersonForm,
    RsvpForm,
    UnitRoleForm,
)
from meetings.invitations.service import (
    InvitationError,
    add_category,
    add_person,
    add_unit_role,
    category_totals,
    default_category,
    double_invitations,
    invitee_table,
    list_invitations,
    remove_category,
    remove_invitation,
    set_rsvp,
)
from meetings.models import Conference, Invitation, InviteeCategory, Person, Role, Rsvp, UnitKind
from meetings.replies.service import answer_history
from meetings.security import roles_required

READERS = (Role.SECRETARIAT, Role.CLERK)
EDITORS = (Role.SECRETARIAT,)


def _conference(conference_id: int) -> Conference:
    return db.session.get(Conference, conference_id) or abort(404)


def _category(conference: Conference, category_id: int | None) -> InviteeCategory | None:
    if not category_id:
        return None
    category = db.session.get(InviteeCategory, category_id)
    if category is None or category.body_id != conference.body_id:
        abort(404)
    return category


def _invitation(conference: Conference, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.conference_id != conference.id:
        abort(404)
    return invitation


def _back(conference: Conference, **args):
    return redirect(url_for(".index", conference_id=conference.id, **args))


def _category_choices(conference: Conference, blank: bool) -> list[tuple[int, str]]:
    choices = [(c.id, c.name) for c in list_categories() if c.body_id == conference.body_id]
    return [(0, _("Without category")), *choices] if blank else choices


@bp.route("/")
@roles_required(*READERS)
def index(conference_id: int):
    conference = _conference(conference_id)
    category_id = request.args.get("category", 0, type=int) or None
    query = request.args.get("q", "")
    add_query = request.args.get("add_q", "")
    page = list_invitations(
        conference,
        category_id=category_id,
        query=query,
        page=request.args.get("page", 1, type=int) or 1,
    )
    candidates = (
        search_people(add_query, body_id=conference.body_id, per_page=20).items if add_query else []
    )
    invited = (
        set(
            db.session.scalars(
                db.select(Invitation.person_id).where(
                    Invitation.conference_id == conference.id,
                    Invitation.person_id.in_([p.id for p in candidates]),
                )
            )
        )
        if candidates
        else set()
    )
    double_count, doubles = double_invitations(conference)
    category_form = AddCategoryForm()
    category_form.category_id.choices = _category_choices(conference, blank=False)
    role_form = UnitRoleForm()
    role_form.category_id.choices = _category_choices(conference, blank=True)
    person_form = AddPersonForm()
    person_form.category_id.choices = _category_choices(conference, blank=True)
    return render_template(
        "invitations/index.html",
        conference=conference,
        totals=category_totals(conference),
        page=page,
        category_id=category_id,
        q=query,
        add_q=add_query,
        candidates=candidates,
        invited=invited,
        default_category=default_category,
        double_count=double_count,
        doubles=doubles,
        category_form=category_form,
        role_form=role_form,
        person_form=person_form,
        rsvp_labels=RSVP_LABELS,
        Rsvp=Rsvp,
    )


@bp.route("/add-category", methods=["POST"])
@roles_required(*EDITORS)
def add_category_view(conference_id: int):
    conference = _conference(conference_id)
    form = AddCategoryForm()
    form.category_id.choices = _category_choices(conference, blank=False)
    if form.validate_on_submit():
        category = _category(conference, form.category_id.data)
        result = add_category(conference, category, current_user)
        db.session.commit()
        flash(
            _(
                "%(category)s: %(added)d invited, %(already)d were already on the list.",
                category=category.name,
                added=result.added,
                already=result.already,
            ),
            "success",
        )
    return _back(conference)


@bp.route("/add-role", methods=["POST"])
@roles_required(*EDITORS)
def add_role_view(conference_id: int):
    conference = _conference(conference_id)
    form = UnitRoleForm()
    form.category_id.choices = _category_choices(conference, blank=True)
    if not form.validate_on_submit():
        flash(_("Name the role to invite."), "danger")
        return _back(conference)
    result = add_unit_role(
        conference,
        UnitKind(form.kind.data),
        form.role_title.data,
        form.deputy_title.data,
        form.deputy_allowed.data,
        _category(conference, form.category_id.data),
        current_user,
    )
    db.session.commit()
    message = _(
        "%(role)s: %(added)d units invited, %(already)d already on the list.",
        role=form.role_title.data,
        added=result.added,
        already=result.already,
    )
    if result.skipped:
        message += " " + _("Already invited in person: %(names)s.", names="; ".join(result.skipped))
    flash(message, "success")
    return _back(conference)


@bp.route("/add-person", methods=["POST"])
@roles_required(*EDITORS)
def add_person_view(conference_id: int):
    conference = _conference(conference_id)
    form = AddPersonForm()
    form.category_id.choices = _category_choices(conference, blank=True)
    person = db.session.get(Person, form.person_id.data or 0) if form.validate_on_submit() else None
    if person is None or person.body_id != conference.body_id:
        abort(404)
    try:
        add_person(
            conference, person, _category(conference, form.category_id.data), current_user
        )
    except InvitationError:
        flash(_("%(name)s is already invited.", name=person.full_name), "warning")
    else:
        db.session.commit()
        flash(_("%(name)s invited.", name=person.full_name), "success")
    return _back(conference, add_q=request.form.get("add_q", ""))


@bp.route("/remove-category", methods=["POST"])
@roles_required(*EDITORS)
def remove_category_view(conference_id: int):
    conference = _conference(conference_id)
    category = _category(conference, request.form.get("category_id", 0, type=int))
    removed = remove_category(conference, category.id if category else None, current_user)
    db.session.commit()
    flash(_("%(n)d invitations withdrawn.", n=removed), "success")
    return _back(conference)


@bp.route("/<int:invitation_id>/remove", methods=["POST"])
@roles_required(*EDITORS)
def remove(conference_id: int, invitation_id: int):
    conference = _conference(conference_id)
    invitation = _invitation(conference, invitation_id)
    label = invitation.invitee_label
    try:
        remove_invitation(invitation, current_user)
    except InvitationError:
        flash(_("%(name)s has checked in: the invitation stays.", name=label), "warning")
    else:
        db.session.commit()
        flash(_("Invitation of %(name)s withdrawn.", name=label), "success")
    return _back(conference)


@bp.route("/<int:invitation_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def rsvp(conference_id: int, invitation_id: int):
    conference = _conference(conference_id)
    invitation = _invitation(conference, invitation_id)
    form = RsvpForm(obj=invitation)
    if request.method == "GET":
        form.rsvp.data = invitation.rsvp.value
    if request.method == "POST" and not current_user.has_role(*EDITORS):
        abort(403)
    if form.validate_on_submit():
        set_rsvp(
            invitation,
            Rsvp(form.rsvp.data),
            form.absence_reason.data,
            form.substitute_name.data,
            form.substitute_position.data,
            current_user,
        )
        db.session.commit()
        flash(_("Saved: %(name)s.", name=invitation.invitee_label), "success")
        return _back(conference)
    return render_template(
        "invitations/rsvp.html",
        conference=conference,
        invitation=invitation,
        form=form,
        history=answer_history(invitation),
        rsvp_labels={r.value: label for r, label in RSVP_LABELS.items()},
    )


@bp.route("/export.<fmt>")
@roles_required(*READERS)
def export(conference_id: int, fmt: str):
    conference = _conference(conference_id)
    if fmt not in ("xlsx", "csv"):
        abort(404)
    table = invitee_table(conference, with_links=request.args.get("links") == "1")
    data = write_xlsx([table]) if fmt == "xlsx" else write_csv(table)
    return spreadsheet_response(data, f"danh-sach-moi-{conference.id}", fmt)
