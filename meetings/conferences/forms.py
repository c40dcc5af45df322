from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from meetings.forms import BaseForm, options
from meetings.models import ConferenceKind

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]

KIND_CHOICES = options(
    [
        (ConferenceKind.DISSEMINATION.value, _l("Dissemination")),
        (ConferenceKind.PRELIMINARY_REVIEW.value, _l("Preliminary review")),
        (ConferenceKind.FINAL_REVIEW.value, _l("Final review")),
        (ConferenceKind.OTHER.value, _l("Other")),
    ]
)


def person_fields(label) -> tuple[StringField, HiddenField]:
    """A person from the directory: the name typed (with suggestions) and the chosen id."""
    return StringField(label, validators=[Optional(), Length(max=300)]), HiddenField()


class ConferenceForm(BaseForm):
    title = TextAreaField(_l("Title"), validators=[DataRequired(), Length(max=2000)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)
    body_id = SelectField(_l("Organised by"), coerce=int)
    starts_at = DateTimeLocalField(
        _l("Starts"), format=DATETIME_FORMATS, validators=[DataRequired()]
    )
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[DataRequired()])
    venue_id = SelectField(_l("Venue (main hall)"), coerce=int)
    chair_name, chair_id = person_fields(_l("Chair"))
    secretary_name, secretary_id = person_fields(_l("Secretary"))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    requirements = TextAreaField(
        _l("Requirements (dress, documents to bring)"), validators=[Optional(), Length(max=2000)]
    )


class PostponeForm(BaseForm):
    starts_at = DateTimeLocalField(
        _l("New start"), format=DATETIME_FORMATS, validators=[DataRequired()]
    )
    ends_at = DateTimeLocalField(
        _l("New end"), format=DATETIME_FORMATS, validators=[DataRequired()]
    )


class DuplicateForm(BaseForm):
    starts_at = DateTimeLocalField(
        _l("Start of the new conference"), format=DATETIME_FORMATS, validators=[DataRequired()]
    )


class CancelForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for the cancellation"), validators=[DataRequired(), Length(max=1000)]
    )


class AgendaItemForm(BaseForm):
    title = TextAreaField(_l("Item"), validators=[DataRequired(), Length(max=1000)])
    presenter_name, presenter_id = person_fields(_l("Presenter"))
    document_id = SelectField(_l("Document presented"), coerce=int)
    planned_start = DateTimeLocalField(
        _l("Fixed start (optional)"), format=DATETIME_FORMATS, validators=[Optional()]
    )
    duration_minutes = IntegerField(
        _l("Duration (minutes)"), validators=[Optional(), NumberRange(min=1, max=1440)]
    )


class LocationForm(BaseForm):
    venue_id = SelectField(_l("Venue"), coerce=int)
    host_name, host_id = person_fields(_l("Host"))


class AssignLocationForm(BaseForm):
    category_id = SelectField(_l("Invitees"), coerce=int)
    location_id = SelectField(_l("Location"), coerce=int)


class VenueForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    capacity = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(min=1, max=100000)])
    body_id = SelectField(_l("Belongs to"), coerce=int)
