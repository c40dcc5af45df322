from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
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


class LettersJobForm(BaseForm):
    """A conference's letters, made in the background: the button pressed names the format."""

    format = SelectField(choices=[SelectChoice("pdf", "PDF"), SelectChoice("docx", "DOCX")])
    category = IntegerField(validators=[Optional()])


class AttendanceJobForm(BaseForm):
    """The attendance sheet made in the background."""

    format = SelectField(choices=[SelectChoice("docx", "DOCX"), SelectChoice("pdf", "PDF")])
    before = BooleanField()
