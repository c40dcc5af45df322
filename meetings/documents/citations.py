"""Find citations of Party and state documents in Vietnamese running text.

    "Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội về …"
    → Citation(kind="Chỉ thị", number="24", symbol="24-CT/TU", date=2023-08-07,
               issuer="Ban Thường vụ Thành ủy Hà Nội", start=0, end=68)

A citation is anchored on its symbol (số ký hiệu): Party symbols are number-KIND/ISSUER
(24-CT/TU), state symbols number/KIND-ISSUER with an optional year (1234/QĐ-UBND,
30/2020/NĐ-CP), laws number/year/QHxx. The kind word before it ("Quy định số 144-QĐ/TW") names
the kind; without one the kind is inferred from the code. Matching runs on the NFC form of the
text and the offsets are mapped back to the string as given.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from meetings.text import citation_text

__all__ = ["Citation", "format_citation", "parse_citations"]


@dataclass(frozen=True)
class Citation:
    """One cited document; `start`/`end` index the string given to `parse_citations`."""

    kind: str  # full name: "Chỉ thị", "Quy định"
    number: str  # as written: "05"
    symbol: str  # canonical: "144-QĐ/TW", "30/2020/NĐ-CP"
    date: datetime.date | None
    issuer: str | None  # as written (NFC): "Ban Thường vụ Thành ủy Hà Nội"
    start: int
    end: int


def format_citation(c: Citation) -> str:
    """Running-text form of a parsed citation."""
    return citation_text(c.kind, c.symbol, c.date, c.issuer)


# --- Vocabulary ------------------------------------------------------------------------------

# Kind words as written before a number → the kind reported (None: infer it from the code).
_KIND_WORDS: dict[str, str | None] = {
    "Chỉ thị": "Chỉ thị",
    "Kế hoạch": "Kế hoạch",
    "Quy định": "Quy định",
    "Nghị quyết": "Nghị quyết",
    "Nghị quyết liên tịch": "Nghị quyết liên tịch",
    "Kết luận": "Kết luận",
    "Hướng dẫn": "Hướng dẫn",
    "Thông báo": "Thông báo",
    "Thông báo kết luận": "Thông báo",
    "Thông cáo": "Thông cáo",
    "Quyết định": "Quyết định",
    "Nghị định": "Nghị định",
    "Thông tư": "Thông tư",
    "Thông tư liên tịch": "Thông tư liên tịch",
    "Luật": "Luật",
    "Bộ luật": "Bộ luật",
    "Pháp lệnh": "Pháp lệnh",
    "Lệnh": "Lệnh",
    "Công văn": "Công văn",
    "Công điện": "Công điện",
    "Quy chế": "Quy chế",
    "Chương trình": "Chương trình",
    "Chương trình hành động": "Chương trình",
    "Đề án": "Đề án",
    "Dự án": "Dự án",
    "Phương án": "Phương án",
    "Báo cáo": "Báo cáo",
    "Tờ trình": "Tờ trình",
    "Thông tri": "Thông tri",
    "Giấy mời": "Giấy mời",
    "Biên bản": "Biên bản",
    "Văn bản": None,
}
# Lower-case "luật" is mostly "kỷ luật" and "lệnh" an order: only capitalised ones name a kind.
_CAPITAL_ONLY = frozenset({"Luật", "Lệnh"})

# Kind codes (HD 36-HD/VPTW for the Party, NĐ 30/2020/NĐ-CP for the state) → kind.
_CODE_KINDS: dict[str, str] = {
    "NQ": "Nghị quyết",
    "NQLT": "Nghị quyết liên tịch",
    "QĐ": "Quyết định",
    "QĐi": "Quy định",  # Party
    "QyĐ": "Quy định",  # state
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "QC": "Quy chế",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
    "TC": "Thông cáo",
    "BC": "Báo cáo",
    "KH": "Kế hoạch",
    "CTr": "Chương trình",
    "ĐA": "Đề án",
    "DA": "Dự án",  # state only; a Party "DA" is a mistyped ĐA
    "PA": "Phương án",
    "TTr": "Tờ trình",
    "BB": "Biên bản",
    "GM": "Giấy mời",
    "CV": "Công văn",
    "NĐ": "Nghị định",
    "CĐ": "Công điện",
    "HĐ": "Hợp đồng",
    "TT": "Thông tư",  # state; a Party TT is a Thông tri
    "TTLT": "Thông tư liên tịch",
}
# Codes in which a typed D stands for Đ. Not HĐ: HD is a code of its own (Hướng dẫn).
_D_FOR_Đ = ("QĐ", "QĐi", "QyĐ", "NĐ", "CĐ")


def _code_spellings() -> dict[str, str]:
    """Every accepted spelling of a kind code → its canonical form ("QDI" → "QĐi")."""
    spellings: dict[str, str] = {}
    for code in _CODE_KINDS:
        forms = {code, code.upper()}
        if code in _D_FOR_Đ:
            forms |= {form.replace("Đ", "D") for form in forms}
        spellings.update(dict.fromkeys(forms, code))
    return spellings


_CODE_SPELLINGS = _code_spellings()

# Issuer codes: whole segments and parts in which D was typed for Đ (UBND keeps its D).
_ORG_SEGMENTS = {"DU": "ĐU", "DUK": "ĐUK", "DD": "ĐĐ", "BCD": "BCĐ", "BCSD": "BCSĐ", "TTG": "TTg"}
_ORG_PARTS = (
    ("TƯ", "TW"),  # "18-NQ/TƯ" in the press; the symbol itself says TW
    ("HDND", "HĐND"),
    ("GDDT", "GDĐT"),
    ("KHDT", "KHĐT"),
    ("LDTBXH", "LĐTBXH"),
    ("DHQG", "ĐHQG"),
)

# Words that end an issuer ("của Quận ủy về thực hiện …", "của Thành ủy gắn với …").
_ISSUER_STOP_WORDS = frozenset({
    "về", "v/v", "gắn", "để", "nhằm", "theo", "đã", "đang", "sẽ", "thì", "trong", "với", "tại",
    "là", "được", "cho", "kèm", "nay", "ngày", "nêu", "mà", "nhưng", "khi", "nếu", "sau",
    "trước", "đến", "tới", "từ",
})  # fmt: skip
# The same typed without accents, where that cannot be part of a name ("dang" can: Đảng).
_ISSUER_STOP_WORDS_UNACCENTED = frozenset({"ve", "nham", "theo", "duoc", "gan", "ngay"})
_ISSUER_STOP_PAIRS = frozenset(
    {"ban hành", "quy định", "hướng dẫn", "thực hiện", "triển khai", "nhân dịp"}
)
_ISSUER_MAX_WORDS = 16


# --- Patterns --------------------------------------------------------------------------------


def _bare(ch: str) -> str:
    """The letter without its diacritics: "ế" → "e", "Đ" → "D"."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    return unicodedata.normalize("NFD", ch)[0]


def _fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: "CHỈ  THỊ", "Chi thi" → "chi thi"."""
    return " ".join("".join(_bare(ch) for ch in text.lower()).split())


_KIND_BY_FOLD = {_fold(word): kind for word, kind in _KIND_WORDS.items()}


def _word(phrase: str, capital: bool = False) -> str:
    """Regex for a phrase in any case, accented or typed without accents."""
    parts = []
    for i, ch in enumerate(phrase):
        if ch == " ":
            parts.append(r"[^\S\n]+")
            continue
        forms = {ch.upper(), _bare(ch.upper())}
        if not (capital and i == 0):
            forms |= {ch.lower(), _bare(ch.lower())}
        parts.append("[" + "".join(sorted(forms)) + "]")
    return "".join(parts)


def _alternation(patterns: list[str]) -> str:
    return "(?:" + "|".join(patterns) + ")"


_SP = r"[^\S\n]"  # white space within one line
_HYPHEN = "[-\u2010\u2011\u2012\u2013\u2212]"
_NUM = "[0-9]{1,5}"
_YEAR = "(?:19|20)[0-9]{2}"

# Longest first, so "Thông tư liên tịch" wins over "Thông tư".
_KIND_WORDS_LONGEST_FIRST = sorted(_KIND_WORDS, key=len, reverse=True)
_KIND = _alternation([_word(w, capital=w in _CAPITAL_ONLY) for w in _KIND_WORDS_LONGEST_FIRST])
# Only a capitalised kind word takes a name: lower-case "thông báo cho …" is a verb.
_KIND_CAPITALISED = _alternation([_word(w, capital=True) for w in _KIND_WORDS_LONGEST_FIRST])
_SO = rf"(?<!\w){_word('số')}(?:{_SP}*:)?{_SP}*"
_CUA = _word("của")

# Between a capitalised kind word and "số": the document's name ("Luật Cán bộ, công chức số
# 22/2008/QH12"). It may not run into another kind word, a "của" or a number.
_TITLE_STOP = rf"(?<!\w)(?:{_KIND}|{_CUA}|{_word('số')})(?!\w)"
_TITLE = rf"(?:(?!{_TITLE_STOP})[^\d\n;.():\"“”/\[\]!?]){{1,60}}?"

_CODE = _alternation([re.escape(s) for s in sorted(_CODE_SPELLINGS, key=len, reverse=True)])
_ORG_SEGMENT = "(?:TTg|[A-ZĐƯ][A-ZĐƯ0-9]*)"
_ORG = rf"{_ORG_SEGMENT}(?:{_HYPHEN}{_ORG_SEGMENT})*"

_PARTY_SYMBOL = (
    rf"(?P<p_num>{_NUM}){_SP}?{_HYPHEN}{_SP}?(?P<p_code>{_CODE}){_SP}?/{_SP}?(?P<p_org>{_ORG})"
)
_STATE_SYMBOL = (
    rf"(?P<s_num>{_NUM}){_SP}?/{_SP}?(?:"
    # a law or a resolution of the National Assembly's Standing Committee: 45/2019/QH14
    rf"(?P<law_year>{_YEAR}){_SP}?/{_SP}?(?P<law_org>(?:UBTV)?QH[0-9]{{1,2}})(?![\w/])"
    rf"|(?:(?P<s_year>{_YEAR}){_SP}?/{_SP}?)?"
    rf"(?:(?P<s_code>{_CODE}){_HYPHEN}(?P<s_org>{_ORG})"
    # a công văn has no kind code: 1234/UBND-VP
    rf"|(?P<cv_org>{_ORG_SEGMENT}(?:{_HYPHEN}{_ORG_SEGMENT})+)))"
)
_SYMBOL = rf"(?<![\w/.\-\u2010-\u2013\u2212])(?:{_PARTY_SYMBOL}|{_STATE_SYMBOL})(?![\w/])"

# The kind word right before the number is tried before one with a name in between, so that
# "Thông tư liên tịch số …" is not read as "Thông tư" named "liên tịch".
_CITATION = re.compile(
    rf"(?:(?<!\w)(?P<kind>{_KIND}){_SP}+(?:{_SO})?"
    rf"|(?<!\w)(?P<titled_kind>{_KIND_CAPITALISED}){_SP}+{_TITLE}{_SP}+{_SO}"
    rf"|{_SO})?"
    rf"{_SYMBOL}"
)

_DATE_BODY = (
    rf"(?:(?P<d>[0-9]{{1,2}}){_SP}?(?P<sep>[/.\-\u2013]){_SP}?(?P<m>[0-9]{{1,2}})"
    rf"{_SP}?(?P=sep){_SP}?(?P<y>[0-9]{{4}})"
    rf"|(?P<vd>[0-9]{{1,2}}){_SP}+{_word('tháng')}{_SP}+(?P<vm>[0-9]{{1,2}}){_SP}*,?{_SP}*"
    rf"{_word('năm')}{_SP}+(?P<vy>[0-9]{{4}}))(?![0-9])"
)
_DATE = re.compile(_DATE_BODY)
# A date right after the symbol (or the issuer): ", ban hành ngày 07/8/2023", " 7 tháng 8 năm …".
_DATE_AFTER = re.compile(
    rf"{_SP}*,?{_SP}*(?:{_word('ban hành')}{_SP}+)?(?:{_word('ngày')}{_SP}*)?{_DATE_BODY}"
)
_ISSUER_LEAD = re.compile(rf"{_SP}*,?{_SP}*{_CUA}{_SP}+")
# Issuer tokens: a word, or a character that ends the phrase. A dot inside a word (TP.HCM) stays.
_ISSUER_TOKEN = re.compile(
    r"(?P<stop>[;,:!?…()\[\]{}\"“”‘’\n]|\.(?!\w))"
    r"|(?P<word>(?:[^\s;,:!?…()\[\]{}\"“”‘’.]|\.(?=\w))+)"
)
_NEXT_WORD = re.compile(r"[^\S\n]+(\S+)")
_HYPHEN_ONLY = re.compile(rf"{_HYPHEN}+")
_KIND_AHEAD = re.compile(rf"{_KIND}(?!\w)")


# --- Offsets ---------------------------------------------------------------------------------


class _Normalised:
    """The NFC form of a text, with a map from its positions back to the original string.

    NFC composes "e" + U+0302 + U+0301 into "ế", so lengths change. The text is cut into
    pieces that normalise independently; a position inside a piece maps to the piece's start
    (for a start offset) or its end (for an end offset).
    """

    def __init__(self, original: str) -> None:
        self.text = unicodedata.normalize("NFC", original)
        self._starts: list[int] | None = None  # None: NFC left the text as it was
        self._ends: list[int] = []
        if self.text != original:
            self._build_map(original)

    def _build_map(self, original: str) -> None:
        pieces = _nfc_pieces(original)
        if "".join(nfc for _, _, nfc in pieces) != self.text:
            pieces = [(0, len(original), self.text)]  # never expected; coarse but in range
        self._starts, self._ends = [], [0]
        for start, end, nfc in pieces:
            self._starts.extend([start] * len(nfc))
            self._ends.extend([end] * len(nfc))
        self._starts.append(len(original))

    def start(self, pos: int) -> int:
        return pos if self._starts is None else self._starts[pos]

    def end(self, pos: int) -> int:
        return pos if self._starts is None else self._ends[pos]


def _nfc_pieces(text: str) -> list[tuple[int, int, str]]:
    """Cut text into (start, end, NFC of the piece) whose NFC forms concatenate to NFC(text).

    Cuts go before each character of combining class 0; two such clusters are joined when they
    compose with each other (Hangul jamo, some Indic vowels).
    """
    cuts = [i for i, ch in enumerate(text) if i == 0 or unicodedata.combining(ch) == 0]
    cuts.append(len(text))
    pieces: list[tuple[int, int, str]] = []
    start, end = cuts[0], cuts[1]
    current = unicodedata.normalize("NFC", text[start:end])
    for nxt_end in cuts[2:]:
        nxt = unicodedata.normalize("NFC", text[end:nxt_end])
        joined = unicodedata.normalize("NFC", text[start:nxt_end])
        if joined == current + nxt:
            pieces.append((start, end, current))
            start, current = end, nxt
        else:
            current = joined
        end = nxt_end
    pieces.append((start, end, current))
    return pieces


# --- Parsing ---------------------------------------------------------------------------------


def parse_citations(text: str) -> list[Citation]:
    """Every document citation in `text`, in order of appearance. Never raises."""
    if not text:
        return []
    norm = _Normalised(text)
    matches = list(_CITATION.finditer(norm.text))
    citations = []
    for i, match in enumerate(matches):
        limit = matches[i + 1].start() if i + 1 < len(matches) else len(norm.text)
        citations.append(_citation(match, norm, limit))
    return citations


def _citation(match: re.Match[str], norm: _Normalised, limit: int) -> Citation:
    """Build one citation from a symbol match, reading its date and issuer that follow."""
    text = norm.text
    kind_word = match["titled_kind"] or match["kind"]
    kind_named = _KIND_BY_FOLD.get(_fold(kind_word)) if kind_word else None
    number, symbol, inferred = _symbol(match, kind_named)

    end = match.end()
    date_match = _DATE_AFTER.match(text, end, limit)
    if date_match:
        end = date_match.end()
    issuer, issuer_end = _issuer(text, end, limit)
    if issuer:
        end = issuer_end
        if not date_match:  # "… của UBND thành phố ngày 5/3/2024"
            date_match = _DATE_AFTER.match(text, end, limit)
            end = date_match.end() if date_match else end

    return Citation(
        kind=kind_named or inferred,
        number=number,
        symbol=symbol,
        date=_date(date_match) if date_match else None,
        issuer=issuer,
        start=norm.start(match.start()),
        end=norm.end(end),
    )


def _symbol(match: re.Match[str], kind: str | None) -> tuple[str, str, str]:
    """(number as written, canonical symbol, kind inferred from the code) of a symbol match."""
    if match["p_num"]:
        code = _canonical_code(match["p_code"], party=True, kind=kind)
        symbol = f"{match['p_num']}-{code}/{_canonical_org(match['p_org'])}"
        inferred = "Thông tri" if code == "TT" else _CODE_KINDS[code]
        return match["p_num"], symbol, inferred
    number = match["s_num"]
    if match["law_org"]:
        org = match["law_org"]
        inferred = "Nghị quyết" if org.startswith("UBTV") else "Luật"
        return number, f"{number}/{match['law_year']}/{org}", inferred
    year = f"{match['s_year']}/" if match["s_year"] else ""
    if match["cv_org"]:
        return number, f"{number}/{year}{_canonical_org(match['cv_org'])}", "Công văn"
    code = _canonical_code(match["s_code"], party=False, kind=kind)
    symbol = f"{number}/{year}{code}-{_canonical_org(match['s_org'])}"
    return number, symbol, _CODE_KINDS[code]


def _canonical_code(typed: str, *, party: bool, kind: str | None) -> str:
    code = _CODE_SPELLINGS[typed]
    # DA is a state Dự án; in a Party symbol, or named "Đề án", it is ĐA typed without the bar.
    if code == "DA" and (party or kind == "Đề án"):
        return "ĐA"
    return code


def _canonical_org(org: str) -> str:
    """Issuer code with hyphens unified and D put back to Đ where it stands for it."""
    segments = []
    for segment in re.split(_HYPHEN, org):
        segment = segment.upper()
        segment = _ORG_SEGMENTS.get(segment, segment)
        for typed, right in _ORG_PARTS:
            segment = segment.replace(typed, right)
        segments.append(segment)
    return "-".join(segments)


def _date(match: re.Match[str]) -> datetime.date | None:
    """The date of a _DATE_BODY match; None for an impossible one (31/02/2023)."""
    names = ("d", "m", "y") if match["d"] is not None else ("vd", "vm", "vy")
    day, month, year = (int(match[name]) for name in names)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _issuer(text: str, pos: int, limit: int) -> tuple[str | None, int]:
    """The issuer after "của" at `pos` and where it ends; (None, pos) when there is none."""
    lead = _ISSUER_LEAD.match(text, pos, limit)
    if not lead:
        return None, pos
    words: list[re.Match[str]] = []
    for token in _ISSUER_TOKEN.finditer(text, lead.end(), limit):
        if token["stop"] or len(words) == _ISSUER_MAX_WORDS or _ends_issuer(text, token):
            break
        words.append(token)
    while words and _HYPHEN_ONLY.fullmatch(words[-1][0]):
        words.pop()
    if not words:
        return None, pos
    return text[words[0].start() : words[-1].end()], words[-1].end()


def _ends_issuer(text: str, token: re.Match[str]) -> bool:
    """Whether this word no longer belongs to the issuer's name."""
    word = token["word"].lower()
    if word in _ISSUER_STOP_WORDS or word in _ISSUER_STOP_WORDS_UNACCENTED:
        return True
    if _DATE.match(text, token.start()):
        return True
    following = _NEXT_WORD.match(text, token.end())
    if following and f"{word} {following[1].lower()}" in _ISSUER_STOP_PAIRS:
        return True
    if word == "và":
        # "Bộ Giáo dục và Đào tạo" goes on; "… Hà Nội và Kế hoạch số …", "… và các …" stop.
        return not (
            following
            and following[1][0].isupper()
            and not _KIND_AHEAD.match(text, following.start(1))
        )
    return False
