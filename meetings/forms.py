"""The base form: every text field arrives stripped, without control characters, in NFC, and
WTForms speaks the user's language."""

from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import TextInput

from meetings.text import N_, clean, clean_multiline

# WTForms and Flask-WTF ship no Vietnamese: their messages are marked here so that they land in
# the app's own catalogue. A plural is two msgids; Vietnamese has one form, English picks.
BUILTIN_MESSAGES = (
    N_("This field is required."),
    N_("Invalid input."),
    N_("Not a valid choice."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid choice(s): one or more data inputs could not be coerced."),
    N_("'%(value)s' is not a valid choice for this field."),
    N_("'%(value)s' are not valid choices for this field."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid time value."),
    N_("Field must be at least %(min)d character long."),
    N_("Field must be at least %(min)d characters long."),
    N_("Field cannot be longer than %(max)d character."),
    N_("Field cannot be longer than %(max)d characters."),
    N_("Field must be exactly %(max)d character long."),
    N_("Field must be exactly %(max)d characters long."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Date must be at least %(min)s."),
    N_("Date must be at most %(max)s."),
    N_("Date must be between %(min)s and %(max)s."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Invalid value, must be one of: %(values)s."),
    N_("Invalid value, can't be any of: %(values)s."),
    N_("Field must be equal to %(other_name)s."),
    N_("File does not have an approved extension."),
    N_("Invalid CSRF Token."),
    N_("CSRF token missing."),
    N_("CSRF failed."),
    N_("CSRF token expired."),
)


class _Messages:
    """What WTForms asks for its messages: the app's catalogue in the request's language."""

    def gettext(self, message: str) -> str:
        return get_translations().gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_MESSAGES = _Messages()


def _one_line(value):
    return clean(value) if isinstance(value, str) else value


def _multi_line(value):
    return clean_multiline(value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Text arrives stripped and in NFC (NFD input looks the same but compares unequal), and
    without control characters, which XML exports cannot hold.

    Inputs carry no maxlength: a browser cuts pasted text there without a word, mid-word;
    the Length validator refuses it with a message instead.

    A page may show several forms: the CSRF token renders without an id, and a form class
    that shares a page sets `id_prefix` so its fields' ids stay unique (names do not change).
    """

    id_prefix = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.id_prefix:
            for field in self:
                field.id = f"{self.id_prefix}-{field.id}"
                field.label.field_id = field.id

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            extra = ()
            if issubclass(field_class, TextAreaField):
                extra = (_multi_line,)
            elif issubclass(field_class, StringField) and not issubclass(
                field_class, PasswordField
            ):
                extra = (_one_line,)
            if extra:
                options["filters"] = (*unbound_field.kwargs.get("filters", ()), *extra)
            return unbound_field.bind(form=form, **options)

        def get_translations(self, form):
            return _MESSAGES

        def render_field(self, field, render_kw):
            if field.flags.maxlength:
                render_kw = {**render_kw, "maxlength": False}
            if field.type == "CSRFTokenField":
                render_kw = {**render_kw, "id": False}
            return super().render_field(field, render_kw)


# Day, month, year; then optionally hour and minute: 15/9/2031, 15-09-2031 8:00, 15.09.2031 8h30.
_DAY = re.compile(
    r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
    r"(?:[\s,]+(?P<H>\d{1,2})\s*[:hg.]\s*(?P<M>\d{2})?)?"
)
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::\d{2})?)?"
)


def parse_day_time(text: str | None) -> tuple[date, tuple[int, int] | None] | None:
    """(day, (hour, minute) or None) from dd/mm/yyyy [hh:mm], or the ISO form a browser or a
    script sends; None when it is neither or names no real day."""
    text = (text or "").strip()
    found = _DAY.fullmatch(text) or _ISO.fullmatch(text)
    if not found:
        return None
    try:
        day = date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return None
    if found["H"] is None:
        return day, None
    hour, minute = int(found["H"]), int(found["M"] or 0)
    if hour > 23 or minute > 59:
        return None
    return day, (hour, minute)


class DayField(Field):
    """A date typed and shown as dd/mm/yyyy, whatever the browser's locale (an <input
    type="date"> shows mm/dd/yyyy to a browser set to American English)."""

    widget = TextInput()
    display_format = "%d/%m/%Y"
    placeholder = "dd/mm/yyyy"

    def __init__(self, label=None, validators=None, render_kw=None, **kwargs):
        render_kw = {"placeholder": self.placeholder, "autocomplete": "off", **(render_kw or {})}
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self) -> str:
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime(self.display_format) if self.data else ""

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = " ".join(valuelist).strip() if valuelist else ""
        if not text:
            self.raw_data = []  # blank: InputRequired and Optional see no input
            return
        parsed = parse_day_time(text)
        if parsed is None or not self._accepts(parsed):
            raise ValueError(self.invalid_message)
        self.data = self._combine(*parsed)

    invalid_message = _l("Write the date as dd/mm/yyyy, e.g. 15/09/2031.")

    def _accepts(self, parsed) -> bool:
        return parsed[1] is None

    def _combine(self, day: date, _time) -> date:
        return day


class DayTimeField(DayField):
    """A date and a time typed and shown as dd/mm/yyyy hh:mm, on the 24-hour clock."""

    display_format = "%d/%m/%Y %H:%M"
    placeholder = "dd/mm/yyyy hh:mm"
    invalid_message = _l("Write the date and time as dd/mm/yyyy hh:mm, e.g. 15/09/2031 14:30.")

    def _accepts(self, parsed) -> bool:
        return parsed[1] is not None

    def _combine(self, day: date, time) -> datetime:
        return datetime(day.year, day.month, day.day, *time)


def options(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs: WTForms 3.3 deprecates bare tuples."""
    return [SelectChoice(value, label) for value, label in pairs]
