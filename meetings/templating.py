"""Jinja filters and globals: Vietnamese dates and numbers, the current language."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from meetings import text
from meetings.documents.citations import format_citation
from meetings.links import public_base_is_loopback
from meetings.models import ConferenceKind, ConferenceStatus, Role

# The main menu: endpoint, label, roles that see it (admins see everything).
NAV = [
    ("conferences.index", _l("Conferences"), (Role.SECRETARIAT, Role.CLERK, Role.DOOR)),
    ("documents.index", _l("Documents"), (Role.SECRETARIAT, Role.CLERK)),
    ("directory.people", _l("Directory"), (Role.SECRETARIAT, Role.CLERK)),
    ("coverage.index", _l("Coverage"), (Role.SECRETARIAT, Role.CLERK)),
    ("admin.user_list", _l("Users"), ()),
    ("admin.audit", _l("Audit log"), ()),
    ("study.index", _l("Study reports"), (Role.SECRETARIAT, Role.CLERK, Role.REVIEWER)),
]

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.SECRETARIAT: _l("Secretariat"),
    Role.CLERK: _l("Clerk"),
    Role.DOOR: _l("Door staff"),
    Role.REVIEWER: _l("Reviewer"),
}

STATUS_LABELS = {
    ConferenceStatus.DRAFT: (_l("Draft"), "secondary"),
    ConferenceStatus.SCHEDULED: (_l("Scheduled"), "primary"),
    ConferenceStatus.HELD: (_l("Held"), "success"),
    ConferenceStatus.CANCELLED: (_l("Cancelled"), "danger"),
}

KIND_LABELS = {
    ConferenceKind.DISSEMINATION: _l("Dissemination"),
    ConferenceKind.PRELIMINARY_REVIEW: _l("Preliminary review"),
    ConferenceKind.FINAL_REVIEW: _l("Final review"),
    ConferenceKind.OTHER: _l("Other"),
}


def nav_items() -> list[tuple[str, str]]:
    """Menu entries the current user may open, for the blueprints this app has."""
    views = current_app.view_functions
    return [
        (endpoint, label)
        for endpoint, label, roles in NAV
        if endpoint in views and current_user.has_role(*roles)
    ]


def _hm(value: datetime | None) -> str:
    return value.strftime("%H:%M") if value else ""


def _dmy(value: date | datetime | None) -> str:
    """The numeric date used in lists and tables: 15/09/2023."""
    return value.strftime("%d/%m/%Y") if value else ""


def figures(phrase: str) -> str:
    """An attendance phrase as the page's language writes it (documents stay Vietnamese)."""
    return text.phrase_in_english(phrase) if str(get_locale() or "vi") == "en" else phrase


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        figures=figures,
        date_line=text.date_line,
        short_date=text.short_date,
        weekday=text.weekday_name,
        number=text.format_number,
        percent=text.format_percent,
        hm=_hm,
        dmy=_dmy,
        format_citation=format_citation,
    )
    app.jinja_env.globals.update(
        Role=Role,
        attendance_phrase=text.attendance_phrase,
        nav_items=nav_items,
        public_base_is_loopback=public_base_is_loopback,
        role_label=lambda role: ROLE_LABELS.get(role, role),
        status_label=lambda status: STATUS_LABELS[status][0],
        status_colour=lambda status: STATUS_LABELS[status][1],
        kind_label=lambda kind: KIND_LABELS[kind],
    )

    @app.context_processor
    def _language() -> dict:
        return {"current_language": str(get_locale() or "vi")}
