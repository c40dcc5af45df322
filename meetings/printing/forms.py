from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional

from meetings.forms import BaseForm, DayField


class NumberForm(BaseForm):
    """The document number, typed in before issuing (blank: the counter's next)."""

    number = IntegerField(_l("Number"), validators=[Optional(), NumberRange(min=1, max=99999)])
    save = SubmitField(_l("Save number"))
    issue = SubmitField(_l("Issue"))


class SignerForm(BaseForm):
    """How the chair signs the minutes: blank for "CHỦ TRÌ HỘI NGHỊ", or the position under
    "T/M BAN THƯỜNG VỤ…" ("Bí thư"); and who receives a copy (Nơi nhận)."""

    position = StringField(_l("Signs for the standing committee as"), validators=[Length(max=100)])
    recipients = TextAreaField(
        _l("Recipients (one per line; blank: the default)"), validators=[Length(max=2000)]
    )
    save_signer = SubmitField(_l("Save signature"))


class LettersJobForm(BaseForm):
    """A conference's letters, made in the background: the button pressed names the format."""

    format = SelectField(choices=[SelectChoice("pdf", "PDF"), SelectChoice("docx", "DOCX")])
    category = IntegerField(validators=[Optional()])


class AttendanceJobForm(BaseForm):
    """The attendance sheet made in the background."""

    format = SelectField(choices=[SelectChoice("docx", "DOCX"), SelectChoice("pdf", "PDF")])
    before = BooleanField()


class LettersClosingForm(BaseForm):
    """The letters' date, the signer's position and the recipients (Nơi nhận)."""

    letters_date = DayField(_l("Date of the letters"), validators=[Optional()])
    position = StringField(_l("Signer's position"), validators=[Length(max=100)])
    recipients = TextAreaField(
        _l("Recipients (one per line; blank: the default)"), validators=[Length(max=2000)]
    )
    save_closing = SubmitField(_l("Save"))
