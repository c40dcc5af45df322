from flask_babel import lazy_gettext as _l
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from meetings.forms import BaseForm, DayTimeField, options
from meetings.models import ConferenceKind

KIND_CHOICES = options(
    [
        (ConferenceKind.DISSEMINATION.value, _l("Dissemination")),
        (ConferenceKind.PRELIMINARY_REVIEW.value, _l("Preliminary review")),
        (ConferenceKind.FINAL_REVIEW.value, _l("Final review")),
        (ConferenceKind.OTHER.value, _l("Other")),
    ]
)


def person_fields(label, description: str = "") -> tuple[StringField, HiddenField]:
    """A person from the directory: the name typed (with suggestions) and the chosen id."""
    field = StringField(label, validators=[Optional(), Length(max=300)], description=description)
    return field, HiddenField()


class ConferenceForm(BaseForm):
    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=2000)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    body_id = SelectField(_l("Organised by"), coerce=int)
    starts_at = DayTimeField(_l("Starts"), validators=[InputRequired()])
    ends_at = DayTimeField(_l("Ends"), validators=[InputRequired()])
    venue_id = SelectField(_l("Venue (main hall)"), coerce=int)
    chair_name, chair_id = person_fields(_l("Chair"))
    secretary_name, secretary_id = person_fields(
        _l("Secretary"), _l("Choose from the directory, or type the name of someone not in it.")
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    requirements = TextAreaField(
        _l("Requirements (dress, documents to bring)"), validators=[Optional(), Length(max=2000)]
    )


class PostponeForm(BaseForm):
    starts_at = DayTimeField(_l("New start"), validators=[InputRequired()])
    ends_at = DayTimeField(_l("New end"), validators=[InputRequired()])


class DuplicateForm(BaseForm):
    starts_at = DayTimeField(_l("Start of the new conference"), validators=[InputRequired()])


class CancelForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for the cancellation"), validators=[DataRequired(), Length(max=1000)]
    )


class AgendaItemForm(BaseForm):
    title = TextAreaField(_l("Item"), validators=[DataRequired(), Length(max=1000)])
    presenter_name, presenter_id = person_fields(_l("Presenter"))
    document_id = SelectField(_l("Document presented"), coerce=int)
    planned_start = DayTimeField(_l("Fixed start (optional)"), validators=[Optional()])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[Optional(), NumberRange(min=1, max=1440)]
    )


class DeleteForm(BaseForm):
    """A confirmation: the CSRF token and a button."""


class LocationForm(BaseForm):
    id_prefix = "location"
    venue_id = SelectField(_l("Venue"), coerce=int)
    host_name, host_id = person_fields(_l("Host"))


class AssignLocationForm(BaseForm):
    id_prefix = "assign"
    category_id = SelectField(_l("Invitees"), coerce=int)
    location_id = SelectField(_l("Location"), coerce=int)


class VenueForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(min=1, max=100000)])
    body_id = SelectField(_l("Belongs to"), coerce=int)
