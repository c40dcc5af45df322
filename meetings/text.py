"""Vietnamese text, date and number helpers: normalising, searching, sorting, formatting."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache
from typing import TypeVar

__all__ = [
    "SHORT_CODE_ALPHABET",
    "attendance_phrase",
    "attendance_share",
    "citation_text",
    "clean",
    "clean_multiline",
    "collation_key",
    "date_line",
    "fold",
    "format_number",
    "format_percent",
    "make_short_code",
    "name_sort_key",
    "nfc",
    "normalize_phone",
    "normalize_short_code",
    "phrase_in_english",
    "place_date_line",
    "printable",
    "short_date",
    "time_phrase",
    "weekday_name",
]

_T = TypeVar("_T")

# Zero-width space and BOM: invisible in pasted text, yet they make equal names unequal.
_INVISIBLE = str.maketrans("", "", "\u200b\ufeff")
# Control characters (C0 but tab, line feed and carriage return; DEL; C1), lone surrogates
# and the non-characters U+FFFE/U+FFFF: pasted from other programs, they show as nothing,
# and XML (XLSX, DOCX) cannot hold them, so one such name used to break every export.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# --- Normalisation -----------------------------------------------------------------------


def nfc(value: _T) -> _T:
    """Return a str in NFC form; anything else (None included) is returned unchanged."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)  # type: ignore[return-value]
    return value


def printable(value: str) -> str:
    """The text without control characters (tab and line breaks stay) and without what XML
    cannot hold."""
    return _CONTROLS.sub("", value)


def N_(message: str) -> str:
    """Mark an English message for the catalogue only: it is translated where it is shown
    (babel extracts N_)."""
    return message


def clean(value: str | None) -> str | None:
    """NFC, drop control and zero-width chars, trim and collapse whitespace; None stays None,
    blank → ""."""
    if value is None:
        return None
    # Remove invisibles before NFC so a mark they separated from its letter still composes.
    text = unicodedata.normalize("NFC", printable(value).translate(_INVISIBLE))
    return " ".join(text.split())  # str.split() also splits on NBSP and other Zs spaces


def clean_multiline(value: str | None) -> str | None:
    """Text of several lines: NFC, no control or zero-width chars, line ends as \n, trimmed."""
    if value is None:
        return None
    text = printable(value.replace("\r\n", "\n").replace("\r", "\n")).translate(_INVISIBLE)
    return unicodedata.normalize("NFC", text).strip()


# --- Search ------------------------------------------------------------------------------

# đ (U+0111) has no decomposition; ð (U+00F0, what Ð folds to) is often typed for Đ.
_FOLD_LETTERS = str.maketrans({"đ": "d", "ð": "d"})


def fold(value: str) -> str:
    """Fold for accent- and case-insensitive search: "Nguyễn Văn Chiến" → "nguyen van chien"."""
    # NFD(casefold(NFD(x))) is Unicode's canonical caseless-matching recipe (§3.13).
    decomposed = unicodedata.normalize(
        "NFD", unicodedata.normalize("NFD", value.translate(_INVISIBLE)).casefold()
    )
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.translate(_FOLD_LETTERS).split())


# --- Sorting -----------------------------------------------------------------------------

# Vietnamese alphabet; f, j, w and z (loanwords, foreign names) slotted in Latin order.
_ALPHABET = (
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
)  # fmt: skip
# Keyed by NFD form: a base letter, or a base letter plus breve, circumflex or horn.
_LETTER_RANK = {unicodedata.normalize("NFD", c): rank for rank, c in enumerate(_ALPHABET)}
_MODIFIERS = frozenset("\u0306\u0302\u031b")  # breve (ă), circumflex (â ê ô), horn (ơ ư)
# Tone order chosen: the common dictionary order
# ngang (none) < huyền (grave) < hỏi (hook) < ngã (tilde) < sắc (acute) < nặng (dot below).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}

_WordKey = tuple[tuple[int, ...], tuple[int, ...]]


def _char_rank(base: str, marks: str) -> int:
    """Rank a letter: alphabet in Vietnamese order, ASCII symbols before it, the rest after."""
    for mark in marks:
        if mark in _MODIFIERS and base + mark in _LETTER_RANK:
            return _LETTER_RANK[base + mark]
    if base in _LETTER_RANK:
        return _LETTER_RANK[base]
    code = ord(base)
    return code - 0x80 if code < 0x80 else len(_ALPHABET) + code


def _clusters(decomposed: str) -> Iterator[tuple[str, str]]:
    """Split NFD text into (base character, its combining marks) pairs."""
    base, marks = "", ""
    for ch in decomposed:
        if unicodedata.combining(ch) and base:
            marks += ch
            continue
        if base:
            yield base, marks
        base, marks = ch, ""
    if base:
        yield base, marks


@lru_cache(maxsize=16384)  # a few thousand syllables make up nearly every name
def _word_key(word: str) -> _WordKey:
    """Key one syllable: its letters in alphabet order first, then its tone marks."""
    letters: list[int] = []
    tones: list[int] = []
    for base, marks in _clusters(unicodedata.normalize("NFD", word.lower())):
        letters.append(_char_rank(base, marks))
        tones.extend(_TONE_RANK[m] for m in marks if m in _TONE_RANK)
    # Tones as a sequence, not per position, so "hoà" and "hòa" (old and new accent
    # placement) tie here; the final tie-breaker of collation_key still tells them apart.
    return tuple(letters), tuple(tones)


def _words_key(words: Iterable[str]) -> tuple[_WordKey, ...]:
    """Key a run of syllables, compared syllable by syllable as dictionaries do."""
    return tuple(_word_key(word) for word in words)


def collation_key(value: str) -> tuple:
    """Sort key in Vietnamese alphabet order, case-insensitive, tones after letters per word."""
    text = clean(value) or ""
    words = text.split(" ") if text else []
    # Case, then the text itself, only break ties, so the order is total and deterministic
    # (lower case first, as in Unicode collation).
    return _words_key(words), tuple(ch.isupper() for ch in text), text


def name_sort_key(full_name: str) -> tuple:
    """Sort key for a Vietnamese name: given name (last word), then family name, then middle."""
    text = clean(full_name) or ""
    words = text.split(" ") if text else []
    given, family, middle = words[-1:], words[:-1][:1], words[1:-1]
    return _words_key(given), _words_key(family), _words_key(middle), collation_key(text)


# --- Dates and times ---------------------------------------------------------------------

_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def _month(d: date) -> str:
    """Month number, 1 and 2 zero-padded (NĐ 30/2020, HD 36-HD/VPTW) so none reads as 10-12."""
    return f"{d.month:02d}" if d.month < 3 else str(d.month)


def date_line(d: date) -> str:
    """Date as in a document's date line: "ngày 05 tháng 02 năm 2023", "ngày 15 tháng 9 …"."""
    return f"ngày {d.day:02d} tháng {_month(d)} năm {d.year}"


def place_date_line(place: str, d: date) -> str:
    """Place and date line "Cầu Giấy, ngày 15 tháng 9 năm 2023"; a blank place is a ValueError."""
    name = clean(place)
    if not name:
        raise ValueError("place_date_line needs a place name, got a blank one")
    return f"{name}, {date_line(d)}"


def short_date(d: date) -> str:
    """Date as cited in running text: "07/8/2023", "05/02/2024"."""
    return f"{d.day:02d}/{_month(d)}/{d.year}"


def citation_text(kind: str, symbol: str, day: date | None, issuer: str | None) -> str:
    """How a document is cited in running text: "Chỉ thị số 24-CT/TU ngày 07/8/2023 của …"."""
    text = f"{kind} số {symbol}"
    if day is not None:
        text += f" ngày {short_date(day)}"
    if issuer:
        text += f" của {issuer}"
    return text


def weekday_name(d: date) -> str:
    """Vietnamese weekday: "Thứ Hai" … "Thứ Bảy", "Chủ nhật"."""
    return _WEEKDAYS[d.weekday()]


def time_phrase(t: time) -> str:
    """Clock time as in minutes ("hồi 08 giờ 00"): "08 giờ 00", "14 giờ 30"; seconds dropped."""
    return f"{t.hour:02d} giờ {t.minute:02d}"


# --- Numbers -----------------------------------------------------------------------------


def format_number(n: int) -> str:
    """Integer with a dot between thousands: 2909 → "2.909", -1234 → "-1.234"."""
    if not isinstance(n, int):
        raise TypeError(f"format_number takes an int, got {type(n).__name__}")
    return f"{n:,}".replace(",", ".")


def format_percent(value: float | int | Decimal, digits: int = 2) -> str:
    """Percentage rounded half up to `digits` decimals, comma decimal, ",00" dropped: "95,56%"."""
    if digits < 0:
        raise ValueError(f"digits must be 0 or more, got {digits}")
    # repr() gives the shortest decimal that round-trips, i.e. what was typed: 1.005 stays
    # 1.005 and rounds to 1,01, where Decimal(1.005) would be 1.00499999… and round to 1,00.
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {value!r} as a percentage")
    with localcontext() as ctx:
        ctx.prec = max(ctx.prec, number.adjusted() + digits + 2)  # room for huge values
        rounded = number.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    sign = "-" if rounded < 0 else ""  # -0,001 rounds to zero and prints as "0%"
    decimals = f",{fraction}" if fraction.strip("0") else ""
    return f"{sign}{format_number(int(whole))}{decimals}%"


def attendance_share(present: int, total: int) -> Decimal:
    """present/total as a percentage, rounded half up to two decimals, yet never 100 while
    someone is missing nor 0 while someone came: 29.999/30.000 is 99,99%, 1/30.000 is 0,01%."""
    share = (Decimal(present) * 100 / Decimal(total)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    if share == 100 and present < total:
        return Decimal("99.99")
    if share == 0 and present > 0:
        return Decimal("0.01")
    return share


def attendance_phrase(present: int, total: int, substitutes: int = 0) -> str:
    """Attendance as "2.909/3.044, đạt 95,56%"; with total 0 just "0/0", no percentage.
    Substitutes among those present are said: "…, đạt 95,24% (trong đó 2 đồng chí dự thay)"."""
    if present < 0 or total < 0 or substitutes < 0:
        raise ValueError(f"attendance counts cannot be negative: {present}/{total}")
    counts = f"{format_number(present)}/{format_number(total)}"
    if total:
        counts += f", đạt {format_percent(attendance_share(present, total))}"
    if substitutes:
        counts += f" (trong đó {format_number(substitutes)} đồng chí dự thay)"
    return counts


_PHRASE = re.compile(
    r"(?P<counts>[\d.]+/[\d.]+)(?:, đạt (?P<share>[\d.,]+)%)?"
    r"(?: \(trong đó (?P<substitutes>[\d.]+) đồng chí dự thay\))?"
)


def phrase_in_english(phrase: str) -> str:
    """An attendance_phrase for an English page: "2,909/3,044, 95.56% (2 substitutes)".
    Documents stay Vietnamese; only what a page shows is rewritten. Anything else as is."""
    match = _PHRASE.fullmatch(phrase or "")
    if not match:
        return phrase

    def english(number: str) -> str:  # Vietnamese "2.909,5" → English "2,909.5"
        return number.translate(str.maketrans({".": ",", ",": "."}))

    text = english(match["counts"])
    if match["share"]:
        text += f", {english(match['share'])}%"
    if match["substitutes"]:
        text += f" ({english(match['substitutes'])} substitutes)"
    return text


# --- Phone numbers -----------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s.()\-\u2013]+")  # spaces, dots, parentheses, - and –
_PHONE_CHARS = re.compile(r"\+?[0-9]+")
# Since the 2018 renumbering: mobiles are 10 digits 03x/05x/07x/08x/09x; landlines are
# 11 digits, area code 02xx (024 Hà Nội, 028 TP.HCM, 0236 Đà Nẵng …).
_MOBILE = re.compile(r"0[35789][0-9]{8}")
_LANDLINE = re.compile(r"02[0-9]{9}")


def _with_trunk_zero(national: str) -> str:
    """Domestic form of a number written after +84; "+84 (0) 912…" already has its 0."""
    return national if national.startswith("0") else "0" + national


def _phone_candidates(compact: str) -> Iterator[str]:
    """Domestic 0… forms that a compacted number could stand for, most likely first."""
    if compact.startswith("+"):
        if compact.startswith("+84"):
            yield _with_trunk_zero(compact[3:])
        return
    if compact.startswith("0084"):
        yield _with_trunk_zero(compact[4:])
        return
    if compact.startswith("84"):
        yield _with_trunk_zero(compact[2:])  # 84912345678; 841234567 falls through to 084…
    # A spreadsheet that stored the number as an integer dropped its leading zero.
    yield compact if compact.startswith("0") else "0" + compact


def normalize_phone(value: str | None) -> str | None:
    """Phone number in domestic form "0912345678"; None if blank, ValueError if implausible."""
    # Accepted: +84, 0084, 84 or 0 prefixes, or a lost leading 0, with spaces, dots, dashes
    # and parentheses; the result must be a 10-digit mobile or an 11-digit landline.
    if value is None:
        return None
    compact = _PHONE_SEPARATORS.sub("", value)
    if not compact:
        return None
    if not _PHONE_CHARS.fullmatch(compact):
        raise ValueError(
            f"{value!r} is not a phone number: only digits, a leading +, spaces, dots, "
            "dashes and parentheses are allowed"
        )
    for candidate in _phone_candidates(compact):
        if _MOBILE.fullmatch(candidate) or _LANDLINE.fullmatch(candidate):
            return candidate
    raise ValueError(
        f"{value!r} is not a Vietnamese phone number: expected a 10-digit mobile such as "
        "0912345678 or an 11-digit landline such as 02437654321, optionally written with +84"
    )


# --- Short codes -------------------------------------------------------------------------

# Upper-case letters and digits without 0/O and 1/I/L, which people misread and mistype.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_SHORT_CODE_NOISE = re.compile(r"[\s\-\u2013]+")


def make_short_code(length: int = 8) -> str:
    """Random code of `length` characters from SHORT_CODE_ALPHABET, drawn with `secrets`."""
    if length < 1:
        raise ValueError(f"a short code needs at least one character, got length {length}")
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(length))


def normalize_short_code(value: str) -> str:
    """Upper-case a typed code and drop spaces and dashes; ValueError if blank or off-alphabet."""
    # No confusable is mapped: 0, O, 1, I and L never occur in a code, so guessing which
    # character was meant could only turn a typo into somebody else's valid code.
    code = _SHORT_CODE_NOISE.sub("", value).upper()
    if not code:
        raise ValueError("the code is empty")
    wrong = sorted({ch for ch in code if ch not in SHORT_CODE_ALPHABET})
    if wrong:
        raise ValueError(
            f"the code {value!r} contains {''.join(wrong)!r}; codes use only "
            f"{SHORT_CODE_ALPHABET} (never 0, O, 1, I or L)"
        )
    return code
