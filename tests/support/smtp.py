"""A real SMTP server for tests (aiosmtpd) that keeps what it receives, and the app's
Flask-Mail settings pointed at it."""

from __future__ import annotations

import email
import email.policy

import pytest
from aiosmtpd.controller import Controller

from tests.support.servers import free_port

SENDER = "Văn phòng Đảng ủy <vanphong@caugiay.example>"


class Inbox:
    """aiosmtpd handler: keeps every message; refuses recipients whose name starts "refused"."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def mail_config(app, monkeypatch):
    def configure(port: int):
        for key, value in {
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_DEFAULT_SENDER": SENDER,
            "MAIL_TIMEOUT": 5,
        }.items():
            monkeypatch.setitem(app.config, key, value)

    return configure
