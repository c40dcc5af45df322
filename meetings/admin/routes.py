"""/admin: accounts, API tokens and the audit log. Admins only: roles_required() with no role
lets admins alone through."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from meetings.admin import bp
from meetings.admin.forms import AuditFilterForm, RoleForm, TokenForm, UserCreateForm
from meetings.admin.service import (
    AUDIT_PAGE_SIZE,
    AuditFilter,
    audit_actions,
    audit_entries,
    recent_conferences,
    tokens_of,
    users,
)
from meetings.auth.service import (
    PasswordRejected,
    change_role,
    create_api_token,
    create_user,
    find_user,
    reset_password,
    revoke_api_tokens,
    set_active,
)
from meetings.extensions import db
from meetings.forms import BaseForm
from meetings.models import Role, User


def _user_or_404(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


@bp.before_request
def _admins_only() -> None:
    """Every page here is for admins alone (has_role() with no role is true for admins only)."""
    if not current_user.has_role():
        abort(403)


@bp.route("/users", methods=["GET", "POST"])
def user_list():
    form = UserCreateForm()
    if form.validate_on_submit():
        if find_user(form.username.data):
            form.username.errors.append(_("This username is taken."))
        else:
            try:
                user = create_user(
                    form.username.data,
                    form.password.data,
                    Role(form.role.data),
                    form.full_name.data,
                    by=current_user,
                )
            except PasswordRejected as error:
                form.password.errors.append(_(str(error)))
            else:
                db.session.commit()
                flash(_("Account %(name)s created.", name=user.username), "success")
                return redirect(url_for(".user_detail", user_id=user.id))
    return render_template("admin/users.html", users=users(), form=form)


@bp.route("/users/<int:user_id>")
def user_detail(user_id: int):
    user = _user_or_404(user_id)
    return _detail_page(user)


def _detail_page(user: User, one_time_password: str | None = None, new_token: str | None = None):
    """The user's page; a one-time password or a new token is shown in this answer only."""
    return render_template(
        "admin/user.html",
        user=user,
        tokens=tokens_of(user),
        role_form=RoleForm(role=user.role.value),
        token_form=TokenForm(),
        action_form=BaseForm(),
        one_time_password=one_time_password,
        new_token=new_token,
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def user_role(user_id: int):
    user = _user_or_404(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        if user.id == current_user.id and form.role.data != Role.ADMIN.value:
            flash(_("You cannot take the administrator role from yourself."), "danger")
        else:
            change_role(user, Role(form.role.data), by=current_user)
            db.session.commit()
            flash(_("Role changed; the user's sessions have ended."), "success")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_active(user_id: int):
    user = _user_or_404(user_id)
    if BaseForm().validate_on_submit():
        try:
            set_active(user, request.form.get("active") == "1", by=current_user)
        except ValueError as error:
            flash(_(str(error)), "danger")
        else:
            db.session.commit()
            flash(_("Account reactivated.") if user.active else _("Account deactivated."), "info")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/password", methods=["POST"])
def user_password(user_id: int):
    user = _user_or_404(user_id)
    if not BaseForm().validate_on_submit():
        return redirect(url_for(".user_detail", user_id=user.id))
    password = reset_password(user, by=current_user)
    db.session.commit()
    response = _detail_page(user, one_time_password=password)
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/users/<int:user_id>/tokens", methods=["POST"])
def token_create(user_id: int):
    user = _user_or_404(user_id)
    form = TokenForm()
    if not form.validate_on_submit():
        return redirect(url_for(".user_detail", user_id=user.id))
    try:
        token = create_api_token(user, form.name.data, by=current_user)
    except ValueError as error:
        flash(_(str(error)), "danger")
        return redirect(url_for(".user_detail", user_id=user.id))
    db.session.commit()
    return _detail_page(user, new_token=token), 200, {"Cache-Control": "no-store"}


@bp.route("/users/<int:user_id>/tokens/<int:token_id>/revoke", methods=["POST"])
def token_revoke(user_id: int, token_id: int):
    user = _user_or_404(user_id)
    if BaseForm().validate_on_submit():
        if revoke_api_tokens(user, token_id, by=current_user):
            db.session.commit()
            flash(_("Token revoked."), "info")
        else:
            flash(_("No such active token."), "warning")
    return redirect(url_for(".user_detail", user_id=user.id))


@bp.route("/audit")
def audit():
    form = AuditFilterForm(request.args)
    form.user.choices = [("", _("Anyone"))] + [(str(u.id), u.username) for u in users()]
    form.conference.choices = [("", _("Any conference"))] + [
        (str(c.id), f"{c.starts_at:%d/%m/%Y} · {c.title[:80]}") for c in recent_conferences()
    ]
    where = AuditFilter()
    if form.validate():
        where = AuditFilter(
            user_id=int(form.user.data) if form.user.data else None,
            action=form.action.data or None,
            since=form.since.data,
            until=form.until.data,
            conference_id=int(form.conference.data) if form.conference.data else None,
        )
    return render_template(
        "admin/audit.html",
        form=form,
        entries=audit_entries(where),
        actions=audit_actions(),
        limit=AUDIT_PAGE_SIZE,
    )
