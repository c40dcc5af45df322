"""Login and roles everywhere by default: a view is public only when it says so."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, Response, abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from meetings.extensions import db, login_manager
from meetings.models import Role, User

F = TypeVar("F", bound=Callable)

# Endpoints that serve files only: no personal data, no login.
_STATIC_ENDPOINTS = {"static", "bootstrap.static"}
# What a user whose password an admin reset may still reach before choosing a new one.
_PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "auth.set_language"}


def public(view: F) -> F:
    """Mark a view as reachable without login (check-in by token, login page)."""
    view._public = True  # type: ignore[attr-defined]
    return view


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Allow the view to these roles (admins always); others get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def _require_login():
    endpoint = request.endpoint
    if endpoint is None or endpoint in _STATIC_ENDPOINTS:
        return None
    if getattr(current_app.view_functions.get(endpoint), "_public", False):
        return None
    if current_user.is_authenticated:
        if current_user.must_change_password and endpoint not in _PASSWORD_CHANGE_ENDPOINTS:
            return redirect(url_for("auth.change_password"))
        return None
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"]
    )
    if request.is_secure:  # directly, or behind TRUSTED_PROXIES that say so
        response.headers.setdefault(
            "Strict-Transport-Security", f"max-age={current_app.config['HSTS_MAX_AGE']}"
        )
    return response


def _secure(header: tuple[str, str]) -> tuple[str, str]:
    name, value = header
    if name.lower() != "set-cookie":
        return header
    if any(part.strip().lower() == "secure" for part in value.split(";")):
        return header
    return name, f"{value}; Secure"


class SecureCookiesOverHttps:
    """WSGI middleware: over HTTPS every cookie is Secure, so that no plain-HTTP request ever
    carries the session. It wraps the whole app because the session and the remember-me
    cookie are set after every after_request hook; a laptop on plain HTTP keeps its cookies."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            if environ.get("wsgi.url_scheme") == "https":  # set by ProxyFix, inside
                headers = [_secure(header) for header in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start)


@login_manager.user_loader
def _load_user(session_token: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(session_token=session_token, active=True))


def init_app(app: Flask) -> None:
    if proxies := app.config.get("TRUSTED_PROXIES"):
        # Client address, scheme, host and port as the proxies in front of us saw them.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)  # type: ignore[method-assign]
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"  # phones change IP on the move
    app.before_request(_require_login)
    app.after_request(_security_headers)
