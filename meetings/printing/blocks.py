"""The text of the minutes as (style, text) blocks: built once from the Minutes data and laid
out alike by the PDF, DOCX and HTML writers, so every format says the same words."""

from __future__ import annotations

from meetings.printing.data import Minutes, lower_first
from meetings.printing.typography import keep_symbols
from meetings.text import format_number

DOTS = "." * 200  # a line for the pen; each writer cuts it to its line width


def list_items(texts: list[str]) -> list[tuple[str, str]]:
    """ "- a;" … "- z.": list lines as (style, text) blocks, the last one closing the list."""
    return [
        ("item", f"- {text}{'.' if n == len(texts) else ';'}")
        for n, text in enumerate(texts, start=1)
    ]


def _absence_blocks(m: Minutes) -> list[tuple[str, str]]:
    if not m.absent_count:
        return []
    if not m.annex:
        return [("body", f"Vắng mặt {m.absent_count} đồng chí:"), *list_items(m.absentees)]
    reasons = [f"{reason}: {format_number(n)} đồng chí" for reason, n in m.reasons]
    return [
        (
            "body",
            f"Vắng mặt {format_number(m.absent_count)} đồng chí (danh sách tại Phụ lục kèm "
            "theo biên bản), trong đó:",
        ),
        *list_items(reasons),
    ]


def minutes_blocks(m: Minutes) -> list[tuple[str, str]]:
    """The minutes as (style, text) blocks: the one text every writer lays out."""
    blocks = [
        ("title", "BIÊN BẢN"),
        ("subtitle", m.conference_title),
        ("heading", "I. THỜI GIAN, ĐỊA ĐIỂM"),
        ("body", f"Hội nghị bắt đầu hồi {m.started}."),
        ("body", f"Địa điểm: {m.place}."),
        ("body", f"Đơn vị tổ chức: {m.organiser}."),
        ("heading", "II. THÀNH PHẦN"),
        ("body", f"Chủ trì hội nghị: {m.chair}."),
        ("body", f"Thư ký hội nghị: {m.secretary}."),
        (
            "body",
            f"Đại biểu triệu tập: {format_number(m.invited)} đồng chí; có mặt: "
            f"{m.attendance}. Cụ thể:",
        ),
    ]
    blocks += list_items([f"{c.name}: {c.phrase}" for c in m.by_category])
    if m.by_location:
        blocks.append(("body", "Theo điểm cầu:"))
        blocks += list_items([f"{place}: {total}" for place, total in m.by_location])
    blocks += _absence_blocks(m)
    if m.substitutes:
        blocks.append(("body", f"Dự thay: {len(m.substitutes)} đồng chí:"))
        blocks += list_items(m.substitutes)
    if m.walk_ins:
        blocks.append(
            ("body", f"Đại biểu không có trong danh sách mời: {len(m.walk_ins)} đồng chí:")
        )
        blocks += list_items(m.walk_ins)
    blocks.append(("heading", "III. NỘI DUNG"))
    for number, section in enumerate(m.sections, start=1):
        blocks.append(("body", f"{number}. {section.heading}."))
        blocks.append(("dots", "2"))
    blocks += [
        ("heading", "IV. Ý KIẾN THẢO LUẬN"),
        ("dots", "8"),
        ("heading", "V. KẾT LUẬN CỦA CHỦ TRÌ HỘI NGHỊ"),
        ("dots", "8"),
        ("body", f"Hội nghị kết thúc hồi {m.ended}."),
    ]
    return [(kind, keep_symbols(text)) for kind, text in blocks]


ANNEX_HEADERS = ["STT", "Họ và tên", "Chức vụ", "Đơn vị", "Lý do vắng"]


def annex_title(m: Minutes) -> list[str]:
    """The annex's heading lines: "PHỤ LỤC", what it lists, what it belongs to."""
    number = f" số {m.letterhead.number.split(' ', 1)[1]}" if m.number else ""
    return [
        "PHỤ LỤC",
        "DANH SÁCH ĐẠI BIỂU VẮNG MẶT",
        keep_symbols(f"(Kèm theo Biên bản{number} {lower_first(m.conference_title)})"),
    ]
