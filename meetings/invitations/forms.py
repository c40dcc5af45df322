"""Forms of the invitee list."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from meetings.directory.forms import UNIT_KIND_LABELS
from meetings.forms import BaseForm
from meetings.models import Rsvp, UnitKind

RSVP_LABELS = {
    Rsvp.INVITED: _l("No reply yet"),
    Rsvp.CONFIRMED: _l("Confirmed"),
    Rsvp.DECLINED: _l("Declined"),
    Rsvp.EXCUSED: _l("Excused"),
}


class AddCategoryForm(BaseForm):
    id_prefix = "add-category"
    category_id = SelectField(_l("Invitee category"), coerce=int)


class AddPersonForm(BaseForm):
    id_prefix = "add-person"
    person_id = SelectField(_l("Person"), coerce=int, validate_choice=False)
    category_id = SelectField(_l("Invitee category"), coerce=int, default=0)


class UnitRoleForm(BaseForm):
    id_prefix = "add-role"
    kind = SelectField(
        _l("Units of kind"),
        choices=[SelectChoice(k.value, label) for k, label in UNIT_KIND_LABELS.items()],
        default=UnitKind.PARTY_ORG.value,
    )
    role_title = StringField(
        _l("Role invited"), default="Bí thư", validators=[DataRequired(), Length(max=100)]
    )
    deputy_title = StringField(
        _l("Deputy who may attend instead"),
        default="Phó Bí thư",
        validators=[Optional(), Length(max=100)],
    )
    deputy_allowed = BooleanField(_l("A deputy may attend in their place"), default=True)
    category_id = SelectField(_l("Invitee category"), coerce=int, default=0)


class RsvpForm(BaseForm):
    rsvp = SelectField(
        _l("Answer"), choices=[SelectChoice(r.value, label) for r, label in RSVP_LABELS.items()]
    )
    absence_reason = TextAreaField(_l("Reason for the absence"))
    substitute_name = StringField(
        _l("Substitute announced in advance"), validators=[Optional(), Length(max=200)]
    )
    substitute_position = StringField(
        _l("Substitute's position"), validators=[Optional(), Length(max=300)]
    )

    def validate_absence_reason(self, field) -> None:
        if self.rsvp.data == Rsvp.EXCUSED.value and not field.data:
            raise ValidationError(_l("An excused absence needs its reason: the minutes print it."))
