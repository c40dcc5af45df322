"""`flask --app meetings create-user`."""

from sqlalchemy import select

from meetings.extensions import db
from meetings.models import AuditEntry, Role, User


def test_create_user_with_password_option(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "vanphong2", "--role", "secretariat", "--password", "mật khẩu dài"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(username="vanphong2"))
    assert user.role == Role.SECRETARIAT
    assert user.check_password("mật khẩu dài")
    assert user.password_hash != "mật khẩu dài"


def test_create_user_asks_for_the_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "letan2", "--role", "door"], input="secret-pass\nsecret-pass\n"
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).filter_by(username="letan2")).check_password(
        "secret-pass"
    )


def test_short_password_is_refused(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "x", "--role", "clerk", "--password", "short"]
    )
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert db.session.scalar(select(User).filter_by(username="x")) is None


def test_common_password_and_username_are_refused(app):
    runner = app.test_cli_runner()
    common = runner.invoke(args=["create-user", "x", "--role", "admin", "--password", "1234567890"])
    assert common.exit_code != 0 and "common passwords" in common.output
    same = runner.invoke(
        args=["create-user", "vanphong10", "--role", "admin", "--password", "VanPhong10"]
    )
    assert same.exit_code != 0 and "not be the username" in same.output
    assert db.session.scalar(select(User).filter_by(username="vanphong10")) is None


def test_the_cli_is_audited_too(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "auditme", "--role", "clerk", "--password", "mật khẩu dài"]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(username="auditme"))
    entry = db.session.scalar(select(AuditEntry).filter_by(object_type="users", object_id=user.id))
    assert (entry.action, entry.user_id, entry.detail["role"]) == ("user.create", None, "clerk")


def test_unknown_role_is_refused(app):
    result = app.test_cli_runner().invoke(args=["create-user", "y", "--role", "boss"])
    assert result.exit_code == 2
