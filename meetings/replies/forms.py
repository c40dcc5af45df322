from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from meetings.forms import BaseForm
from meetings.replies.service import Answer


class ReplyForm(BaseForm):
    id_prefix = "reply"
    answer = RadioField(
        _l("Your answer"),
        choices=[
            SelectChoice(Answer.ATTEND.value, _l("I will attend")),
            SelectChoice(Answer.ABSENT.value, _l("I will be absent")),
            SelectChoice(Answer.DEPUTY.value, _l("I send a deputy")),
        ],
        validators=[DataRequired(_l("Choose an answer."))],
    )
    reason = TextAreaField(_l("Reason for the absence"), validators=[Length(max=500)])
    deputy_name = StringField(_l("Deputy's full name"), validators=[Length(max=200)])
    deputy_position = StringField(_l("Deputy's position"), validators=[Length(max=300)])
