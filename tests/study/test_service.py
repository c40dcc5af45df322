"""The rules of a study round: who must submit, exemptions, deadlines, versions, grading,
reviewer scope, the personal link."""

from datetime import datetime

import pytest

from meetings.models import DEFAULT_GRADES, Role, StudySubmission, SubmissionChannel
from meetings.study.results import must_submit, people, round_results
from meetings.study.service import (
    StudyError,
    can_grade,
    can_see,
    exempt,
    grade,
    has_study_reports,
    lift_exemption,
    open_round,
    parse_scale,
    reviewer_units,
    rounds_for_token,
    set_reviewers,
    submit,
    update_round,
    versions,
    visible_rounds,
)
from tests import factories as f

BEFORE = datetime(2023, 10, 1, 9)
AFTER = datetime(2023, 10, 16, 0, 0)


# --- Who must submit ----------------------------------------------------------------------------


def test_attendees_and_self_studied_must_submit(world):
    study = world["study"]
    assert must_submit(study, world["came"].id)
    assert must_submit(study, world["came_b"].id)
    assert must_submit(study, world["self_studied"].id)


def test_absentees_substituted_principals_and_cancelled_invitees_do_not(world):
    study = world["study"]
    assert not must_submit(study, world["absent"].id)  # invited again to a draft make-up
    assert not must_submit(study, world["principal"].id)  # a deputy came in her place
    assert not must_submit(study, world["stranger"].id)  # the conference was cancelled


def test_a_makeup_held_later_adds_its_attendees(world):
    makeup = f.make_conference(world["body"], documents=[world["document"]])
    invitation = f.make_invitation(makeup, world["absent"])
    f.hold(makeup, [invitation])
    assert must_submit(world["study"], world["absent"].id)


def test_results_count_people_invited_and_studied(world):
    total = round_results(world["study"], at=BEFORE).total
    assert (total.invited, total.studied, total.owed) == (5, 3, 3)
    assert total.studied_phrase == "3/5, đạt 60%"
    assert total.submitted_phrase == "0/3, đạt 0%"


# --- Exemptions ---------------------------------------------------------------------------------


def test_an_exemption_needs_a_reason_and_someone_who_must_submit(world):
    study = world["study"]
    with pytest.raises(StudyError):
        exempt(study, world["came"], "  ")
    with pytest.raises(StudyError):
        exempt(study, world["absent"], "Đảng viên cao tuổi được miễn")


def test_the_exempted_owe_nothing_and_cannot_hand_in(world):
    study = world["study"]
    exempt(study, world["came"], "Đảng viên cao tuổi được miễn")
    total = round_results(study, at=AFTER).total
    assert (total.exempt, total.owed, total.overdue) == (1, 2, 2)
    with pytest.raises(StudyError, match="được miễn"):
        submit(study, world["came"], "Bài thu hoạch", at=BEFORE)
    line = next(p for p in people(study, status="exempt", at=AFTER))
    assert line.exemption_reason == "Đảng viên cao tuổi được miễn"
    lift_exemption(study, world["came"])
    assert round_results(study, at=AFTER).total.overdue == 3


# --- Deadlines and versions ---------------------------------------------------------------------


def test_each_change_is_a_new_version_until_the_deadline(world):
    study, person = world["study"], world["came"]
    submit(study, person, "Bản đầu", at=BEFORE)
    submit(study, person, "Bản sửa", at=datetime(2023, 10, 15, 23, 59, 59))
    assert [(v.version, v.body_text) for v in versions(study, person)] == [
        (2, "Bản sửa"),
        (1, "Bản đầu"),
    ]
    with pytest.raises(StudyError, match="hết hạn"):
        submit(study, person, "Bản muộn", at=AFTER)
    assert len(versions(study, person)) == 2


def test_an_empty_report_is_refused_through_the_link(world):
    with pytest.raises(StudyError):
        submit(world["study"], world["came"], "   ", at=BEFORE)


def test_someone_who_did_not_study_cannot_hand_in(world):
    with pytest.raises(StudyError):
        submit(world["study"], world["absent"], "Bài", at=BEFORE)


def test_a_clerk_records_a_paper_after_the_deadline(world):
    clerk = f.make_user(Role.CLERK)
    entry = submit(
        world["study"], world["came"], None, channel=SubmissionChannel.PAPER, user=clerk, at=AFTER
    )
    assert entry.channel == SubmissionChannel.PAPER and entry.recorded_by == clerk
    assert entry.submitted_at > world["study"].deadline  # shown as late
    total = round_results(world["study"], at=AFTER).total
    assert (total.submitted, total.overdue) == (1, 2)


def test_overdue_only_after_the_deadline(world):
    study = world["study"]
    submit(study, world["came"], "Bài", at=BEFORE)
    assert round_results(study, at=BEFORE).total.overdue == 0
    after = round_results(study, at=AFTER)
    assert after.total.overdue == 2
    by_unit = {u.unit.name: u.figures.overdue for u in after.units}
    assert by_unit == {"Chi bộ An": 1, "Chi bộ Bình": 1}


def test_uploads_are_checked_and_stored_like_attachments(world, app):
    study, person = world["study"], world["came"]
    entry = submit(study, person, None, upload=("bai.pdf", b"%PDF-1.4 bai"), at=BEFORE)
    assert entry.file_name == "bai.pdf" and entry.file_path.endswith(".pdf")
    with pytest.raises(StudyError, match="PDF"):
        submit(study, person, None, upload=("bai.pdf", b"not a pdf"), at=BEFORE)
    app.config["STUDY_MAX_BYTES"] = 10
    try:
        with pytest.raises(StudyError, match="MB"):
            submit(study, person, None, upload=("bai.pdf", b"%PDF-1.4 " + b"x" * 20), at=BEFORE)
    finally:
        del app.config["STUDY_MAX_BYTES"]
    assert len(versions(study, person)) == 1


# --- Grades and reviewers ---------------------------------------------------------------


def test_grades_come_from_the_round_scale(world):
    study, person = world["study"], world["came"]
    secretariat = f.make_user(Role.SECRETARIAT)
    with pytest.raises(StudyError, match="Chưa có bài"):
        grade(study, person, "Tốt", None, secretariat)
    first = submit(study, person, "Bài", at=BEFORE)
    with pytest.raises(StudyError):
        grade(study, person, "Xuất sắc", None, secretariat)
    given = grade(study, person, "Khá", "  Cần liên hệ thực tiễn  ", secretariat)
    assert (given.grade, given.comment, given.submission_id) == (
        "Khá",
        "Cần liên hệ thực tiễn",
        first.id,
    )
    second = submit(study, person, "Bài sửa", at=BEFORE)
    assert grade(study, person, "Tốt", None, secretariat).submission_id == second.id
    total = round_results(study, at=BEFORE).total
    assert total.grades == {"Tốt": 1} and total.grade_phrase("Tốt") == "1/1, đạt 100%"


def test_the_default_scale_and_a_scale_of_its_own(world):
    assert world["study"].grades == list(DEFAULT_GRADES)
    assert parse_scale("Hoàn thành tốt\nHoàn thành\n\nChưa hoàn thành") == [
        "Hoàn thành tốt",
        "Hoàn thành",
        "Chưa hoàn thành",
    ]
    for bad in ("Tốt", "Tốt\ntốt", "\n".join(str(i) for i in range(11))):
        with pytest.raises(StudyError):
            parse_scale(bad)


def test_a_grade_given_stays_on_the_scale(world):
    study, person = world["study"], world["came"]
    submit(study, person, "Bài", at=BEFORE)
    grade(study, person, "Đạt", None, f.make_user(Role.SECRETARIAT))
    with pytest.raises(StudyError, match="Đạt"):
        update_round(study, study.deadline, "Tốt\nChưa đạt")
    update_round(study, datetime(2023, 11, 1, 23, 59), "Tốt\nĐạt\nChưa đạt")
    assert study.grades == ["Tốt", "Đạt", "Chưa đạt"]


def test_reviewers_see_and_grade_only_their_units(world):
    study = world["study"]
    reviewer = f.make_user(Role.REVIEWER)
    set_reviewers(study, world["units"]["a"].id, [reviewer.id])
    assert reviewer_units(study, reviewer) == {world["units"]["a"].id}
    assert can_see(study, reviewer, world["came"]) and can_grade(study, reviewer, world["came"])
    assert not can_see(study, reviewer, world["came_b"])
    submit(study, world["came_b"], "Bài", at=BEFORE)
    with pytest.raises(StudyError, match="người chấm"):
        grade(study, world["came_b"], "Tốt", None, reviewer)
    scoped = round_results(study, reviewer_units(study, reviewer), at=BEFORE)
    assert [u.unit.name for u in scoped.units] == ["Chi bộ An"]
    assert {p.name for p in people(study, reviewer_units(study, reviewer))} == {
        "Nguyễn Văn Đến",
        "Trần Thị Tự",
    }
    assert visible_rounds(reviewer) == [study]


def test_other_roles_see_no_unit_and_clerks_do_not_grade(world):
    study = world["study"]
    assert reviewer_units(study, f.make_user(Role.DOOR)) == set()
    assert visible_rounds(f.make_user(Role.REVIEWER)) == []
    clerk = f.make_user(Role.CLERK)
    assert reviewer_units(study, clerk) is None
    assert not can_grade(study, clerk, world["came"])


def test_only_reviewer_accounts_can_be_named(world):
    with pytest.raises(StudyError):
        set_reviewers(world["study"], world["units"]["a"].id, [f.make_user(Role.CLERK).id])


def test_a_new_round_takes_the_reviewers_of_the_last_one_and_a_round_is_one_per_document(world):
    reviewer = f.make_user(Role.REVIEWER)
    set_reviewers(world["study"], world["units"]["b"].id, [reviewer.id])
    again = open_round(world["body"], world["document"])
    assert again.id == world["study"].id
    other = open_round(world["body"], f.make_document(symbol="133-KH/QU"))
    assert reviewer_units(other, reviewer) == {world["units"]["b"].id}


# --- The personal link -----------------------------------------------------------------


def test_the_token_names_the_person_and_their_rounds(world):
    person, rounds = rounds_for_token(world["invitations"]["came"].token)
    assert person == world["came"] and rounds == [world["study"]]
    assert rounds_for_token(world["invitations"]["absent"].token)[1] == []
    assert rounds_for_token("no-such-token") is None
    assert has_study_reports(world["invitations"]["came"].token)
    assert not has_study_reports(world["invitations"]["absent"].token)
    assert not has_study_reports("no-such-token")


def test_versions_are_never_overwritten(world, db_session):
    submit(world["study"], world["came"], "Một", at=BEFORE)
    submit(world["study"], world["came"], "Hai", at=BEFORE)
    assert db_session.query(StudySubmission).filter_by(person_id=world["came"].id).count() == 2
