import pytest

from meetings.extensions import db
from meetings.models import Conference, Role
from tests.factories import make_body, make_conference, make_user


def test_clerk_prints_every_document(seed, client, login):
    login(Role.CLERK)
    page = client.get(f"/conferences/{seed.id}")
    for path in ("attendance", "minutes", "letters"):
        assert f"/printing/conferences/{seed.id}/{path}" in page.text
        response = client.get(f"/printing/conferences/{seed.id}/{path}")
        assert response.status_code == 200
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in client.get(f"/printing/conferences/{seed.id}/minutes").text
    for path, mimetype in [
        ("attendance.pdf", "application/pdf"),
        (
            "attendance.xlsx?before=1",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("minutes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("letters.pdf", "application/pdf"),
    ]:
        response = client.get(f"/printing/conferences/{seed.id}/{path}")
        assert response.status_code == 200 and response.mimetype == mimetype
        assert "attachment" in response.headers["Content-Disposition"]
    assert client.get(f"/printing/conferences/{seed.id}/minutes.xlsx").status_code == 404


def test_door_staff_cannot_print(client, login):
    conference = make_conference()
    login(Role.DOOR)
    assert client.get(f"/printing/conferences/{conference.id}/minutes").status_code == 403
    assert client.get(f"/printing/conferences/{conference.id}/attendance.pdf").status_code == 403


@pytest.mark.no_db_session
def test_clerk_sets_then_issues_the_minutes_number(shared_app):
    """Real commits (the route commits), so on a database of its own."""
    app = shared_app
    with app.app_context():
        conference = make_conference(make_body(symbol="QU"))
        clerk = make_user(Role.CLERK)
        db.session.commit()
        conference_id, session_token = conference.id, clerk.get_id()
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_token, True
        url = f"/printing/conferences/{conference_id}/minutes"

        def stored():
            db.session.expire_all()
            c = db.session.get(Conference, conference_id)
            return c.minutes_number, c.minutes_issued_at is not None

        client.post(url, data={"number": "7", "save": "1"})
        assert stored() == (7, False)
        client.post(url, data={"number": "12", "issue": "1"})
        assert stored() == (12, True)
        assert "Số 12\u2011BB/QU" in client.get(url).text
        client.post(url, data={"number": "3", "save": "1"})
        assert stored() == (12, True)
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def test_cli_writes_the_files(seed, app, tmp_path):
    runner = app.test_cli_runner()
    for args in (
        ["minutes", str(seed.id), "--format", "docx"],
        ["attendance", str(seed.id), "--format", "xlsx", "--before"],
        ["letters", str(seed.id), "--format", "pdf"],
    ):
        out = tmp_path / f"{args[0]}.{args[3]}"
        result = runner.invoke(args=[*args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    result = runner.invoke(args=["minutes", "999999", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "no conference" in result.output
