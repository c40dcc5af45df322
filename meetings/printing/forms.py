from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SubmitField
from wtforms.validators import NumberRange, Optional

from meetings.forms import BaseForm


class NumberForm(BaseForm):
    """The document number, typed in before issuing (blank: the counter's next)."""

    number = IntegerField(_l("Number"), validators=[Optional(), NumberRange(min=1, max=99999)])
    save = SubmitField(_l("Save number"))
    issue = SubmitField(_l("Issue"))
