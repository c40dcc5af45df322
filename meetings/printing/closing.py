"""The closing parts of a document, built once and laid out by every writer: the signature
blocks (HD 36-HD/VPTW, NĐ 30/2020) and the recipients block ("Nơi nhận:").

A signature block reads, top to bottom: the capacity ("T/M BAN THƯỜNG VỤ QUẬN ỦY", or
"CHỦ TRÌ HỘI NGHỊ"), the signer's position when signing on behalf of a collective ("BÍ THƯ"),
room to sign and seal, then the name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meetings.models import Layout, OrganisingBody

# Room to sign and seal between the position and the name, as every writer leaves it.
SIGN_SPACE_MM = 30


@dataclass(frozen=True)
class Signature:
    """One signature block: capital lines (bold), room to sign, the name (bold)."""

    titles: list[str]  # ["T/M BAN THƯỜNG VỤ QUẬN ỦY", "BÍ THƯ"]
    name: str = ""
    note: str = ""  # italic, under the titles: "(Ký, ghi rõ họ tên)"


def side_by_side(left: Signature, right: Signature) -> tuple[Signature, Signature]:
    """Two blocks on one line: the shorter title block gets blank lines, so both names sit
    at the same height."""
    lines = max(len(left.titles), len(right.titles))

    def padded(sig: Signature) -> Signature:
        return Signature(sig.titles + [""] * (lines - len(sig.titles)), sig.name, sig.note)

    return padded(left), padded(right)


# Share of the width for the left block when two signatures sit side by side: the right one
# ("T/M BAN THƯỜNG VỤ QUẬN ỦY") is the longer, and must not wrap "ỦY" onto a line of its own.
SIGNATURES_SPLIT = 0.42


@dataclass(frozen=True)
class Recipients:
    """ "Nơi nhận:" and its lines. Party documents (HD 36) end each line with a comma,
    state documents (NĐ 30) with a semicolon; the last line ends with a full stop."""

    layout: Layout
    items: list[str] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return "Nơi nhận:"

    @property
    def heading_style(self) -> tuple[float, bool, bool, bool]:
        """(size, bold, italic, underlined) of "Nơi nhận:": HD 36 writes it in 14 pt plain and
        underlined, NĐ 30 in 12 pt bold italic."""
        if self.layout == Layout.STATE:
            return 12, True, True, False
        return 14, False, False, True

    @property
    def item_size(self) -> float:
        """The recipients themselves: 12 pt (HD 36), 11 pt (NĐ 30)."""
        return 11 if self.layout == Layout.STATE else 12

    @property
    def lines(self) -> list[str]:
        stop = ";" if self.layout == Layout.STATE else ","
        cleaned = [item.strip().lstrip("-").strip().rstrip(",;.") for item in self.items]
        cleaned = [item for item in cleaned if item]
        return [
            f"- {item}{'.' if n == len(cleaned) else stop}"
            for n, item in enumerate(cleaned, start=1)
        ]


def collective(body: OrganisingBody) -> str:
    """Who a document is signed on behalf of: the standing committee, else the body."""
    return body.standing_committee_name or body.name


def on_behalf(body: OrganisingBody) -> str:
    """ "T/M BAN THƯỜNG VỤ QUẬN ỦY" (Party) or "TM. ỦY BAN NHÂN DÂN" (state: NĐ 30 names the
    collective without its place, which the letterhead already gives)."""
    name = collective(body)
    if body.layout == Layout.STATE:
        place = body.place_name or ""
        for suffix in (f" quận {place}", f" phường {place}", f" xã {place}", f" {place}"):
            if place and name.lower().endswith(suffix.lower()) and len(name) > len(suffix):
                name = name[: -len(suffix)]
                break
        return f"TM. {name.upper()}"
    return f"T/M {name.upper()}"


def position_in_body(position: str | None, body: OrganisingBody) -> str:
    """The position line under "T/M …" from a person's position: its last part, without the
    body's own name ("Thành ủy viên, Bí thư Quận ủy" → "Bí thư")."""
    if not position:
        return ""
    last = position.split(",")[-1].strip()
    names = [body.name]
    if body.place_name and body.name.endswith(body.place_name):
        names.append(body.name[: -len(body.place_name)].strip())  # "Quận ủy"
    for name in names:
        if name and last.lower().endswith(" " + name.lower()):
            return last[: -len(name)].strip()
    return last


def recipients_from(text: str | None, layout: Layout, default: list[str]) -> Recipients:
    """The recipients typed by the clerk, one a line, or the default."""
    items = [line for line in (text or "").splitlines() if line.strip()]
    return Recipients(layout, items or default)


def minutes_recipients_default(body: OrganisingBody) -> list[str]:
    return [f"Thường trực {body.name} (để báo cáo)", "Các đồng chí dự hội nghị", "Lưu Văn phòng"]


def letters_recipients_default(body: OrganisingBody) -> list[str]:
    return ["Như thành phần mời", "Lưu Văn phòng"]
