"""Sending e-mail in the background against a real SMTP server (aiosmtpd), read back."""

from __future__ import annotations

import os
import subprocess

import pytest
from flask_mail import Attachment

from meetings.extensions import db
from meetings.mail.sender import (
    Outgoing,
    Recipient,
    delivery_summary,
    message_kind,
    queue_deliveries,
    retry_failed,
)
from meetings.models import Delivery, DeliveryStatus, JobStatus, Role
from tests.conftest import MAIL_SENDER as SENDER
from tests.conftest import make_test_app
from tests.factories import make_invitation, make_user
from tests.support.servers import BIN, ROOT, free_port

SUBJECT = "Giấy mời dự Hội nghị quán triệt Chỉ thị số 24-CT/TU"


@message_kind("test.invitation")
def _compose(delivery: Delivery) -> Outgoing:
    name = delivery.params.get("name", "")
    return Outgoing(
        subject=SUBJECT,
        body=f"Kính gửi đồng chí {name},\n\nTrân trọng kính mời đồng chí dự hội nghị.",
        html=f'<p>Kính gửi đồng chí {name}</p><img src="cid:qr">',
        attachments=[
            Attachment("giấy-mời.pdf", "application/pdf", b"%PDF-1.4 test"),
            Attachment("qr.png", "image/png", b"\x89PNG qr", "inline", {"Content-ID": "<qr>"}),
        ],
    )


def _recipients(*addresses: str) -> list[Recipient]:
    return [Recipient(a, params={"name": f"Nguyễn Văn {i}"}) for i, a in enumerate(addresses)]


def test_messages_are_sent_in_the_background_and_each_recorded(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    invitation = make_invitation()
    recipients = [
        Recipient("chien@caugiay.example", invitation.id, {"name": "Nguyễn Văn Chiến"}),
        *_recipients("not an address", "refused@caugiay.example", "lan@caugiay.example"),
    ]
    job = queue_deliveries("test.invitation", recipients, make_user(Role.SECRETARIAT), "Gửi")
    assert job.status == JobStatus.DONE and (job.done, job.total) == (4, 4)
    assert job.result_path is None  # sending makes no file

    summary = delivery_summary(job)
    assert summary.sent == 2 and summary.pending == 0
    assert [d.address for d in summary.failed] == ["not an address", "refused@caugiay.example"]
    assert summary.failed[0].error.startswith("invalid address")
    assert "550" in summary.failed[1].error and "No such mailbox" in summary.failed[1].error
    first = db.session.scalar(db.select(Delivery).filter_by(invitation_id=invitation.id))
    assert first.status == DeliveryStatus.SENT and first.sent_at and first.attempts == 1

    assert [m["To"] for m in inbox.messages] == ["chien@caugiay.example", "lan@caugiay.example"]
    message = inbox.messages[0]
    assert str(message["Subject"]) == SUBJECT  # encoded on the wire, decoded back
    assert str(message["From"]) == SENDER
    assert "Nguyễn Văn Chiến" in message.get_body(("plain",)).get_content()
    parts = {part.get_filename(): part for part in message.iter_attachments()}
    assert parts["giấy-mời.pdf"].get_content() == b"%PDF-1.4 test"
    assert parts["qr.png"]["Content-ID"] == "<qr>"
    assert parts["qr.png"].get_content_disposition() == "inline"


def test_a_server_that_is_down_fails_every_message_and_they_can_be_sent_again(
    app, smtp, mail_config
):
    inbox, port = smtp
    mail_config(free_port())  # nothing listens there
    owner = make_user(Role.SECRETARIAT)
    job = queue_deliveries("test.invitation", _recipients("a@x.example", "b@x.example"), owner, "G")
    summary = delivery_summary(job)
    assert summary.sent == 0 and len(summary.failed) == 2
    assert all(d.error.startswith("SMTP server unreachable") for d in summary.failed)

    mail_config(port)
    retry = retry_failed(job, owner)
    assert retry.status == JobStatus.DONE and delivery_summary(retry).sent == 2
    assert delivery_summary(job).failed == []  # the deliveries moved to the retry
    assert [d.attempts for d in db.session.scalars(db.select(Delivery))] == [2, 2]
    assert len(inbox.messages) == 2
    assert retry_failed(retry, owner) is None


def test_without_a_sender_nothing_is_sent_and_the_reason_says_why(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    app.config["MAIL_DEFAULT_SENDER"] = None  # mail_config's monkeypatch restores it
    job = queue_deliveries("test.invitation", _recipients("a@x.example"), make_user(), "G")
    assert delivery_summary(job).failed[0].error == "MAIL_DEFAULT_SENDER is not set"
    assert inbox.messages == []


def test_an_unknown_message_kind_is_refused(app):
    with pytest.raises(ValueError, match="unknown message kind"):
        queue_deliveries("nothing", [], make_user(), "G")


@pytest.mark.no_db_session
@pytest.mark.slow
def test_the_cli_sends_a_test_message_with_flask_mail_settings(smtp, tmp_path):
    """The settings under Flask-Mail's names, from the environment, through the CLI."""
    inbox, port = smtp
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'mail.sqlite3'}",
        "MEETINGS_INSTANCE_PATH": str(tmp_path),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(port),
        "MAIL_DEFAULT_SENDER": SENDER,
    }
    app = make_test_app(env["DATABASE_URL"], tmp_path)
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    flask = [str(BIN / "flask"), "--app", "meetings", "send-test-mail"]
    done = subprocess.run([*flask, "thu@caugiay.example"], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr
    assert inbox.messages[0]["Subject"] == "Thư thử nghiệm từ phần mềm hội nghị"
    env["MAIL_PORT"] = str(free_port())
    done = subprocess.run([*flask, "thu@caugiay.example"], cwd=ROOT, env=env, capture_output=True)
    assert done.returncode == 1 and b"SMTP server unreachable" in done.stderr
