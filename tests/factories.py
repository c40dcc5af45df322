"""Factories: a function per model, defaults that make a valid row. They flush, not commit."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    AgendaItem,
    ApiNonce,
    ApiToken,
    AuditEntry,
    CheckIn,
    CheckInMethod,
    Conference,
    ConferenceDocument,
    ConferenceLocation,
    ConferenceStatus,
    Delivery,
    Document,
    DocumentCounter,
    DoorAssignment,
    HallLayout,
    Invitation,
    InviteeCategory,
    Job,
    Layout,
    OrganisingBody,
    Person,
    PersonCategory,
    Role,
    ScanFailure,
    SeatAssignment,
    SeatBlock,
    SeatingPlan,
    StudyExemption,
    StudyGrade,
    StudyReviewer,
    StudyRound,
    StudySubmission,
    SubmissionChannel,
    Unit,
    UnitKind,
    User,
    Venue,
    hash_api_token,
)

_seq = itertools.count(1)
PASSWORD = "correct horse battery"


def _save(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


def make_body(**kw) -> OrganisingBody:
    n = next(_seq)
    defaults = dict(
        name=f"Đảng ủy phường Thử {n}",
        parent_name="Đảng bộ Thành phố Hà Nội",
        place_name="Thử",
        symbol="ĐU",
        layout=Layout.PARTY,
        standing_committee_name="Ban Thường vụ Đảng ủy",
    )
    return _save(OrganisingBody(**{**defaults, **kw}))


def make_unit(body: OrganisingBody | None = None, **kw) -> Unit:
    body = body or make_body()
    return _save(
        Unit(**{"body": body, "name": f"Đơn vị {next(_seq)}", "kind": UnitKind.WARD, **kw})
    )


def make_category(body: OrganisingBody | None = None, **kw) -> InviteeCategory:
    body = body or make_body()
    n = next(_seq)
    return _save(
        InviteeCategory(**{"body": body, "name": f"Thành phần {n}", "protocol_order": n, **kw})
    )


def make_person(body: OrganisingBody | None = None, categories=(), **kw) -> Person:
    if body is None:
        body = kw["unit"].body if kw.get("unit") else make_body()
    n = next(_seq)
    person = Person(
        **{
            "body_id": body.id,
            "full_name": f"Nguyễn Văn Thử {n}",
            "position": "Chuyên viên",
            "phone": f"09{n:08d}",
            **kw,
        }
    )
    person.memberships = [PersonCategory(category=c) for c in categories]
    return _save(person)


def make_venue(**kw) -> Venue:
    return _save(Venue(**{"name": f"Hội trường {next(_seq)}", "capacity": 300, **kw}))


def make_document(**kw) -> Document:
    n = next(_seq)
    defaults = dict(
        kind="Chỉ thị",
        number=str(n),
        symbol=f"{n}-CT/TU",
        issued_on=date(2023, 8, 7),
        issuer="Ban Thường vụ Thành ủy Hà Nội",
        title="về một việc thử",
    )
    return _save(Document(**{**defaults, **kw}))


def make_conference(body: OrganisingBody | None = None, documents=(), **kw) -> Conference:
    body = body or make_body()
    starts = kw.pop("starts_at", None) or now().replace(second=0) + timedelta(minutes=30)
    defaults = dict(
        body=body,
        title=f"Hội nghị quán triệt thử {next(_seq)}",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        status=ConferenceStatus.SCHEDULED,
    )
    conference = Conference(**{**defaults, **kw})
    conference.document_links = [
        ConferenceDocument(document=d, position=i) for i, d in enumerate(documents)
    ]
    return _save(conference)


def make_agenda_item(conference: Conference, **kw) -> AgendaItem:
    return _save(
        AgendaItem(
            **{
                "conference": conference,
                "title": "Quán triệt",
                "position": 1,
                "duration_minutes": 30,
                **kw,
            }
        )
    )


def make_location(conference: Conference, **kw) -> ConferenceLocation:
    return _save(
        ConferenceLocation(
            **{"conference": conference, "venue": kw.pop("venue", None) or make_venue(), **kw}
        )
    )


def make_invitation(
    conference: Conference | None = None, person: Person | None = None, **kw
) -> Invitation:
    conference = conference or make_conference()
    if person is None and "unit" not in kw:
        person = make_person(conference.body)
    return _save(Invitation(conference=conference, person=person, **kw))


def make_checkin(invitation: Invitation, **kw) -> CheckIn:
    return _save(
        CheckIn(
            **{
                "conference_id": invitation.conference_id,
                "invitation": invitation,
                "method": CheckInMethod.DESK,
                **kw,
            }
        )
    )


def make_scan_failure(conference: Conference | None = None, **kw) -> ScanFailure:
    conference_id = conference.id if conference else None
    return _save(
        ScanFailure(
            **{
                "conference_id": conference_id,
                "reason": "unknown_token",
                "method": CheckInMethod.DOOR,
                **kw,
            }
        )
    )


def make_api_token(user: User | None = None, token: str | None = None, **kw) -> ApiToken:
    token = token or f"token-{next(_seq)}"
    return _save(
        ApiToken(
            **{"user": user or make_user(Role.DOOR), "token_hash": hash_api_token(token), **kw}
        )
    )


def make_api_nonce(api_token: ApiToken | None = None, **kw) -> ApiNonce:
    api_token = api_token or make_api_token()
    return _save(
        ApiNonce(
            **{
                "api_token_id": api_token.id,
                "nonce": f"n{next(_seq)}",
                "status_code": 201,
                "response": "{}",
                **kw,
            }
        )
    )


def make_door_assignment(conference: Conference, user: User | None = None, **kw) -> DoorAssignment:
    user = user or make_user(Role.DOOR)
    return _save(DoorAssignment(conference_id=conference.id, user_id=user.id, **kw))


def make_audit_entry(**kw) -> AuditEntry:
    return _save(AuditEntry(**{"action": "test.action", "object_type": "conferences", **kw}))


def make_document_counter(body: OrganisingBody | None = None, **kw) -> DocumentCounter:
    body = body or make_body()
    return _save(DocumentCounter(**{"body_id": body.id, "kind_code": "BB", "period": "2023", **kw}))


def make_job(owner: User | None = None, **kw) -> Job:
    """A queued job (not run: create it through meetings.jobs.queue.submit to run it)."""
    owner = owner or make_user()
    defaults = {"kind": "printing.letters", "title": "Giấy mời, PDF", "owner": owner}
    return _save(Job(**{**defaults, **kw}))


def make_delivery(job: Job | None = None, **kw) -> Delivery:
    """A pending delivery of a sending job (not sent: see meetings.mail.sender)."""
    job = job or make_job(kind="mail.send")
    return _save(Delivery(**{"job": job, "kind": "invitation", "address": "a@x.example", **kw}))


def make_user(role: Role = Role.SECRETARIAT, **kw) -> User:
    """A user whose password is PASSWORD."""
    user = User(**{"username": f"user{next(_seq)}", "role": role, **kw})
    user.set_password(PASSWORD)
    return _save(user)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


# --- Check-in ---------------------------------------------------------------------------------


def make_api_secret(user: User | None = None) -> str:
    """A live API token (the secret itself) for user, a new clerk by default."""
    from meetings.auth.service import create_api_token

    return create_api_token(user or make_user(Role.CLERK))


# --- directory and invitee lists (issue 3) -------------------------------------------------


def make_party_orgs(body: OrganisingBody, count: int = 3) -> list[Unit]:
    """Grassroots Party organisations, each with a Bí thư and a Phó Bí thư in the directory."""
    units = []
    for i in range(count):
        unit = make_unit(body, name=f"Chi bộ {next(_seq)}", kind=UnitKind.PARTY_ORG)
        make_person(body, full_name=f"Nguyễn Văn Bí {i}", position="Bí thư", unit=unit)
        make_person(body, full_name=f"Trần Thị Phó {i}", position="Phó Bí thư", unit=unit)
        units.append(unit)
    return units


# --- coverage ---------------------------------------------------------------------------------


def make_self_study(person: Person, document: Document, **kw):
    from meetings.models import SelfStudy

    return _save(
        SelfStudy(
            **{
                "person": person,
                "document": document,
                "report_received_on": date(2023, 9, 20),
                **kw,
            }
        )
    )


def hold(conference: Conference, present=(), **checkin_kw) -> list[CheckIn]:
    """Mark the conference held and check in the given invitations (what the door would do)."""
    conference.status = ConferenceStatus.HELD
    db.session.flush()
    return [make_checkin(invitation, **checkin_kw) for invitation in present]


def make_layout(venue: Venue | None = None, **kw) -> HallLayout:
    defaults = dict(name=f"Bố trí {next(_seq)}", rows=3, seats_per_row=5, presidium_places=3)
    return _save(HallLayout(venue=venue or make_venue(), **{**defaults, **kw}))


def make_seating_plan(conference: Conference | None = None, **kw) -> SeatingPlan:
    conference = conference or make_conference()
    layout = kw.pop("layout", None) or make_layout()
    return _save(SeatingPlan(conference=conference, layout=layout, **kw))


def make_seat_block(plan: SeatingPlan | None = None, **kw) -> SeatBlock:
    plan = plan or make_seating_plan()
    if "unit_id" not in kw and "category_id" not in kw:
        kw["category_id"] = make_category(plan.conference.body).id
    defaults = dict(first_row=1, last_row=1, first_seat=1, last_seat=plan.layout.seats_per_row)
    return _save(SeatBlock(plan=plan, **{**defaults, **kw}))


def make_seat_assignment(plan: SeatingPlan | None = None, **kw) -> SeatAssignment:
    plan = plan or make_seating_plan()
    invitation = kw.pop("invitation", None) or make_invitation(plan.conference)
    defaults = dict(row=1, seat=1, locked=False)
    return _save(SeatAssignment(plan=plan, invitation=invitation, **{**defaults, **kw}))


# --- study rounds (issue 19) ------------------------------------------------------------------


def make_study_round(body: OrganisingBody | None = None, document: Document | None = None, **kw):
    body = body or make_body()
    return _save(
        StudyRound(
            **{
                "body_id": body.id,
                "document_id": (document or make_document()).id,
                "deadline": datetime(2023, 10, 15, 23, 59, 59),
                **kw,
            }
        )
    )


def make_study_submission(study=None, person: Person | None = None, **kw):
    study = study or make_study_round()
    person = person or make_person(study.body)
    return _save(
        StudySubmission(
            **{
                "round_id": study.id,
                "person_id": person.id,
                "version": 1,
                "body_text": "Bài thu hoạch",
                "channel": SubmissionChannel.LINK,
                **kw,
            }
        )
    )


def make_study_grade(submission=None, **kw):
    submission = submission or make_study_submission()
    return _save(
        StudyGrade(
            **{
                "round_id": submission.round_id,
                "person_id": submission.person_id,
                "submission_id": submission.id,
                "grade": "Tốt",
                **kw,
            }
        )
    )


def make_study_exemption(study=None, person: Person | None = None, **kw):
    study = study or make_study_round()
    person = person or make_person(study.body)
    return _save(
        StudyExemption(**{"round_id": study.id, "person_id": person.id, "reason": "Cao tuổi", **kw})
    )


def make_study_reviewer(study=None, unit: Unit | None = None, user: User | None = None):
    study = study or make_study_round()
    return _save(
        StudyReviewer(
            round_id=study.id,
            unit_id=(unit or make_unit(study.body)).id,
            user_id=(user or make_user(Role.REVIEWER)).id,
        )
    )
