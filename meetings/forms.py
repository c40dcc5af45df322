"""The base form: every text field arrives stripped, without control characters, in NFC."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from meetings.text import clean, clean_multiline


def _one_line(value):
    return clean(value) if isinstance(value, str) else value


def _multi_line(value):
    return clean_multiline(value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Text arrives stripped and in NFC (NFD input looks the same but compares unequal), and
    without control characters, which XML exports cannot hold."""

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


def options(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs: WTForms 3.3 deprecates bare tuples."""
    return [SelectChoice(value, label) for value, label in pairs]
