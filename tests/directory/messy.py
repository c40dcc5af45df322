"""Spreadsheets as clerks keep them: title rows, merged cells, NFD names, mixed phone formats,
stray spaces, a duplicate and a bad row. Built with openpyxl in the tests, never committed."""

from __future__ import annotations

import io
import unicodedata

from openpyxl import Workbook


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


HEADER = ["STT", "Họ tên", "SĐT", "Chức vụ", "Đơn vị", "Nhóm", "E-mail"]


def messy_rows(category: str, unit: str) -> list[list[object]]:
    """Data rows under HEADER: rows 6-13 of the sheet."""
    return [
        [1, nfd("Nguyễn Văn Chiến"), "+84 912 888 001", "Bí thư", unit, category, ""],
        [2, "  Trần   Thị  Lan ", "84.913.888.002", "Phó Bí thư", unit, category, "lan@example.vn"],
        [3, nfd("Đỗ Minh Đức"), 914888003, "Trưởng phòng", "Phòng Mới Lập", "", ""],
        [4, "Lê Thu Hà", "0915 888 004", "Chuyên viên", unit, "", ""],
        [5, "Phạm Văn Hùng", "0912.888.001", "Chuyên viên", unit, "", ""],  # same phone as 1
        [6, "Vũ Ngọc Ánh", "12345", "Chuyên viên", unit, "", ""],  # not a phone number
        [None, None, None, None, None, None, None],  # a blank row in the middle
        [7, "Hoàng Thế Sơn", "", "Chuyên viên", unit, "Nhóm không có", ""],  # unknown category
    ]


def corrected_rows(category: str, unit: str) -> list[list[object]]:
    """The same list after the clerk fixed the three rows the preview flagged."""
    rows = messy_rows(category, unit)
    rows[4][2] = "0917 888 005"  # its own phone, not row 1's
    rows[5][2] = "0916.888.006"
    rows[7][5] = category
    return rows


def messy_xlsx(category: str, unit: str, corrected: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "DS moi"
    sheet.append(["ĐẢNG BỘ QUẬN CẦU GIẤY"])
    sheet.merge_cells("A1:C1")
    sheet.append(["DANH SÁCH ĐẠI BIỂU DỰ HỘI NGHỊ QUÁN TRIỆT"])
    sheet.merge_cells("A2:G2")
    sheet.append([None, None, None, "(Kèm theo Giấy mời số 25-GM/QU)"])
    sheet.append([])
    sheet.append(HEADER)
    for row in (corrected_rows if corrected else messy_rows)(category, unit):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def clean_xlsx(rows: list[list[object]], header: list[str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or ["Họ và tên", "Chức vụ", "Đơn vị", "Thành phần", "Điện thoại", "Email"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
