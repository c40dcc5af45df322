"""The organising body's header (Party: HD 36-HD/VPTW; state: NĐ 30/2020/NĐ-CP), built once
and drawn by every writer, and the document number line of each layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from meetings.models import Layout, OrganisingBody
from meetings.text import place_date_line

PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# An unissued number leaves room for the clerk to write it in by hand.
BLANK_NUMBER = "\u00a0" * 6


def number_line(layout: Layout, number: int | None, kind_code: str, symbol: str) -> str:
    """ "Số 12-BB/QU" (Party, no colon) or "Số: 45/GM-UBND" (state); blank when not issued."""
    shown = f"{number:02d}" if number is not None else BLANK_NUMBER
    if layout == Layout.STATE:
        return f"Số: {shown}/{kind_code}-{symbol}"
    return f"Số {shown}-{kind_code}/{symbol}"


@dataclass(frozen=True)
class Letterhead:
    """Both header columns as lines of text; writers only lay them out."""

    layout: Layout
    parent: str | None  # capitals, regular
    issuer: str  # capitals, bold
    number: str | None  # "Số 12-BB/QU"; None for a list without a number
    place_date: str  # italic: "Cầu Giấy, ngày 15 tháng 9 năm 2023"

    @property
    def is_party(self) -> bool:
        return self.layout == Layout.PARTY

    def size(self, style: str) -> float:
        """Point size of a header line: HD 36-HD/VPTW sets 15 for "ĐẢNG CỘNG SẢN VIỆT NAM"
        and 14 for the rest; NĐ 30/2020 sets 12–13 for the national title and the names, 13–14
        for the motto."""
        if self.is_party:
            return 15 if style == "bold-rule" else 14
        return 13 if style in ("bold-rule", "italic") else 12

    @property
    def split(self) -> float:
        """Share of the width for the left column: the state title needs a wider right one."""
        return 0.45 if self.is_party else 0.4

    @property
    def left(self) -> list[tuple[str, str]]:
        """(text, style) lines of the left column; style is "plain", "bold" or "star"."""
        lines = [(self.parent, "plain")] if self.parent else []
        lines.append((self.issuer, "bold"))
        # Party: a star under the issuing body; state: a short rule (drawn by the writer).
        lines.append(("*" if self.is_party else "", "star"))
        if self.number:
            lines.append((self.number, "plain"))
        return lines

    @property
    def right(self) -> list[tuple[str, str]]:
        """(text, style) lines of the right column; "rule" means underlined by a short rule."""
        if self.is_party:
            return [(PARTY_NAME, "bold-rule"), ("", "plain"), (self.place_date, "italic")]
        return [(STATE_NAME, "bold"), (STATE_MOTTO, "bold-rule"), (self.place_date, "italic")]


def build_letterhead(
    body: OrganisingBody, kind_code: str | None, number: int | None, on: date
) -> Letterhead:
    return Letterhead(
        layout=body.layout,
        parent=body.parent_name.upper() if body.parent_name else None,
        issuer=body.name.upper(),
        number=number_line(body.layout, number, kind_code, body.symbol) if kind_code else None,
        place_date=place_date_line(body.place_name, on),
    )
