"""Tests for the citation parser: real citation forms, the seed article, offsets, properties."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings.documents.citations import Citation, format_citation, parse_citations

SEED = Path("/work/shared/seeds/000_a6e1ea2754a5097d.txt")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fields(c: Citation) -> tuple[str, str, str, date | None, str | None]:
    return (c.kind, c.number, c.symbol, c.date, c.issuer)


def only(text: str) -> Citation:
    """The single citation in `text`, its offsets checked against the input."""
    found = parse_citations(text)
    assert len(found) == 1, found
    return found[0]


# --- Real citation forms ---------------------------------------------------------------------

# (running text, (kind, number, symbol, date, issuer), the part of the text the citation covers)
REAL_CASES = [
    (
        "quán triệt Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng "
        "khóa XII về một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy",
        (
            "Nghị quyết",
            "18",
            "18-NQ/TW",
            date(2017, 10, 25),
            "Ban Chấp hành Trung ương Đảng khóa XII",
        ),
        "Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII",
    ),
    (
        "Quy định số 144-QĐ/TW ngày 09/5/2024 của Bộ Chính trị về chuẩn mực đạo đức cách mạng",
        ("Quy định", "144", "144-QĐ/TW", date(2024, 5, 9), "Bộ Chính trị"),
        "Quy định số 144-QĐ/TW ngày 09/5/2024 của Bộ Chính trị",
    ),
    (
        "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo",
        ("Chỉ thị", "05", "05-CT/TW", date(2016, 5, 15), "Bộ Chính trị"),
        "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị",
    ),
    (
        "Kết luận số 21-KL/TW ngày 25/10/2021 của Hội nghị lần thứ tư Ban Chấp hành Trung ương "
        "Đảng khóa XIII về đẩy mạnh xây dựng, chỉnh đốn Đảng",
        (
            "Kết luận",
            "21",
            "21-KL/TW",
            date(2021, 10, 25),
            "Hội nghị lần thứ tư Ban Chấp hành Trung ương Đảng khóa XIII",
        ),
        "Kết luận số 21-KL/TW ngày 25/10/2021 của Hội nghị lần thứ tư Ban Chấp hành Trung ương "
        "Đảng khóa XIII",
    ),
    (
        "Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị về chủ trương khuyến khích",
        ("Kết luận", "14", "14-KL/TW", date(2021, 9, 22), "Bộ Chính trị"),
        "Kết luận số 14-KL/TW ngày 22/9/2021 của Bộ Chính trị",
    ),
    (
        "theo Quyết định số 99-QĐ/TW ngày 03/10/2017 của Ban Bí thư ban hành hướng dẫn khung",
        ("Quyết định", "99", "99-QĐ/TW", date(2017, 10, 3), "Ban Bí thư"),
        "Quyết định số 99-QĐ/TW ngày 03/10/2017 của Ban Bí thư",
    ),
    (
        "Hướng dẫn số 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng về thể thức",
        ("Hướng dẫn", "36", "36-HD/VPTW", date(2018, 4, 3), "Văn phòng Trung ương Đảng"),
        "Hướng dẫn số 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng",
    ),
    (
        "Hướng dẫn số 16-HD/VPTW ngày 23/02/2023 về ghi biên bản",
        ("Hướng dẫn", "16", "16-HD/VPTW", date(2023, 2, 23), None),
        "Hướng dẫn số 16-HD/VPTW ngày 23/02/2023",
    ),
    (
        "Hướng dẫn số 05-HD/BTGTW ngày 10/6/2021 của Ban Tuyên giáo Trung ương",
        ("Hướng dẫn", "05", "05-HD/BTGTW", date(2021, 6, 10), "Ban Tuyên giáo Trung ương"),
        "Hướng dẫn số 05-HD/BTGTW ngày 10/6/2021 của Ban Tuyên giáo Trung ương",
    ),
    (
        "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư",
        ("Nghị định", "30", "30/2020/NĐ-CP", date(2020, 3, 5), "Chính phủ"),
        "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ",
    ),
    (
        "Thông tư số 01/2011/TT-BNV ngày 19/01/2011 của Bộ Nội vụ hướng dẫn thể thức",
        ("Thông tư", "01", "01/2011/TT-BNV", date(2011, 1, 19), "Bộ Nội vụ"),
        "Thông tư số 01/2011/TT-BNV ngày 19/01/2011 của Bộ Nội vụ",
    ),
    (
        "Chỉ thị số 15/CT-TTg ngày 27/3/2020 của Thủ tướng Chính phủ về quyết liệt thực hiện",
        ("Chỉ thị", "15", "15/CT-TTg", date(2020, 3, 27), "Thủ tướng Chính phủ"),
        "Chỉ thị số 15/CT-TTg ngày 27/3/2020 của Thủ tướng Chính phủ",
    ),
    (
        "Quyết định số 1234/QĐ-UBND ngày 5 tháng 3 năm 2024",
        ("Quyết định", "1234", "1234/QĐ-UBND", date(2024, 3, 5), None),
        "Quyết định số 1234/QĐ-UBND ngày 5 tháng 3 năm 2024",
    ),
    (
        "Quyết định số 1234/QĐ-UBND ngày 05/3/2024 của Ủy ban nhân dân Thành phố Hà Nội về việc",
        (
            "Quyết định",
            "1234",
            "1234/QĐ-UBND",
            date(2024, 3, 5),
            "Ủy ban nhân dân Thành phố Hà Nội",
        ),
        "Quyết định số 1234/QĐ-UBND ngày 05/3/2024 của Ủy ban nhân dân Thành phố Hà Nội",
    ),
    (
        "Nghị quyết số 27/2022/NQ-HĐND ngày 8/12/2022 của Hội đồng nhân dân thành phố Hà Nội",
        (
            "Nghị quyết",
            "27",
            "27/2022/NQ-HĐND",
            date(2022, 12, 8),
            "Hội đồng nhân dân thành phố Hà Nội",
        ),
        "Nghị quyết số 27/2022/NQ-HĐND ngày 8/12/2022 của Hội đồng nhân dân thành phố Hà Nội",
    ),
    (
        "Công văn số 1234/UBND-VP ngày 12/6/2024 của UBND quận Cầu Giấy",
        ("Công văn", "1234", "1234/UBND-VP", date(2024, 6, 12), "UBND quận Cầu Giấy"),
        "Công văn số 1234/UBND-VP ngày 12/6/2024 của UBND quận Cầu Giấy",
    ),
    (
        "Công văn số 1017-CV/BTCTW của Ban Tổ chức Trung ương về việc",
        ("Công văn", "1017", "1017-CV/BTCTW", None, "Ban Tổ chức Trung ương"),
        "Công văn số 1017-CV/BTCTW của Ban Tổ chức Trung ương",
    ),
    (
        "Luật Cán bộ, công chức số 22/2008/QH12 ngày 13/11/2008",
        ("Luật", "22", "22/2008/QH12", date(2008, 11, 13), None),
        "Luật Cán bộ, công chức số 22/2008/QH12 ngày 13/11/2008",
    ),
    (
        "Luật Phòng, chống tham nhũng số 36/2018/QH14 của Quốc hội khóa XIV",
        ("Luật", "36", "36/2018/QH14", None, "Quốc hội khóa XIV"),
        "Luật Phòng, chống tham nhũng số 36/2018/QH14 của Quốc hội khóa XIV",
    ),
    (
        "theo Bộ luật Lao động số 45/2019/QH14.",
        ("Bộ luật", "45", "45/2019/QH14", None, None),
        "Bộ luật Lao động số 45/2019/QH14",
    ),
    (
        "Nghị quyết số 43/2022/QH15 ngày 11/01/2022 của Quốc hội về chính sách tài khóa",
        ("Nghị quyết", "43", "43/2022/QH15", date(2022, 1, 11), "Quốc hội"),
        "Nghị quyết số 43/2022/QH15 ngày 11/01/2022 của Quốc hội",
    ),
    (
        "Nghị quyết số 1211/2016/UBTVQH13 về tiêu chuẩn của đơn vị hành chính",
        ("Nghị quyết", "1211", "1211/2016/UBTVQH13", None, None),
        "Nghị quyết số 1211/2016/UBTVQH13",
    ),
    (
        "Pháp lệnh số 02/2022/UBTVQH15 ngày 13/12/2022",
        ("Pháp lệnh", "02", "02/2022/UBTVQH15", date(2022, 12, 13), None),
        "Pháp lệnh số 02/2022/UBTVQH15 ngày 13/12/2022",
    ),
    (
        "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC của Bộ Nội vụ và Bộ Tài chính",
        ("Thông tư liên tịch", "01", "01/2015/TTLT-BNV-BTC", None, "Bộ Nội vụ và Bộ Tài chính"),
        "Thông tư liên tịch số 01/2015/TTLT-BNV-BTC của Bộ Nội vụ và Bộ Tài chính",
    ),
    (
        "Thông tư số 01/2024/TT-BGDĐT của Bộ Giáo dục và Đào tạo về việc ban hành",
        ("Thông tư", "01", "01/2024/TT-BGDĐT", None, "Bộ Giáo dục và Đào tạo"),
        "Thông tư số 01/2024/TT-BGDĐT của Bộ Giáo dục và Đào tạo",
    ),
    (
        "Thông tư số 15/2023/TT-BLĐTBXH của Bộ Lao động - Thương binh và Xã hội về",
        ("Thông tư", "15", "15/2023/TT-BLĐTBXH", None, "Bộ Lao động - Thương binh và Xã hội"),
        "Thông tư số 15/2023/TT-BLĐTBXH của Bộ Lao động - Thương binh và Xã hội",
    ),
    (
        "Thông báo kết luận số 123-TB/TW ngày 11/4/2024 của Bộ Chính trị",
        ("Thông báo", "123", "123-TB/TW", date(2024, 4, 11), "Bộ Chính trị"),
        "Thông báo kết luận số 123-TB/TW ngày 11/4/2024 của Bộ Chính trị",
    ),
    (
        "Chương trình hành động số 12-CTr/TU ngày 17/3/2021 của Thành ủy",
        ("Chương trình", "12", "12-CTr/TU", date(2021, 3, 17), "Thành ủy"),
        "Chương trình hành động số 12-CTr/TU ngày 17/3/2021 của Thành ủy",
    ),
    (
        "Đề án số 15-ĐA/TU ngày 2/6/2022 của Thành ủy",
        ("Đề án", "15", "15-ĐA/TU", date(2022, 6, 2), "Thành ủy"),
        "Đề án số 15-ĐA/TU ngày 2/6/2022 của Thành ủy",
    ),
    (
        "Báo cáo số 45-BC/QU ngày 20/12/2023 của Ban Thường vụ Quận ủy",
        ("Báo cáo", "45", "45-BC/QU", date(2023, 12, 20), "Ban Thường vụ Quận ủy"),
        "Báo cáo số 45-BC/QU ngày 20/12/2023 của Ban Thường vụ Quận ủy",
    ),
    (
        "Tờ trình số 12/TTr-UBND ngày 04/01/2024 của UBND quận",
        ("Tờ trình", "12", "12/TTr-UBND", date(2024, 1, 4), "UBND quận"),
        "Tờ trình số 12/TTr-UBND ngày 04/01/2024 của UBND quận",
    ),
    (
        "Thông tri số 03-TT/TW ngày 16/6/2021 của Ban Bí thư",
        ("Thông tri", "03", "03-TT/TW", date(2021, 6, 16), "Ban Bí thư"),
        "Thông tri số 03-TT/TW ngày 16/6/2021 của Ban Bí thư",
    ),
    (
        "Giấy mời số 25-GM/QU ngày 11/9/2023",
        ("Giấy mời", "25", "25-GM/QU", date(2023, 9, 11), None),
        "Giấy mời số 25-GM/QU ngày 11/9/2023",
    ),
    (
        "Biên bản số 12-BB/ĐU ngày 15/9/2023",
        ("Biên bản", "12", "12-BB/ĐU", date(2023, 9, 15), None),
        "Biên bản số 12-BB/ĐU ngày 15/9/2023",
    ),
    (
        "Quy chế số 01-QC/TU ngày 10/11/2020 của Ban Chấp hành Đảng bộ thành phố",
        ("Quy chế", "01", "01-QC/TU", date(2020, 11, 10), "Ban Chấp hành Đảng bộ thành phố"),
        "Quy chế số 01-QC/TU ngày 10/11/2020 của Ban Chấp hành Đảng bộ thành phố",
    ),
    (
        "Kế hoạch số 09-KH/ĐU ngày 10/01/2025 của Đảng ủy phường Dịch Vọng (nay là phường Láng)",
        ("Kế hoạch", "09", "09-KH/ĐU", date(2025, 1, 10), "Đảng ủy phường Dịch Vọng"),
        "Kế hoạch số 09-KH/ĐU ngày 10/01/2025 của Đảng ủy phường Dịch Vọng",
    ),
    (
        "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học",
        ("Nghị quyết", "57", "57-NQ/TW", date(2024, 12, 22), "Bộ Chính trị"),
        "Nghị quyết 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
    ),
    (
        "Quyết định số 3428/QĐ-BGDĐT ngày 31/10/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo",
        (
            "Quyết định",
            "3428",
            "3428/QĐ-BGDĐT",
            date(2023, 10, 31),
            "Bộ trưởng Bộ Giáo dục và Đào tạo",
        ),
        "Quyết định số 3428/QĐ-BGDĐT ngày 31/10/2023 của Bộ trưởng Bộ Giáo dục và Đào tạo",
    ),
    (
        "Quyết định kỷ luật số 12-QĐ/UBKTTU ngày 3/5/2023",
        ("Quyết định", "12", "12-QĐ/UBKTTU", date(2023, 5, 3), None),
        "Quyết định kỷ luật số 12-QĐ/UBKTTU ngày 3/5/2023",
    ),
    (
        "Quy định về công tác kiểm tra số 22-QĐ/TW ngày 28/7/2021 của Ban Chấp hành Trung ương",
        ("Quy định", "22", "22-QĐ/TW", date(2021, 7, 28), "Ban Chấp hành Trung ương"),
        "Quy định về công tác kiểm tra số 22-QĐ/TW ngày 28/7/2021 của Ban Chấp hành Trung ương",
    ),
    (
        "Quyết định số 1234/QĐ-UBND của UBND TP.HCM. Hết hiệu lực",
        ("Quyết định", "1234", "1234/QĐ-UBND", None, "UBND TP.HCM"),
        "Quyết định số 1234/QĐ-UBND của UBND TP.HCM",
    ),
    (
        "Quyết định số 1234/QĐ-UBND của UBND thành phố ngày 5/3/2024 về việc",
        ("Quyết định", "1234", "1234/QĐ-UBND", date(2024, 3, 5), "UBND thành phố"),
        "Quyết định số 1234/QĐ-UBND của UBND thành phố ngày 5/3/2024",
    ),
    (
        "Chỉ thị số 24-CT/TU, ngày 07/8/2023, của Thành ủy; và",
        ("Chỉ thị", "24", "24-CT/TU", date(2023, 8, 7), "Thành ủy"),
        "Chỉ thị số 24-CT/TU, ngày 07/8/2023, của Thành ủy",
    ),
]


@pytest.mark.parametrize(("text", "expected", "span"), REAL_CASES)
def test_real_citation_forms(text: str, expected: tuple, span: str) -> None:
    c = only(text)
    assert fields(c) == expected
    assert text[c.start : c.end] == span


@pytest.mark.parametrize(("text", "expected", "span"), REAL_CASES)
def test_real_citation_forms_in_nfd(text: str, expected: tuple, span: str) -> None:
    decomposed = nfd(text)
    c = only(decomposed)
    assert fields(c) == expected
    assert nfc(decomposed[c.start : c.end]) == span


# --- The cases of the spec -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Chỉ thị số 24-CT/TU", "24-CT/TU"),
        ("Nghị quyết số 05-NQ/TW", "05-NQ/TW"),
        ("Quy định số 144-QĐ/TW", "144-QĐ/TW"),
        ("Kế hoạch số 133-KH/QU", "133-KH/QU"),
        ("Biên bản số 12-BB/ĐU", "12-BB/ĐU"),
        ("Quyết định số 1234/QĐ-UBND", "1234/QĐ-UBND"),
        ("Công văn số 1234/UBND-VP", "1234/UBND-VP"),
        ("Nghị định số 30/2020/NĐ-CP", "30/2020/NĐ-CP"),
        ("Luật số 45/2019/QH14", "45/2019/QH14"),
        # spaces around the separators, as typed
        ("Kế hoạch số 133- KH/QU", "133-KH/QU"),
        ("Chỉ thị 24 - CT/TU", "24-CT/TU"),
        ("Quyết định 1234 / QĐ-UBND", "1234/QĐ-UBND"),
        # an en dash for the hyphen
        ("Chỉ thị số 24–CT/TU", "24-CT/TU"),
    ],
)
def test_symbol_forms(text: str, symbol: str) -> None:
    assert only(text).symbol == symbol


@pytest.mark.parametrize(
    "text",
    [
        "Chỉ thị số 24-CT/TU",
        "Chỉ thị 24-CT/TU",
        "Chỉ thị Số: 24-CT/TU",
        "Chỉ thị số:24-CT/TU",
        "Chỉ thị số: 24-CT/TU",
        "CHỈ THỊ SỐ 24-CT/TU",
        "Chi thi so 24-CT/TU",
    ],
)
def test_with_or_without_so(text: str) -> None:
    c = only(text)
    assert (c.kind, c.number, c.symbol) == ("Chỉ thị", "24", "24-CT/TU")
    assert (c.start, c.end) == (0, len(text))


@pytest.mark.parametrize(
    "written",
    [
        "ngày 07/8/2023",
        "ngày 7/8/2023",
        "ngày 07.8.2023",
        "ngày 07-8-2023",
        "ngày 07/08/2023",
        "ngày 7 tháng 8 năm 2023",
        "ngày 07 tháng 8 năm 2023",
        "07/8/2023",
        "7/8/2023",
        "07.8.2023",
        "07-8-2023",
        ", ngày 07/8/2023",
        "ban hành ngày 07/8/2023",
        "NGÀY 7 THÁNG 8 NĂM 2023",
        "ngay 7 thang 8 nam 2023",
    ],
)
def test_date_forms(written: str) -> None:
    text = f"Chỉ thị số 24-CT/TU {written} của Thành ủy"
    c = only(text)
    assert c.date == date(2023, 8, 7)
    assert c.issuer == "Thành ủy"
    assert text[c.start : c.end] == text


def test_text_in_capitals() -> None:
    text = (
        "CHỈ THỊ SỐ 24-CT/TU NGÀY 07/8/2023 CỦA BAN THƯỜNG VỤ THÀNH ỦY HÀ NỘI VỀ TĂNG CƯỜNG "
        "KỶ CƯƠNG"
    )
    assert fields(only(text)) == (
        "Chỉ thị",
        "24",
        "24-CT/TU",
        date(2023, 8, 7),
        "BAN THƯỜNG VỤ THÀNH ỦY HÀ NỘI",
    )


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("Quyết định số 2568/QD-UBND", "2568/QĐ-UBND"),
        ("Nghị định 100/2019/ND-CP", "100/2019/NĐ-CP"),
        ("Quy định số 144-QD/TW", "144-QĐ/TW"),
        ("Biên bản số 12-BB/DU", "12-BB/ĐU"),
        ("Đề án số 15-DA/TU", "15-ĐA/TU"),
        ("Đề án số 13/DA-UBND", "13/ĐA-UBND"),
        ("Quy định số 01-QDi/TW", "01-QĐi/TW"),
        ("Quy định số 02-QĐI/TW", "02-QĐi/TW"),
        ("Nghị quyết số 17/2021/NQ-HDND", "17/2021/NQ-HĐND"),
        ("Thông tư số 01/2024/TT-BGDDT", "01/2024/TT-BGDĐT"),
        ("Quyết định số 447/QĐ-TTG", "447/QĐ-TTg"),
        ("Nghị quyết số 18-NQ/TƯ", "18-NQ/TW"),
        # D that is not a mistyped Đ stays: Hướng dẫn is HD, Ủy ban nhân dân is UBND
        ("Hướng dẫn số 36-HD/VPTW", "36-HD/VPTW"),
        ("Công văn số 12/UBND-VP", "12/UBND-VP"),
        ("Dự án số 12/DA-UBND", "12/DA-UBND"),
    ],
)
def test_d_typed_for_đ_is_canonicalised(text: str, symbol: str) -> None:
    assert only(text).symbol == symbol


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # the word before the number names the kind, not the code
        ("Quy định số 144-QĐ/TW", "Quy định"),
        ("Quyết định số 144-QĐ/TW", "Quyết định"),
        ("Quyết định số 1234/QĐ-UBND", "Quyết định"),
        ("Quy định 69-QĐ/TW", "Quy định"),
        ("Nghị quyết số 43/2022/QH15", "Nghị quyết"),
        ("Kế hoạch số 133-KH/QU", "Kế hoạch"),
        ("kế hoạch số 133-KH/QU", "Kế hoạch"),
        ("QUY ĐỊNH SỐ 144-QĐ/TW", "Quy định"),
        ("Quy dinh so 144-QD/TW", "Quy định"),
        ("Chương trình hành động số 12-CTr/TU", "Chương trình"),
        ("Thông báo kết luận số 123-TB/TW", "Thông báo"),
        ("văn bản số 12/UBND-VP", "Công văn"),
    ],
)
def test_kind_is_taken_from_the_word(text: str, kind: str) -> None:
    assert only(text).kind == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("24-CT/TU", "Chỉ thị"),
        ("05-NQ/TW", "Nghị quyết"),
        ("133-KH/QU", "Kế hoạch"),
        ("144-QĐ/TW", "Quyết định"),
        ("01-QĐi/TW", "Quy định"),
        ("1234/QĐ-UBND", "Quyết định"),
        ("30/2020/NĐ-CP", "Nghị định"),
        ("01/2011/TT-BNV", "Thông tư"),
        ("03-TT/TW", "Thông tri"),
        ("21-KL/TW", "Kết luận"),
        ("36-HD/VPTW", "Hướng dẫn"),
        ("12-BB/ĐU", "Biên bản"),
        ("25-GM/QU", "Giấy mời"),
        ("12/TTr-UBND", "Tờ trình"),
        ("12-CTr/TU", "Chương trình"),
        ("15-ĐA/TU", "Đề án"),
        ("1234/UBND-VP", "Công văn"),
        ("45/2019/QH14", "Luật"),
        ("1211/2016/UBTVQH13", "Nghị quyết"),
        ("Số: 45/GM-UBND", "Giấy mời"),
        ("Số 12-BB/QU", "Biên bản"),
    ],
)
def test_kind_inferred_from_the_code(text: str, kind: str) -> None:
    c = only(f"theo {text} đã nêu")
    assert c.kind == kind


def test_bare_reference_without_date() -> None:
    c = only("thực hiện Chỉ thị số 24-CT/TU của Thành ủy")
    assert fields(c) == ("Chỉ thị", "24", "24-CT/TU", None, "Thành ủy")


def test_no_issuer_without_cua() -> None:
    c = only("Thực hiện Chỉ thị số 24-CT/TU, Ban Thường vụ Quận ủy đã ban hành")
    assert (c.date, c.issuer) == (None, None)


def test_issuer_example_of_the_spec() -> None:
    text = (
        "Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội về tăng cường kỷ "
        "cương, kỷ luật"
    )
    assert only(text).issuer == "Ban Thường vụ Thành ủy Hà Nội"


@pytest.mark.parametrize(
    ("after", "issuer"),
    [
        ("Quận ủy về thực hiện", "Quận ủy"),
        ("Quận ủy về việc thực hiện", "Quận ủy"),
        ("Quận ủy; Quy định", "Quận ủy"),
        ("Quận ủy, UBND quận", "Quận ủy"),
        ("Quận ủy. Hội nghị", "Quận ủy"),
        ("Quận ủy (khóa XVI)", "Quận ủy"),
        ("Quận ủy\nHội nghị", "Quận ủy"),
        ("Quận ủy và các văn bản", "Quận ủy"),
        ("Quận ủy và Kế hoạch số 12-KH/QU", "Quận ủy"),
        ("Thành ủy gắn với phổ biến", "Thành ủy"),
        ("Thành ủy để triển khai", "Thành ủy"),
        ("Thành ủy ban hành", "Thành ủy"),
        ("Bộ Nội vụ hướng dẫn thể thức", "Bộ Nội vụ"),
        ("“Thành ủy”", None),
        ("Bộ Giáo dục và Đào tạo", "Bộ Giáo dục và Đào tạo"),
        ("Đảng ủy Khối các cơ quan Trung ương", "Đảng ủy Khối các cơ quan Trung ương"),
    ],
)
def test_where_the_issuer_ends(after: str, issuer: str | None) -> None:
    c = parse_citations(f"Kế hoạch số 133-KH/QU ngày 28/8/2023 của {after}")[0]
    assert c.issuer == issuer


def test_issuer_length_is_capped() -> None:
    c = only("Chỉ thị số 24-CT/TU của " + "Ban " * 100)
    assert c.issuer is not None
    assert len(c.issuer.split()) <= 16


def test_two_citations_in_one_phrase() -> None:
    text = (
        "quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội và "
        "Kế hoạch số 133-KH/QU ngày 28/8/2023 của Quận ủy"
    )
    first, second = parse_citations(text)
    assert fields(first) == (
        "Chỉ thị",
        "24",
        "24-CT/TU",
        date(2023, 8, 7),
        "Ban Thường vụ Thành ủy Hà Nội",
    )
    assert fields(second) == ("Kế hoạch", "133", "133-KH/QU", date(2023, 8, 28), "Quận ủy")
    assert first.end < second.start


@pytest.mark.parametrize(
    "written",
    ["31/02/2023", "30/2/2024", "29/02/2023", "00/8/2023", "7/13/2023", "31 tháng 4 năm 2023"],
)
def test_impossible_date_gives_none(written: str) -> None:
    text = f"Chỉ thị số 24-CT/TU ngày {written} của Thành ủy"
    c = only(text)
    assert (c.date, c.issuer) == (None, "Thành ủy")
    assert text[c.start : c.end] == text


def test_leap_day_is_a_date() -> None:
    assert only("Kế hoạch số 5-KH/QU ngày 29/02/2024").date == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Sáng ngày 15/9/2023, tại Hội trường Quận ủy",
        "vụ hỏa hoạn xảy ra vào đêm ngày 12/9, rạng sáng ngày 13/9/2023",
        "Ngày đăng 15/09/2023 | 15:38",
        "ngày 7 tháng 8 năm 2023",
        "nhiệm kỳ 2020 - 2025",
        "đạt 2.909/3.044, đạt 95,56%",
        "MTTQ và các tổ chức CT-XH quận",
        "phòng chống COVID-19",
        "Kế hoạch số lượng cán bộ",
        "Phổ biến những điểm mới trong Quy định về quản lý cán bộ",
        "Chỉ thị của Ban Thường vụ Thành ủy và Kế hoạch thực hiện của Quận ủy",
        "điện thoại 024.3123.4567, 0912-345-678",
        "lớp 12/3-A",
    ],
)
def test_no_document_no_citation(text: str) -> None:
    assert parse_citations(text) == []


def test_lists_keep_order_of_appearance() -> None:
    text = "Nghị định 30/2020/NĐ-CP, Quyết định số 2568/QĐ-UBND, 12-BB/ĐU và Luật số 45/2019/QH14"
    assert [c.symbol for c in parse_citations(text)] == [
        "30/2020/NĐ-CP",
        "2568/QĐ-UBND",
        "12-BB/ĐU",
        "45/2019/QH14",
    ]


def test_lower_case_luat_is_not_a_kind() -> None:
    # "kỷ luật số …" is not a Luật; the code tells what it is
    assert only("xử lý kỷ luật số 12-QĐ/UBKT").kind == "Quyết định"


def test_lower_case_kind_word_takes_no_name() -> None:
    # "thông báo" is a verb here; a name between kind word and number needs a capital
    assert only("đã thông báo cho các đơn vị số 12/UBND-VP").kind == "Công văn"


# --- The seed article ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


def test_seed_title(seed: str) -> None:
    title = seed.splitlines()[2]
    c = only(title)
    assert fields(c) == ("Chỉ thị", "24", "24-CT/TU", date(2023, 8, 7), "BTV Thành ủy Hà Nội")
    assert title[c.start : c.end] == "Chỉ thị số 24-CT/TU ngày 07/8/2023 của BTV Thành ủy Hà Nội"


def test_seed_body(seed: str) -> None:
    body = seed.split("\n", 3)[3]
    found = [fields(c) for c in parse_citations(body)]
    assert found[:3] == [
        ("Chỉ thị", "24", "24-CT/TU", date(2023, 8, 7), "Ban Thường vụ Thành ủy Hà Nội"),
        ("Kế hoạch", "133", "133-KH/QU", date(2023, 8, 28), "Quận ủy"),
        ("Chỉ thị", "24", "24-CT/TU", None, "Thành ủy"),
    ]
    # later mentions: "đã ban hành Chỉ thị số 24-CT/TU ngày 07/8/2023 với 6 nhiệm vụ", …
    assert ("Chỉ thị", "24", "24-CT/TU", date(2023, 8, 7), None) in found
    assert ("Kế hoạch", "133", "133-KH/QU", date(2023, 8, 28), None) in found
    assert {c[2] for c in found} == {"24-CT/TU", "133-KH/QU"}
    assert len(found) == 8


def test_seed_in_nfd_gives_the_same_citations_and_offsets(seed: str) -> None:
    decomposed = nfd(seed)
    assert len(decomposed) > len(seed)
    plain, split = parse_citations(seed), parse_citations(decomposed)
    assert [fields(c) for c in split] == [fields(c) for c in plain]
    for a, b in zip(plain, split, strict=True):
        assert nfc(decomposed[b.start : b.end]) == seed[a.start : a.end]


# --- Offsets ---------------------------------------------------------------------------------


def test_offsets_cover_the_citation() -> None:
    text = "Hội nghị quán triệt Kế hoạch số 133-KH/QU ngày 28/8/2023 của Quận ủy về thực hiện."
    c = only(text)
    assert text[c.start : c.end] == "Kế hoạch số 133-KH/QU ngày 28/8/2023 của Quận ủy"


def test_offsets_of_a_bare_symbol_include_so() -> None:
    text = "theo văn bản Số: 45/GM-UBND ngày 11/9/2023."
    c = only(text)
    assert text[c.start : c.end] == "văn bản Số: 45/GM-UBND ngày 11/9/2023"


def test_offsets_in_nfd_input_point_into_the_original() -> None:
    prefix = nfd("Đồng chí Nguyễn Văn Chiến truyền đạt ")
    citation = nfd("Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội")
    text = prefix + citation + nfd(" về tăng cường kỷ cương.")
    c = only(text)
    assert (c.start, c.end) == (len(prefix), len(prefix) + len(citation))
    assert text[c.start : c.end] == citation
    assert c.issuer == "Ban Thường vụ Thành ủy Hà Nội"  # reported in NFC
    assert unicodedata.is_normalized("NFC", c.issuer)


def test_offsets_in_mixed_nfc_and_nfd_input() -> None:
    text = "Thành ủy" + nfd(" ban hành Quyết định số 1234/QĐ-UBND của Ủy ban") + " nhân dân quận."
    c = only(text)
    assert nfc(text[c.start : c.end]) == "Quyết định số 1234/QĐ-UBND của Ủy ban nhân dân quận"


# --- format_citation -------------------------------------------------------------------------


def _citation(**changes: object) -> Citation:
    base = Citation(
        kind="Chỉ thị",
        number="24",
        symbol="24-CT/TU",
        date=date(2023, 8, 7),
        issuer="Ban Thường vụ Thành ủy Hà Nội",
        start=0,
        end=0,
    )
    return dataclasses.replace(base, **changes)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội"),
        ({"date": None}, "Chỉ thị số 24-CT/TU của Ban Thường vụ Thành ủy Hà Nội"),
        ({"issuer": None}, "Chỉ thị số 24-CT/TU ngày 07/8/2023"),
        ({"date": None, "issuer": None}, "Chỉ thị số 24-CT/TU"),
        (
            {"date": date(2024, 2, 5)},
            "Chỉ thị số 24-CT/TU ngày 05/02/2024 của Ban Thường vụ Thành ủy Hà Nội",
        ),
        (
            {
                "kind": "Nghị định",
                "symbol": "30/2020/NĐ-CP",
                "date": date(2020, 3, 5),
                "issuer": "Chính phủ",
            },
            "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ",
        ),
        ({"date": date(2023, 1, 10), "issuer": None}, "Chỉ thị số 24-CT/TU ngày 10/01/2023"),
        ({"date": date(2023, 12, 1), "issuer": None}, "Chỉ thị số 24-CT/TU ngày 01/12/2023"),
    ],
)
def test_format_citation(changes: dict, expected: str) -> None:
    assert format_citation(_citation(**changes)) == expected


def test_format_then_parse_gives_the_citation_back() -> None:
    original = _citation()
    text = format_citation(original)
    assert fields(only(text)) == fields(original)


# --- Properties ------------------------------------------------------------------------------

# Vietnamese letters, digits, the punctuation of symbols and dates, and loose combining marks
# (grave, acute, hook, tilde, dot below, circumflex, breve, horn) so NFC really has work to do.
_CITATION_ALPHABET = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
    "àáảãạếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "0123456789 /-.,:;()\n–"
    "\u0300\u0301\u0309\u0303\u0323\u0302\u0306\u031b"
)
_FRAGMENTS = st.sampled_from(
    [
        "Chỉ thị",
        "Quy định",
        "Kế hoạch",
        "số",
        "Số:",
        "CT/TU",
        "QĐ-UBND",
        "NĐ-CP",
        "QD",
        "ngày",
        "tháng",
        "năm",
        "của",
        "về",
        "và",
        "24-CT/TU",
        "30/2020/",
        "07/8/2023",
        "QH14",
        "TW",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=_CITATION_ALPHABET),
        st.lists(st.one_of(_FRAGMENTS, st.text(alphabet=_CITATION_ALPHABET, max_size=4))).map(
            " ".join
        ),
    )
)
def test_never_raises_and_offsets_are_in_range(text: str) -> None:
    for variant in (text, nfd(text)):
        previous_end = 0
        for c in parse_citations(variant):
            assert previous_end <= c.start < c.end <= len(variant)
            previous_end = c.end
            assert c.date is None or isinstance(c.date, date)


_ISSUERS = st.sampled_from(
    [
        None,
        "Thành ủy",
        "Ban Thường vụ Thành ủy Hà Nội",
        "Quận ủy",
        "Bộ Chính trị",
        "Chính phủ",
        "UBND phường Dịch Vọng",
        "Bộ Giáo dục và Đào tạo",
        "Đảng ủy phường Cầu Giấy",
    ]
)
_SYMBOLS = st.one_of(
    st.tuples(
        st.sampled_from(["Chỉ thị", "Nghị quyết", "Kế hoạch", "Kết luận", "Quy định", "Báo cáo"]),
        st.integers(1, 999).map(lambda n: f"{n:02d}"),
        st.sampled_from(["CT/TU", "NQ/TW", "KH/QU", "KL/TW", "QĐ/TW", "BC/ĐU"]),
    ).map(lambda t: (t[0], t[1], f"{t[1]}-{t[2]}")),
    st.tuples(
        st.sampled_from(["Quyết định", "Nghị định", "Thông tư", "Công văn"]),
        st.integers(1, 9999).map(str),
        st.sampled_from(["QĐ-UBND", "2020/NĐ-CP", "2023/TT-BNV", "UBND-VP"]),
    ).map(lambda t: (t[0], t[1], f"{t[1]}/{t[2]}")),
)


@settings(max_examples=200, deadline=None)
@given(
    symbol=_SYMBOLS,
    day=st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2035, 12, 31))),
    issuer=_ISSUERS,
    before=st.sampled_from(["", "Quán triệt ", "Thực hiện tốt ", "theo\n"]),
    after=st.sampled_from(["", ".", " về tăng cường kỷ cương.", "; ", ", đồng thời"]),
    decompose=st.booleans(),
)
def test_formatted_citations_parse_back(
    symbol: tuple[str, str, str],
    day: date | None,
    issuer: str | None,
    before: str,
    after: str,
    decompose: bool,
) -> None:
    kind, number, canonical = symbol
    written = Citation(kind, number, canonical, day, issuer, 0, 0)
    cited = format_citation(written)
    text = before + cited + after
    if decompose:
        text, cited, before = nfd(text), nfd(cited), nfd(before)
    c = only(text)
    assert fields(c) == fields(written)
    assert (c.start, c.end) == (len(before), len(before) + len(cited))
