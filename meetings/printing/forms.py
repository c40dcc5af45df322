from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional

from meetings.forms import BaseForm


class NumberForm(BaseForm):
    """The document number, typed in before issuing (blank: the counter's next)."""

    number = IntegerField(_l("Number"), validators=[Optional(), NumberRange(min=1, max=99999)])
    save = SubmitField(_l("Save number"))
    issue = SubmitField(_l("Issue"))


class SignerForm(BaseForm):
    """How the chair signs the minutes: blank for "CHỦ TRÌ HỘI NGHỊ", or the position under
    "T/M BAN THƯỜNG VỤ…" ("Bí thư")."""

    position = StringField(_l("Signs for the standing committee as"), validators=[Length(max=100)])
    save_signer = SubmitField(_l("Save signature"))
