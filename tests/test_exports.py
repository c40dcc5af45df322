"""Spreadsheet exports: formulas neutralised, Vietnamese intact, read back with openpyxl."""

import io
from datetime import time

import pytest
from openpyxl import load_workbook

from meetings.exports import Table, neutralise, phone_text, write_csv, write_xlsx


@pytest.mark.parametrize(
    "value", ["=1+1", "+84912", "-2", "@SUM(A1)", "\t=x", "\r=x", '=HYPERLINK("http://evil","x")']
)
def test_formula_prefixes_are_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["Nguyễn Văn Chiến", "", 12, None, "0912 345 678", "a=b"])
def test_plain_values_pass_unchanged(value):
    assert neutralise(value) == value


def test_xlsx_round_trip_with_neutralised_cells():
    table = Table(
        "Danh sách",
        ["Họ và tên", "Ghi chú"],
        [["Nguyễn Văn Chiến", "=cmd|' /C calc'!A0"], ["Trần Thị Phương Hoa", 5]],
    )
    workbook = load_workbook(io.BytesIO(write_xlsx([table])))
    sheet = workbook["Danh sách"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Họ và tên", "Ghi chú")
    # Nothing visible added: a text cell with the quote-prefix flag, never a formula.
    assert rows[1] == ("Nguyễn Văn Chiến", "=cmd|' /C calc'!A0")
    assert sheet["B2"].data_type == "s" and sheet["B2"].quotePrefix
    assert not sheet["A2"].quotePrefix
    assert rows[2] == ("Trần Thị Phương Hoa", 5)
    assert sheet.freeze_panes == "A2"


def test_xlsx_prints_on_a4_fitted_to_the_width_with_the_header_repeated():
    table = Table(
        "Danh sách",
        ["STT", "Giờ đến"],
        [[1, time(7, 45)]],
        [40, 20],
        preamble=[["QUẬN ỦY CẦU GIẤY"], ["DANH SÁCH ĐẠI BIỂU"]],
        closing=[["NGƯỜI LẬP BIỂU"]],
        landscape=True,
    )
    sheet = load_workbook(io.BytesIO(write_xlsx([table])))["Danh sách"]
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$3:$3"  # the header row, under the two preamble rows
    assert sheet["A1"].value == "QUẬN ỦY CẦU GIẤY" and sheet["A1"].font.name == "Times New Roman"
    assert sheet["A3"].border.left.style == "thin"
    arrival = sheet["B4"]
    assert arrival.value == time(7, 45) and arrival.number_format == "hh:mm"  # a time, not text
    assert sheet["A5"].value == "NGƯỜI LẬP BIỂU"
    assert len(sheet.conditional_formatting) == 1  # the borders of the data rows


@pytest.mark.parametrize(
    ("stored", "written"),
    [("0912345678", "0912 345 678"), ("02437654321", "024 3765 4321"), ("0123", "0123")],
)
def test_phone_numbers_keep_their_zero_in_csv(stored, written):
    assert phone_text(stored) == written
    text = write_csv(Table("x", ["SĐT"], [[stored]])).decode("utf-8-sig")
    assert text.splitlines()[1] == written


def test_sheet_names_are_made_valid_and_unique():
    tables = [Table("Điểm cầu: phường/xã [1]", ["a"]), Table("Điểm cầu: phường/xã [1]", ["a"])]
    names = load_workbook(io.BytesIO(write_xlsx(tables))).sheetnames
    assert len(set(names)) == 2
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


def test_csv_has_a_bom_and_neutralised_cells():
    data = write_csv(Table("x", ["Họ tên", "SĐT"], [["Lê Văn Ánh", "+84912345678"]]))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["Họ tên,SĐT", "Lê Văn Ánh,'+84912345678"]
