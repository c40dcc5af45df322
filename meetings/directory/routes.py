from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.directory import bp, uploads
from meetings.directory.forms import (
    UNIT_KIND_LABELS,
    ApplyImportForm,
    BodyForm,
    CategoryForm,
    ImportForm,
    PersonForm,
    RankForm,
    UnitForm,
)
from meetings.directory.importer import (
    ACTION_LABELS,
    HEADERS,
    MAX_IMPORT_BYTES,
    Action,
    ImportFileError,
    apply_plan,
    import_file,
    people_table,
)
from meetings.directory.service import (
    NameTaken,
    category_members,
    category_sizes,
    current_body,
    list_bodies,
    list_categories,
    list_units,
    move_category,
    namesakes,
    new_category_order,
    phone_owner,
    save_body,
    save_category,
    save_person,
    save_unit,
    search_people,
    set_rank,
    set_retired,
)
from meetings.exports import write_csv, write_xlsx
from meetings.extensions import db
from meetings.models import (
    InviteeCategory,
    Layout,
    OrganisingBody,
    Person,
    Role,
    Unit,
    UnitKind,
)
from meetings.security import roles_required
from meetings.text import fold

READERS = (Role.SECRETARIAT, Role.CLERK)
EDITORS = (Role.SECRETARIAT,)


def _body():
    """The body new entries belong to; without one yet, the page where an admin creates it."""
    body = current_body()
    if body is None:
        flash(_("There is no organising body yet: an administrator creates it first."), "warning")
        abort(redirect(url_for(".bodies")))
    return body


def _page_number() -> int:
    return request.args.get("page", 1, type=int) or 1


def spreadsheet_response(data: bytes, filename: str, fmt: str) -> Response:
    mimetype = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if fmt == "xlsx"
        else "text/csv; charset=utf-8"
    )
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}.{fmt}"'},
    )


# --- People --------------------------------------------------------------------------------


@bp.route("/people")
@roles_required(*READERS)
def people():
    query = request.args.get("q", "")
    category_id = request.args.get("category", 0, type=int) or None
    retired = request.args.get("retired") == "1"
    page = search_people(
        query, category_id=category_id, include_retired=retired, page=_page_number()
    )
    return render_template(
        "directory/people.html",
        page=page,
        q=query,
        category_id=category_id,
        retired=retired,
        categories=list_categories(),
    )


def _person_form(person: Person) -> PersonForm:
    form = PersonForm(obj=person)
    form.unit_id.choices = [(0, "—")] + [(u.id, u.name) for u in list_units()]
    if person.unit_id and person.unit_id not in dict(form.unit_id.choices):
        form.unit_id.choices.append((person.unit_id, person.unit.name))  # a retired unit
    form.categories.choices = [(c.id, c.name) for c in list_categories()]
    if request.method == "GET":
        form.unit_id.data = person.unit_id or 0
        form.categories.data = [m.category_id for m in person.memberships]
    return form


def _edit_person(person: Person, template_title: str):
    form = _person_form(person)
    same_name: list[Person] = []
    if form.validate_on_submit():
        owner = phone_owner(form.phone.data, except_id=person.id)
        unit_id = form.unit_id.data or None
        moved = (fold(form.full_name.data), unit_id) != (
            fold(person.full_name or ""),
            person.unit_id,
        )
        if moved and not form.namesake_confirmed.data:
            same_name = namesakes(person, form.full_name.data, unit_id)
        if owner:
            form.phone.errors.append(_("This phone belongs to %(name)s.", name=owner.full_name))
        elif not same_name:
            data = {k: form[k].data for k in ("full_name", "position", "phone", "email")}
            data["unit_id"] = form.unit_id.data or None
            save_person(person, data, form.categories.data, current_user)
            db.session.commit()
            flash(_("Saved: %(name)s.", name=person.full_name), "success")
            return redirect(url_for(".people", q=person.full_name))
    return render_template(
        "directory/person_form.html",
        form=form,
        person=person,
        title=template_title,
        namesakes=same_name,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def person_new():
    return _edit_person(Person(body_id=_body().id), _("New person"))


@bp.route("/people/<int:person_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def person_edit(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    if request.method == "POST" and not current_user.has_role(*EDITORS):
        abort(403)
    return _edit_person(person, person.full_name)


@bp.route("/people/<int:person_id>/retire", methods=["POST"])
@roles_required(*EDITORS)
def person_retire(person_id: int):
    person = db.session.get(Person, person_id) or abort(404)
    retire = request.form.get("retired") != "0"
    set_retired(person, retire, current_user)
    db.session.commit()
    flash(
        _("%(name)s retired: past invitations still show them.", name=person.full_name)
        if retire
        else _("%(name)s is back in the directory.", name=person.full_name),
        "success",
    )
    return redirect(url_for(".person_edit", person_id=person.id))


@bp.route("/people/export.<fmt>")
@roles_required(*READERS)
def people_export(fmt: str):
    if fmt not in ("xlsx", "csv"):
        abort(404)
    table = people_table(_body())
    data = write_xlsx([table]) if fmt == "xlsx" else write_csv(table)
    return spreadsheet_response(data, "danh-ba", fmt)


# --- Import --------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*EDITORS)
def import_upload():
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.stream.read(MAX_IMPORT_BYTES + 1)
        try:
            import_file(upload.filename or "", data, _body())
        except ImportFileError as exc:
            form.file.errors.append(str(exc))
        else:
            uploads.keep(upload.filename or "", data)
            return redirect(url_for(".import_preview"))
    return render_template(
        "directory/import.html",
        form=form,
        headers=list(HEADERS.values()),
        max_bytes=MAX_IMPORT_BYTES,
    )


@bp.route("/import/preview")
@roles_required(*EDITORS)
def import_preview():
    kept = uploads.load()
    if kept is None:
        flash(_("Upload the file again: the earlier upload is gone."), "warning")
        return redirect(url_for(".import_upload"))
    filename, data = kept
    try:
        plan = import_file(filename, data, _body())
    except ImportFileError as exc:
        uploads.discard()
        flash(str(exc), "danger")
        return redirect(url_for(".import_upload"))
    form = ApplyImportForm()
    form.set_new_categories(plan.new_categories)
    return render_template(
        "directory/import_preview.html",
        plan=plan,
        filename=filename,
        form=form,
        labels=ACTION_LABELS,
        Action=Action,
        headers=HEADERS,
    )


@bp.route("/import/apply", methods=["POST"])
@roles_required(*EDITORS)
def import_apply():
    form = ApplyImportForm()
    kept = uploads.load()
    if kept is None or not form.validate_on_submit():
        flash(_("Upload the file again: the earlier upload is gone."), "warning")
        return redirect(url_for(".import_upload"))
    body = _body()
    try:
        plan = import_file(*kept, body)  # the directory may have changed since the preview
        done = apply_plan(
            plan, body, current_user, filename=kept[0], create_categories=form.ticked()
        )
    except ImportFileError as exc:  # raised before anything is written
        flash(str(exc), "danger")
        return redirect(url_for(".import_preview"))
    db.session.commit()
    uploads.discard()
    flash(
        _(
            "Imported: %(new)d new, %(update)d updated, %(unchanged)d unchanged.",
            **done,
        ),
        "success",
    )
    return redirect(url_for(".people"))


@bp.route("/import/cancel", methods=["POST"])
@roles_required(*EDITORS)
def import_cancel():
    uploads.discard()
    flash(_("Import cancelled: nothing was changed."), "info")
    return redirect(url_for(".people"))


# --- Units ---------------------------------------------------------------------------------


@bp.route("/units")
@roles_required(*READERS)
def units():
    retired = request.args.get("retired") == "1"
    return render_template(
        "directory/units.html",
        units=list_units(include_retired=retired),
        retired=retired,
        kind_labels=UNIT_KIND_LABELS,
    )


def _edit_unit(unit: Unit, title: str):
    form = UnitForm(obj=unit)
    if request.method == "GET" and unit.kind:
        form.kind.data = unit.kind.value
    if form.validate_on_submit():
        try:
            save_unit(unit, form.name.data, UnitKind(form.kind.data), current_user)
        except NameTaken as exc:
            form.name.errors.append(
                _("A unit with this name exists: %(name)s.", name=exc.existing.name)
            )
        else:
            db.session.commit()
            flash(_("Saved: %(name)s.", name=unit.name), "success")
            return redirect(url_for(".units"))
    return render_template("directory/unit_form.html", form=form, unit=unit, title=title)


@bp.route("/units/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def unit_new():
    return _edit_unit(Unit(body_id=_body().id), _("New unit"))


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@roles_required(*EDITORS)
def unit_edit(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    return _edit_unit(unit, unit.name)


@bp.route("/units/<int:unit_id>/retire", methods=["POST"])
@roles_required(*EDITORS)
def unit_retire(unit_id: int):
    unit = db.session.get(Unit, unit_id) or abort(404)
    set_retired(unit, request.form.get("retired") != "0", current_user)
    db.session.commit()
    return redirect(url_for(".units"))


# --- Categories ----------------------------------------------------------------------------


@bp.route("/categories")
@roles_required(*READERS)
def categories():
    retired = request.args.get("retired") == "1"
    return render_template(
        "directory/categories.html",
        categories=list_categories(include_retired=retired),
        sizes=category_sizes(),
        retired=retired,
    )


@bp.route("/categories/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def category_new():
    form = CategoryForm()
    body = _body()
    if form.validate_on_submit():
        category = InviteeCategory(body_id=body.id, protocol_order=new_category_order(body))
        try:
            save_category(category, form.name.data, form.description.data, current_user)
        except NameTaken as exc:
            form.name.errors.append(_category_taken(exc))
        else:
            db.session.commit()
            return redirect(url_for(".categories"))
    return render_template("directory/category_form.html", form=form, category=None)


def _category_taken(exc: NameTaken) -> str:
    return _("A category with this name exists: %(name)s.", name=exc.existing.name)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@roles_required(*READERS)
def category_detail(category_id: int):
    category = db.session.get(InviteeCategory, category_id) or abort(404)
    form = CategoryForm(obj=category)
    if request.method == "POST":
        if not current_user.has_role(*EDITORS):
            abort(403)
        if form.validate_on_submit():
            try:
                save_category(category, form.name.data, form.description.data, current_user)
            except NameTaken as exc:
                form.name.errors.append(_category_taken(exc))
            else:
                save_category(category, current_user)
                db.session.commit()
                flash(_("Saved: %(name)s.", name=category.name), "success")
                return redirect(url_for(".category_detail", category_id=category.id))
    return render_template(
        "directory/category_form.html",
        form=form,
        category=category,
        members=category_members(category),
        rank_form=RankForm(),
    )


@bp.route("/categories/<int:category_id>/move", methods=["POST"])
@roles_required(*EDITORS)
def category_move(category_id: int):
    category = db.session.get(InviteeCategory, category_id) or abort(404)
    move_category(category, -1 if request.form.get("direction") == "up" else 1, current_user)
    db.session.commit()
    return redirect(url_for(".categories", _anchor=f"category-{category.id}"))


@bp.route("/categories/<int:category_id>/retire", methods=["POST"])
@roles_required(*EDITORS)
def category_retire(category_id: int):
    category = db.session.get(InviteeCategory, category_id) or abort(404)
    set_retired(category, request.form.get("retired") != "0", current_user)
    db.session.commit()
    return redirect(url_for(".categories"))


@bp.route("/categories/<int:category_id>/rank/<int:person_id>", methods=["POST"])
@roles_required(*EDITORS)
def category_rank(category_id: int, person_id: int):
    category = db.session.get(InviteeCategory, category_id) or abort(404)
    person = db.session.get(Person, person_id) or abort(404)
    form = RankForm()
    if form.validate_on_submit():
        set_rank(category, person, form.rank.data)
        db.session.commit()
    else:
        flash(_("A rank is a whole number from 1 to 9999."), "danger")
    return redirect(url_for(".category_detail", category_id=category.id, _anchor=f"p{person.id}"))


# --- Organising bodies ---------------------------------------------------------------------


@bp.route("/bodies")
@roles_required(*READERS)
def bodies():
    return render_template("directory/bodies.html", bodies=list_bodies())


@bp.route("/bodies/new", methods=["GET", "POST"])
@bp.route("/bodies/<int:body_id>/edit", methods=["GET", "POST"])
@roles_required()  # administrators only: the header and numbering of every document
def body_form(body_id: int | None = None):
    body = (db.session.get(OrganisingBody, body_id) or abort(404)) if body_id else None
    form = BodyForm(obj=body)
    if body and request.method == "GET":
        form.layout.data = body.layout.value
    if form.validate_on_submit():
        data = {
            name: getattr(form, name).data or None
            for name in (
                "name",
                "parent_name",
                "place_name",
                "symbol",
                "standing_committee_name",
                "term_started_on",
            )
        }
        save_body(body, {**data, "layout": Layout(form.layout.data)}, current_user)
        db.session.commit()
        flash(_("Organising body saved."), "success")
        return redirect(url_for(".bodies"))
    title = _("Edit organising body") if body else _("New organising body")
    return render_template("directory/unit_form.html", form=form, title=title)
