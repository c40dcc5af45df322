"""Seating pages: layouts of a venue, a conference's plans, the plan editor, the print page,
the PDFs and the usher's look-up."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from meetings.conferences.service import load_conference
from meetings.extensions import db
from meetings.forms import options
from meetings.models import (
    DoorAssignment,
    HallLayout,
    InviteeCategory,
    Precedence,
    Role,
    SeatBlock,
    SeatingPlan,
    Side,
    Unit,
    Venue,
)
from meetings.seating import bp
from meetings.seating.chart import build_chart
from meetings.seating.forms import (
    ActionForm,
    BlockForm,
    LayoutForm,
    PlaceForm,
    PlanForm,
    SeatActionForm,
    SettingsForm,
    parse_seat,
    row_choices,
)
from meetings.seating.outputs import PAPER_SIZES, NoPlan, chart_file, charts, plates_file
from meetings.seating.service import (
    SeatingError,
    assign,
    clear_seat,
    create_plan,
    find_seats,
    move_invitation,
    move_seat,
    plan_for,
    plans_of,
    seed_presidium,
    set_locked,
    unseated,
)
from meetings.security import roles_required

EDITORS = (Role.SECRETARIAT,)
ERRORS = {
    "plan exists": _l("This place already has a seating plan."),
    "no such seat": _l("There is no such seat in this layout."),
    "both empty": _l("Both seats are empty."),
    "not invited": _l("This person is not invited to the conference."),
    "empty seat": _l("The seat is empty."),
    "no target": _l("Choose the seat to move to."),
}
READERS = (Role.SECRETARIAT, Role.CLERK)


def _conference(conference_id: int):
    return load_conference(conference_id) or abort(404)


def _plan(plan_id: int) -> SeatingPlan:
    return db.session.get(SeatingPlan, plan_id) or abort(404)


def _to_plan(plan: SeatingPlan):
    return redirect(url_for("seating.plan", plan_id=plan.id))


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- Layouts --------------------------------------------------------------------------------


@bp.route("/venues/<int:venue_id>/layouts", methods=["GET", "POST"])
@roles_required(*EDITORS)
def layouts(venue_id: int):
    venue = db.session.get(Venue, venue_id) or abort(404)
    form = LayoutForm()
    if form.validate_on_submit():
        if db.session.scalar(select(HallLayout).filter_by(venue_id=venue.id, name=form.name.data)):
            form.name.errors.append(_("This hall already has a layout of that name."))
        else:
            layout = HallLayout(venue=venue)
            form.populate_obj(layout)
            db.session.add(layout)
            db.session.commit()
            flash(_("Layout saved."), "success")
            return redirect(url_for("seating.layouts", venue_id=venue.id))
    existing = db.session.scalars(
        select(HallLayout).filter_by(venue_id=venue.id).order_by(HallLayout.name)
    ).all()
    return render_template("seating/layouts.html", venue=venue, layouts=existing, form=form)


@bp.route("/layouts/<int:layout_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def layout(layout_id: int):
    hall_layout = db.session.get(HallLayout, layout_id) or abort(404)
    form = LayoutForm(obj=hall_layout)
    if form.validate_on_submit():
        form.populate_obj(hall_layout)
        db.session.commit()
        flash(_("Layout saved. Assign the plans that use it again."), "success")
        return redirect(url_for("seating.layouts", venue_id=hall_layout.venue_id))
    return render_template("seating/layout.html", layout=hall_layout, form=form)


# --- A conference's plans -------------------------------------------------------------------


def _plan_form(conference) -> PlanForm:
    form = PlanForm()
    places = [(0, _("Main hall"))] + [(loc.id, loc.venue.name) for loc in conference.locations]
    form.location.choices = options(places)
    venue_ids = [conference.venue_id] + [loc.venue_id for loc in conference.locations]
    found = db.session.scalars(
        select(HallLayout)
        .where(HallLayout.venue_id.in_([v for v in venue_ids if v]))
        .order_by(HallLayout.venue_id, HallLayout.name)
    )
    form.layout.choices = options((lay.id, str(lay)) for lay in found)
    return form


@bp.route("/conferences/<int:conference_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def conference(conference_id: int):
    conf = _conference(conference_id)
    form = _plan_form(conf)
    if form.validate_on_submit():
        if not current_user.has_role(*EDITORS):
            abort(403)
        location = next((loc for loc in conf.locations if loc.id == form.location.data), None)
        try:
            plan = create_plan(
                conf,
                db.session.get(HallLayout, form.layout.data),
                location,
                Precedence(form.precedence.data),
                Side(form.second_side.data),
            )
        except SeatingError as exc:
            flash(str(ERRORS.get(str(exc), exc)), "danger")
        else:
            result = assign(plan)
            db.session.commit()
            _flash_result(result)
            return _to_plan(plan)
    return render_template(
        "seating/conference.html",
        conference=conf,
        plans=plans_of(conf),
        form=form,
        can_edit=current_user.has_role(*EDITORS),
        papers=PAPER_SIZES,
    )


def _flash_result(result) -> None:
    if result.over_capacity:
        flash(
            _(
                "More invitees than seats: %(demand)s to seat, %(capacity)s seats. "
                "%(left)s have no seat.",
                demand=result.demand,
                capacity=result.capacity,
                left=len(result.unseated),
            ),
            "danger",
        )
    elif result.unseated:
        flash(
            _("%(left)s invitees have no seat: their blocks are full.", left=len(result.unseated)),
            "warning",
        )
    else:
        flash(_("%(n)s invitees seated.", n=result.seated), "success")


# --- The plan editor ------------------------------------------------------------------------


def _block_form(plan: SeatingPlan, **kw) -> BlockForm:
    body_id = plan.conference.body_id
    categories = db.session.scalars(
        select(InviteeCategory)
        .filter_by(body_id=body_id, retired_at=None)
        .order_by(InviteeCategory.protocol_order)
    ).all()
    units = db.session.scalars(
        select(Unit).filter_by(body_id=body_id, retired_at=None).order_by(Unit.sort_key)
    ).all()
    return BlockForm(plan.layout, categories, units, **kw)


def _place_form(plan: SeatingPlan, waiting, **kw) -> PlaceForm:
    form = PlaceForm(**kw)
    form.invitation.choices = options((i.id, i.invitee_label) for i in waiting)
    form.row.choices = row_choices(plan.layout)
    return form


@bp.route("/plans/<int:plan_id>")
@roles_required(*READERS)
def plan(plan_id: int):
    seating_plan = _plan(plan_id)
    waiting = unseated(seating_plan)
    settings = SettingsForm(obj=seating_plan, formdata=None)
    settings.precedence.data = seating_plan.precedence.value
    settings.second_side.data = seating_plan.second_side.value
    return render_template(
        "seating/plan.html",
        plan=seating_plan,
        conference=seating_plan.conference,
        chart=build_chart(seating_plan),
        waiting=waiting,
        settings=settings,
        block_form=_block_form(seating_plan, formdata=None),
        place_form=_place_form(seating_plan, waiting, formdata=None),
        seat_form=SeatActionForm(formdata=None),
        action_form=ActionForm(formdata=None),
        can_edit=current_user.has_role(*EDITORS),
    )


@bp.route("/plans/<int:plan_id>/assign", methods=["POST"])
@roles_required(*EDITORS)
def plan_assign(plan_id: int):
    seating_plan = _plan(plan_id)
    if ActionForm().validate_on_submit():
        result = assign(seating_plan)
        db.session.commit()
        _flash_result(result)
    return _to_plan(seating_plan)


@bp.route("/plans/<int:plan_id>/presidium", methods=["POST"])
@roles_required(*EDITORS)
def plan_presidium(plan_id: int):
    seating_plan = _plan(plan_id)
    if ActionForm().validate_on_submit():
        count = seed_presidium(seating_plan)
        assign(seating_plan)
        db.session.commit()
        flash(_("The presidium: %(n)s places from the chair and presenters.", n=count), "success")
    return _to_plan(seating_plan)


@bp.route("/plans/<int:plan_id>/settings", methods=["POST"])
@roles_required(*EDITORS)
def plan_settings(plan_id: int):
    seating_plan = _plan(plan_id)
    form = SettingsForm()
    if form.validate_on_submit():
        seating_plan.precedence = Precedence(form.precedence.data)
        seating_plan.second_side = Side(form.second_side.data)
        seating_plan.plate_rows = form.plate_rows.data
        db.session.commit()
        flash(_("Saved. Assign again to apply the order."), "success")
    else:
        flash(_("The settings were not saved: check the values."), "danger")
    return _to_plan(seating_plan)


@bp.route("/plans/<int:plan_id>/blocks", methods=["POST"])
@roles_required(*EDITORS)
def plan_block(plan_id: int):
    seating_plan = _plan(plan_id)
    form = _block_form(seating_plan)
    if form.validate_on_submit():
        seating_plan.blocks.append(
            SeatBlock(
                label=form.label.data or None,
                category_id=form.category.data or None,
                unit_id=form.unit.data or None,
                first_row=form.first_row.data,
                last_row=form.last_row.data,
                first_seat=form.first_seat.data,
                last_seat=form.last_seat.data,
            )
        )
        db.session.commit()
        flash(_("Seats reserved. Assign again to fill them."), "success")
    else:
        errors = "; ".join(str(e) for field in form for e in field.errors)
        flash(_("The block was not saved: %(errors)s", errors=errors), "danger")
    return _to_plan(seating_plan)


@bp.route("/blocks/<int:block_id>/delete", methods=["POST"])
@roles_required(*EDITORS)
def block_delete(block_id: int):
    block = db.session.get(SeatBlock, block_id) or abort(404)
    seating_plan = block.plan
    if ActionForm().validate_on_submit():
        db.session.delete(block)
        db.session.commit()
        flash(_("The reservation was removed."), "success")
    return _to_plan(seating_plan)


def _seat_action(seating_plan: SeatingPlan, form: SeatActionForm) -> None:
    source = parse_seat(form.source.data)
    if form.action.data == "move":
        if not form.target.data:
            raise SeatingError("no target")
        move_seat(seating_plan, source, parse_seat(form.target.data))
    elif form.action.data in ("lock", "unlock"):
        set_locked(seating_plan, source, form.action.data == "lock")
    else:
        clear_seat(seating_plan, source)


@bp.route("/plans/<int:plan_id>/seat", methods=["POST"])
@roles_required(*EDITORS)
def plan_seat(plan_id: int):
    seating_plan = _plan(plan_id)
    form = SeatActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        _seat_action(seating_plan, form)
    except SeatingError as exc:
        flash(str(ERRORS.get(str(exc), exc)), "danger")
    else:
        db.session.commit()
    return redirect(url_for("seating.plan", plan_id=seating_plan.id, seat=form.source.data))


@bp.route("/plans/<int:plan_id>/place", methods=["POST"])
@roles_required(*EDITORS)
def plan_place(plan_id: int):
    seating_plan = _plan(plan_id)
    form = _place_form(seating_plan, unseated(seating_plan))
    if not form.validate_on_submit():
        flash(_("Choose an invitee, a row and a seat."), "danger")
        return _to_plan(seating_plan)
    try:
        move_invitation(seating_plan, form.invitation.data, (form.row.data, form.seat.data))
    except SeatingError as exc:
        flash(str(ERRORS.get(str(exc), exc)), "danger")
    else:
        db.session.commit()
    return _to_plan(seating_plan)


# --- Print page, PDFs, usher's look-up -------------------------------------------------------


def _paper() -> str:
    paper = request.args.get("paper", "A4")
    return paper if paper in PAPER_SIZES else "A4"


@bp.route("/conferences/<int:conference_id>/print")
@roles_required(*READERS)
def print_chart(conference_id: int):
    conf = _conference(conference_id)
    try:
        all_charts = charts(conf)
    except NoPlan:
        flash(_("This conference has no seating plan yet."), "warning")
        return redirect(url_for("seating.conference", conference_id=conf.id))
    return render_template(
        "seating/print.html", conference=conf, charts=all_charts, paper=_paper(), papers=PAPER_SIZES
    )


@bp.route("/conferences/<int:conference_id>/chart.pdf")
@roles_required(*READERS)
def chart_download(conference_id: int):
    try:
        return _pdf(*chart_file(_conference(conference_id), _paper()))
    except NoPlan:
        abort(404)


@bp.route("/conferences/<int:conference_id>/name-plates.pdf")
@roles_required(*READERS)
def plates_download(conference_id: int):
    try:
        return _pdf(*plates_file(_conference(conference_id)))
    except NoPlan:
        abort(404)


@bp.route("/conferences/<int:conference_id>/find")
@roles_required(*READERS, Role.DOOR)
def find(conference_id: int):
    """Where does this person sit? For ushers, on a phone; door staff of this conference."""
    conf = _conference(conference_id)
    if current_user.role == Role.DOOR and not db.session.get(
        DoorAssignment, (conf.id, current_user.id)
    ):
        abort(403)
    query = request.args.get("q", "")
    return render_template(
        "seating/find.html",
        conference=conf,
        query=query,
        found=find_seats(conf, query),
        has_plan=plan_for(conf, None) is not None or bool(plans_of(conf)),
    )
