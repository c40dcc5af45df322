from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from meetings.documents.service import KINDS
from meetings.forms import BaseForm, options


class DocumentForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=options((k, k) for k in KINDS))
    symbol = StringField(
        _l("Number and symbol"),
        validators=[DataRequired(), Length(max=60)],
        description=_l("As printed: 24-CT/TU, 30/2020/NĐ-CP, 1234/QĐ-UBND"),
    )
    number = StringField(_l("Number"), validators=[Optional(), Length(max=20)])
    issued_on = DateField(_l("Date issued"), validators=[Optional()])
    issuer = StringField(_l("Issued by"), validators=[Optional(), Length(max=300)])
    title = TextAreaField(_l("Summary (trích yếu)"), validators=[Optional()])
    attachment = FileField(_l("Attachment (PDF or DOCX)"))
