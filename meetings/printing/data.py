"""One plain data structure per document, built from the database in a fixed number of
queries. Writers (PDF, DOCX, XLSX/CSV, HTML) only lay these out: the same numbers everywhere."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from meetings.checkin.attendance import Line
from meetings.extensions import db
from meetings.invitations.service import RoleUnit, in_protocol_order
from meetings.links import personal_checkin_url
from meetings.models import (
    CheckIn,
    CheckInMethod,
    Conference,
    Invitation,
    InviteeCategory,
    Layout,
    Person,
    Rsvp,
    Unit,
)
from meetings.printing.closing import (
    Recipients,
    Signature,
    letters_recipients_default,
    minutes_recipients_default,
    on_behalf,
    position_in_body,
    recipients_from,
    side_by_side,
)
from meetings.printing.letterhead import Letterhead, build_letterhead
from meetings.printing.numbering import NumberedKind, current_number, document_date
from meetings.seating.service import seat_labels
from meetings.text import (
    attendance_phrase,
    date_line,
    format_number,
    time_phrase,
    weekday_name,
)

# How the arrival was recorded, as the sheet prints it.
METHOD_LABELS = {
    CheckInMethod.DOOR: "Quét QR tại cửa",
    CheckInMethod.SELF: "Tự điểm danh",
    CheckInMethod.DESK: "Bàn đón tiếp",
    CheckInMethod.API: "Thiết bị quét",
}
WALK_IN_GROUP = "Đại biểu không có trong danh sách mời"
UNCATEGORISED = "Đại biểu khác"
MAIN_HALL = "Hội trường chính"


# --- Invitees and arrivals -----------------------------------------------------------------


@dataclass
class Attendee:
    """One line of the attendance sheet: an invitation (with its arrival) or a walk-in."""

    name: str
    position: str
    unit: str
    category_id: int | None
    location_id: int | None
    checked_in_at: datetime | None = None
    method: str = ""
    substitute: str = ""  # "Lê Văn B, Phó Bí thư" — who came in the invitee's place
    absence_reason: str = ""
    invited: bool = True
    invitation_id: int | None = None
    token: str = ""
    short_code: str = ""
    deputy: str = ""  # "Phó Bí thư" when a deputy may come in place of a unit-role invitee
    person_id: int | None = None

    @property
    def present(self) -> bool:
        return self.checked_in_at is not None


def _join(*parts: str | None) -> str:
    return ", ".join(p for p in parts if p)


def _invitees(conference_id: int, category_id: int | None = None) -> list[Attendee]:
    """Every invitation in protocol order, the same order as the invitee list."""
    person_unit = aliased(Unit)
    columns = select(
        Invitation.id,
        Invitation.category_id,
        Invitation.location_id,
        Invitation.role_title,
        Invitation.deputy_title,
        Invitation.deputy_allowed,
        Invitation.rsvp,
        Invitation.absence_reason,
        Invitation.substitute_name,
        Invitation.substitute_position,
        Invitation.token,
        Invitation.short_code,
        Invitation.person_id,
        Person.full_name,
        Person.position,
        person_unit.name,
        RoleUnit.name,
    ).select_from(Invitation)
    query, order = in_protocol_order(columns, conference_id)
    query = query.outerjoin(person_unit, person_unit.id == Person.unit_id).order_by(*order)
    if category_id is not None:
        query = query.where(Invitation.category_id == category_id)
    return [_attendee(row) for row in db.session.execute(query)]


def _attendee(row) -> Attendee:
    (inv_id, cat, loc, role, deputy, deputy_ok, rsvp, reason, sub_name, sub_pos) = row[:10]
    (token, code, person_id, name, position, unit, role_unit_name) = row[10:]
    if name is None:  # a unit role with nobody named: print the role
        name, position = _join(role, role_unit_name), role or ""
    return Attendee(
        name=name,
        position=position or "",
        unit=role_unit_name or unit or "",
        category_id=cat,
        location_id=loc,
        absence_reason=(reason or "") if rsvp in (Rsvp.EXCUSED, Rsvp.DECLINED) else "",
        substitute=_join(sub_name, sub_pos),
        invitation_id=inv_id,
        token=token,
        short_code=code,
        deputy=deputy if deputy_ok and deputy else "",
        person_id=person_id,
    )


def _attach_checkins(conference_id: int, invitees: list[Attendee]) -> list[Attendee]:
    """Mark arrivals on the invitees; return the walk-ins (arrivals without an invitation)."""
    by_invitation = {a.invitation_id: a for a in invitees}
    walk_ins = []
    query = select(
        CheckIn.invitation_id,
        CheckIn.location_id,
        CheckIn.checked_in_at,
        CheckIn.method,
        CheckIn.substitute_name,
        CheckIn.substitute_position,
        CheckIn.walk_in_name,
        CheckIn.walk_in_position,
        CheckIn.walk_in_unit,
    ).where(CheckIn.conference_id == conference_id)
    for inv_id, loc, at, method, sub, sub_pos, w_name, w_pos, w_unit in db.session.execute(
        query.order_by(CheckIn.checked_in_at, CheckIn.id)
    ):
        if inv_id is None:
            walk_ins.append(
                Attendee(
                    name=w_name or "",
                    position=w_pos or "",
                    unit=w_unit or "",
                    category_id=None,
                    location_id=loc,
                    checked_in_at=at,
                    method=METHOD_LABELS[method],
                    invited=False,
                )
            )
            continue
        attendee = by_invitation.get(inv_id)
        if attendee is None:
            continue  # another category's invitation, when printing one category
        attendee.checked_in_at = at
        attendee.method = METHOD_LABELS[method]
        attendee.absence_reason = ""
        if loc is not None:
            attendee.location_id = loc  # where they actually arrived
        if sub:
            attendee.substitute = _join(sub, sub_pos)
    return walk_ins


def categories_of(body_id: int) -> list[InviteeCategory]:
    return list(
        db.session.scalars(
            select(InviteeCategory)
            .where(InviteeCategory.body_id == body_id)
            .order_by(InviteeCategory.protocol_order, InviteeCategory.name)
        )
    )


# --- Attendance sheet ----------------------------------------------------------------------


@dataclass
class AttendanceGroup:
    title: str
    rows: list[Attendee]
    is_walk_in: bool = False

    @property
    def present(self) -> int:
        return sum(1 for r in self.rows if r.present)

    @property
    def invited(self) -> int:
        return 0 if self.is_walk_in else len(self.rows)

    @property
    def substitutes(self) -> int:
        return sum(1 for r in self.rows if r.present and r.substitute)

    @property
    def subtotal(self) -> str:
        """ "x/y" for a category; walk-ins were not invited, so just their number."""
        return str(self.present) if self.is_walk_in else f"{self.present}/{self.invited}"


@dataclass
class AttendanceSheet:
    """The list of one location (or the whole conference without bridge points)."""

    location: str | None
    groups: list[AttendanceGroup]

    @property
    def present(self) -> int:
        """Invitees present; walk-ins are counted apart, they were not among the invited."""
        return sum(g.present for g in self.groups if not g.is_walk_in)

    @property
    def invited(self) -> int:
        return sum(g.invited for g in self.groups)

    @property
    def walk_ins(self) -> int:
        return sum(g.present for g in self.groups if g.is_walk_in)

    @property
    def substitutes(self) -> int:
        return sum(g.substitutes for g in self.groups if not g.is_walk_in)

    @property
    def total(self) -> str:
        return attendance_phrase(self.present, self.invited, self.substitutes)


@dataclass
class AttendanceBook:
    """Everything the attendance documents print; `before` leaves a signature column."""

    conference_id: int
    letterhead: Letterhead
    conference_title: str
    when: str  # "08 giờ 00, Thứ Sáu, ngày 15 tháng 9 năm 2023"
    place: str
    before: bool
    sheets: list[AttendanceSheet]
    # The certifying block under the list: who drew it up (left), who certifies it (right).
    certify: tuple[Signature, Signature] = (Signature([]), Signature([]))

    @property
    def present(self) -> int:
        return sum(s.present for s in self.sheets)

    @property
    def invited(self) -> int:
        return sum(s.invited for s in self.sheets)

    @property
    def substitutes(self) -> int:
        return sum(s.substitutes for s in self.sheets)

    @property
    def total(self) -> str:
        return attendance_phrase(self.present, self.invited, self.substitutes)

    @property
    def walk_ins(self) -> int:
        return sum(s.walk_ins for s in self.sheets)

    def subtotal(self, group: AttendanceGroup) -> str:
        """Before the conference only the number invited; after it "x/y"."""
        if self.before:
            return f"{format_number(len(group.rows))} đại biểu"
        return group.subtotal

    def total_line(self, sheet: AttendanceSheet | None = None) -> str:
        """The closing line: "Tổng số: 84 đại biểu" or "Có mặt: 40/84, đạt 47,61%…"."""
        invited = sheet.invited if sheet else self.invited
        if self.before:
            return f"Tổng số: {format_number(invited)} đại biểu"
        counted = sheet or self
        line = f"Có mặt: {attendance_phrase(counted.present, invited, counted.substitutes)}"
        walk_ins = counted.walk_ins
        if walk_ins:
            line += f"; đại biểu không có trong danh sách mời: {format_number(walk_ins)}"
        return line

    @property
    def summary(self) -> list[tuple[str, str]]:
        """(location, "x/y, đạt z%") per sheet, when there is more than one."""
        if len(self.sheets) < 2:
            return []
        return [(s.location or MAIN_HALL, s.total) for s in self.sheets]

    @property
    def shares(self) -> list[int]:
        """Relative column widths of the printed sheet, one per header; "Quét QR tại cửa"
        fits its column on one line."""
        return [6, 26, 28, 26, 14] if self.before else [5, 19, 18, 17, 8, 13, 11, 9]

    @property
    def headers(self) -> list[str]:
        common = ["STT", "Họ và tên", "Chức vụ", "Đơn vị"]
        if self.before:
            return [*common, "Ký tên"]
        return [*common, "Giờ đến", "Hình thức", "Người dự thay", "Lý do vắng"]


def roman_numeral(n: int) -> str:
    """Group numbers of the lists: I, II, III, IV…"""
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):  # fmt: skip
        while n >= value:
            out += letters
            n -= value
    return out


def lower_first(title: str) -> str:
    """ "Hội nghị quán triệt …" inside a sentence: "dự hội nghị quán triệt …"."""
    return title[:1].lower() + title[1:] if title.startswith("Hội nghị") else title


def when_line(moment: datetime) -> str:
    return f"{time_phrase(moment.time())}, {weekday_name(moment.date())}, {date_line(moment)}"


def _group(attendees: list[Attendee], categories: list[InviteeCategory]) -> list[AttendanceGroup]:
    by_category: dict[int | None, list[Attendee]] = defaultdict(list)
    for a in attendees:
        by_category[a.category_id if a.invited else "walk-in"].append(a)  # type: ignore[index]
    groups = [AttendanceGroup(c.name, by_category[c.id]) for c in categories if by_category[c.id]]
    known = {c.id for c in categories}
    others = [
        a for k, rows in by_category.items() if k not in known and k != "walk-in" for a in rows
    ]
    if others:
        groups.append(AttendanceGroup(UNCATEGORISED, others))
    if by_category["walk-in"]:
        groups.append(AttendanceGroup(WALK_IN_GROUP, by_category["walk-in"], is_walk_in=True))
    return groups


def build_attendance(conference: Conference, before: bool = False) -> AttendanceBook:
    """The sheet(s) in protocol order: one per location when there are bridge points."""
    invitees = _invitees(conference.id)
    walk_ins = [] if before else _attach_checkins(conference.id, invitees)
    if before:
        for a in invitees:
            a.absence_reason = ""
    categories = categories_of(conference.body_id)
    everyone = invitees + walk_ins
    sheets = []
    if conference.locations:
        places: list[tuple[int | None, str]] = [(None, _venue_name(conference))]
        places += [(loc.id, loc.venue.name) for loc in conference.locations]
        known = {loc.id for loc in conference.locations}
        for loc_id, name in places:
            rows = [
                a for a in everyone if (a.location_id if a.location_id in known else None) == loc_id
            ]
            sheets.append(AttendanceSheet(name, _group(rows, categories)))
    else:
        sheets.append(AttendanceSheet(None, _group(everyone, categories)))
    return AttendanceBook(
        conference_id=conference.id,
        letterhead=build_letterhead(conference.body, None, None, conference.starts_at.date()),
        conference_title=conference.title,
        when=when_line(conference.starts_at),
        place=_venue_name(conference),
        before=before,
        sheets=sheets,
        certify=_certifying_block(conference),
    )


def _certifying_block(conference: Conference) -> tuple[Signature, Signature]:
    """Under the list: the secretary who drew it up, and the chair who certifies it."""
    secretary, chair = conference.secretary, conference.chair
    return side_by_side(
        Signature(["NGƯỜI LẬP BIỂU"], secretary.full_name if secretary else ""),
        Signature(["XÁC NHẬN CỦA", "CHỦ TRÌ HỘI NGHỊ"], chair.full_name if chair else ""),
    )


def _venue_name(conference: Conference) -> str:
    return conference.venue.name if conference.venue else MAIN_HALL


# --- Minutes -------------------------------------------------------------------------------


@dataclass
class MinutesSection:
    heading: str  # "Đ/c Nguyễn Văn Chiến, … quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 …"
    citation: str | None


# Above this many absentees the minutes give counts in the body and the names in an annex.
ANNEX_THRESHOLD = 60


@dataclass
class Absentee:
    """One row of the absentees' annex (Phụ lục)."""

    name: str
    position: str
    unit: str
    reason: str


@dataclass
class Minutes:
    """The minutes skeleton (biên bản): what the clerk would otherwise type by hand."""

    conference_id: int
    letterhead: Letterhead
    layout: Layout
    conference_title: str
    organiser: str  # "Ban Thường vụ Quận ủy"
    started: str  # "08 giờ 00, Thứ Sáu, ngày 15 tháng 9 năm 2023"
    ended: str  # "11 giờ 00 cùng ngày" / "01 giờ 00, ngày 16 tháng 9 năm 2023"
    place: str
    chair: str  # "đ/c Trần Thị Phương Hoa, Thành ủy viên, Bí thư Quận ủy"
    secretary: str
    present: int
    invited: int
    by_category: list[Line]
    absentees: list[str]  # "đ/c A, Trưởng phòng, Phòng Nội vụ (lý do: đi công tác)"
    substitutes: list[str]  # "đ/c X, Phó Bí thư, dự thay đ/c Y"
    walk_ins: list[str]
    sections: list[MinutesSection] = field(default_factory=list)
    number: int | None = None
    by_location: list[tuple[str, str]] = field(default_factory=list)  # with bridge points
    sign_left: Signature = field(default_factory=lambda: Signature(["THƯ KÝ HỘI NGHỊ"]))
    sign_right: Signature = field(default_factory=lambda: Signature(["CHỦ TRÌ HỘI NGHỊ"]))
    recipients: Recipients | None = None
    # Above ANNEX_THRESHOLD absentees: their rows go to the annex and `absentees` stays empty;
    # the body keeps the counts and the reasons given.
    annex: list[Absentee] = field(default_factory=list)
    absent_count: int = 0
    reasons: list[tuple[str, int]] = field(default_factory=list)  # (reason, how many)

    @property
    def attendance(self) -> str:
        return attendance_phrase(self.present, self.invited, len(self.substitutes))


def _person_line(person) -> str:
    return f"đ/c {_join(person.full_name, person.position)}" if person else "đ/c ……………………"


def _sections(conference: Conference) -> list[MinutesSection]:
    """A section per agenda item, then one per covered document that no item presents."""
    sections = []
    presented = set()
    for item in conference.agenda_items:
        presenter = item.presenter
        who = _join(presenter.full_name, presenter.position) if presenter else item.presenter_name
        if item.document:
            presented.add(item.document_id)
            verb = f"Đ/c {who} quán triệt" if who else "Quán triệt"
            heading = f"{verb} {item.document.citation}"
            if item.document.title:
                heading += f" {item.document.title}"
            sections.append(MinutesSection(heading, item.document.citation))
        else:
            sections.append(
                MinutesSection(f"{item.title}" + (f" (đ/c {who})" if who else ""), None)
            )
    for document in conference.documents:
        if document.id not in presented:
            heading = f"Quán triệt {document.citation}"
            if document.title:
                heading += f" {document.title}"
            sections.append(MinutesSection(heading, document.citation))
    return sections


def _numbered_letterhead(conference: Conference, kind: NumberedKind) -> Letterhead:
    """The letterhead of a numbered document: its number (once issued) and its date."""
    return build_letterhead(
        conference.body,
        kind.value,
        current_number(conference, kind),
        document_date(conference, kind),
        year=conference.starts_at.year,
    )


def _absentee_line(r: Attendee) -> str:
    reason = f" (lý do: {r.absence_reason})" if r.absence_reason else " (không có lý do)"
    return f"đ/c {_join(r.name, r.position, r.unit)}{reason}"


NO_REASON = "Không có lý do"


def _reasons(absent: list[Attendee]) -> list[tuple[str, int]]:
    """How many gave each reason, most frequent first; those without one last."""
    counts: dict[str, int] = defaultdict(int)
    for r in absent:
        counts[r.absence_reason or NO_REASON] += 1
    return sorted(counts.items(), key=lambda kv: (kv[0] == NO_REASON, -kv[1], kv[0]))


def end_phrase(starts_at: datetime, ends_at: datetime) -> str:
    """ "11 giờ 00 cùng ngày", or with its date when the conference ends on another day."""
    if ends_at.date() == starts_at.date():
        return f"{time_phrase(ends_at.time())} cùng ngày"
    return f"{time_phrase(ends_at.time())}, {date_line(ends_at)}"


def build_minutes(conference: Conference) -> Minutes:
    """The minutes data: the attendance numbers come from the same rows as the sheets."""
    book = build_attendance(conference)
    groups = [g for s in book.sheets for g in s.groups]
    by_category: dict[str, Line] = {}
    for g in groups:
        if g.is_walk_in:
            continue
        entry = by_category.setdefault(g.title, Line(g.title, invited=0, present=0))
        entry.present += g.present
        entry.invited += g.invited
    rows = [r for g in groups for r in g.rows]
    invited = [r for r in rows if r.invited]
    absent = [r for r in invited if not r.present]
    in_annex = len(absent) > ANNEX_THRESHOLD
    substitutes = [
        f"đ/c {r.substitute}, dự thay đ/c {r.name}" for r in invited if r.present and r.substitute
    ]
    walk_ins = [f"đ/c {_join(r.name, r.position, r.unit)}" for r in rows if not r.invited]
    chair, secretary = conference.chair, conference.secretary
    signatures = side_by_side(
        Signature(["THƯ KÝ HỘI NGHỊ"], secretary.full_name if secretary else ""),
        Signature(minutes_signer(conference), chair.full_name if chair else ""),
    )
    return Minutes(
        conference_id=conference.id,
        letterhead=_numbered_letterhead(conference, NumberedKind.MINUTES),
        layout=conference.body.layout,
        conference_title=conference.title,
        organiser=conference.body.standing_committee_name or conference.body.name,
        started=when_line(conference.starts_at),
        ended=end_phrase(conference.starts_at, conference.ends_at),
        place=_venue_name(conference),
        chair=_person_line(chair),
        secretary=_person_line(secretary),
        present=len(invited) - len(absent),
        invited=len(invited),
        by_category=list(by_category.values()),
        absentees=[] if in_annex else [_absentee_line(r) for r in absent],
        substitutes=substitutes,
        walk_ins=walk_ins,
        sections=_sections(conference),
        number=current_number(conference, NumberedKind.MINUTES),
        sign_left=signatures[0],
        sign_right=signatures[1],
        by_location=book.summary,
        recipients=recipients_from(
            conference.minutes_recipients,
            conference.body.layout,
            minutes_recipients_default(conference.body),
        ),
        annex=[Absentee(r.name, r.position, r.unit, r.absence_reason) for r in absent]
        if in_annex
        else [],
        absent_count=len(absent),
        reasons=_reasons(absent),
    )


def minutes_signer(conference: Conference) -> list[str]:
    """The chair's signature lines: "CHỦ TRÌ HỘI NGHỊ", or on behalf of the standing
    committee with the chair's position ("T/M BAN THƯỜNG VỤ QUẬN ỦY" / "BÍ THƯ")."""
    position = conference.minutes_signer_position
    if not position:
        return ["CHỦ TRÌ HỘI NGHỊ"]
    return [on_behalf(conference.body), position.upper()]


# --- Invitation letters --------------------------------------------------------------------


@dataclass
class Letter:
    addressee: str  # after "Trân trọng kính mời: "
    where: str
    url: str  # the personal check-in link the QR code holds
    short_code: str
    # Lines of this letter alone, printed after "Địa điểm" as they are ("Vị trí: Hàng A, ghế 5").
    extra: list[str] = field(default_factory=list)


@dataclass
class LetterBatch:
    """Letters of one conference (or one category of it): shared text, one page each."""

    conference_id: int
    letterhead: Letterhead
    layout: Layout
    conference_title: str
    when: str
    requirements: str
    contact: str
    signature: Signature  # T/M …, the position, room to sign, the name
    recipients: Recipients
    letters: list[Letter]

    @property
    def signer_title(self) -> str:
        """ "T/M BAN THƯỜNG VỤ QUẬN ỦY" (kept for callers of the earlier structure)."""
        return self.signature.titles[0] if self.signature.titles else ""

    @property
    def signer_name(self) -> str:
        return self.signature.name


def _addressee(a: Attendee) -> str:
    """ "đồng chí A, Trưởng phòng, Phòng Nội vụ": the unit is added only when the position
    does not already name it ("Chánh Văn phòng Quận ủy" needs no ", Văn phòng Quận ủy")."""
    who = f"đồng chí {_join(a.name, a.position)}"
    if a.unit and a.unit.casefold() not in a.position.casefold():
        who += f", {a.unit}"
    if a.deputy:
        who += f" (hoặc đồng chí {a.deputy} dự thay)"
    return who


def _contact(conference: Conference) -> str:
    s = conference.secretary
    if not s:
        return ""
    phone = f", điện thoại {s.phone}" if s.phone else ""
    return f"đ/c {_join(s.full_name, s.position)}{phone}"


def letters_signature(conference: Conference) -> Signature:
    """ "T/M BAN THƯỜNG VỤ QUẬN ỦY" / "BÍ THƯ" / the chair's name. The position is the one
    typed for the letters, else the chair's own without the body's name."""
    chair = conference.chair
    position = conference.letters_signer_position or position_in_body(
        chair.position if chair else None, conference.body
    )
    titles = [on_behalf(conference.body)] + ([position.upper()] if position else [])
    return Signature(titles, chair.full_name if chair else "")


def build_letters(conference: Conference, category_id: int | None = None) -> LetterBatch:
    """All letters of the conference, or of one category, in protocol order. The chair signs
    the letters, so the chair is not sent one."""
    places = {loc.id: loc.venue for loc in conference.locations}
    main = conference.venue
    letters = []
    seats = seat_labels(conference.id)
    for a in _invitees(conference.id, category_id):
        if a.person_id is not None and a.person_id == conference.chair_id:
            continue
        venue = places.get(a.location_id, main)
        where = _join(venue.name, venue.address) if venue else MAIN_HALL
        url = personal_checkin_url(a.token)
        seat = seats.get(a.invitation_id)
        extra = [f"Vị trí: {seat}"] if seat else []
        letters.append(Letter(_addressee(a), where, url, a.short_code, extra))
    return LetterBatch(
        conference_id=conference.id,
        letterhead=_numbered_letterhead(conference, NumberedKind.LETTERS),
        layout=conference.body.layout,
        conference_title=conference.title,
        when=when_line(conference.starts_at),
        requirements=conference.requirements or "",
        contact=_contact(conference),
        signature=letters_signature(conference),
        recipients=recipients_from(
            conference.letters_recipients,
            conference.body.layout,
            letters_recipients_default(conference.body),
        ),
        letters=letters,
    )
