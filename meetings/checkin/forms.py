"""Forms of the check-in pages; text arrives stripped and in NFC (BaseForm)."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from meetings.forms import BaseForm


class ScanForm(BaseForm):
    """What a USB/Bluetooth scanner types: the personal link, its token or a short code."""

    code = StringField(_l("Scan or type a code"), validators=[DataRequired(), Length(max=300)])


class SubstituteForm(BaseForm):
    """One-tap check-in, optionally with the deputy who came instead (dự thay)."""

    invitation_id = IntegerField(validators=[Optional()])
    substitute_name = StringField(_l("Substitute's name"), validators=[Length(max=200)])
    substitute_position = StringField(_l("Substitute's position"), validators=[Length(max=300)])
    submit = SubmitField(_l("Check in"))


class WalkInForm(BaseForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Length(max=300)])
    unit = StringField(_l("Unit"), validators=[Length(max=200)])
    submit = SubmitField(_l("Record walk-in"))


class UndoForm(BaseForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Undo check-in"))


class SelfCheckInForm(BaseForm):
    venue_pass = HiddenField(validators=[DataRequired()])
    identifier = StringField(_l("The code printed on your invitation"), validators=[Length(max=40)])
    me = HiddenField()  # "1": the phone's remembered invitation, one tap
