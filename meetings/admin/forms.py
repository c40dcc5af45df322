from flask_babel import lazy_gettext as _l
from wtforms import DateField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from meetings.forms import BaseForm, options
from meetings.models import Role
from meetings.templating import ROLE_LABELS


def _role_choices():
    return options((role.value, ROLE_LABELS[role]) for role in Role)


class UserCreateForm(BaseForm):
    username = StringField(
        _l("Username"),
        validators=[
            DataRequired(),
            Length(max=80),
            Regexp(r"^[\w.@-]+$", message=_l("Letters, digits and . _ @ - only.")),
        ],
    )
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=_role_choices,
        default=Role.SECRETARIAT.value,  # not admin: the most powerful role is chosen on purpose
        validators=[DataRequired()],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("At least 10 characters, not the username, not a common password."),
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Create the account"))


class RoleForm(BaseForm):
    role = SelectField(_l("Role"), choices=_role_choices, validators=[DataRequired()])
    submit = SubmitField(_l("Change role"))


class TokenForm(BaseForm):
    name = StringField(
        _l("What the token is for"),
        validators=[Optional(), Length(max=100)],
        render_kw={"placeholder": _l("scanner at gate A")},
    )
    submit = SubmitField(_l("Create a token"))


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False  # a GET search form

    user = SelectField(_l("Who"), coerce=str, validators=[Optional()])
    action = StringField(_l("What"), validators=[Optional(), Length(max=60)])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Until"), validators=[Optional()])
    conference = SelectField(_l("Conference"), coerce=str, validators=[Optional()])
