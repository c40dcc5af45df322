from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from meetings.auth import bp
from meetings.auth.forms import LanguageForm, LoginForm
from meetings.auth.service import authenticate
from meetings.auth.throttle import account_attempt_allowed
from meetings.extensions import limiter
from meetings.security import public


def _safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect would let a phishing link borrow our login."""
    if (
        target
        and urlsplit(target).netloc == ""
        and target.startswith("/")
        and not target.startswith("//")
    ):
        return target
    return url_for("main.index")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        if not account_attempt_allowed(form.username.data):
            abort(429)
        user = authenticate(form.username.data, form.password.data)
        if user:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(form.next.data))
        flash(_("Wrong username or password."), "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["LANGUAGES"]:
        session["lang"] = form.lang.data
    return redirect(
        _safe_next(form.next.data or (request.referrer and urlsplit(request.referrer).path))
    )
