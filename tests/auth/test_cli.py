"""`flask --app meetings create-user`."""

from sqlalchemy import select

from meetings.extensions import db
from meetings.models import Role, User


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
    assert "at least 8 characters" in result.output
    assert db.session.scalar(select(User).filter_by(username="x")) is None


def test_unknown_role_is_refused(app):
    result = app.test_cli_runner().invoke(args=["create-user", "y", "--role", "boss"])
    assert result.exit_code == 2
