"""Buttons on a conference's page, contributed by the capabilities that act on a conference.

A blueprint registers its entry once at import (`conference_action(...)`); the page shows the
entries the current user's role allows, so no blueprint edits another's template.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from flask_login import current_user

from meetings.models import Conference, Role


@dataclass(frozen=True)
class ConferenceAction:
    endpoint: str  # takes conference_id
    label: str
    roles: tuple[Role, ...]
    order: int


_ACTIONS: list[ConferenceAction] = []


def conference_action(endpoint: str, label, *roles: Role, order: int = 100) -> None:
    """Offer `endpoint` on every conference page to these roles (admins always)."""
    if not any(a.endpoint == endpoint for a in _ACTIONS):
        _ACTIONS.append(ConferenceAction(endpoint, label, roles, order))
        _ACTIONS.sort(key=lambda a: a.order)


def actions_for(conference: Conference) -> list[tuple[str, str]]:
    """(url, label) of the actions the current user may take on this conference."""
    views = current_app.view_functions
    return [
        (url_for(a.endpoint, conference_id=conference.id), str(a.label))
        for a in _ACTIONS
        if a.endpoint in views and current_user.has_role(*a.roles)
    ]
