"""The base form: every text field arrives stripped and in NFC, and WTForms speaks the user's
language."""

from __future__ import annotations

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from meetings.text import clean, nfc


def N_(message: str) -> str:
    """Mark a msgid for extraction only: WTForms translates it when it shows it."""
    return message


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
    return nfc(value).strip() if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Text arrives stripped and in NFC: NFD input looks the same but compares unequal.

    Inputs carry no maxlength: a browser cuts pasted text there without a word, mid-word;
    the Length validator refuses it with a message instead."""

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
            return super().render_field(field, render_kw)


def options(pairs) -> list[SelectChoice]:
    """SelectField choices from (value, label) pairs: WTForms 3.3 deprecates bare tuples."""
    return [SelectChoice(value, label) for value, label in pairs]
