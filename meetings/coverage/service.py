"""Who has been briefed on which document: coverage figures computed in SQL.

The rules, decided here and tested in tests/coverage/test_service.py:

- The population of a document, for an organising body, is every invitee of every conference
  of that body that covers the document and is not cancelled (drafts and make-ups included).
- An invitee ("subject") is either a person (an invitation without a unit) or a unit role (an
  invitation naming a unit and a role, "Bí thư (hoặc Phó Bí thư) Đảng ủy phường X"). A unit
  role is one seat, whoever holds it: it counts once, however many conferences invited it.
  A person invited in their own name and also named as the principal of a unit role holds two
  seats (themself, and their organisation's), as the invitee list itself counts them.
- A subject is briefed by attendance when one of its invitations has a check-in at a HELD
  conference covering the document. For a person invitation the check-in must be the person's
  own: a substitute (dự thay, substitute_name on the check-in) briefs the UNIT — the unit counts
  as represented — but not the absent principal, who stays to be briefed and is invited to the
  make-up session. For a unit-role invitation anyone who comes for the unit (the principal or
  the deputy the invitation allows) briefs the seat, which is what such an invitation asks for;
  the substitute is still shown beside the principal's name.
- A subject not briefed by attendance is self-studied when its person (for a unit role, a
  principal named on one of its invitations) has a SelfStudy for the document: counted apart,
  never as attendance, and never invited to a make-up session.
- A person invited under two categories (in different sessions, e.g. first as a ward
  secretary and later as a Standing Committee member) is counted once, under the category that
  comes first in protocol order: the order in which the committee reports and lists people, so
  each person appears where the highest of their roles puts them, whatever the session order.

Everything is aggregated in the database: one GROUP BY folds a subject's invitations into one
row, a second groups those by (category, unit); the page runs a fixed number of statements
whatever the number of invitees (tests/coverage/test_routes.py counts them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import BigInteger, and_, case, cast, func, null, or_, select, union_all
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import Select

from meetings.extensions import db
from meetings.models import (
    CheckIn,
    Conference,
    ConferenceDocument,
    ConferenceStatus,
    Document,
    Invitation,
    InviteeCategory,
    OrganisingBody,
    Person,
    SelfStudy,
    Unit,
    record,
)
from meetings.text import attendance_phrase, collation_key, name_sort_key

LAST = 2_000_000_000  # sorts uncategorised invitees after every protocol order


@dataclass(frozen=True)
class Tally:
    """Counts for a group of invitees; `attended` and `self_studied` never overlap."""

    invited: int = 0
    attended: int = 0
    self_studied: int = 0
    represented_by_substitute: int = 0  # principal absent, a substitute came (not briefed)

    @property
    def pending(self) -> int:
        return self.invited - self.attended - self.self_studied

    @property
    def phrase(self) -> str:
        """Attendance in the official form: "2.909/3.044, đạt 95,56%"."""
        return attendance_phrase(self.attended, self.invited)

    @property
    def briefed_phrase(self) -> str:
        """Attendance and self-study together."""
        return attendance_phrase(self.attended + self.self_studied, self.invited)

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.invited + other.invited,
            self.attended + other.attended,
            self.self_studied + other.self_studied,
            self.represented_by_substitute + other.represented_by_substitute,
        )


@dataclass(frozen=True)
class CategoryLine:
    category: InviteeCategory | None
    tally: Tally


@dataclass(frozen=True)
class UnitLine:
    unit: Unit | None
    tally: Tally
    represented: bool  # somebody came for the unit, a substitute included


@dataclass(frozen=True)
class PendingLine:
    """An invitee not yet briefed, with the last absence reason given."""

    label: str
    position: str | None
    unit_name: str | None
    category_name: str | None
    reason: str | None
    substitute_came: bool
    person_id: int | None  # whom a self-study would be recorded for
    is_unit_role: bool
    protocol_order: int


@dataclass(frozen=True)
class SubstituteLine:
    principal: str
    substitute_name: str
    substitute_position: str | None
    conference: str
    held_on: date
    briefs_seat: bool  # a unit-role invitation: the seat is briefed; else only the unit


@dataclass(frozen=True)
class ConferenceLine:
    conference: Conference
    invited: int
    checked_in: int  # invitations checked in, by the invitee or a substitute (as the minutes)
    substitutes: int = 0  # of those, checked in by a substitute

    @property
    def phrase(self) -> str:
        """The minutes' figure: "80/84, đạt 95,24% (trong đó 2 đồng chí dự thay)"."""
        return attendance_phrase(self.checked_in, self.invited, self.substitutes)


@dataclass
class DocumentCoverage:
    body: OrganisingBody
    document: Document
    total: Tally
    by_category: list[CategoryLine]
    by_unit: list[UnitLine]
    pending: list[PendingLine]
    substitutes: list[SubstituteLine]
    self_studies: list[SelfStudy]
    conferences: list[ConferenceLine]
    list_limit: int | None = None
    units_represented: int = field(init=False)

    def __post_init__(self) -> None:
        self.units_represented = sum(1 for u in self.by_unit if u.unit and u.represented)

    @property
    def pending_truncated(self) -> bool:
        return len(self.pending) < self.total.pending

    @property
    def latest_held(self) -> Conference | None:
        held = [
            c.conference for c in self.conferences if c.conference.status == ConferenceStatus.HELD
        ]
        return max(held, key=lambda c: c.starts_at) if held else None


# --- The core query ----------------------------------------------------------------------

# A subject's category is the first in protocol order among its invitations: the minimum of
# protocol_order × CATEGORY_KEY + category_id, decoded after the GROUP BY (no window needed).
CATEGORY_KEY = 10_000_000  # above any category id
LAST_ORDER = 1_000_000  # uncategorised invitees sort after every protocol order


def _flag(condition) -> case:
    return case((condition, 1), else_=0)


def _subjects(body_id: int | None, document_ids: Sequence[int] | None) -> Select:
    """One row per (body, document, subject): its category, unit, and what briefed it."""
    came = and_(Conference.status == ConferenceStatus.HELD, CheckIn.id.is_not(None))
    own = or_(Invitation.unit_id.is_not(None), func.coalesce(CheckIn.substitute_name, "") == "")
    order = cast(func.coalesce(InviteeCategory.protocol_order, LAST_ORDER), BigInteger)
    grouped = (
        select(
            Conference.body_id,
            ConferenceDocument.document_id,
            Invitation.unit_id.label("role_unit_id"),
            # A unit role's principal may change between sessions: any of them will do.
            func.max(Invitation.person_id).label("person_id"),
            func.max(Invitation.role_title).label("role_title"),
            func.max(Invitation.deputy_title).label("deputy_title"),
            func.max(_flag(Invitation.deputy_allowed)).label("deputy_allowed"),
            func.min(order * CATEGORY_KEY + func.coalesce(Invitation.category_id, 0)).label(
                "category_key"
            ),
            func.max(func.coalesce(Invitation.unit_id, Person.unit_id)).label("unit_id"),
            func.max(_flag(and_(came, own))).label("attended"),
            func.max(_flag(came)).label("represented"),
            func.max(_flag(SelfStudy.id.is_not(None))).label("studied"),
        )
        .join(Conference, Conference.id == Invitation.conference_id)
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id)
        .outerjoin(InviteeCategory, InviteeCategory.id == Invitation.category_id)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(
            SelfStudy,
            and_(
                SelfStudy.person_id == Invitation.person_id,
                SelfStudy.document_id == ConferenceDocument.document_id,
            ),
        )
        .where(Conference.status != ConferenceStatus.CANCELLED)
        .group_by(
            Conference.body_id,
            ConferenceDocument.document_id,
            Invitation.unit_id,
            case((Invitation.unit_id.is_(None), Invitation.person_id)),
            func.coalesce(Invitation.role_title, ""),
        )
    )
    if body_id is not None:
        grouped = grouped.where(Conference.body_id == body_id)
    if document_ids is not None:
        grouped = grouped.where(ConferenceDocument.document_id.in_(list(document_ids)))
    g = grouped.subquery("grouped")
    category = g.c.category_key % CATEGORY_KEY
    return select(
        g,
        case((category == 0, None), else_=category).label("category_id"),
        (g.c.category_key / CATEGORY_KEY).label("protocol_order"),
        _flag(and_(g.c.attended == 0, g.c.studied == 1)).label("self_studied"),
        _flag(and_(g.c.attended == 0, g.c.studied == 0, g.c.represented == 1)).label(
            "by_substitute"
        ),
    )


def _tally_columns(subjects) -> list:
    return [
        func.count().label("invited"),
        func.coalesce(func.sum(subjects.c.attended), 0).label("attended"),
        func.coalesce(func.sum(subjects.c.self_studied), 0).label("self_studied"),
        func.coalesce(func.sum(subjects.c.by_substitute), 0).label("by_substitute"),
    ]


def _tally(row) -> Tally:
    return Tally(int(row.invited), int(row.attended), int(row.self_studied), int(row.by_substitute))


# --- Document page -------------------------------------------------------------------------


def document_coverage(
    body: OrganisingBody, document: Document, list_limit: int | None = 200
) -> DocumentCoverage:
    """Everything the document page and the exports show; `list_limit` caps the name lists."""
    by_category, by_unit, total, pending = _counts_and_pending(body.id, document.id, list_limit)
    return DocumentCoverage(
        body=body,
        document=document,
        total=total,
        by_category=by_category,
        by_unit=by_unit,
        pending=pending,
        substitutes=_substitutes(body.id, document.id, list_limit),
        self_studies=_self_studies(body.id, document.id, list_limit),
        conferences=conferences_covering(body.id, document.id),
        list_limit=list_limit,
    )


def _counts_and_pending(
    body_id: int, document_id: int, limit: int | None
) -> tuple[list[CategoryLine], list[UnitLine], Tally, list[PendingLine]]:
    """One statement: the subjects are computed once (a CTE) and read twice — counts grouped
    by (category, unit), folded into both tables here, and the first `limit` not briefed."""
    s = _subjects(body_id, [document_id]).cte("subjects")
    blank = [null().label(name) for name in _PENDING_COLUMNS]
    counts = select(
        s.c.category_id,
        s.c.unit_id,
        *_tally_columns(s),
        func.max(s.c.represented).label("represented"),
        *blank,
    ).group_by(s.c.category_id, s.c.unit_id)
    pending = _pending_select(s, limit).subquery("pending")
    rows = db.session.execute(
        union_all(
            counts,
            select(
                pending.c.category_id,
                pending.c.unit_id,
                *[null() for _ in range(4)],
                pending.c.represented,
                *[pending.c[name] for name in _PENDING_COLUMNS],
            ),
        )
    ).all()
    categories: dict[int | None, Tally] = {}
    units: dict[int | None, tuple[Tally, bool]] = {}
    pending_rows = []
    for row in rows:
        if row.invited is None:
            pending_rows.append(row)
            continue
        tally = _tally(row)
        categories[row.category_id] = categories.get(row.category_id, Tally()) + tally
        previous, represented = units.get(row.unit_id, (Tally(), False))
        units[row.unit_id] = (previous + tally, represented or bool(row.represented))
    total = sum(categories.values(), Tally())
    lines = _pending_lines(pending_rows, body_id, document_id)
    return _category_lines(categories), _unit_lines(units), total, lines


_PENDING_COLUMNS = (
    "person_id",
    "role_unit_id",
    "role_title",
    "category_key",
    "full_name",
    "position",
    "unit_name",
    "category_name",
)


def _pending_select(s, limit: int | None) -> Select:
    """Subjects neither attending nor self-studied, in protocol order, then unit and name."""
    role_unit = Unit.__table__.alias("role_unit")
    person_unit = Unit.__table__.alias("person_unit")
    unit_name = func.coalesce(role_unit.c.name, person_unit.c.name)
    query = (
        select(
            s.c.category_id,
            s.c.unit_id,
            s.c.person_id,
            s.c.role_unit_id,
            s.c.role_title,
            s.c.category_key,
            Person.full_name,
            Person.position,
            unit_name.label("unit_name"),
            InviteeCategory.name.label("category_name"),
            s.c.represented,
        )
        .outerjoin(Person, Person.id == s.c.person_id)
        .outerjoin(person_unit, person_unit.c.id == Person.unit_id)
        .outerjoin(role_unit, role_unit.c.id == s.c.role_unit_id)
        .outerjoin(InviteeCategory, InviteeCategory.id == s.c.category_id)
        .where(s.c.attended == 0, s.c.self_studied == 0)
        .order_by(s.c.category_key, unit_name, Person.full_name, s.c.person_id)
    )
    return query.limit(limit) if limit is not None else query


def _category_lines(counts: dict[int | None, Tally]) -> list[CategoryLine]:
    """In protocol order; invitees without a category last."""
    known = db.session.scalars(
        select(InviteeCategory).where(InviteeCategory.id.in_([k for k in counts if k]))
    ).all()
    lines = [CategoryLine(c, counts[c.id]) for c in known]
    lines.sort(key=lambda line: (line.category.protocol_order, collation_key(line.category.name)))
    if None in counts:
        lines.append(CategoryLine(None, counts[None]))
    return lines


def _unit_lines(counts: dict[int | None, tuple[Tally, bool]]) -> list[UnitLine]:
    """Units not represented first (what needs chasing), then by name; no unit last."""
    known = db.session.scalars(select(Unit).where(Unit.id.in_([k for k in counts if k]))).all()
    lines = [UnitLine(u, *counts[u.id]) for u in known]
    lines.sort(key=lambda line: (line.represented, collation_key(line.unit.name)))
    if None in counts:
        lines.append(UnitLine(None, *counts[None]))
    return lines


def _pending_lines(rows, body_id: int, document_id: int) -> list[PendingLine]:
    """The listed subjects, with the latest absence reason each gave, in Vietnamese order."""
    reasons = _latest_reasons(rows, body_id, document_id)
    lines = []
    for row in rows:
        is_unit_role = row.role_unit_id is not None
        if is_unit_role:
            label = f"{row.role_title or ''} {row.unit_name or ''}".strip()
            position = row.full_name  # the principal holding the role, when known
            key = ("unit", row.role_unit_id, row.role_title or "")
        else:
            label, position, key = row.full_name, row.position, ("person", row.person_id)
        lines.append(
            PendingLine(
                label=label,
                position=position,
                unit_name=row.unit_name,
                category_name=row.category_name,
                reason=reasons.get(key),
                substitute_came=bool(row.represented),
                person_id=row.person_id,
                is_unit_role=is_unit_role,
                protocol_order=row.category_key // CATEGORY_KEY,
            )
        )
    # Code-point order (SQL) puts Đ after Z: sort the listed slice the Vietnamese way.
    lines.sort(
        key=lambda p: (p.protocol_order, collation_key(p.unit_name or ""), name_sort_key(p.label))
    )
    return lines


def _latest_reasons(rows, body_id: int, document_id: int) -> dict[tuple, str]:
    """The most recent absence reason of each listed subject (one query for all of them)."""
    people = [r.person_id for r in rows if r.role_unit_id is None]
    units = [r.role_unit_id for r in rows if r.role_unit_id is not None]
    if not rows:
        return {}
    found = db.session.execute(
        select(
            Invitation.person_id,
            Invitation.unit_id,
            Invitation.role_title,
            Invitation.absence_reason,
        )
        .join(Conference, Conference.id == Invitation.conference_id)
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .where(
            Conference.body_id == body_id,
            ConferenceDocument.document_id == document_id,
            Invitation.absence_reason.is_not(None),
            or_(
                and_(Invitation.unit_id.is_(None), Invitation.person_id.in_(people)),
                Invitation.unit_id.in_(units),
            ),
        )
        .order_by(Conference.starts_at)
    )
    reasons = {}
    for person_id, unit_id, role_title, reason in found:  # later sessions overwrite earlier
        key = ("person", person_id) if unit_id is None else ("unit", unit_id, role_title or "")
        reasons[key] = reason
    return reasons


def _substitutes(body_id: int, document_id: int, limit: int | None) -> list[SubstituteLine]:
    """Who came in someone's place at a held conference covering the document."""
    query = (
        select(
            Invitation.unit_id,
            Invitation.role_title,
            Person.full_name,
            Unit.name.label("unit_name"),
            CheckIn.substitute_name,
            CheckIn.substitute_position,
            Conference.title,
            Conference.starts_at,
        )
        .join(CheckIn, CheckIn.invitation_id == Invitation.id)
        .join(Conference, Conference.id == Invitation.conference_id)
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(Unit, Unit.id == Invitation.unit_id)
        .where(
            Conference.body_id == body_id,
            ConferenceDocument.document_id == document_id,
            Conference.status == ConferenceStatus.HELD,
            func.coalesce(CheckIn.substitute_name, "") != "",
        )
        .order_by(Conference.starts_at, CheckIn.checked_in_at)
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        SubstituteLine(
            principal=row.full_name
            if row.unit_id is None
            else " ".join(filter(None, [row.role_title, row.unit_name, _paren(row.full_name)])),
            substitute_name=row.substitute_name,
            substitute_position=row.substitute_position,
            conference=row.title,
            held_on=row.starts_at.date(),
            briefs_seat=row.unit_id is not None,
        )
        for row in db.session.execute(query)
    ]


def _paren(text: str | None) -> str | None:
    return f"({text})" if text else None


def _self_studies(body_id: int, document_id: int, limit: int | None) -> list[SelfStudy]:
    query = (
        select(SelfStudy)
        .join(Person, Person.id == SelfStudy.person_id)
        .where(SelfStudy.document_id == document_id, Person.body_id == body_id)
        .order_by(SelfStudy.report_received_on, SelfStudy.id)
        .options(joinedload(SelfStudy.person))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def conferences_covering(body_id: int, document_id: int) -> list[ConferenceLine]:
    """Every conference of the body covering the document, make-ups and cancelled included."""
    invited = (
        select(
            Invitation.conference_id,
            func.count(Invitation.id).label("invited"),
            func.count(CheckIn.id).label("checked_in"),
            func.count(
                case((func.coalesce(CheckIn.substitute_name, "") != "", CheckIn.id))
            ).label("substitutes"),
        )
        .join(ConferenceDocument, ConferenceDocument.conference_id == Invitation.conference_id)
        .outerjoin(CheckIn, CheckIn.invitation_id == Invitation.id)
        .where(ConferenceDocument.document_id == document_id)
        .group_by(Invitation.conference_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            Conference,
            func.coalesce(invited.c.invited, 0),
            func.coalesce(invited.c.checked_in, 0),
            func.coalesce(invited.c.substitutes, 0),
        )
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .outerjoin(invited, invited.c.conference_id == Conference.id)
        .where(Conference.body_id == body_id, ConferenceDocument.document_id == document_id)
        .order_by(Conference.starts_at, Conference.id)
        .options(joinedload(Conference.makeup_of), joinedload(Conference.venue))
    ).all()
    return [ConferenceLine(c, int(n), int(k), int(d)) for c, n, k, d in rows]


# --- Overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentLine:
    document: Document
    tally: Tally
    last_held_on: date | None


@dataclass(frozen=True)
class BodyOverview:
    body: OrganisingBody
    documents: list[DocumentLine]


def overview(body_id: int | None = None) -> list[BodyOverview]:
    """Per organising body, the documents it disseminates, newest document first."""
    s = _subjects(body_id, None).subquery("subjects")
    counts = {
        (row.body_id, row.document_id): _tally(row)
        for row in db.session.execute(
            select(s.c.body_id, s.c.document_id, *_tally_columns(s)).group_by(
                s.c.body_id, s.c.document_id
            )
        )
    }
    # The latest HELD session: a draft or a future session has briefed nobody yet.
    held = case((Conference.status == ConferenceStatus.HELD, Conference.starts_at))
    query = (
        select(Conference.body_id, Document, func.max(held))
        .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
        .join(Document, Document.id == ConferenceDocument.document_id)
        .where(Conference.status != ConferenceStatus.CANCELLED)
        .group_by(Conference.body_id, Document.id)
    )
    if body_id is not None:
        query = query.where(Conference.body_id == body_id)
    documents: dict[int, list[DocumentLine]] = {}
    for b_id, document, last in db.session.execute(query):
        tally = counts.get((b_id, document.id), Tally())
        documents.setdefault(b_id, []).append(
            DocumentLine(document, tally, last.date() if last else None)
        )
    bodies = db.session.scalars(
        select(OrganisingBody).where(OrganisingBody.id.in_(list(documents)))
    ).all()
    for lines in documents.values():
        lines.sort(key=_newest_first)
    return [
        BodyOverview(b, documents[b.id])
        for b in sorted(bodies, key=lambda b: collation_key(b.name))
    ]


def _newest_first(line: DocumentLine) -> tuple:
    issued = line.document.issued_on
    return (issued is None, -(issued.toordinal() if issued else 0), line.document.symbol)


# --- Lookups for routes and the CLI ---------------------------------------------------------


def bodies_covering(document: Document) -> list[OrganisingBody]:
    """Bodies with a conference (not cancelled) covering the document."""
    return list(
        db.session.scalars(
            select(OrganisingBody)
            .where(
                OrganisingBody.id.in_(
                    select(Conference.body_id)
                    .join(ConferenceDocument, ConferenceDocument.conference_id == Conference.id)
                    .where(
                        ConferenceDocument.document_id == document.id,
                        Conference.status != ConferenceStatus.CANCELLED,
                    )
                )
            )
            .order_by(OrganisingBody.name)
        )
    )


def find_documents(symbol: str) -> list[Document]:
    """Documents with this symbol; case, diacritics and Đ typed as D do not matter."""
    from meetings.text import fold

    wanted = fold(symbol).replace(" ", "")
    exact = db.session.scalars(select(Document).where(Document.symbol == symbol.strip())).all()
    if exact:
        return list(exact)
    return [
        d
        for d in db.session.scalars(select(Document).order_by(Document.issued_on))
        if fold(d.symbol).replace(" ", "") == wanted
    ]


# --- Pending subjects, for make-up sessions -------------------------------------------------


@dataclass(frozen=True)
class PendingSubject:
    """What a new invitation needs to invite this subject again."""

    person_id: int | None
    unit_id: int | None
    role_title: str | None
    deputy_title: str | None
    deputy_allowed: bool
    category_id: int | None
    protocol_order: int

    @property
    def key(self) -> tuple:
        if self.unit_id is None:
            return ("person", self.person_id)
        return ("unit", self.unit_id, self.role_title or "")


def pending_subjects(body_id: int, document_ids: Iterable[int]) -> list[PendingSubject]:
    """Subjects not briefed (by attendance or self-study) on at least one of the documents."""
    ids = list(document_ids)
    if not ids:
        return []
    s = _subjects(body_id, ids).subquery("subjects")
    rows = db.session.execute(
        select(
            s.c.person_id,
            s.c.role_unit_id,
            s.c.role_title,
            s.c.deputy_title,
            s.c.deputy_allowed,
            s.c.category_id,
            s.c.protocol_order,
        ).where(s.c.attended == 0, s.c.self_studied == 0)
    )
    chosen: dict[tuple, PendingSubject] = {}
    for row in rows:
        subject = PendingSubject(
            row.person_id,
            row.role_unit_id,
            row.role_title,
            row.deputy_title,
            bool(row.deputy_allowed),
            row.category_id,
            row.protocol_order,
        )
        # Pending on two documents with two categories: the first in protocol order wins.
        current = chosen.get(subject.key)
        if current is None or subject.protocol_order < current.protocol_order:
            chosen[subject.key] = subject
    return sorted(chosen.values(), key=lambda p: (p.protocol_order, p.key))


# --- Self-study ------------------------------------------------------------------------------


def record_self_study(
    person: Person,
    document: Document,
    received_on: date,
    note: str | None = None,
    user=None,
) -> SelfStudy:
    """Record (or correct) that `person` self-studied `document`; the caller commits."""
    entry = db.session.scalar(
        select(SelfStudy).filter_by(person_id=person.id, document_id=document.id)
    )
    if entry is None:
        entry = SelfStudy(person_id=person.id, document_id=document.id)
        db.session.add(entry)
    entry.report_received_on = received_on
    entry.note = note or None
    entry.recorded_by = user
    db.session.flush()
    record("coverage.self_study", entry, user, document=document.id, person=person.id)
    return entry
