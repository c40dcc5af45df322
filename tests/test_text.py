"""Tests for meetings.text: Vietnamese normalising, search folding, sorting and formatting."""

import random
import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings.text import (
    SHORT_CODE_ALPHABET,
    attendance_phrase,
    clean,
    collation_key,
    date_line,
    fold,
    format_number,
    format_percent,
    make_short_code,
    name_sort_key,
    nfc,
    normalize_phone,
    normalize_short_code,
    place_date_line,
    short_date,
    time_phrase,
    weekday_name,
)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# Vietnamese-heavy text, so hypothesis spends its budget on the letters that matter.
vietnamese_text = st.text(
    alphabet=st.sampled_from(
        "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ"
        "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
        "ÀÁẠẶẤỆỐỜỰ \u00a0\t-.0123456789\u0300\u0301\u0303\u0309\u0323"
    )
)
any_text = st.one_of(st.text(), vietnamese_text)


# --- nfc / clean -------------------------------------------------------------------------


def test_nfc_composes_decomposed_text():
    assert nfc(nfd("Nguyễn Văn Chiến")) == "Nguyễn Văn Chiến"
    assert len(nfc(nfd("ễ"))) == 1


@pytest.mark.parametrize("value", [None, 42, b"bytes", ["list"]])
def test_nfc_passes_non_strings_through(value):
    assert nfc(value) is value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", ""),
        ("   ", ""),
        ("\u00a0\t\n", ""),
        ("  Nguyễn   Văn\u00a0\u00a0Chiến \n", "Nguyễn Văn Chiến"),
        ("Trần\u200bThị", "TrầnThị"),
        ("\ufeffCầu Giấy", "Cầu Giấy"),
        (nfd(" Đảng ủy  phường "), "Đảng ủy phường"),
        # A zero-width space between a letter and its tone mark must not block composition.
        ("e\u200b\u0301", "é"),
    ],
)
def test_clean(raw, expected):
    assert clean(raw) == expected


@given(any_text)
def test_clean_is_idempotent_and_nfc(text):
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip()
    assert "  " not in cleaned


# --- fold --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Nguyễn Văn Chiến", "nguyen van chien"),
        ("Dịch Vọng", "dich vong"),
        ("ĐẢNG ỦY PHƯỜNG", "dang uy phuong"),
        ("đ/c Đặng Thị Ấn", "d/c dang thi an"),
        ("Ðỗ Hữu Ưng", "do huu ung"),  # U+00D0 typed for Đ
        ("  Bí thư\u00a0(hoặc  Phó Bí thư) ", "bi thu (hoac pho bi thu)"),
        ("Chỉ thị số 24-CT/TU", "chi thi so 24-ct/tu"),
        ("", ""),
    ],
)
def test_fold(raw, expected):
    assert fold(raw) == expected
    assert fold(nfd(raw)) == expected


def test_folded_query_finds_name():
    assert fold("nguyen van chien") in fold("Đ/c Nguyễn Văn Chiến, Bí thư")


@given(any_text)
def test_fold_is_idempotent_and_form_independent(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(nfd(text)) == folded
    assert fold(unicodedata.normalize("NFC", text)) == folded
    assert not any(unicodedata.combining(ch) for ch in folded)
    assert "đ" not in folded and "Đ" not in folded


@given(vietnamese_text)
def test_fold_of_vietnamese_is_ascii(text):
    assert fold(text).isascii()


# --- collation_key -----------------------------------------------------------------------

ALPHABET_ORDER = list("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
TONE_ORDER = ["ma", "mà", "mả", "mã", "má", "mạ"]  # ngang, huyền, hỏi, ngã, sắc, nặng


def shuffled(items, seed=7):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def test_alphabet_order():
    assert sorted(shuffled(ALPHABET_ORDER), key=collation_key) == ALPHABET_ORDER


def test_alphabet_order_upper_case():
    upper = [c.upper() for c in ALPHABET_ORDER]
    assert sorted(shuffled(upper), key=collation_key) == upper


def test_tone_order():
    assert sorted(shuffled(TONE_ORDER), key=collation_key) == TONE_ORDER


def test_d_stroke_sorts_before_e_not_after_z():
    assert sorted(["Zô", "Đức", "Dung", "Em"]) == ["Dung", "Em", "Zô", "Đức"]  # code points
    assert sorted(["Zô", "Đức", "Dung", "Em"], key=collation_key) == ["Dung", "Đức", "Em", "Zô"]


@pytest.mark.parametrize(
    ("smaller", "larger"),
    [
        ("Hoa", "Hòa"),  # same letters: tone decides
        ("Hòa", "Hoan"),  # letters before tones: not "ò" > "o"
        ("Hạnh", "Hằng"),  # a < ă
        ("Hằng", "Hoa"),  # ă < o
        ("Hùng", "Hưng"),  # u < ư
        ("Thông", "Thơm"),  # ô < ơ
        ("Tâm", "Tuấn"),
        ("ba", "ba ba"),  # a prefix first
        ("ba ba", "bà"),  # syllable by syllable, as dictionaries order entries
        ("Lê", "Lê Văn"),
        ("", "a"),
        ("an", "An"),  # case only breaks ties: lower case first
        ("An", "anh"),
    ],
)
def test_collation_pairs(smaller, larger):
    assert collation_key(smaller) < collation_key(larger)


def test_collation_ignores_case_before_letters():
    assert sorted(["b", "A", "đ", "D"], key=collation_key) == ["A", "b", "D", "đ"]


def test_old_and_new_accent_placement_tie_before_the_last_resort():
    old, new = collation_key("hoà"), collation_key("hòa")
    assert old[0] == new[0]
    assert old != new


@given(any_text)
def test_collation_key_same_for_nfd_and_nfc(text):
    assert collation_key(nfd(text)) == collation_key(unicodedata.normalize("NFC", text))


@given(any_text, any_text)
def test_collation_key_is_a_total_order(a, b):
    ka, kb = collation_key(a), collation_key(b)
    assert (ka < kb) + (ka == kb) + (ka > kb) == 1
    assert (ka == kb) == (clean(a) == clean(b))


# --- name_sort_key -----------------------------------------------------------------------

NAMES_IN_ORDER = [
    "Lê Thị An",
    "Nguyễn Văn An",  # same given name: family name Lê < Nguyễn
    "Đỗ Thị Ánh",  # "anh" after "an"
    "Phạm Văn Ân",  # a < â
    "Hoàng Văn Dũng",
    "Đào Duy Đức",  # d < đ
    "Ngô Thị Hằng",  # ă < o
    "Trần Thị Phương Hoa",  # among the H's, not the P's or T's
    "Vũ Thị Hòa",  # tone after letters
    "Bùi Văn Hoan",
    "Đặng Văn Hùng",
    "Lý Văn Hưng",  # u < ư
    "Dương Văn Sơn",  # same given name: Dương < Đỗ < Trương
    "Đỗ Văn Sơn",
    "Trương Công Sơn",
    "Nguyễn Thị Yến",
]


@pytest.mark.parametrize("seed", range(5))
def test_names_sort_by_given_then_family_name(seed):
    assert sorted(shuffled(NAMES_IN_ORDER, seed), key=name_sort_key) == NAMES_IN_ORDER


def test_names_sort_the_same_in_nfd():
    decomposed = [nfd(name) for name in shuffled(NAMES_IN_ORDER)]
    assert sorted(decomposed, key=name_sort_key) == [nfd(name) for name in NAMES_IN_ORDER]


def test_middle_name_breaks_tie_after_family_name():
    names = ["Nguyễn Văn An", "Nguyễn Thị An", "Lê Văn An"]
    assert sorted(names, key=name_sort_key) == ["Lê Văn An", "Nguyễn Thị An", "Nguyễn Văn An"]


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_name_sorts_first(blank):
    assert sorted(["Trần Thị Hoa", blank, "An"], key=name_sort_key) == [blank, "An", "Trần Thị Hoa"]


def test_single_word_name_sorts_by_that_word():
    names = ["Nguyễn Văn Bình", "Hoa", "Lê An"]
    assert sorted(names, key=name_sort_key) == ["Lê An", "Nguyễn Văn Bình", "Hoa"]


@given(st.lists(any_text, max_size=8))
def test_name_sort_is_total_and_input_order_independent(names):
    keys = [name_sort_key(name) for name in names]
    for a, ka in zip(names, keys, strict=True):
        for b, kb in zip(names, keys, strict=True):
            assert (ka < kb) + (ka == kb) + (ka > kb) == 1
            assert (ka == kb) == (clean(a) == clean(b))
    ordered = [clean(n) for n in sorted(names, key=name_sort_key)]
    assert ordered == [clean(n) for n in sorted(reversed(names), key=name_sort_key)]


# --- dates and times ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected_line", "expected_short"),
    [
        (date(2023, 9, 15), "ngày 15 tháng 9 năm 2023", "15/9/2023"),
        (date(2023, 8, 7), "ngày 07 tháng 8 năm 2023", "07/8/2023"),
        (date(2023, 2, 5), "ngày 05 tháng 02 năm 2023", "05/02/2023"),
        (date(2024, 2, 5), "ngày 05 tháng 02 năm 2024", "05/02/2024"),
        (date(2023, 11, 20), "ngày 20 tháng 11 năm 2023", "20/11/2023"),
        (date(2023, 8, 28), "ngày 28 tháng 8 năm 2023", "28/8/2023"),
        (date(2020, 3, 5), "ngày 05 tháng 3 năm 2020", "05/3/2020"),
        (date(2018, 4, 3), "ngày 03 tháng 4 năm 2018", "03/4/2018"),
        (date(2023, 2, 23), "ngày 23 tháng 02 năm 2023", "23/02/2023"),
    ],
)
def test_date_examples(day, expected_line, expected_short):
    assert date_line(day) == expected_line
    assert short_date(day) == expected_short


MONTH_TEXT = ["01", "02", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]


@pytest.mark.parametrize("month", range(1, 13))
def test_leading_zero_rule_for_every_month(month):
    text = MONTH_TEXT[month - 1]
    assert date_line(date(2025, month, 1)) == f"ngày 01 tháng {text} năm 2025"
    assert date_line(date(2025, month, 10)) == f"ngày 10 tháng {text} năm 2025"
    assert short_date(date(2025, month, 9)) == f"09/{text}/2025"


def test_date_line_accepts_datetime():
    assert date_line(datetime(2023, 9, 15, 8, 0)) == "ngày 15 tháng 9 năm 2023"


@pytest.mark.parametrize(
    ("place", "expected"),
    [
        ("Cầu Giấy", "Cầu Giấy, ngày 15 tháng 9 năm 2023"),
        (nfd("  Cầu  Giấy "), "Cầu Giấy, ngày 15 tháng 9 năm 2023"),
    ],
)
def test_place_date_line(place, expected):
    assert place_date_line(place, date(2023, 9, 15)) == expected


@pytest.mark.parametrize("place", ["", "   "])
def test_place_date_line_rejects_blank_place(place):
    with pytest.raises(ValueError, match="place"):
        place_date_line(place, date(2023, 9, 15))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 9, 11), "Thứ Hai"),
        (date(2023, 9, 12), "Thứ Ba"),
        (date(2023, 9, 13), "Thứ Tư"),
        (date(2023, 9, 14), "Thứ Năm"),
        (date(2023, 9, 15), "Thứ Sáu"),
        (date(2023, 9, 16), "Thứ Bảy"),
        (date(2023, 9, 17), "Chủ nhật"),
    ],
)
def test_weekday_name(day, expected):
    assert weekday_name(day) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (time(8, 0), "08 giờ 00"),
        (time(14, 30), "14 giờ 30"),
        (time(7, 5, 59), "07 giờ 05"),
        (time(0, 0), "00 giờ 00"),
        (time(23, 59), "23 giờ 59"),
    ],
)
def test_time_phrase(moment, expected):
    assert time_phrase(moment) == expected


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (2909, "2.909"),
        (3044, "3.044"),
        (30000, "30.000"),
        (-1234, "-1.234"),
        (1234567, "1.234.567"),
    ],
)
def test_format_number(n, expected):
    assert format_number(n) == expected


@pytest.mark.parametrize("value", [1.5, "12", Decimal("3")])
def test_format_number_rejects_non_integers(value):
    with pytest.raises(TypeError):
        format_number(value)


@given(st.integers())
def test_format_number_round_trips(n):
    text = format_number(n)
    assert int(text.replace(".", "")) == n
    assert re.fullmatch(r"-?\d{1,3}(\.\d{3})*", text)


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (95.56, 2, "95,56%"),
        (100, 2, "100%"),
        (100.0, 2, "100%"),
        (50, 2, "50%"),
        (100 / 3, 2, "33,33%"),
        (95.5, 2, "95,50%"),  # only an all-zero fraction is dropped
        (0.125, 2, "0,13%"),  # half up, not half even
        (1.005, 2, "1,01%"),  # as typed, not as the float's binary expansion
        (2.675, 2, "2,68%"),
        (-0.001, 2, "0%"),  # no "-0%"
        (-12.345, 2, "-12,35%"),
        (99.995, 2, "100%"),
        (95.56, 0, "96%"),
        (95.5649, 1, "95,6%"),
        (1234.5, 1, "1.234,5%"),
        (Decimal("66.665"), 2, "66,67%"),
        (0, 2, "0%"),
    ],
)
def test_format_percent(value, digits, expected):
    assert format_percent(value, digits) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_format_percent_rejects_non_finite(value):
    with pytest.raises(ValueError):
        format_percent(value)


def test_format_percent_rejects_negative_digits():
    with pytest.raises(ValueError):
        format_percent(50, -1)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_format_percent_reads_back_within_half_a_unit(value):
    text = format_percent(value)
    assert text.endswith("%")
    number = Decimal(text[:-1].replace(".", "").replace(",", "."))
    assert abs(number - Decimal(repr(value))) <= Decimal("0.005")


@pytest.mark.parametrize(
    ("present", "total", "expected"),
    [
        # Rounded half up (issue 18): 2909/3044 is 95,565…%, 80/84 is 95,238…%.
        (2909, 3044, "2.909/3.044, đạt 95,57%"),
        (80, 84, "80/84, đạt 95,24%"),
        (79, 84, "79/84, đạt 94,05%"),
        (29999, 30000, "29.999/30.000, đạt 99,99%"),  # never 100% with someone missing
        (199999, 200000, "199.999/200.000, đạt 99,99%"),
        (1, 30000, "1/30.000, đạt 0,01%"),  # never 0% when someone came
        (3044, 3044, "3.044/3.044, đạt 100%"),
        (1, 3, "1/3, đạt 33,33%"),
        (2, 3, "2/3, đạt 66,67%"),
        (1, 2, "1/2, đạt 50%"),
        (0, 12, "0/12, đạt 0%"),
        (0, 0, "0/0"),
    ],
)
def test_attendance_phrase(present, total, expected):
    assert attendance_phrase(present, total) == expected


def test_attendance_phrase_says_the_substitutes():
    assert attendance_phrase(80, 84, substitutes=2) == (
        "80/84, đạt 95,24% (trong đó 2 đồng chí dự thay)"
    )
    assert attendance_phrase(80, 84, substitutes=0) == "80/84, đạt 95,24%"


@pytest.mark.parametrize(("present", "total"), [(-1, 10), (1, -10)])
def test_attendance_phrase_rejects_negative_counts(present, total):
    with pytest.raises(ValueError):
        attendance_phrase(present, total)


# --- phone numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("0912-345-678", "0912345678"),
        ("(091) 234-5678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84 (0) 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0084 912 345 678", "0912345678"),
        ("912345678", "0912345678"),  # leading zero lost in a spreadsheet
        ("\u00a00912\u00a0345\u00a0678 ", "0912345678"),
        ("0326 123 456", "0326123456"),
        ("0841234567", "0841234567"),  # a real 084 prefix, not +84
        ("841234567", "0841234567"),
        ("024 3765 4321", "02437654321"),
        ("(024) 3765.4321", "02437654321"),
        ("+84 24 3765 4321", "02437654321"),
        ("0236 3821 234", "02363821234"),
        ("2437654321", "02437654321"),
    ],
)
def test_normalize_phone(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   ", " - . ( ) "])
def test_normalize_phone_blank_is_none(raw):
    assert normalize_phone(raw) is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("091234567", "not a Vietnamese phone number"),  # 9 digits
        ("09123456789", "not a Vietnamese phone number"),  # 11-digit mobile
        ("024376543", "not a Vietnamese phone number"),  # short landline
        ("0437654321", "not a Vietnamese phone number"),  # pre-2017 Hà Nội landline
        ("01234567890", "not a Vietnamese phone number"),  # pre-2018 11-digit mobile
        ("+1 212 555 0100", "not a Vietnamese phone number"),
        ("0912 ABC 678", "only digits"),
        ("0912345678 ext 12", "only digits"),
        ("09+12345678", "only digits"),
        ("0912345678 / 0987654321", "only digits"),
    ],
)
def test_normalize_phone_rejects_implausible_numbers(raw, message):
    with pytest.raises(ValueError, match=message):
        normalize_phone(raw)


@given(st.from_regex(r"0[35789][0-9]{8}|02[0-9]{9}", fullmatch=True))
def test_normalize_phone_keeps_normal_form_and_reads_international(number):
    assert normalize_phone(number) == number
    assert normalize_phone("+84 " + number[1:]) == number
    spaced = " ".join(number[i : i + 3] for i in range(0, len(number), 3))
    assert normalize_phone(spaced) == number


# --- short codes -------------------------------------------------------------------------


def test_short_code_alphabet_has_no_confusable_characters():
    assert not set("0O1IL") & set(SHORT_CODE_ALPHABET)
    assert len(set(SHORT_CODE_ALPHABET)) == len(SHORT_CODE_ALPHABET) == 31
    assert SHORT_CODE_ALPHABET.isupper() and SHORT_CODE_ALPHABET.isascii()


@pytest.mark.parametrize("length", [1, 6, 8, 12])
def test_make_short_code(length):
    code = make_short_code(length)
    assert len(code) == length
    assert set(code) <= set(SHORT_CODE_ALPHABET)


def test_make_short_code_default_length_and_randomness():
    codes = {make_short_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 8 for code in codes)


def test_make_short_code_rejects_zero_length():
    with pytest.raises(ValueError):
        make_short_code(0)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("AB7K-9XPQ", "AB7K9XPQ"),
        ("ab7k 9xpq", "AB7K9XPQ"),
        ("  ab7k–9xpq\n", "AB7K9XPQ"),
    ],
)
def test_normalize_short_code(typed, expected):
    assert normalize_short_code(typed) == expected


@pytest.mark.parametrize("typed", ["", " - ", "AB0K9XPQ", "ABOK9XPQ", "ab1k", "abik", "abl", "ẢB"])
def test_normalize_short_code_rejects_blank_and_foreign_characters(typed):
    with pytest.raises(ValueError):
        normalize_short_code(typed)


@given(st.integers(min_value=1, max_value=16))
def test_short_code_survives_display_formatting(length):
    code = make_short_code(length)
    displayed = "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    assert normalize_short_code(displayed) == code
