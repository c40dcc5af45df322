"""Forms of the seating pages: layouts, plans, reserved blocks and seat changes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from meetings.forms import BaseForm, options
from meetings.models import HallLayout, Precedence, Side
from meetings.seating.service import row_label

SEAT_CODE = Regexp(r"^\d{1,3}-\d{1,3}$", message=_l("Not a seat."))
PRECEDENCE_LABELS = {
    Precedence.CENTRE_OUT: _l("From the centre outwards"),
    Precedence.LEFT_TO_RIGHT: _l("Left to right"),
}
SIDE_LABELS = {
    Side.RIGHT: _l("On the first person's right"),
    Side.LEFT: _l("On the first person's left"),
}


def parse_seat(code: str) -> tuple[int, int]:
    """ "3-5" → (3, 5): row 3 (C), seat 5; row 0 is the presidium."""
    row, seat = code.split("-")
    return int(row), int(seat)


def row_choices(layout: HallLayout, presidium: bool = True) -> list:
    rows = [(r, row_label(r)) for r in range(1, layout.rows + 1)]
    if presidium and layout.presidium_places:
        rows.insert(0, (0, str(_l("Presidium"))))
    return options(rows)


class LayoutForm(BaseForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    rows = IntegerField(_l("Rows"), validators=[DataRequired(), NumberRange(1, 200)])
    seats_per_row = IntegerField(
        _l("Seats per row"), validators=[DataRequired(), NumberRange(1, 200)]
    )
    aisles = StringField(
        _l("Aisles after seats"),
        description=_l("Seat numbers an aisle follows, separated by commas: 6, 18"),
        validators=[Optional(), Length(max=200), Regexp(r"^[\d ,]*$", message=_l("Numbers only."))],
    )
    presidium_places = IntegerField(
        _l("Places at the presidium table"), default=0, validators=[NumberRange(0, 60)]
    )
    submit = SubmitField(_l("Save the layout"))

    def validate_aisles(self, field) -> None:
        numbers = [p.strip() for p in (field.data or "").split(",") if p.strip()]
        seats = self.seats_per_row.data or 0
        if any(not 1 <= int(n) < seats for n in numbers):
            field.errors.append(_l("An aisle must fall between two seats of a row."))
            return
        field.data = ",".join(str(n) for n in sorted({int(n) for n in numbers}))


class _Precedence(BaseForm):
    precedence = SelectField(
        _l("Order in a row"),
        choices=options(PRECEDENCE_LABELS.items()),
        default=Precedence.CENTRE_OUT.value,
    )
    second_side = SelectField(
        _l("The second person sits"), choices=options(SIDE_LABELS.items()), default="right"
    )


class PlanForm(_Precedence):
    location = SelectField(_l("Place"), coerce=int)
    layout = SelectField(_l("Hall layout"), coerce=int, validators=[DataRequired()])
    submit = SubmitField(_l("Create the plan"))


class SettingsForm(_Precedence):
    plate_rows = IntegerField(
        _l("Rows with name plates"), validators=[NumberRange(0, 200)], default=2
    )
    submit = SubmitField(_l("Save"))


class BlockForm(BaseForm):
    label = StringField(_l("Label"), validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category"), coerce=int)
    unit = SelectField(_l("Unit"), coerce=int)
    first_row = SelectField(_l("From row"), coerce=int)
    last_row = SelectField(_l("To row"), coerce=int)
    first_seat = IntegerField(_l("From seat"), validators=[DataRequired(), NumberRange(1, 200)])
    last_seat = IntegerField(_l("To seat"), validators=[DataRequired(), NumberRange(1, 200)])
    submit = SubmitField(_l("Reserve"))

    def __init__(self, layout: HallLayout, categories, units, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        rows = row_choices(layout, presidium=False)
        self.first_row.choices = self.last_row.choices = rows
        self.category.choices = options([(0, "—"), *((c.id, c.name) for c in categories)])
        self.unit.choices = options([(0, "—"), *((u.id, u.name) for u in units)])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        ok = True
        if not self.category.data and not self.unit.data:
            self.category.errors.append(_l("Choose a category, a unit, or both."))
            ok = False
        if self.last_row.data < self.first_row.data:
            self.last_row.errors.append(_l("The last row comes before the first."))
            ok = False
        if not self.first_seat.data <= self.last_seat.data <= self.layout.seats_per_row:
            self.last_seat.errors.append(
                _l("Seats run from 1 to %(n)s.", n=self.layout.seats_per_row)
            )
            ok = False
        return ok


class SeatActionForm(BaseForm):
    """What the editor's seat buttons send: move (or swap), lock, unlock, clear."""

    action = SelectField(
        choices=options((a, a) for a in ("move", "lock", "unlock", "clear")),
        validators=[DataRequired()],
    )
    source = HiddenField(validators=[DataRequired(), SEAT_CODE])
    target = HiddenField(validators=[Optional(), SEAT_CODE])


class PlaceForm(BaseForm):
    """Seat one invitee at a chosen seat (swapping with whoever sits there)."""

    invitation = SelectField(_l("Invitee"), coerce=int, validators=[DataRequired()])
    row = SelectField(_l("Row"), coerce=int)
    seat = IntegerField(_l("Seat"), validators=[DataRequired(), NumberRange(1, 200)])
    submit = SubmitField(_l("Seat here"))


class ActionForm(BaseForm):
    """A button alone (assign, reseed the presidium, delete a block): CSRF only."""
