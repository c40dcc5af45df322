"""E-mail: messages sent over SMTP in the background, one Delivery row per message.

Configuration under Flask-Mail's names (MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS, MAIL_USE_SSL,
MAIL_USERNAME, MAIL_PASSWORD, MAIL_DEFAULT_SENDER), plus MAIL_TIMEOUT. A capability registers
how a kind of message is composed (`sender.message_kind`) and queues deliveries
(`sender.queue_deliveries`); a job worker sends them, counting x of N on the job's page.
"""

from flask import Blueprint

bp = Blueprint("mail", __name__, cli_group=None)

from meetings.mail import cli, sender  # noqa: E402,F401
