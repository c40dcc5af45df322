"""E-mail reminders to the overdue, through a real SMTP server (aiosmtpd), read back."""

from __future__ import annotations

from meetings.extensions import db
from meetings.models import Delivery, DeliveryStatus, Role
from meetings.study.reminders import remind_overdue
from meetings.study.results import overdue_by_unit
from tests import factories as f


def _overdue_names(study) -> set[str]:
    return {line.name for _unit, lines in overdue_by_unit(study) for line in lines}


def test_each_overdue_person_gets_their_own_link_and_nobody_else_is_written_to(
    app,
    world,
    smtp,
    mail_config,
):
    inbox, port = smtp
    mail_config(port)
    overdue = _overdue_names(world["study"])
    assert {"Nguyễn Văn Đến", "Phạm Thị Bình"} <= overdue
    world["came"].email = "den@caugiay.example"
    world["came_b"].email = "binh@caugiay.example"
    db.session.flush()

    done = remind_overdue(world["study"], f.make_user(Role.SECRETARIAT))

    assert done.sent_to == 2
    assert {line.name for line in done.unreachable} == overdue - {"Nguyễn Văn Đến", "Phạm Thị Bình"}
    deliveries = db.session.scalars(db.select(Delivery).filter_by(job_id=done.job.id)).all()
    assert {d.status for d in deliveries} == {DeliveryStatus.SENT}
    by_address = {str(m["To"]): m for m in inbox.messages}
    assert set(by_address) == {"den@caugiay.example", "binh@caugiay.example"}
    den = by_address["den@caugiay.example"]
    assert "24-CT/TU" in str(den["Subject"])
    body = den.get_body(("plain",)).get_content()
    assert f"/s/{world['invitations']['came'].token}" in body
    assert "Kính gửi đồng chí Nguyễn Văn Đến" in body  # in Vietnamese, from the catalogue
    assert world["invitations"]["came_b"].token not in body and "Phạm Thị Bình" not in body


def test_the_secretariat_presses_remind_and_sees_the_job(client, login, world, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    world["came"].email = "den@caugiay.example"
    db.session.flush()
    login(Role.SECRETARIAT)
    page = client.get(f"/study/{world['study'].id}/overdue").get_data(as_text=True)
    assert 'id="remind-form"' in page
    response = client.post(f"/study/{world['study'].id}/overdue/remind")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    assert [str(m["To"]) for m in inbox.messages] == ["den@caugiay.example"]
    login(Role.CLERK)
    assert client.post(f"/study/{world['study'].id}/overdue/remind").status_code == 403
    assert 'id="remind-form"' not in client.get(f"/study/{world['study'].id}/overdue").get_data(
        as_text=True
    )
