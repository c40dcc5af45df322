"""/admin: accounts, API tokens and the audit log, for admins alone; every change audited."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from meetings.admin.service import AuditFilter, audit_entries
from meetings.auth.service import (
    PasswordRejected,
    change_role,
    check_password_rules,
    create_user,
    reset_password,
    set_active,
)
from meetings.clock import now
from meetings.extensions import db
from meetings.models import ApiToken, AuditEntry, Role, User, hash_api_token, record
from tests import factories

ADMIN_URLS = ["/admin/users", "/admin/users/{id}", "/admin/audit"]
ADMIN_POSTS = [
    "/admin/users/{id}/role",
    "/admin/users/{id}/active",
    "/admin/users/{id}/password",
    "/admin/users/{id}/tokens",
]


def _actions(user: User) -> list[str]:
    stmt = select(AuditEntry.action).filter_by(object_type="users", object_id=user.id)
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.CLERK, Role.DOOR])
def test_only_admins_get_in(client, login, role):
    login(role)
    target = factories.make_user(Role.CLERK)
    for url in ADMIN_URLS:
        assert client.get(url.format(id=target.id)).status_code == 403, url
    for url in ADMIN_POSTS:
        assert client.post(url.format(id=target.id), data={"role": "admin"}).status_code == 403
    assert target.role == Role.CLERK


def test_admin_lists_and_creates_users(client, login):
    admin = login(Role.ADMIN)
    factories.make_user(Role.CLERK, username="thuky01")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "thuky01" in page and admin.username in page

    weak = client.post(
        "/admin/users", data={"username": "vanthu", "role": "secretariat", "password": "12345678"}
    )
    assert "ít nhất 10 ký tự" in weak.get_data(as_text=True)
    common = client.post(
        "/admin/users",
        data={"username": "vanthu", "role": "admin", "password": "qwertyuiop"},
    )
    assert "mật khẩu phổ biến" in common.get_data(as_text=True)
    assert db.session.scalar(select(User).filter_by(username="vanthu")) is None

    response = client.post(
        "/admin/users",
        data={
            "username": "vanthu",
            "full_name": "Nguyễn Văn Thư",
            "role": "secretariat",
            "password": "một mật khẩu dài",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(select(User).filter_by(username="vanthu"))
    assert (user.role, user.full_name) == (Role.SECRETARIAT, "Nguyễn Văn Thư")
    entry = db.session.scalar(select(AuditEntry).filter_by(object_id=user.id, object_type="users"))
    assert (entry.action, entry.user_id) == ("user.create", admin.id)

    taken = client.post(
        "/admin/users",
        data={"username": "vanthu", "role": "clerk", "password": "một mật khẩu khác"},
    )
    assert "đã có người dùng" in taken.get_data(as_text=True)
    assert user.role == Role.SECRETARIAT


def test_role_change_deactivation_and_reset_end_the_users_sessions(app, client, login):
    login(Role.ADMIN)
    user = factories.make_user(Role.CLERK)
    victim = app.test_client()
    victim.post("/login", data={"username": user.username, "password": factories.PASSWORD})
    assert victim.get("/conferences/").status_code == 200

    client.post(f"/admin/users/{user.id}/role", data={"role": "secretariat"})
    assert user.role == Role.SECRETARIAT
    assert victim.get("/conferences/").status_code == 302

    client.post(f"/admin/users/{user.id}/active", data={"active": "0"})
    assert not user.active
    refused = victim.post(
        "/login", data={"username": user.username, "password": factories.PASSWORD}
    )
    assert refused.status_code == 200  # the form again: an inactive user cannot sign in
    client.post(f"/admin/users/{user.id}/active", data={"active": "1"})
    assert user.active

    response = client.post(f"/admin/users/{user.id}/password")
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    one_time = html.split('<code class="fs-4 user-select-all">')[1].split("</code>")[0]
    assert len(one_time) == 12 and user.check_password(one_time)
    assert user.must_change_password
    assert one_time not in client.get(f"/admin/users/{user.id}").get_data(as_text=True)

    victim.post("/login", data={"username": user.username, "password": one_time})
    forced = victim.get("/conferences/")
    assert forced.status_code == 302 and forced.location.endswith("/account/password")
    victim.post(
        "/account/password",
        data={"current": one_time, "new": "của riêng tôi 2026", "confirm": "của riêng tôi 2026"},
    )
    assert victim.get("/conferences/").status_code == 200
    assert _actions(user) == [
        "user.role", "user.deactivate", "user.activate", "user.password_reset",
        "user.password_change",
    ]  # fmt: skip


def test_admin_cannot_lock_themselves_out(client, login):
    admin = login(Role.ADMIN)
    client.post(f"/admin/users/{admin.id}/active", data={"active": "0"})
    client.post(f"/admin/users/{admin.id}/role", data={"role": "clerk"})
    assert admin.active and admin.role == Role.ADMIN


def test_api_tokens_are_created_shown_once_and_revoked(client, login):
    admin = login(Role.ADMIN)
    door = factories.make_user(Role.DOOR)
    response = client.post(f"/admin/users/{door.id}/tokens", data={"name": "Cổng A"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    token = html.split('<code class="fs-6 user-select-all text-break">')[1].split("</code>")[0]
    stored = db.session.scalar(select(ApiToken).filter_by(user_id=door.id))
    assert stored.token_hash == hash_api_token(token) and stored.name == "Cổng A"
    stored.last_used_at = now() - timedelta(minutes=5)
    db.session.flush()

    page = client.get(f"/admin/users/{door.id}").get_data(as_text=True)
    assert token not in page and "Cổng A" in page and stored.last_used_at.strftime("%H:%M") in page

    client.post(f"/admin/users/{door.id}/tokens/{stored.id}/revoke")
    assert stored.revoked_at is not None
    assert "Đã thu hồi" in client.get(f"/admin/users/{door.id}").get_data(as_text=True)
    entries = db.session.scalars(
        select(AuditEntry).filter_by(object_id=door.id, user_id=admin.id).order_by(AuditEntry.id)
    ).all()
    assert [e.action for e in entries] == ["api_token.create", "api_token.revoke"]
    assert "Cổng A" in str(entries[0].detail) and token not in str(entries[0].detail)


def test_audit_page_filters_by_who_what_when_and_conference(client, login):
    admin = login(Role.ADMIN)
    clerk = factories.make_user(Role.CLERK)
    conference, other = factories.make_conference(), factories.make_conference()
    record("conference.cancel", conference, clerk, reason="bão")
    record("conference.update", other, admin)
    record("checkin.undo", clerk, clerk, conference_id=conference.id)  # row gone: in detail
    old = record("user.role", clerk, admin)
    db.session.flush()
    old.created_at = now() - timedelta(days=40)
    db.session.flush()

    def actions(**where):
        return {e.action for e in audit_entries(AuditFilter(**where))}

    assert actions(user_id=clerk.id) == {"conference.cancel", "checkin.undo"}
    assert actions(action="conference.") == {"conference.cancel", "conference.update"}
    assert actions(conference_id=conference.id) == {"conference.cancel", "checkin.undo"}
    recent = actions(since=(now() - timedelta(days=1)).date())
    assert "user.role" not in recent and "conference.update" in recent
    assert actions(until=(now() - timedelta(days=30)).date()) == {"user.role"}

    page = client.get(f"/admin/audit?user={clerk.id}&conference={conference.id}")
    table = page.get_data(as_text=True).split('id="audit"')[1]
    assert page.status_code == 200 and "conference.cancel" in table and "bão" in table
    assert "conference.update" not in table


def test_password_rules():
    for bad in ("short", "password1234", "Qwertyuiop", "nguyenvana1"):
        with pytest.raises(PasswordRejected):
            check_password_rules(bad, "nguyenvana1")
    check_password_rules("mùa thu Hà Nội 2026", "nguyenvana1")


def test_account_functions_audit_without_a_request():
    user = create_user("cli-user", "một mật khẩu dài", Role.CLERK)
    change_role(user, Role.DOOR)
    set_active(user, False)
    reset_password(user)
    assert _actions(user) == ["user.create", "user.role", "user.deactivate", "user.password_reset"]
    entries = db.session.scalars(select(AuditEntry).filter_by(object_id=user.id))
    assert all(e.user_id is None for e in entries)
