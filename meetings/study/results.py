"""Who must hand in a study report, and the round's results, computed in SQL.

The rules, decided here and tested in tests/study/test_results.py:

- The people of a round are the people the body invited (in their own name, or as the named
  principal of a unit role) to a conference, not cancelled, covering the round's document.
  Results count people, not seats: a unit role whose deputy came is not a person who studied.
- A person STUDIED the document when they checked in themselves (no substitute) at a HELD
  conference covering it, or when a self-study is recorded for them (an absentee who studied on
  their own). Who studied must hand in a report: that is the round's population.
- An EXEMPTED person (with a reason, e.g. elderly Party members) owes no report: counted apart,
  never as submitted nor overdue, and their reports, if any, are not counted.
- A person SUBMITTED when any version of their report is recorded (through their link before the
  deadline, or on paper by a clerk at any time — a paper recorded after the deadline is late).
- OVERDUE: studied, not exempted, nothing submitted, and the deadline has passed.
- GRADED: a submitted report with a grade; grades are counted per label of the round's scale.
- A person's unit is their unit in the directory.

Everything is aggregated in one statement grouped by (unit, grade); the figures are folded in
Python. The population is never stored: a make-up session held after the round opened adds its
attendees to the round.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func, literal, null, or_, select
from sqlalchemy.sql import Select

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    CheckIn,
    Conference,
    ConferenceDocument,
    ConferenceStatus,
    Invitation,
    Person,
    SelfStudy,
    StudyExemption,
    StudyGrade,
    StudyRound,
    StudySubmission,
    Unit,
)
from meetings.text import attendance_phrase, collation_key


def _flag(condition) -> case:
    return case((condition, 1), else_=0)


def invitees(body_id: int, document_id: int, person_ids: Collection[int] | None = None) -> Select:
    """One row per person invited by the body on the document: attended (own check-in at a held
    conference), self_studied (a self-study recorded), studied (either)."""
    came = and_(
        Conference.status == ConferenceStatus.HELD,
        CheckIn.id.is_not(None),
        func.coalesce(CheckIn.substitute_name, "") == "",
    )
    attended = func.max(_flag(came))
    self_studied = func.max(_flag(SelfStudy.id.is_not(None)))
    query = (
        select(
            Invitation.person_id.label("person_id"),
            attended.label("attended"),
            self_studied.label("self_studied"),
            func.max(_flag(or_(came, SelfStudy.id.is_not(None)))).label("studied"),
        )
        .join(Conference, Conference.id == Invitation.conference_id)
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id)
        .outerjoin(
            SelfStudy,
            and_(
                SelfStudy.person_id == Invitation.person_id,
                SelfStudy.document_id == document_id,
            ),
        )
        .where(
            Conference.body_id == body_id,
            ConferenceDocument.document_id == document_id,
            Conference.status != ConferenceStatus.CANCELLED,
            Invitation.person_id.is_not(None),
        )
        .group_by(Invitation.person_id)
    )
    if person_ids is not None:
        query = query.where(Invitation.person_id.in_(list(person_ids)))
    return query


def _latest_versions(round_id: int):
    return (
        select(
            StudySubmission.person_id,
            func.max(StudySubmission.version).label("versions"),
        )
        .where(StudySubmission.round_id == round_id)
        .group_by(StudySubmission.person_id)
        .subquery("versions")
    )


def facts(study: StudyRound, at: datetime, person_ids: Collection[int] | None = None) -> Select:
    """One row per invitee of the round: unit, studied, exempt, submitted, overdue, grade."""
    people = invitees(study.body_id, study.document_id, person_ids).subquery("invitees")
    versions = _latest_versions(study.id)
    owes = and_(people.c.studied == 1, StudyExemption.id.is_(None))
    submitted = and_(owes, versions.c.versions.is_not(None))
    past = literal(at > study.deadline)
    return (
        select(
            people.c.person_id,
            Person.unit_id,
            people.c.attended,
            people.c.self_studied,
            people.c.studied,
            _flag(and_(people.c.studied == 1, StudyExemption.id.is_not(None))).label("exempt"),
            _flag(submitted).label("submitted"),
            _flag(and_(owes, versions.c.versions.is_(None), past)).label("overdue"),
            case((submitted, StudyGrade.grade)).label("grade"),
            versions.c.versions,
        )
        .join(Person, Person.id == people.c.person_id)
        .outerjoin(
            StudyExemption,
            and_(
                StudyExemption.round_id == study.id,
                StudyExemption.person_id == Person.id,
            ),
        )
        .outerjoin(versions, versions.c.person_id == Person.id)
        .outerjoin(
            StudyGrade,
            and_(StudyGrade.round_id == study.id, StudyGrade.person_id == Person.id),
        )
    )


@dataclass
class Figures:
    """Counts for a group of people; `grades` by label, in the round's order."""

    invited: int = 0
    studied: int = 0
    exempt: int = 0
    submitted: int = 0
    overdue: int = 0
    grades: dict[str, int] = field(default_factory=dict)

    @property
    def owed(self) -> int:
        """Reports due: who studied, less the exempted."""
        return self.studied - self.exempt

    @property
    def graded(self) -> int:
        return sum(self.grades.values())

    @property
    def not_graded(self) -> int:
        return self.submitted - self.graded

    @property
    def not_submitted(self) -> int:
        return self.owed - self.submitted

    @property
    def studied_phrase(self) -> str:
        """ "35.599/35.900, đạt 99,16%": who studied, of those invited."""
        return attendance_phrase(self.studied, self.invited)

    @property
    def submitted_phrase(self) -> str:
        """Reports handed in, of those due."""
        return attendance_phrase(self.submitted, self.owed)

    @property
    def briefed_phrase(self) -> str:
        """Briefed in the full sense, of those invited: studied (attended in person or
        self-studied) and handed in a report, or exempted from it."""
        return attendance_phrase(self.submitted + self.exempt, self.invited)

    def grade_phrase(self, grade: str) -> str:
        """Reports of a grade, of those handed in."""
        return attendance_phrase(self.grades.get(grade, 0), self.submitted)

    def add(self, row) -> None:
        self.invited += int(row.invited)
        self.studied += int(row.studied or 0)
        self.exempt += int(row.exempt or 0)
        self.submitted += int(row.submitted or 0)
        self.overdue += int(row.overdue or 0)
        if row.grade is not None:
            self.grades[row.grade] = self.grades.get(row.grade, 0) + int(row.submitted or 0)


@dataclass(frozen=True)
class UnitResult:
    unit: Unit | None
    figures: Figures


@dataclass
class RoundResults:
    """What the results page, the report (DOCX, XLSX) and the CLI show."""

    study: StudyRound
    at: datetime
    total: Figures
    units: list[UnitResult]

    @property
    def grades(self) -> list[str]:
        """The round's scale, then any label no longer on it but still given."""
        scale = self.study.grades
        return scale + sorted(g for g in self.total.grades if g not in scale)

    @property
    def past_deadline(self) -> bool:
        return self.at > self.study.deadline


def round_results(
    study: StudyRound,
    unit_ids: Collection[int] | None = None,
    at: datetime | None = None,
    per_unit: bool = True,
) -> RoundResults:
    """Per unit (unless `per_unit` is False) and overall; `unit_ids` restricts to those units
    (a reviewer's)."""
    at = at or now()
    f = facts(study, at).subquery("facts")
    unit = f.c.unit_id if per_unit else null().label("unit_id")
    query = select(
        unit,
        f.c.grade,
        func.count().label("invited"),
        func.sum(f.c.studied).label("studied"),
        func.sum(f.c.exempt).label("exempt"),
        func.sum(f.c.submitted).label("submitted"),
        func.sum(f.c.overdue).label("overdue"),
    ).group_by(*([f.c.unit_id] if per_unit else []), f.c.grade)
    if unit_ids is not None:
        query = query.where(f.c.unit_id.in_(list(unit_ids)))
    by_unit: dict[int | None, Figures] = {}
    total = Figures()
    for row in db.session.execute(query):
        by_unit.setdefault(row.unit_id, Figures()).add(row)
        total.add(row)
    return RoundResults(study, at, total, _unit_results(by_unit) if per_unit else [])


def _unit_results(by_unit: dict[int | None, Figures]) -> list[UnitResult]:
    """By unit name in Vietnamese order; people without a unit last."""
    known = db.session.scalars(select(Unit).where(Unit.id.in_([k for k in by_unit if k]))).all()
    lines = [UnitResult(u, by_unit[u.id]) for u in known]
    lines.sort(key=lambda line: collation_key(line.unit.name))
    if None in by_unit:
        lines.append(UnitResult(None, by_unit[None]))
    return lines


def study_summary(body_id: int, document_id: int) -> RoundResults | None:
    """The round's overall results for the coverage page and report; None without a round."""
    study = db.session.scalar(
        select(StudyRound).filter_by(body_id=body_id, document_id=document_id)
    )
    return round_results(study, per_unit=False) if study else None


def must_submit(study: StudyRound, person_id: int) -> bool:
    """Whether the person studied the round's document (exemption aside)."""
    row = db.session.execute(invitees(study.body_id, study.document_id, [person_id])).first()
    return bool(row and row.studied)


# --- Lists of people -------------------------------------------------------------------------

STATUSES = ("all", "not_submitted", "overdue", "submitted", "not_graded", "graded", "exempt")


@dataclass(frozen=True)
class PersonLine:
    person_id: int
    name: str
    position: str | None
    unit_name: str | None
    exempt: bool
    submitted: bool
    overdue: bool
    grade: str | None
    versions: int | None
    exemption_reason: str | None


def _status_filter(f, status: str):
    return {
        "all": None,
        "not_submitted": and_(f.c.exempt == 0, f.c.submitted == 0),
        "overdue": f.c.overdue == 1,
        "submitted": f.c.submitted == 1,
        "not_graded": and_(f.c.submitted == 1, f.c.grade.is_(None)),
        "graded": f.c.grade.is_not(None),
        "exempt": f.c.exempt == 1,
    }[status]


def people(
    study: StudyRound,
    unit_ids: Collection[int] | None = None,
    status: str = "all",
    limit: int | None = 500,
    at: datetime | None = None,
) -> list[PersonLine]:
    """Who must hand in a report (and the exempted), by unit then name, filtered by status."""
    f = facts(study, at or now()).subquery("facts")
    query = (
        select(f, Person.full_name, Person.position, Unit.name.label("unit_name"))
        .join(Person, Person.id == f.c.person_id)
        .outerjoin(Unit, Unit.id == f.c.unit_id)
        .where(f.c.studied == 1)
        .order_by(Unit.sort_key, Person.sort_key, Person.id)
    )
    condition = _status_filter(f, status)
    if condition is not None:
        query = query.where(condition)
    if unit_ids is not None:
        query = query.where(f.c.unit_id.in_(list(unit_ids)))
    if limit is not None:
        query = query.limit(limit)
    rows = db.session.execute(query).all()
    reasons = _exemption_reasons(study, [r.person_id for r in rows if r.exempt])
    return [
        PersonLine(
            person_id=r.person_id,
            name=r.full_name,
            position=r.position,
            unit_name=r.unit_name,
            exempt=bool(r.exempt),
            submitted=bool(r.submitted),
            overdue=bool(r.overdue),
            grade=r.grade,
            versions=r.versions,
            exemption_reason=reasons.get(r.person_id),
        )
        for r in rows
    ]


def _exemption_reasons(study: StudyRound, person_ids: list[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    return dict(
        db.session.execute(
            select(StudyExemption.person_id, StudyExemption.reason).where(
                StudyExemption.round_id == study.id, StudyExemption.person_id.in_(person_ids)
            )
        ).all()
    )


def overdue_by_unit(
    study: StudyRound, unit_ids: Collection[int] | None = None, at: datetime | None = None
) -> list[tuple[str | None, list[PersonLine]]]:
    """The overdue people, grouped by unit (for chasing, and for reminders once e-mail exists)."""
    groups: dict[str | None, list[PersonLine]] = {}
    for line in people(study, unit_ids, "overdue", limit=None, at=at):
        groups.setdefault(line.unit_name, []).append(line)
    return list(groups.items())
