"""Error pages that say what happened, in the user's language, never a stack trace."""

from __future__ import annotations

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _page(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"status": "error", "code": status, "message": message}), status
    return render_template("error.html", status=status, title=title, message=message), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return _page(
            400,
            _("Form expired"),
            _("The form was open too long or came from elsewhere. Reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        messages = {
            401: (_("Sign in required"), _("Please sign in to continue.")),
            403: (_("Not allowed"), _("Your role does not allow this page.")),
            404: (_("Not found"), _("The page or record you asked for does not exist.")),
            413: (_("File too large"), _("The file is larger than the allowed size.")),
            429: (_("Too many attempts"), _("Too many attempts. Wait a minute and try again.")),
        }
        title, message = messages.get(error.code, (error.name, error.description or ""))
        response = make_response(_page(error.code or 500, title, message))
        for name, value in error.get_headers():  # Allow on a 405, Retry-After…
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(500)
    def _server_error(error):
        return _page(
            500,
            _("Something went wrong"),
            _("The error has been logged. Please try again in a moment."),
        )
