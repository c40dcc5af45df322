"""Invitations by e-mail at scale: `python bench/mail.py [--invitees 5000]` (127.0.0.1 only).

On a fresh SQLite database: the demo plus a synthetic conference of N invitees, each with an
address at caugiay.example. A local SMTP server (aiosmtpd, in a process of its own, counting
what it receives) takes the messages. Measured, in this order:
 1. the same letters generated without sending: the conference's letters as one PDF
    (meetings.printing.service.letters_file), as the letters page makes them;
 2. every message composed but not sent: the letter PDF of one invitee, the QR, the .ics, the
    MIME message as bytes (what the sender does, minus SMTP);
 3. the real thing: send-invitations' path (meetings.invitemail.service.send, in this process),
    over one SMTP session, every delivery recorded.
It prints messages per second, the megabytes received, and the ratios of 3 to 1 and 3 to 2.
Ratios, not times: this machine's speed drifts by 2x.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from meetings import create_app
from meetings.conferences.service import load_conference
from meetings.demo import load_demo, load_synthetic
from meetings.extensions import db
from meetings.invitemail.service import Kind, _compose, plan, send
from meetings.mail.sender import SmtpSession, delivery_summary
from meetings.models import Delivery, Invitation, Person, Role, User
from meetings.printing.service import letters_file


def _smtp_server(port: int, received, ready) -> None:
    from aiosmtpd.controller import Controller  # the child process's own import

    class Count:
        async def handle_DATA(self, server, session, envelope):
            with received.get_lock():
                received.value += len(envelope.content)
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(label: str, work) -> float:
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    print(f"{label:52} {seconds:8.2f} s")
    return seconds


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--invitees", type=int, default=5_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    os.environ["MEETINGS_INSTANCE_PATH"] = str(tmp)
    port = _free_port()
    received, ready = multiprocessing.Value("q", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=_smtp_server, args=(port, received, ready))
    server.start()
    ready.wait(10)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "PUBLIC_BASE_URL": "https://hoinghi.example.vn",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_DEFAULT_SENDER": "Văn phòng Quận ủy <vanphong@caugiay.example>",
        }
    )
    try:
        with app.app_context():
            _run(args.invitees, received)
    finally:
        server.terminate()
        server.join()


def _run(invitees: int, received) -> None:
    db.create_all()
    load_demo()
    conference_id = load_synthetic(invitees)["synthetic conference"]
    people = select(Invitation.person_id).filter_by(conference_id=conference_id)
    db.session.execute(
        update(Person)
        .where(Person.id.in_(people))
        .values(email="dai.bieu." + Person.id.cast(db.String) + "@caugiay.example")
    )
    db.session.commit()
    conference = load_conference(conference_id)
    owner = db.session.scalar(select(User).filter_by(role=Role.ADMIN))
    count = len(plan(conference, Kind.INVITATION).send)
    print(f"{count:,} invitees with an address")

    letters = _timed("1. the letters as one PDF, not sent", lambda: letters_file(conference, "pdf"))

    def compose_all() -> None:
        session = SmtpSession()
        for invitation in db.session.scalars(
            select(Invitation).filter_by(conference_id=conference_id)
        ):
            delivery = Delivery(kind=Kind.INVITATION.value, address=invitation.person.email)
            delivery.invitation = invitation
            session._message(_compose(delivery), delivery.address).as_bytes()

    composed = _timed("2. every message composed, not sent", compose_all)
    db.session.rollback()
    job = None

    def send_all() -> None:
        nonlocal job
        job = send(conference, Kind.INVITATION, owner, here=True)[1]

    sent_time = _timed("3. every message sent over SMTP and recorded", send_all)
    summary = delivery_summary(job)
    print(
        f"sent {summary.sent:,}, failed {len(summary.failed):,}; "
        f"{received.value / 1e6:,.1f} MB received by the SMTP server"
    )
    print(f"{summary.sent / sent_time:,.1f} messages per second")
    print(f"sending / generating the letters (3 / 1): {sent_time / letters:.2f} ×")
    print(f"sending / composing the same messages (3 / 2): {sent_time / composed:.2f} ×")


if __name__ == "__main__":
    main()
