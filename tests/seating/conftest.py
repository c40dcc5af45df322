"""Factories for seating: a layout, and a plan over a conference's invitations."""

from __future__ import annotations

import pytest

from meetings.extensions import db
from meetings.models import HallLayout
from tests import factories


def make_layout(venue=None, **kw) -> HallLayout:
    defaults = dict(name="Chính", rows=3, seats_per_row=5, aisles="", presidium_places=3)
    layout = HallLayout(venue=venue or factories.make_venue(), **{**defaults, **kw})
    db.session.add(layout)
    db.session.flush()
    return layout


@pytest.fixture
def layout():
    return make_layout
