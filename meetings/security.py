"""Login and roles everywhere by default: a view is public only when it says so."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import Flask, abort, current_app, redirect, request, url_for
from flask_login import current_user

from meetings.extensions import db, login_manager
from meetings.models import Role, User

F = TypeVar("F", bound=Callable)

# Endpoints that serve files only: no personal data, no login.
_STATIC_ENDPOINTS = {"static", "bootstrap.static"}


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


def _require_login() -> None:
    endpoint = request.endpoint
    if endpoint is None or endpoint in _STATIC_ENDPOINTS:
        return None
    view = current_app.view_functions.get(endpoint)
    if getattr(view, "_public", False) or current_user.is_authenticated:
        return None
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


@login_manager.user_loader
def _load_user(session_token: str) -> User | None:
    return db.session.scalar(db.select(User).filter_by(session_token=session_token, active=True))


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"  # phones change IP on the move
    app.before_request(_require_login)
    app.after_request(_security_headers)
