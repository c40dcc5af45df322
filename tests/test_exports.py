"""Spreadsheet exports: formulas neutralised, Vietnamese intact, read back with openpyxl."""

import io

import pytest
from openpyxl import load_workbook

from meetings.exports import Table, neutralise, write_csv, write_xlsx


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
    assert rows[1] == ("Nguyễn Văn Chiến", "'=cmd|' /C calc'!A0")
    assert rows[2] == ("Trần Thị Phương Hoa", 5)
    assert sheet.freeze_panes == "A2"


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
