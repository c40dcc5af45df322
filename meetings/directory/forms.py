"""Forms of the directory: people, units, categories and the import file."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from meetings.forms import BaseForm, DayField
from meetings.models import Layout, UnitKind
from meetings.text import normalize_phone

UNIT_KIND_LABELS = {
    UnitKind.WARD: _l("Ward"),
    UnitKind.SCHOOL: _l("School"),
    UnitKind.DEPARTMENT: _l("Department"),
    UnitKind.PARTY_ORG: _l("Grassroots Party organisation"),
    UnitKind.MASS_ORG: _l("Fatherland Front or mass organisation"),
    UnitKind.PARTY_BOARD: _l("Party board or office"),
    UnitKind.OTHER: _l("Other"),
}


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PersonForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=300)])
    unit_id = SelectField(_l("Unit"), coerce=int, default=0)
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=40)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=200)])
    categories = CheckboxesField(_l("Invitee categories"), coerce=int, default=[])
    namesake_confirmed = BooleanField(_l("Save anyway: this is another person"))

    def validate_phone(self, field) -> None:
        try:
            field.data = normalize_phone(field.data)
        except ValueError as exc:
            raise ValidationError(_l("Not a Vietnamese phone number.")) from exc


class UnitForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value, label) for k, label in UNIT_KIND_LABELS.items()],
        default=UnitKind.OTHER.value,
    )
    submit = SubmitField(_l("Save"))


class CategoryForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional()])


class RankForm(BaseForm):
    rank = IntegerField(_l("Rank"), validators=[DataRequired(), NumberRange(min=1, max=9999)])


class ImportForm(BaseForm):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[FileRequired()])


class ApplyImportForm(BaseForm):
    """Apply the previewed file: a tick per new category the file names, to create it."""

    create_categories = CheckboxesField(
        _l("Create these categories"), validate_choice=False, default=[]
    )

    def set_new_categories(self, names: dict[str, str]) -> None:
        self.create_categories.choices = [SelectChoice(key, name) for key, name in names.items()]

    def ticked(self) -> set[str]:
        return set(self.create_categories.data or ())


class BodyForm(BaseForm):
    """An organising body: what its documents' headers and numbers say."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    parent_name = StringField(_l("Parent body"), validators=[Optional(), Length(max=200)])
    place_name = StringField(
        _l("Place name in the date line"), validators=[DataRequired(), Length(max=100)]
    )
    symbol = StringField(
        _l("Symbol in document numbers"), validators=[DataRequired(), Length(max=20)]
    )
    layout = SelectField(
        _l("Document layout"),
        choices=[
            SelectChoice(Layout.PARTY.value, _l("Party (Hướng dẫn 36-HD/VPTW)")),
            SelectChoice(Layout.STATE.value, _l("State (Nghị định 30/2020/NĐ-CP)")),
        ],
        default=Layout.PARTY.value,
    )
    standing_committee_name = StringField(
        _l("Standing committee that signs"), validators=[Optional(), Length(max=200)]
    )
    term_started_on = DayField(_l("Term started on"), validators=[Optional()])
    submit = SubmitField(_l("Save"))
