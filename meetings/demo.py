"""Demo data: the conference of the seed article (Cầu Giấy, 15/9/2023) and one for today.

The three officials, their titles, the documents and the invitee categories come from the
article. Everyone else — the people of the wards, schools and departments — is invented and
named "(demo)" in their position, so nobody mistakes them for real data.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, insert, select

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    AgendaItem,
    CheckIn,
    CheckInMethod,
    Conference,
    ConferenceDocument,
    ConferenceKind,
    ConferenceStatus,
    Document,
    DoorAssignment,
    Invitation,
    InviteeCategory,
    Layout,
    OrganisingBody,
    Person,
    PersonCategory,
    Role,
    Rsvp,
    StudyRound,
    SubmissionChannel,
    Unit,
    UnitKind,
    User,
    Venue,
)
from meetings.models.seating import HallLayout, SeatBlock
from meetings.seating.service import assign, create_plan, plan_for
from meetings.sortkeys import name_key
from meetings.study.results import people
from meetings.study.service import exempt, grade, open_round, set_reviewers, submit
from meetings.text import fold

SEED_TITLE = (
    "Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội "
    "về tăng cường kỷ cương, kỷ luật và trách nhiệm giải quyết công việc trong hệ thống chính trị "
    "Thành phố Hà Nội và Kế hoạch số 133-KH/QU ngày 28/8/2023 của Quận ủy về thực hiện Chỉ thị "
    "số 24-CT/TU của Thành ủy gắn với phổ biến những điểm mới trong Quy định về quản lý cán bộ, "
    "phân cấp quản lý cán bộ và bổ nhiệm, giới thiệu cán bộ ứng cử"
)
TODAY_TITLE = "Hội nghị quán triệt (thử điểm danh) Chỉ thị số 24-CT/TU — dữ liệu mẫu"

# Protocol order as the article lists those invited.
CATEGORIES = [
    "Thường trực Quận ủy",
    "Ban Thường vụ Quận ủy, Thường trực HĐND, Lãnh đạo UBND quận",
    "Ủy viên Ban Chấp hành Đảng bộ quận",
    "Lãnh đạo các Ban Đảng, Văn phòng Quận ủy, Trung tâm Chính trị quận",
    "Các phòng, ban, ngành, đơn vị thuộc quận",
    "MTTQ và các tổ chức chính trị - xã hội quận",
    "Bí thư Đảng ủy, Chủ tịch UBND phường",
    "Hiệu trưởng các trường Mầm non, Tiểu học, THCS công lập",
    "Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở",
]

WARDS = [
    "Dịch Vọng",
    "Dịch Vọng Hậu",
    "Mai Dịch",
    "Nghĩa Đô",
    "Nghĩa Tân",
    "Quan Hoa",
    "Trung Hòa",
    "Yên Hòa",
]
SCHOOL_KINDS = ["Mầm non", "Tiểu học", "THCS"]
DEPARTMENTS = [
    "Phòng Nội vụ",
    "Phòng Tư pháp",
    "Phòng Tài chính - Kế hoạch",
    "Phòng Giáo dục và Đào tạo",
    "Phòng Văn hóa và Thông tin",
    "Thanh tra quận",
]
MASS_ORGS = [
    "Ủy ban MTTQ Việt Nam quận",
    "Hội Liên hiệp Phụ nữ quận",
    "Quận đoàn",
    "Hội Cựu chiến binh quận",
    "Liên đoàn Lao động quận",
]
BOARDS = [
    "Ban Tổ chức Quận ủy",
    "Ban Tuyên giáo Quận ủy",
    "Ủy ban Kiểm tra Quận ủy",
    "Văn phòng Quận ủy",
    "Trung tâm Chính trị quận",
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Quang", "Thanh", "Ngọc", "Hữu", "Thế"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hằng",
    "Hùng",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Vân",
    "Yến",
    "Ánh",
    "Ơn",
    "Ưng",
]

DEMO_USERS = [
    ("admin", Role.ADMIN),
    ("vanphong", Role.SECRETARIAT),
    ("vanthu", Role.CLERK),
    ("letan", Role.DOOR),
]
# The names the demo accounts sign with: they appear inside Vietnamese sentences ("do … ghi
# nhận"), so they are Vietnamese names, not "Demo door".
DEMO_USER_NAMES = {
    "admin": "Quản trị hệ thống",
    "vanphong": "Nguyễn Thị Thu Hà",
    "vanthu": "Trần Văn Minh",
    "letan": "Lê Thị Lan",
}


def demo_name(i: int) -> str:
    """A plausible, clearly synthetic Vietnamese name, deterministic in i."""
    return (
        f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i // 3) % len(MIDDLE)]} {GIVEN[(i // 7) % len(GIVEN)]}"
    )


def demo_password() -> str:
    """One random password for the demo accounts, kept in instance/ and shown by `make run`."""
    path = Path(current_app.instance_path) / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(OrganisingBody))


def _get_or_create(model, defaults: dict | None = None, **key):
    obj = db.session.scalar(select(model).filter_by(**key))
    if obj is None:
        obj = model(**key, **(defaults or {}))
        db.session.add(obj)
        db.session.flush()
    return obj


class _Builder:
    """Creates the demo rows once; a second run finds them and adds nothing."""

    def __init__(self) -> None:
        self.body = _get_or_create(
            OrganisingBody,
            name="Quận ủy Cầu Giấy",
            defaults=dict(
                parent_name="Đảng bộ Thành phố Hà Nội",
                place_name="Cầu Giấy",
                symbol="QU",
                layout=Layout.PARTY,
                standing_committee_name="Ban Thường vụ Quận ủy",
                term_started_on=date(2020, 7, 1),
                is_demo=True,
            ),
        )
        self.categories = [
            _get_or_create(
                InviteeCategory,
                body_id=self.body.id,
                name=name,
                defaults=dict(protocol_order=(i + 1) * 10, is_demo=True),
            )
            for i, name in enumerate(CATEGORIES)
        ]
        self.counter = 0  # drives the invented names: the same sequence on every run
        self.created = 0  # drives the invented phone numbers of new rows

    def unit(self, name: str, kind: UnitKind) -> Unit:
        return _get_or_create(
            Unit, body_id=self.body.id, name=name, defaults=dict(kind=kind, is_demo=True)
        )

    def person(
        self, full_name: str, position: str, unit: Unit | None, category: int, rank: int = 100
    ) -> Person:
        person = db.session.scalar(
            select(Person).filter_by(body_id=self.body.id, full_name=full_name, position=position)
        )
        if person is None:
            self.created += 1
            person = Person(
                body_id=self.body.id,
                full_name=full_name,
                position=position,
                unit=unit,
                phone=f"09{12345600 + self.created:08d}",
                is_demo=True,
            )
            person.memberships.append(PersonCategory(category=self.categories[category], rank=rank))
            db.session.add(person)
            db.session.flush()
        return person

    def demo_person(self, position: str, unit: Unit | None, category: int) -> Person:
        self.counter += 1
        return self.person(
            demo_name(self.counter * 5 + category), f"{position} (demo)", unit, category
        )


def _directory(b: _Builder) -> dict[str, Person]:
    """The officials of the article, and invented cadres for every other category."""
    office = b.unit("Văn phòng Quận ủy", UnitKind.PARTY_BOARD)
    key = {
        # The committee's own leaders belong to no unit of it: their position names the body.
        "hoa": b.person("Trần Thị Phương Hoa", "Thành ủy viên, Bí thư Quận ủy", None, 0, 1),
        "chien": b.person(
            "Nguyễn Văn Chiến", "Phó Bí thư Thường trực Quận ủy, Chủ tịch HĐND quận", None, 0, 2
        ),
        "tuan_anh": b.person(
            "Bùi Tuấn Anh", "Phó Bí thư Quận ủy, Chủ tịch UBND quận", None, 0, 3
        ),
    }
    key["secretary"] = b.demo_person("Chánh Văn phòng Quận ủy", office, 3)
    for _ in range(6):
        b.demo_person("Ủy viên Ban Thường vụ Quận ủy", office, 1)
    for _ in range(10):
        b.demo_person("Ủy viên Ban Chấp hành Đảng bộ quận", office, 2)
    for name in BOARDS:
        b.demo_person(
            "Trưởng ban" if name.startswith("Ban") else "Thủ trưởng",
            b.unit(name, UnitKind.PARTY_BOARD),
            3,
        )
    for name in DEPARTMENTS:
        b.demo_person("Trưởng phòng", b.unit(name, UnitKind.DEPARTMENT), 4)
    for name in MASS_ORGS:
        b.demo_person("Chủ tịch", b.unit(name, UnitKind.MASS_ORG), 5)
    for ward in WARDS:
        b.demo_person("Bí thư Đảng ủy phường", b.unit(f"Phường {ward}", UnitKind.WARD), 6)
        b.demo_person("Chủ tịch UBND phường", b.unit(f"Phường {ward}", UnitKind.WARD), 6)
        for kind in SCHOOL_KINDS:
            b.demo_person("Hiệu trưởng", b.unit(f"Trường {kind} {ward}", UnitKind.SCHOOL), 7)
        party_org = b.unit(f"Đảng ủy phường {ward}", UnitKind.PARTY_ORG)
        b.demo_person("Bí thư", party_org, 8)
        b.demo_person("Phó Bí thư", party_org, 8)
    return key


def _documents() -> list[Document]:
    specs = [
        dict(
            kind="Chỉ thị",
            number="24",
            symbol="24-CT/TU",
            issued_on=date(2023, 8, 7),
            issuer="Ban Thường vụ Thành ủy Hà Nội",
            title="về tăng cường kỷ cương, kỷ luật và trách nhiệm giải quyết công việc trong hệ "
            "thống chính trị Thành phố Hà Nội",
        ),
        dict(
            kind="Kế hoạch",
            number="133",
            symbol="133-KH/QU",
            issued_on=date(2023, 8, 28),
            issuer="Quận ủy Cầu Giấy",
            title="về thực hiện Chỉ thị số 24-CT/TU của Thành ủy",
        ),
        # The article names the Thành ủy's and Quận ủy's regulations without their numbers; the
        # demo cites the Politburo regulation they implement.
        dict(
            kind="Quy định",
            number="80",
            symbol="80-QĐ/TW",
            issued_on=date(2022, 8, 18),
            issuer="Bộ Chính trị",
            title="về phân cấp quản lý cán bộ và bổ nhiệm, giới thiệu cán bộ ứng cử",
        ),
    ]
    return [
        _get_or_create(
            Document,
            symbol=s.pop("symbol"),
            issued_on=s.pop("issued_on"),
            defaults={**s, "is_demo": True},
        )
        for s in specs
    ]


def _conference(
    b: _Builder,
    title: str,
    starts_at: datetime,
    venue: Venue,
    people: dict[str, Person],
    documents: list[Document],
    status: ConferenceStatus,
) -> Conference:
    conference = db.session.scalar(select(Conference).filter_by(title=title, is_demo=True))
    if conference is not None:
        return conference
    conference = Conference(
        body=b.body,
        title=title,
        kind=ConferenceKind.DISSEMINATION,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        venue=venue,
        chair=people["hoa"],
        secretary=people["secretary"],
        status=status,
        is_demo=True,
        requirements="Đại biểu mặc trang phục lịch sự, mang theo tài liệu hội nghị.",
    )
    conference.document_links = [
        ConferenceDocument(document=d, position=i) for i, d in enumerate(documents)
    ]
    conference.agenda_items = [
        AgendaItem(
            position=1,
            title="Quán triệt Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy",
            presenter=people["chien"],
            document=documents[0],
            duration_minutes=60,
        ),
        AgendaItem(
            position=2,
            title="Triển khai Kế hoạch số 133-KH/QU của Quận ủy",
            presenter=people["chien"],
            document=documents[1],
            duration_minutes=30,
        ),
        AgendaItem(
            position=3,
            title="Phổ biến những điểm mới trong Quy định về quản lý cán bộ, "
            "phân cấp quản lý cán bộ và bổ nhiệm, giới thiệu cán bộ ứng cử",
            presenter=people["chien"],
            document=documents[2],
            duration_minutes=45,
        ),
        AgendaItem(
            position=4, title="Phát biểu chỉ đạo", presenter=people["hoa"], duration_minutes=20
        ),
    ]
    db.session.add(conference)
    db.session.flush()
    _invite_everyone(conference, b)
    return conference


def _invite_everyone(conference: Conference, b: _Builder) -> None:
    """Invite each category; grassroots Party organisations by role, a deputy allowed."""
    grassroots = b.categories[8]
    for membership in db.session.scalars(
        select(PersonCategory).join(Person).where(Person.body_id == b.body.id)
    ):
        if membership.category_id == grassroots.id:
            continue
        db.session.add(
            Invitation(
                conference=conference,
                person_id=membership.person_id,
                category_id=membership.category_id,
            )
        )
    for unit in db.session.scalars(
        select(Unit).filter_by(body_id=b.body.id, kind=UnitKind.PARTY_ORG)
    ):
        principal = db.session.scalar(
            select(Person).filter_by(unit_id=unit.id, position="Bí thư (demo)")
        )
        db.session.add(
            Invitation(
                conference=conference,
                unit_id=unit.id,
                person=principal,
                role_title="Bí thư",
                deputy_title="Phó Bí thư",
                deputy_allowed=True,
                category_id=grassroots.id,
            )
        )
    db.session.flush()


def _users(conferences: list[Conference]) -> None:
    """The demo accounts; the door account works the door of both demo conferences."""
    password = demo_password()
    for username, role in DEMO_USERS:
        user = db.session.scalar(select(User).filter_by(username=username))
        if user is None:
            user = User(username=username, role=role)
            user.set_password(password)
            db.session.add(user)
            db.session.flush()
        if user.full_name in (None, "", f"Demo {role.value}"):  # also renames an older demo's
            user.full_name = DEMO_USER_NAMES[username]
        if role == Role.DOOR:
            for conference in conferences:
                if db.session.get(DoorAssignment, (conference.id, user.id)) is None:
                    db.session.add(DoorAssignment(conference_id=conference.id, user_id=user.id))


DEMO_MAIL_DOMAIN = "caugiay.example"  # RFC 2606: reserved, never a real mailbox
NO_ADDRESS_EVERY = 10  # one demo person in ten has no address: their letters go on paper


def _demo_addresses(b: _Builder) -> None:
    """Give the demo people addresses at a reserved domain, so sending can be tried at once
    against a local SMTP server ("nguyen.van.chien.12@caugiay.example"); the same on every
    run, and an address typed in by hand is kept."""
    people = db.session.scalars(
        select(Person).filter_by(body_id=b.body.id, is_demo=True, email=None)
    )
    for person in people:
        if person.id % NO_ADDRESS_EVERY:
            local = ".".join(fold(person.full_name).split())
            person.email = f"{local}.{person.id}@{DEMO_MAIL_DOMAIN}"


def load_demo() -> dict[str, object]:
    """Create the demo once; afterwards only move the practice conference to today."""
    b = _Builder()
    people = _directory(b)
    _demo_addresses(b)
    documents = _documents()
    hall = _get_or_create(
        Venue,
        name="Hội trường Quận ủy",
        defaults=dict(
            body_id=b.body.id, address="Quận Cầu Giấy, Hà Nội", capacity=400, is_demo=True
        ),
    )
    centre = _get_or_create(
        Venue,
        name="Hội trường Trung tâm Chính trị quận",
        defaults=dict(body_id=b.body.id, capacity=200, is_demo=True),
    )
    seed = _conference(
        b, SEED_TITLE, datetime(2023, 9, 15, 8, 0), hall, people, documents, ConferenceStatus.HELD
    )
    starts = now().replace(minute=0, second=0) + timedelta(hours=1)
    today = _conference(
        b, TODAY_TITLE, starts, centre, people, documents, ConferenceStatus.SCHEDULED
    )
    if today.starts_at.date() != starts.date():  # a later day: keep it usable for check-in
        today.starts_at, today.ends_at = starts, starts + timedelta(hours=3)
    _users([seed, today])
    _seating(b, hall, seed)
    db.session.flush()
    return {
        "seed conference": seed.id,
        "today's conference": today.id,
        "people": db.session.scalar(select(func.count()).select_from(Person)),
    }


def _seating(b: _Builder, hall: Venue, seed: Conference) -> None:
    """The Quận ủy hall's layout and the seed conference's plan: the Standing Committee in
    the middle of row A, a block of three seats per ward in row E, the rest by protocol."""
    layout = _get_or_create(
        HallLayout,
        venue_id=hall.id,
        name="Bố trí hội nghị",
        defaults=dict(rows=12, seats_per_row=24, aisles="6,18", presidium_places=7, is_demo=True),
    )
    if plan_for(seed, None) is not None:
        return
    plan = create_plan(seed, layout)
    plan.blocks = [
        SeatBlock(
            category_id=category.id,
            first_row=1,
            last_row=1,
            first_seat=7,
            last_seat=18,
        )
        for category in b.categories[:2]
    ] + [
        SeatBlock(
            label=f"Phường {ward}",
            unit_id=b.unit(f"Phường {ward}", UnitKind.WARD).id,
            first_row=5,
            last_row=5,
            first_seat=3 * i + 1,
            last_seat=3 * i + 3,
        )
        for i, ward in enumerate(WARDS)
    ]
    db.session.flush()
    assign(plan)


# Who did not come to the seed conference, and why (None: no reason given). Invented.
DEMO_ABSENCES = ["Đi công tác", "Ốm, có giấy của bác sĩ", "Dự họp tại Thành ủy", None]


def load_demo_attendance() -> int:
    """The seed conference as held: nearly everyone checked in at the door between 07:30 and
    08:00, a few absent (most excused), two deputies in their principals' places. Invented,
    like the people; only added while the conference has no check-in. Returns the count."""
    seed = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE, is_demo=True))
    if seed is None or db.session.scalar(
        select(func.count()).select_from(CheckIn).where(CheckIn.conference_id == seed.id)
    ):
        return 0
    invitations = db.session.scalars(
        select(Invitation).filter_by(conference_id=seed.id).order_by(Invitation.id)
    ).all()
    absent = invitations[-len(DEMO_ABSENCES) - 10 : -10]  # ward leaders and principals
    for invitation, reason in zip(absent, DEMO_ABSENCES, strict=True):
        invitation.rsvp = Rsvp.EXCUSED if reason else Rsvp.INVITED
        invitation.absence_reason = reason
    deputies = {invitations[-1].id: "Phó Bí thư", invitations[-20].id: "Phó Chủ tịch UBND phường"}
    start = datetime.combine(seed.starts_at.date(), time(7, 30))
    came = [i for i in invitations if i not in absent]
    for n, invitation in enumerate(came):
        deputy = deputies.get(invitation.id)
        db.session.add(
            CheckIn(
                conference_id=seed.id,
                invitation_id=invitation.id,
                checked_in_at=start + timedelta(seconds=20 * n),
                method=CheckInMethod.DOOR,
                gate="Cửa chính",
                substitute_name=demo_name(900 + n) if deputy else None,
                substitute_position=f"{deputy} (demo)" if deputy else None,
            )
        )
    db.session.flush()
    return len(came)


def load_synthetic(invitees: int) -> dict[str, object]:
    """A conference with `invitees` synthetic invitees, inserted in bulk, for load tests."""
    b = _Builder()
    title = f"Hội nghị thử tải {invitees} đại biểu — dữ liệu mẫu"
    existing = db.session.scalar(select(Conference).filter_by(title=title, is_demo=True))
    if existing:
        return {"synthetic conference": existing.id}
    unit = b.unit("Đơn vị thử tải (demo)", UnitKind.OTHER)
    category = _get_or_create(
        InviteeCategory,
        body_id=b.body.id,
        name="Đại biểu thử tải",
        defaults=dict(protocol_order=1000, is_demo=True),
    )
    # Open for check-in whenever it is loaded: load tests run at any hour.
    start = now().replace(minute=0, second=0) - timedelta(hours=1)
    conference = Conference(
        body=b.body,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=10),
        status=ConferenceStatus.SCHEDULED,
        is_demo=True,
        checkin_opens_minutes=24 * 60,
    )
    db.session.add(conference)
    db.session.flush()
    first_id = (db.session.scalar(select(func.max(Person.id))) or 0) + 1
    rows = [
        dict(
            body_id=b.body.id,
            full_name=demo_name(i),
            position="Đảng viên (demo)",
            unit_id=unit.id,
            phone=f"08{i:08d}",
            is_demo=True,
            search_text=fold(f"{demo_name(i)} đảng viên (demo) {unit.name} 08{i:08d}"),
            sort_key=name_key(demo_name(i)),
            created_at=now(),
        )
        for i in range(invitees)
    ]
    db.session.execute(insert(Person), rows)
    ids = db.session.scalars(
        select(Person.id).where(Person.id >= first_id, Person.unit_id == unit.id)
    ).all()
    db.session.execute(
        insert(Invitation),
        [
            dict(
                conference_id=conference.id,
                person_id=pid,
                category_id=category.id,
                deputy_allowed=False,
            )
            for pid in ids
        ],
    )
    return {"synthetic conference": conference.id, "synthetic invitees": len(ids)}


# --- Study reports (bài thu hoạch) on the seed conference's documents. Invented. -------------

DEMO_REVIEWER = "chamthu"
DEMO_GRADES = ["Tốt", "Tốt", "Khá", "Tốt", "Đạt", "Khá", "Tốt", "Chưa đạt"]
DEMO_REPORT = (
    "Qua học tập, quán triệt {document}, bản thân tôi nhận thức rõ yêu cầu tăng cường kỷ cương, "
    "kỷ luật, trách nhiệm trong giải quyết công việc. Tôi xin đăng ký: thực hiện nghiêm quy chế "
    "làm việc, giải quyết hồ sơ đúng hạn, không để tồn đọng; nêu gương trong cơ quan, đơn vị. "
    "(bài thu hoạch mẫu — demo)"
)


def load_demo_study() -> dict[str, object]:
    """Two study rounds on the seed conference: on Chỉ thị 24-CT/TU, closed on 15/10/2023 —
    reports handed in through the link and on paper, most graded, one exemption, a few
    overdue; on Kế hoạch 133-KH/QU, open for two weeks from today, with a few reports, for
    trying the personal link. Needs the seed's check-ins; only added once."""
    seed = db.session.scalar(select(Conference).filter_by(title=SEED_TITLE, is_demo=True))
    if seed is None or not db.session.scalar(
        select(func.count()).select_from(CheckIn).where(CheckIn.conference_id == seed.id)
    ):
        return {}
    directive, plan = seed.documents[0], seed.documents[1]
    if db.session.scalar(select(StudyRound).filter_by(body_id=seed.body_id, document_id=plan.id)):
        return {}
    staff = _demo_staff()
    closed = open_round(
        seed.body, directive, datetime(2023, 10, 15, 23, 59, 59), conference=seed, user=staff
    )
    closed.is_demo = True
    lines = people(closed, limit=None)
    ids = [line.person_id for line in lines]
    by_id = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}
    ordered = [by_id[line.person_id] for line in lines]
    reviewer = _demo_reviewer()
    for unit_id in sorted({p.unit_id for p in ordered if p.unit_id})[:4]:
        set_reviewers(closed, unit_id, [reviewer.id], staff)
    exempt(closed, ordered[0], "Đảng viên cao tuổi được miễn", staff)
    overdue = {p.id for p in ordered[-4:]}
    handed = [p for p in ordered[1:] if p.id not in overdue]
    text = DEMO_REPORT.format(document=directive.citation)
    for n, person in enumerate(handed):
        at = datetime(2023, 9, 18, 8) + timedelta(hours=7 * n)
        if n % 17 == 5:
            submit(closed, person, None, channel=SubmissionChannel.PAPER, user=staff, at=at)
        else:
            submit(closed, person, text, at=at)
        if n % 11 == 3:  # changed their mind before the deadline: a second version
            more = text + "\n\nBổ sung: liên hệ thực tiễn của đơn vị."
            submit(closed, person, more, at=at + timedelta(days=2))
        if n % 9 != 8:  # a few still to grade
            grade(closed, person, DEMO_GRADES[n % len(DEMO_GRADES)], None, staff)
    current = open_round(seed.body, plan, conference=seed, user=staff)
    current.is_demo = True
    for person in ordered[1:4]:
        submit(current, person, DEMO_REPORT.format(document=plan.citation))
    db.session.flush()
    return {"study rounds": 2, "reviewer account": DEMO_REVIEWER}


def _demo_staff() -> User | None:
    return db.session.scalar(select(User).filter_by(username="vanphong"))


def _demo_reviewer() -> User:
    """A reviewer account (the demo password) named for a few units of the seed's round."""
    user = db.session.scalar(select(User).filter_by(username=DEMO_REVIEWER))
    if user is None:
        user = User(username=DEMO_REVIEWER, role=Role.REVIEWER, full_name="Demo reviewer")
        user.set_password(demo_password())
        db.session.add(user)
        db.session.flush()
    return user
