"""`flask --app meetings send-test-mail ADDRESS`: check the SMTP settings at once."""

import click

from meetings.extensions import db
from meetings.mail import bp
from meetings.mail.sender import Outgoing, SmtpSession, message_kind
from meetings.models import Delivery, DeliveryStatus

TEST_KIND = "mail.test"


@message_kind(TEST_KIND)
def _test_message(delivery: Delivery) -> Outgoing:
    return Outgoing(
        subject="Thư thử nghiệm từ phần mềm hội nghị",
        body="Máy chủ thư (MAIL_SERVER) đã được cấu hình đúng: thư này đã đến.",
    )


@bp.cli.command("send-test-mail")
@click.argument("address")
def send_test_mail_command(address: str) -> None:
    """Send one message to ADDRESS now, through MAIL_SERVER, and say what happened."""
    delivery = Delivery(kind=TEST_KIND, address=address)
    db.session.add(delivery)
    db.session.flush()
    with SmtpSession() as session:
        session.deliver(delivery)
    db.session.commit()
    if delivery.status != DeliveryStatus.SENT:
        raise click.ClickException(f"not sent: {delivery.error}")
    click.echo(f"sent to {address}")
