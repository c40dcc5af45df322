"""The organising body's header (Party: HD 36-HD/VPTW; state: NĐ 30/2020/NĐ-CP), built once
and drawn by every writer, and the document number line of each layout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from meetings.models import Layout, OrganisingBody
from meetings.printing.fonts import BOLD, ITALIC, REGULAR, register_fonts
from meetings.printing.typography import NB_HYPHEN
from meetings.text import clean, place_date_line

PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
STATE_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
STATE_MOTTO = "Độc lập - Tự do - Hạnh phúc"
# An unissued number leaves room for the clerk to write it in by hand.
BLANK_NUMBER = "\u00a0" * 6
# The narrowest text width a letterhead is drawn in (A4 less 30 + 15 mm margins), and what a
# column loses to cell margins: the columns are sized for it, so no writer breaks a name.
TEXT_WIDTH = 165 * mm
COLUMN_PAD = 6 * mm
_FONTS = {"plain": REGULAR, "bold": BOLD, "bold-rule": BOLD, "italic": ITALIC, "star": REGULAR}


def number_line(layout: Layout, number: int | None, kind_code: str, symbol: str) -> str:
    """ "Số 12-BB/QU" (Party, no colon) or "Số: 45/GM-UBND" (state), the hyphen non-breaking
    (U+2011; the PDF draws "-", DOCX writes Word's own); blank when not issued."""
    shown = f"{number:02d}" if number is not None else BLANK_NUMBER
    # The symbol's hyphen never breaks: "Số 133-" / "KH/QU" must not happen.
    if layout == Layout.STATE:
        return f"Số: {shown}/{kind_code}{NB_HYPHEN}{symbol}"
    return f"Số {shown}{NB_HYPHEN}{kind_code}/{symbol}"


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

    def _width(self, text: str, style: str) -> float:
        register_fonts()
        return stringWidth(text, _FONTS[style], self.size(style)) + COLUMN_PAD

    @cached_property
    def split(self) -> float:
        """Share of the width for the left column: what the right column's longest line
        leaves (the state title is long), at least what the left column's lines need, and
        never below the layout's customary share (45% Party, 40% state)."""
        right = max(self._width(text, style) for text, style in self.right)
        left = max(self._width(text, style) for text, style in self._left_lines(1.0))
        share = max(0.45 if self.is_party else 0.4, min(left / TEXT_WIDTH, 0.55))
        return min(share, 1 - right / TEXT_WIDTH)

    def _left_lines(self, share: float) -> list[tuple[str, str]]:
        lines = [(self.parent, "plain")] if self.parent else []
        lines += [(part, "bold") for part in self._broken(self.issuer, "bold", share)]
        # Party: a star under the issuing body; state: a short rule (drawn by the writer).
        lines.append(("*" if self.is_party else "", "star"))
        if self.number:
            lines.append((self.number, "plain"))
        return lines

    def _broken(self, text: str, style: str, share: float) -> list[str]:
        """The name on one line if it fits the column, else broken deliberately in two lines
        as even as the words allow ("ỦY BAN NHÂN DÂN" / "QUẬN CẦU GIẤY")."""
        if self._width(text, style) <= share * TEXT_WIDTH:
            return [text]
        words = text.split()
        cuts = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
        if not cuts:
            return [text]
        best = min(cuts, key=lambda c: max(self._width(c[0], style), self._width(c[1], style)))
        return list(best)

    @property
    def left(self) -> list[tuple[str, str]]:
        """(text, style) lines of the left column; style is "plain", "bold" or "star"."""
        return self._left_lines(self.split)

    @property
    def right(self) -> list[tuple[str, str]]:
        """(text, style) lines of the right column; "rule" means underlined by a short rule."""
        if self.is_party:
            return [(PARTY_NAME, "bold-rule"), ("", "plain"), (self.place_date, "italic")]
        return [(STATE_NAME, "bold"), (STATE_MOTTO, "bold-rule"), (self.place_date, "italic")]


def blank_date_line(place: str, year: int | None) -> str:
    """A date line to fill in by hand: "Cầu Giấy, ngày      tháng      năm 2023"."""
    gap = "\u00a0" * 6
    return f"{clean(place)}, ngày{gap}tháng{gap}năm {year or gap}"


def build_letterhead(
    body: OrganisingBody,
    kind_code: str | None,
    number: int | None,
    on: date | None,
    year: int | None = None,
) -> Letterhead:
    """`on` None leaves the date for the pen (in `year`, when given)."""
    return Letterhead(
        layout=body.layout,
        parent=body.parent_name.upper() if body.parent_name else None,
        issuer=body.name.upper(),
        number=number_line(body.layout, number, kind_code, body.symbol) if kind_code else None,
        place_date=place_date_line(body.place_name, on)
        if on
        else blank_date_line(body.place_name, year),
    )
