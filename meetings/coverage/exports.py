"""The coverage tables as a spreadsheet (through meetings.exports, which neutralises formulas)."""

from __future__ import annotations

import re

from flask_babel import gettext as _

from meetings.coverage.service import DocumentCoverage, Tally
from meetings.exports import Table, write_xlsx
from meetings.text import attendance_phrase, fold


def export_name(coverage: DocumentCoverage, extension: str) -> str:
    """An ASCII file name: "quan-triet-24-CT-TU.xlsx"."""
    symbol = re.sub(r"[^A-Za-z0-9]+", "-", fold(coverage.document.symbol).upper()).strip("-")
    return f"quan-triet-{symbol}.{extension}"


def _counts(tally: Tally) -> list[object]:
    return [
        tally.invited,
        tally.attended,
        attendance_phrase(tally.attended, tally.invited),
        tally.self_studied,
        tally.pending,
    ]


def coverage_tables(coverage: DocumentCoverage) -> list[Table]:
    """By category (with a total), by unit, those not yet briefed, and the conferences."""
    counts = [_("Invited"), _("Attended"), _("Attendance rate"), _("Self-study"), _("Not yet")]
    categories = Table(
        _("By category"),
        ["#", _("Category"), *counts],
        [
            [
                i,
                line.category.name if line.category else _("Without category"),
                *_counts(line.tally),
            ]
            for i, line in enumerate(coverage.by_category, start=1)
        ]
        + [["", _("Total"), *_counts(coverage.total)]],
        widths=[5, 60, 10, 10, 22, 10, 10],
    )
    units = Table(
        _("By unit"),
        ["#", _("Unit"), *counts, _("Represented")],
        [
            [
                i,
                line.unit.name if line.unit else _("Without unit"),
                *_counts(line.tally),
                _("yes") if line.represented else _("no"),
            ]
            for i, line in enumerate(coverage.by_unit, start=1)
        ],
        widths=[5, 45, 10, 10, 22, 10, 10, 12],
    )
    pending = Table(
        _("Not yet briefed"),
        [
            "#",
            _("Invitee"),
            _("Position"),
            _("Unit"),
            _("Category"),
            _("Absence reason"),
            _("Substitute came"),
        ],
        [
            [
                i,
                p.label,
                p.position,
                p.unit_name,
                p.category_name,
                p.reason,
                _("yes") if p.substitute_came else "",
            ]
            for i, p in enumerate(coverage.pending, start=1)
        ],
        widths=[5, 30, 35, 30, 40, 40, 12],
    )
    conferences = Table(
        _("Conferences"),
        [
            "#",
            _("Conference"),
            _("Date"),
            _("Status"),
            _("Make-up of"),
            _("Invited"),
            _("Checked in"),
        ],
        [
            [
                i,
                c.conference.title,
                c.conference.starts_at.strftime("%d/%m/%Y %H:%M"),
                _status(c.conference.status),
                c.conference.makeup_of.title if c.conference.makeup_of else "",
                c.invited,
                c.checked_in,
            ]
            for i, c in enumerate(coverage.conferences, start=1)
        ],
        widths=[5, 70, 18, 14, 40, 10, 10],
    )
    return [categories, units, pending, conferences]


def _status(status) -> str:
    from meetings.templating import STATUS_LABELS

    return str(STATUS_LABELS[status][0])


def coverage_xlsx(coverage: DocumentCoverage) -> bytes:
    return write_xlsx(coverage_tables(coverage))
