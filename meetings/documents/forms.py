from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from meetings.documents.service import KINDS
from meetings.forms import BaseForm, DayField, options

# The kinds are data in Vietnamese (what a citation names); lists show them in the user's
# language. Vietnamese shows the kind itself.
KIND_LABELS = {
    "Chỉ thị": _l("Directive"),
    "Nghị quyết": _l("Resolution"),
    "Quy định": _l("Regulation"),
    "Kết luận": _l("Conclusion"),
    "Kế hoạch": _l("Plan"),
    "Hướng dẫn": _l("Guidance"),
    "Thông báo": _l("Notice"),
    "Quyết định": _l("Decision"),
    "Nghị định": _l("Decree"),
    "Thông tư": _l("Circular"),
    "Luật": _l("Law"),
    "Công văn": _l("Official letter"),
    "Chương trình": _l("Programme"),
    "Đề án": _l("Scheme"),
    "Quy chế": _l("Rules of procedure"),
    "Báo cáo": _l("Report"),
    "Thông tri": _l("Instruction note"),
    "Công điện": _l("Official dispatch"),
    "Tờ trình": _l("Submission"),
    "Nghị quyết liên tịch": _l("Joint resolution"),
    "Thông tư liên tịch": _l("Joint circular"),
    "Bộ luật": _l("Code (law)"),
    "Pháp lệnh": _l("Ordinance"),
    "Lệnh": _l("Order"),
    "Thông cáo": _l("Communiqué"),
    "Dự án": _l("Project"),
    "Phương án": _l("Option plan"),
    "Giấy mời": _l("Invitation letter"),
    "Biên bản": _l("Minutes"),
    "Hợp đồng": _l("Contract"),
}


class DocumentForm(BaseForm):
    kind = SelectField(_l("Kind"), choices=options((k, KIND_LABELS.get(k, k)) for k in KINDS))
    symbol = StringField(
        _l("Number and symbol"),
        validators=[DataRequired(), Length(max=60)],
        description=_l("As printed: 24-CT/TU, 30/2020/NĐ-CP, 1234/QĐ-UBND"),
    )
    number = StringField(_l("Number"), validators=[Optional(), Length(max=20)])
    issued_on = DayField(_l("Date issued"), validators=[Optional()])
    issuer = StringField(_l("Issued by"), validators=[Optional(), Length(max=300)])
    title = TextAreaField(_l("Summary (trích yếu)"), validators=[Optional()])
    attachment = FileField(_l("Attachment (PDF or DOCX)"))
