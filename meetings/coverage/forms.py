from flask_babel import lazy_gettext as _l
from wtforms import DateField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from meetings.forms import BaseForm


class SelfStudyForm(BaseForm):
    report_received_on = DateField(_l("Written report received on"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Record self-study"))
