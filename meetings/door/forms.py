"""Forms of the door page (its CSRF-only forms are plain meetings.forms.BaseForm)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField

from meetings.forms import BaseForm


class AutoForm(BaseForm):
    auto = BooleanField(_l("Check in at once when I open a personal QR"))
    submit = SubmitField(_l("Save"))
