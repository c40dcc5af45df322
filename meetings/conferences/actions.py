"""Buttons on a conference's page, contributed by the capabilities that act on a conference.

A blueprint registers its entry once at import (`conference_action(...)`); the page shows, group
by group, the entries the current user's role allows and the conference's state admits, so no
blueprint edits another's template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from meetings.models import Conference, Role

# The page's rows of buttons, in the order a conference is run.
GROUPS = {
    "invitees": _l("Invitees and letters"),
    "checkin": _l("Check-in"),
    "records": _l("Records"),
}


@dataclass(frozen=True)
class ConferenceAction:
    endpoint: str  # takes conference_id
    label: str
    roles: tuple[Role, ...]
    group: str
    order: int
    when: Callable[[Conference], bool] | None


_ACTIONS: list[ConferenceAction] = []


def conference_action(
    endpoint: str,
    label,
    *roles: Role,
    group: str,
    order: int = 100,
    when: Callable[[Conference], bool] | None = None,
) -> None:
    """Offer `endpoint` on conference pages to these roles (admins always), in `group`,
    on the conferences for which `when` holds (all when None)."""
    if group not in GROUPS:
        raise ValueError(f"unknown action group {group!r}")
    if not any(a.endpoint == endpoint for a in _ACTIONS):
        _ACTIONS.append(ConferenceAction(endpoint, label, roles, group, order, when))
        _ACTIONS.sort(key=lambda a: a.order)


def actions_for(conference: Conference) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(url, label)…]) of what the current user may do with this conference."""
    views = current_app.view_functions
    rows = []
    for group, group_label in GROUPS.items():
        buttons = [
            (url_for(a.endpoint, conference_id=conference.id), str(a.label))
            for a in _ACTIONS
            if a.group == group
            and a.endpoint in views
            and current_user.has_role(*a.roles)
            and (a.when is None or a.when(conference))
        ]
        if buttons:
            rows.append((str(group_label), buttons))
    return rows
