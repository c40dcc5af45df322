"""Study rounds: opening one, naming reviewers, exemptions, handing in and grading reports.

Plain functions over the models; none takes a request; the caller commits. Rules that refuse
raise StudyError with a message for the person; tests/study/test_service.py covers each.

Reviewers: a reviewer is a user account with the role `reviewer`, named by the secretariat for
one or more units of a round. Such an account sees only the rounds it is named in and, in them,
only the people (and reports) of its units; it grades them. The secretariat (and admins) see
and grade every unit; clerks read everything and record reports handed in on paper.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from meetings.clock import now
from meetings.documents.attachments import store_upload
from meetings.documents.service import RegisterError
from meetings.extensions import db
from meetings.models import (
    DEFAULT_GRADES,
    Conference,
    ConferenceDocument,
    Document,
    Invitation,
    OrganisingBody,
    Person,
    Role,
    StudyExemption,
    StudyGrade,
    StudyReviewer,
    StudyRound,
    StudySubmission,
    SubmissionChannel,
    User,
    record,
)
from meetings.study.results import must_submit
from meetings.text import format_number

DEFAULT_DAYS = 14  # from opening to the deadline, unless the secretariat sets another
MAX_BYTES = 5 * 1024 * 1024  # STUDY_MAX_BYTES: an uploaded report
MAX_TEXT = 50_000  # characters of a report typed in the page
MAX_GRADES = 10


class StudyError(Exception):
    """A rule refused the action; str() is the message for the person."""


def end_of_day(day: date) -> datetime:
    """A deadline given as a day runs to the end of it."""
    return datetime.combine(day, time(23, 59, 59))


def parse_scale(text: str) -> list[str]:
    """Grade labels, one a line, best first: 2 to 10, each at most 50 characters, no repeat."""
    labels = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not 2 <= len(labels) <= MAX_GRADES:
        raise StudyError(_l("A grade scale has 2 to %(n)s grades, one a line.", n=MAX_GRADES))
    if len({label.casefold() for label in labels}) != len(labels):
        raise StudyError(_l("Each grade may appear only once."))
    if any(len(label) > 50 for label in labels):
        raise StudyError(_l("A grade is at most 50 characters long."))
    return labels


# --- Rounds ----------------------------------------------------------------------------------


def find_round(body_id: int, document_id: int) -> StudyRound | None:
    return db.session.scalar(select(StudyRound).filter_by(body_id=body_id, document_id=document_id))


def open_round(
    body: OrganisingBody,
    document: Document,
    deadline: datetime | None = None,
    scale: Iterable[str] = DEFAULT_GRADES,
    conference: Conference | None = None,
    user: User | None = None,
) -> StudyRound:
    """The body's round on the document; an existing one is returned unchanged. A new round
    takes the reviewers of the body's latest round (units do not change reviewers often)."""
    existing = find_round(body.id, document.id)
    if existing is not None:
        return existing
    deadline = deadline or end_of_day(now().date() + timedelta(days=DEFAULT_DAYS))
    study = StudyRound(
        body_id=body.id,
        document_id=document.id,
        conference_id=conference.id if conference else None,
        deadline=deadline,
        grade_scale="\n".join(parse_scale("\n".join(scale))),
        opened_by_id=user.id if user else None,
    )
    previous = db.session.scalar(
        select(StudyRound)
        .filter_by(body_id=body.id)
        .order_by(StudyRound.created_at.desc(), StudyRound.id.desc())
        .limit(1)
    )
    db.session.add(study)
    db.session.flush()
    if previous is not None:
        _copy_reviewers(previous, study)
    record("study.open", study, user, document=document.id, deadline=deadline.isoformat())
    return study


def _copy_reviewers(source: StudyRound, target: StudyRound) -> None:
    for reviewer in db.session.scalars(select(StudyReviewer).filter_by(round_id=source.id)):
        db.session.add(
            StudyReviewer(round_id=target.id, unit_id=reviewer.unit_id, user_id=reviewer.user_id)
        )
    db.session.flush()


def update_round(
    study: StudyRound, deadline: datetime, scale_text: str, user: User | None = None
) -> None:
    """Move the deadline or change the scale; a grade already given must stay on the scale."""
    labels = parse_scale(scale_text)
    used = set(db.session.scalars(select(StudyGrade.grade).filter_by(round_id=study.id)))
    missing = sorted(used - set(labels))
    if missing:
        raise StudyError(
            _l(
                "Grades already given must stay on the scale: %(grades)s.",
                grades=", ".join(missing),
            )
        )
    study.deadline, study.grade_scale = deadline, "\n".join(labels)
    db.session.flush()
    record("study.update", study, user, deadline=deadline.isoformat())


def rounds_for_conference(conference: Conference) -> list[StudyRound]:
    ids = [d.id for d in conference.documents]
    return list(
        db.session.scalars(
            select(StudyRound).where(
                StudyRound.body_id == conference.body_id, StudyRound.document_id.in_(ids)
            )
        )
    )


def visible_rounds(user: User) -> list[StudyRound]:
    """Newest first; a reviewer sees the rounds it is named in, other staff all of them."""
    query = select(StudyRound).order_by(StudyRound.created_at.desc(), StudyRound.id.desc())
    if not user.has_role(Role.SECRETARIAT, Role.CLERK):
        named = select(StudyReviewer.round_id).where(StudyReviewer.user_id == user.id)
        query = query.where(StudyRound.id.in_(named))
    return list(db.session.scalars(query))


# --- Reviewers and their scope -----------------------------------------------------------------


def reviewer_units(study: StudyRound, user: User) -> set[int] | None:
    """The units whose people `user` may see in this round: None for all (secretariat, clerks,
    admins); a reviewer's named units; nothing for anyone else."""
    if user.has_role(Role.SECRETARIAT, Role.CLERK):
        return None
    if user.role != Role.REVIEWER:
        return set()
    return set(
        db.session.scalars(
            select(StudyReviewer.unit_id).filter_by(round_id=study.id, user_id=user.id)
        )
    )


def can_see(study: StudyRound, user: User, person: Person) -> bool:
    units = reviewer_units(study, user)
    return units is None or person.unit_id in units


def can_grade(study: StudyRound, user: User, person: Person) -> bool:
    """The secretariat (and admins) grade every unit; a reviewer, its named units."""
    if user.has_role(Role.SECRETARIAT):
        return True
    return user.role == Role.REVIEWER and can_see(study, user, person)


def reviewer_accounts() -> list[User]:
    """Accounts that can be named: active, with the reviewer role."""
    return list(
        db.session.scalars(
            select(User).filter_by(role=Role.REVIEWER, active=True).order_by(User.username)
        )
    )


def reviewers_by_unit(study: StudyRound) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    for reviewer in db.session.scalars(select(StudyReviewer).filter_by(round_id=study.id)):
        found.setdefault(reviewer.unit_id, []).append(reviewer.user)
    return found


def set_reviewers(
    study: StudyRound, unit_id: int, user_ids: Iterable[int], by: User | None = None
) -> None:
    """Name exactly these reviewer accounts for the unit (replacing the previous ones)."""
    wanted = set(user_ids)
    allowed = {u.id for u in reviewer_accounts()}
    if wanted - allowed:
        raise StudyError(_l("Only active accounts with the reviewer role can be named."))
    db.session.execute(
        delete(StudyReviewer).where(
            StudyReviewer.round_id == study.id, StudyReviewer.unit_id == unit_id
        )
    )
    for user_id in sorted(wanted):
        db.session.add(StudyReviewer(round_id=study.id, unit_id=unit_id, user_id=user_id))
    db.session.flush()
    record("study.reviewers", study, by, unit=unit_id, users=sorted(wanted))


# --- Exemptions --------------------------------------------------------------------------------


def exemption(study: StudyRound, person: Person) -> StudyExemption | None:
    return db.session.scalar(
        select(StudyExemption).filter_by(round_id=study.id, person_id=person.id)
    )


def exempt(study: StudyRound, person: Person, reason: str, user: User | None = None) -> None:
    """Excuse a person who must submit; the reason is required."""
    if not (reason or "").strip():
        raise StudyError(_l("An exemption needs a reason."))
    if not must_submit(study, person.id):
        raise StudyError(_l("Only someone who must hand in a report can be exempted."))
    entry = exemption(study, person) or StudyExemption(round_id=study.id, person_id=person.id)
    entry.reason = reason.strip()
    entry.recorded_by_id = user.id if user else None
    db.session.add(entry)
    db.session.flush()
    record("study.exempt", entry, user, person=person.id, reason=entry.reason)


def lift_exemption(study: StudyRound, person: Person, user: User | None = None) -> None:
    entry = exemption(study, person)
    if entry is not None:
        record("study.unexempt", entry, user, person=person.id)
        db.session.delete(entry)
        db.session.flush()


# --- Handing in ----------------------------------------------------------------------------------


def is_open(study: StudyRound, at: datetime | None = None) -> bool:
    return (at or now()) <= study.deadline


def versions(study: StudyRound, person: Person) -> list[StudySubmission]:
    """Every version handed in, the latest first."""
    return list(
        db.session.scalars(
            select(StudySubmission)
            .filter_by(round_id=study.id, person_id=person.id)
            .order_by(StudySubmission.version.desc())
        )
    )


def submit(
    study: StudyRound,
    person: Person,
    text: str | None = None,
    upload: tuple[str, bytes] | None = None,
    channel: SubmissionChannel = SubmissionChannel.LINK,
    user: User | None = None,
    at: datetime | None = None,
) -> StudySubmission:
    """Keep a new version of the person's report: text, an uploaded PDF/DOCX, or both.

    Through the link: only someone who must submit, not exempted, until the deadline, with
    something in it. On paper (a clerk): also after the deadline (it is then late), and it may
    be empty (the paper itself is the report)."""
    at = at or now()
    text = (text or "").strip() or None
    if not must_submit(study, person.id):
        raise StudyError(_l("%(name)s does not have to hand in a report.", name=person.full_name))
    if exemption(study, person) is not None:
        raise StudyError(_l("%(name)s is exempted from the report.", name=person.full_name))
    if channel == SubmissionChannel.LINK:
        if not is_open(study, at):
            raise StudyError(_l("The deadline has passed: the report can no longer be changed."))
        if text is None and upload is None:
            raise StudyError(_l("Type the report or attach a PDF or Word file."))
    if text is not None and len(text) > MAX_TEXT:
        limit = format_number(MAX_TEXT)
        raise StudyError(_l("The report is longer than %(n)s characters.", n=limit))
    file_name = file_path = None
    if upload is not None:
        limit = current_app.config.get("STUDY_MAX_BYTES", MAX_BYTES)
        try:
            file_name, file_path = store_upload(upload[0], upload[1], limit)
        except RegisterError as error:
            raise StudyError(str(error)) from error
    latest = db.session.scalar(
        select(func.max(StudySubmission.version)).filter_by(round_id=study.id, person_id=person.id)
    )
    entry = StudySubmission(
        round_id=study.id,
        person_id=person.id,
        version=(latest or 0) + 1,
        body_text=text,
        file_name=file_name,
        file_path=file_path,
        channel=channel,
        recorded_by_id=user.id if user else None,
        submitted_at=at,
    )
    db.session.add(entry)
    db.session.flush()
    record("study.submit", entry, user, person=person.id, version=entry.version, via=channel.value)
    return entry


# --- Grading -------------------------------------------------------------------------------------


def grade_of(study: StudyRound, person: Person) -> StudyGrade | None:
    return db.session.scalar(select(StudyGrade).filter_by(round_id=study.id, person_id=person.id))


def grade(
    study: StudyRound, person: Person, label: str, comment: str | None, user: User
) -> StudyGrade:
    """Grade the person's latest version with a label of the round's scale (a comment is
    optional); grading again replaces the grade."""
    if not can_grade(study, user, person):
        raise StudyError(_l("You are not a reviewer of this person's unit."))
    if label not in study.grades:
        raise StudyError(_l("Choose a grade of the round's scale."))
    if exemption(study, person) is not None:
        raise StudyError(_l("%(name)s is exempted from the report.", name=person.full_name))
    latest = next(iter(versions(study, person)), None)
    if latest is None:
        raise StudyError(_l("There is no report to grade yet."))
    entry = grade_of(study, person) or StudyGrade(round_id=study.id, person_id=person.id)
    entry.submission_id, entry.grade = latest.id, label
    entry.comment = (comment or "").strip() or None
    entry.graded_by_id, entry.graded_at = user.id, now()
    db.session.add(entry)
    db.session.flush()
    record("study.grade", entry, user, person=person.id, grade=label, version=latest.version)
    return entry


# --- The personal link ----------------------------------------------------------------------------


def rounds_for_token(token: str) -> tuple[Person, list[StudyRound]] | None:
    """The person an invitation token names and the rounds on that conference's documents in
    which they must hand in a report (exempted included); None for an unknown token."""
    invitation = db.session.scalar(select(Invitation).filter_by(token=(token or "").strip()))
    if invitation is None or invitation.person is None:
        return None
    conference = invitation.conference
    documents = select(ConferenceDocument.document_id).where(
        ConferenceDocument.conference_id == conference.id
    )
    rounds = db.session.scalars(
        select(StudyRound)
        .where(StudyRound.body_id == conference.body_id, StudyRound.document_id.in_(documents))
        .order_by(StudyRound.deadline, StudyRound.id)
    )
    person = invitation.person
    return person, [r for r in rounds if must_submit(r, person.id)]


def has_study_reports(token: str) -> bool:
    """Whether the invitation's personal page should link to /s/<token>: its person has a
    round to hand a report in for (or an exemption to read)."""
    found = rounds_for_token(token)
    return bool(found and found[1])
