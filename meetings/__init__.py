"""meetings: dissemination conferences from the first invitation to the signed minutes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, session

from meetings import (
    database,  # noqa: F401  (connection set-up: SQLite pragmas, idle pings)
    ratelimits,
)
from meetings.config import load_config
from meetings.extensions import (
    babel,
    bootstrap,
    csrf,
    db,
    limiter,
    login_manager,
    mailer,
    migrate,
)
from meetings.jobs import queue as job_queue

BLUEPRINTS = (
    "auth",
    "main",
    "conferences",
    "directory",
    "invitations",
    "documents",
    "checkin",
    "door",
    "api",
    "coverage",
    "printing",
    "admin",
    "seating",
    "jobs",
    "mail",
    "study",
    "invitemail",
    "replies",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app factory: settings from the environment, overridden by `config` (tests)."""
    instance = Path(os.environ.get("MEETINGS_INSTANCE_PATH", Path.cwd() / "instance")).resolve()
    app = Flask(__name__, instance_path=str(instance), instance_relative_config=True)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.update(load_config(instance))
    app.config.from_pyfile("config.py", silent=True)  # local settings kept in instance/
    app.config.update(config or {})

    _init_extensions(app)
    _register_blueprints(app)
    from meetings import cli, errors, security, templating

    security.init_app(app)
    templating.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    return app


def _init_extensions(app: Flask) -> None:
    from meetings import models  # noqa: F401  (registers every table on db.metadata)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    bootstrap.init_app(app)
    limiter.init_app(app)
    ratelimits.init_app(app)
    job_queue.init_app(app)
    login_manager.init_app(app)
    mailer.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)


def _select_locale() -> str:
    """Vietnamese unless the user switched to English in this session (CLI: Vietnamese)."""
    chosen = session.get("lang") if has_request_context() else None
    return chosen if chosen in ("vi", "en") else "vi"


def _register_blueprints(app: Flask) -> None:
    from importlib import import_module

    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"meetings.{name}").bp)
