from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from meetings.forms import BaseForm
from meetings.models import DEFAULT_GRADES
from meetings.study.service import MAX_TEXT


class RoundForm(BaseForm):
    body_id = SelectField(_l("Organising body"), coerce=int)
    deadline = DateField(
        _l("Deadline (the reports are due by the end of this day)"), validators=[DataRequired()]
    )
    grade_scale = TextAreaField(
        _l("Grade scale, best first, one a line"),
        default="\n".join(DEFAULT_GRADES),
        validators=[DataRequired()],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Save"))


class SubmitForm(BaseForm):
    round_id = SelectField(coerce=int, validate_choice=False)
    body_text = TextAreaField(
        _l("Your report"), validators=[Optional(), Length(max=MAX_TEXT)], render_kw={"rows": 12}
    )
    upload = FileField(_l("Or attach a file (PDF or Word .docx)"))
    submit = SubmitField(_l("Hand in"))


class PaperForm(BaseForm):
    body_text = TextAreaField(
        _l("Note (optional)"), validators=[Optional(), Length(max=MAX_TEXT)], render_kw={"rows": 3}
    )
    upload = FileField(_l("Scan (PDF or Word .docx, optional)"))
    submit = SubmitField(_l("Record a report handed in on paper"))


class GradeForm(BaseForm):
    grade = SelectField(_l("Grade"), validators=[DataRequired()])
    comment = TextAreaField(
        _l("Comment (optional)"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 3}
    )
    submit = SubmitField(_l("Save the grade"))


class ExemptForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for the exemption"),
        validators=[DataRequired(), Length(max=500)],
        render_kw={"rows": 2, "placeholder": "Đảng viên cao tuổi được miễn"},
    )
    submit = SubmitField(_l("Exempt"))


class ReviewersForm(BaseForm):
    reviewers = SelectMultipleField(_l("Reviewers"), coerce=int, validate_choice=False)
    submit = SubmitField(_l("Save"))
