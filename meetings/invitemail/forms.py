from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SubmitField

from meetings.forms import BaseForm


class SendForm(BaseForm):
    """Send the invitations: to those not sent one yet, or, when `resend` is ticked, to all."""

    resend = BooleanField(_l("Send again to those who already received it"))
    send = SubmitField(_l("Send the invitations by e-mail"))


class RemindForm(BaseForm):
    kind = HiddenField()  # "invitation.unanswered" or "invitation.eve"


class RetryForm(BaseForm):
    job = HiddenField()  # the sending job's token
