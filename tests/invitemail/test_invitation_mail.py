"""The invitation e-mail, read back from a real SMTP server (aiosmtpd): subject, letter PDF,
link, QR, calendar; never twice unless asked; failures listed and resumable; the CLI."""

from __future__ import annotations

import io
from datetime import timedelta

import icalendar
import pypdf
import zxingcpp
from PIL import Image

from meetings.clock import now
from meetings.extensions import db
from meetings.invitemail.service import Kind, plan, recent_sendings, send
from meetings.links import personal_checkin_url
from meetings.mail.sender import delivery_summary, retry_failed
from meetings.models import ConferenceStatus, Delivery, DeliveryStatus, Role, Rsvp
from meetings.printing.data import lower_first, when_line
from tests.factories import make_conference, make_invitation, make_person, make_user
from tests.support.servers import free_port


def _invitees(addresses: list[str | None]):
    conference = make_conference(title="Hội nghị quán triệt Chỉ thị số 24-CT/TU của Thành ủy")
    invitations = [
        make_invitation(
            conference,
            make_person(conference.body, full_name=f"Trần Thị Hạnh {i}", email=address),
        )
        for i, address in enumerate(addresses)
    ]
    return conference, invitations


def _parts(message) -> dict:
    return {part.get_filename(): part for part in message.iter_attachments()}


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_each_invitee_gets_their_own_letter_link_qr_and_calendar(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    conference, invitations = _invitees(["hanh0@caugiay.example", "hanh1@caugiay.example"])
    _chosen, job = send(conference, Kind.INVITATION, make_user(Role.SECRETARIAT))
    assert delivery_summary(job).sent == 2 and len(inbox.messages) == 2

    for message, own, other in zip(inbox.messages, invitations, reversed(invitations), strict=True):
        assert message["To"] == own.person.email
        subject = "Giấy mời dự hội nghị quán triệt Chỉ thị số 24-CT/TU của Thành ủy"
        assert str(message["Subject"]) == subject  # RFC 2047 on the wire, decoded back
        assert "=?utf-8?" in message.as_string().split("Subject:", 1)[1][:40].lower()
        url = personal_checkin_url(own.token)
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert url in plain and f'href="{url}"' in html and 'src="cid:qr"' in html
        assert f"Kính gửi đồng chí {own.person.full_name}" in plain
        parts = _parts(message)
        letter = parts["giay-moi.pdf"]
        assert letter.get_content_type() == "application/pdf"
        text = _pdf_text(letter.get_content())
        assert own.person.full_name in text and lower_first(conference.title)[:20] in text
        qr = parts["qr.png"]
        assert qr["Content-ID"] == "<qr>" and qr.get_content_disposition() == "inline"
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.get_content())))
        assert [code.text for code in decoded] == [url]
        event = icalendar.Calendar.from_ical(parts["hoi-nghi.ics"].get_content()).walk("VEVENT")
        assert str(event[0]["SUMMARY"]) == conference.title and str(event[0]["URL"]) == url
        # Nothing of the other invitee: not their name, token, code or address.
        whole = message.as_string() + text
        for secret in (other.person.full_name, other.token, other.short_code, other.person.email):
            assert secret not in whole


def test_no_letter_twice_unless_asked_and_those_without_address_listed(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    conference, invitations = _invitees(["a@caugiay.example", None, "  "])
    owner = make_user(Role.SECRETARIAT)
    first, job = send(conference, Kind.INVITATION, owner)
    assert [i.id for i in first.no_address] == [invitations[1].id, invitations[2].id]
    again, none = send(conference, Kind.INVITATION, owner)
    assert none is None and again.already == 1 and again.send == []
    assert len(inbox.messages) == 1
    asked, job = send(conference, Kind.INVITATION, owner, resend=True)
    assert len(asked.send) == 1 and delivery_summary(job).sent == 1 and len(inbox.messages) == 2
    deliveries = db.session.scalars(db.select(Delivery).order_by(Delivery.id)).all()
    assert [d.status for d in deliveries] == [DeliveryStatus.SENT] * 2  # one row per message


def test_a_bad_address_fails_alone_and_a_server_down_fails_all_resumably(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(free_port())  # nothing listens: the server is down
    conference, _invitations = _invitees(["ok@caugiay.example", "not an address", "b@x.example"])
    owner = make_user(Role.SECRETARIAT)
    _, job = send(conference, Kind.INVITATION, owner)
    summary = delivery_summary(job)
    assert summary.sent == 0 and len(summary.failed) == 3
    assert summary.failed[1].error.startswith("invalid address")
    assert summary.failed[0].error.startswith("SMTP server unreachable")
    assert plan(conference, Kind.INVITATION).already == 0  # failed ones are not "received"

    mail_config(port)
    retry = retry_failed(job, owner)
    summary = delivery_summary(retry)
    assert summary.sent == 2 and [d.address for d in summary.failed] == ["not an address"]
    assert sorted(m["To"] for m in inbox.messages) == ["b@x.example", "ok@caugiay.example"]


def test_the_page_sends_shows_progress_failures_and_retries(app, smtp, mail_config, client, login):
    inbox, port = smtp
    mail_config(port)
    conference, _invitations = _invitees(["c@caugiay.example", "refused@caugiay.example", None])
    login(Role.SECRETARIAT)
    page = client.get(f"/conferences/{conference.id}/mail/")
    assert page.status_code == 200 and "Trần Thị Hạnh 2" in page.text  # no address: listed
    done = client.post(f"/conferences/{conference.id}/mail/send", follow_redirects=True)
    assert done.status_code == 200
    sending = recent_sendings(conference)[0]
    assert f'id="sending-{sending.job.token}"' in done.text
    assert "1 of 2 sent" in done.text or "Đã gửi 1/2" in done.text
    assert "refused@caugiay.example" in done.text and "550" in done.text
    again = client.post(
        f"/conferences/{conference.id}/mail/retry",
        data={"job": sending.job.token},
        follow_redirects=True,
    )
    assert again.status_code == 200 and len(inbox.messages) == 1  # refused again, not resent
    retried = recent_sendings(conference)[0]
    assert retried.job.id != sending.job.id and retried.summary.failed[0].attempts == 2


def test_the_page_is_for_the_secretariat(app, client, login):
    conference, _ = _invitees(["x@caugiay.example"])
    login(Role.CLERK)
    assert client.get(f"/conferences/{conference.id}/mail/").status_code == 403
    assert client.post(f"/conferences/{conference.id}/mail/send").status_code in (400, 403)


def test_the_cli_ends_with_one_line_of_counts(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    make_user(Role.ADMIN)
    conference, _invitations = _invitees(["d@caugiay.example", "not an address", None])
    runner = app.test_cli_runner()
    args = ["send-invitations", str(conference.id)]
    dry = runner.invoke(args=[*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert dry.output.splitlines()[-1] == "sent 0, failed 0, no address 1" and not inbox.messages
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == "sent 1, failed 1, no address 1"
    refused = runner.invoke(args=args)
    assert refused.exit_code == 1 and "--only-unsent" in refused.output
    rest = runner.invoke(args=[*args, "--only-unsent"])
    assert rest.output.splitlines()[-1] == "sent 0, failed 1, no address 1"
    assert len(inbox.messages) == 1
    remind = runner.invoke(args=["send-reminders", str(conference.id), "unanswered"])
    assert remind.output.splitlines()[-1] == "sent 1, failed 1, no address 1"
    assert str(inbox.messages[-1]["Subject"]).startswith("Nhắc trả lời")


def test_reminders_reach_the_unanswered_and_on_the_eve_those_coming(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    conference, (quiet, coming, away) = _invitees(
        ["q@caugiay.example", "c@caugiay.example", "a@caugiay.example"]
    )
    coming.rsvp, away.rsvp, away.absence_reason = Rsvp.CONFIRMED, Rsvp.EXCUSED, "Ốm"
    owner = make_user(Role.SECRETARIAT)
    send(conference, Kind.UNANSWERED, owner)
    send(conference, Kind.EVE, owner)
    assert [(m["To"], str(m["Subject"])[:12]) for m in inbox.messages] == [
        ("q@caugiay.example", "Nhắc trả lời"),
        ("c@caugiay.example", "Nhắc lịch: h"),
    ]
    assert personal_checkin_url(quiet.token) in inbox.messages[0].get_body(("plain",)).get_content()
    assert send(conference, Kind.EVE, owner)[1] is None  # the eve's reminder once


def test_a_cancellation_is_mailed_to_those_who_received_the_invitation(
    app, smtp, mail_config, client, login
):
    inbox, port = smtp
    mail_config(port)
    conference, _ = _invitees(["got@caugiay.example", "late@caugiay.example", None])
    send(conference, Kind.INVITATION, login(Role.SECRETARIAT))
    invited = len(inbox.messages)
    # Invited after the sending: never received the invitation, so no notice either.
    make_invitation(conference, make_person(conference.body, email="new@caugiay.example"))
    response = client.post(
        f"/conferences/{conference.id}/cancel", data={"reason": "Trùng lịch họp Thành ủy"}
    )
    assert response.status_code == 302
    assert conference.status == ConferenceStatus.CANCELLED
    notices = inbox.messages[invited:]
    assert sorted(m["To"] for m in notices) == ["got@caugiay.example", "late@caugiay.example"]
    assert str(notices[0]["Subject"]).startswith("Thông báo hủy")
    assert "Trùng lịch họp Thành ủy" in notices[0].get_body(("plain",)).get_content()
    event = icalendar.Calendar.from_ical(_parts(notices[0])["hoi-nghi.ics"].get_content())
    assert str(event.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_a_postponement_is_mailed_with_the_new_time(app, smtp, mail_config, client, login):
    inbox, port = smtp
    mail_config(port)
    conference, _ = _invitees(["got@caugiay.example"])
    send(conference, Kind.INVITATION, login(Role.SECRETARIAT))
    new_start = conference.starts_at.replace(hour=14, minute=0) + timedelta(days=7)
    response = client.post(
        f"/conferences/{conference.id}/postpone",
        data={
            "starts_at": new_start.strftime("%d/%m/%Y %H:%M"),
            "ends_at": (new_start + timedelta(hours=2)).strftime("%d/%m/%Y %H:%M"),
        },
    )
    assert response.status_code == 302 and conference.starts_at == new_start
    notice = inbox.messages[-1]
    assert len(inbox.messages) == 2 and str(notice["Subject"]).startswith("Thông báo dời lịch")
    assert when_line(new_start) in notice.get_body(("plain",)).get_content()


def test_the_eve_reminders_from_cron_reach_tomorrows_conferences_once(app, smtp, mail_config):
    inbox, port = smtp
    mail_config(port)
    make_user(Role.ADMIN)
    conference, (coming,) = _invitees(["coming@caugiay.example"])
    later, (also,) = _invitees(["later@caugiay.example"])
    coming.rsvp = also.rsvp = Rsvp.CONFIRMED
    tomorrow = (now() + timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    conference.starts_at, conference.ends_at = tomorrow, tomorrow + timedelta(hours=2)
    later.starts_at, later.ends_at = (
        tomorrow + timedelta(days=1),
        tomorrow + timedelta(days=1, hours=2),
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["send-eve-reminders"])
    assert first.exit_code == 0, first.output
    assert first.output.splitlines() == [
        f"{conference.id}: {conference.title}",
        "sent 1, failed 0, no address 0",
    ]
    again = runner.invoke(args=["send-eve-reminders"])
    assert again.output.splitlines()[-1] == "sent 0, failed 0, no address 0"
    assert [m["To"] for m in inbox.messages] == ["coming@caugiay.example"]
