"""The demo's study rounds: real figures on the pages straight away, loaded once."""

from sqlalchemy import func, select

from meetings.demo import load_demo, load_demo_attendance, load_demo_study
from meetings.extensions import db
from meetings.models import StudyReviewer, StudyRound
from meetings.study.results import round_results


def test_the_seed_conference_gets_a_round_with_every_kind_of_figure():
    load_demo()
    load_demo_attendance()
    assert load_demo_study() == {"study rounds": 2, "reviewer account": "chamthu"}
    closed, current = db.session.scalars(select(StudyRound).order_by(StudyRound.id)).all()
    assert closed.document.symbol == "24-CT/TU" and current.document.symbol == "133-KH/QU"
    total = round_results(closed).total
    assert total.exempt == 1
    assert 0 < total.overdue <= 5
    assert total.submitted > 0 and 0 < total.graded < total.submitted
    assert all(total.grades.get(g) for g in closed.grades)
    assert db.session.scalar(select(func.count()).select_from(StudyReviewer)) > 0
    current_total = round_results(current).total
    assert current_total.submitted == 3 and current_total.overdue == 0
    assert load_demo_study() == {}  # a second run adds nothing


def test_without_check_ins_there_is_nothing_to_study():
    load_demo()
    assert load_demo_study() == {}
