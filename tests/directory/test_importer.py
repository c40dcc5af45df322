"""The importer: messy files, header detection, phones, duplicates, bad files, round trips."""

import io
import unicodedata
import zipfile

import pytest
from sqlalchemy import func, select

from meetings.directory.importer import (
    MAX_IMPORT_BYTES,
    Action,
    ImportFileError,
    apply_plan,
    find_header,
    import_file,
    notes_text,
    people_table,
    read_table,
)
from meetings.exports import write_csv, write_xlsx
from meetings.extensions import db
from meetings.models import InviteeCategory, Person, Unit
from tests import factories
from tests.directory.messy import clean_xlsx, messy_xlsx


@pytest.fixture
def body():
    return factories.make_body()


@pytest.fixture
def setting(body):
    unit = factories.make_unit(body, name="Đảng ủy phường Dịch Vọng")
    category = factories.make_category(body, name="Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở")
    return body, unit, category


def _people(body) -> int:
    return db.session.scalar(select(func.count()).select_from(Person).filter_by(body_id=body.id))


def test_messy_file_preview_says_what_happens_to_every_row(setting):
    body, unit, category = setting
    # The category typed without diacritics in another case still matches.
    plan = import_file(
        "ds.xlsx", messy_xlsx("bi thu (HOAC pho bi thu) cap uy co so", unit.name), body
    )
    assert plan.header_line == 5
    assert plan.columns == ["full_name", "phone", "position", "unit", "categories", "email"]
    by_line = {row.line: row for row in plan.rows}
    assert sorted(by_line) == [6, 7, 8, 9, 10, 11, 13]  # the blank row 12 is skipped
    assert by_line[6].values["full_name"] == "Nguyễn Văn Chiến"  # NFD arrives as NFC
    assert by_line[6].phone == "0912888001"
    assert by_line[7].values["full_name"] == "Trần Thị Lan"  # stray spaces gone
    assert by_line[7].phone == "0913888002"
    assert by_line[8].phone == "0914888003"  # stored by Excel as a number, 0 lost
    assert by_line[6].category_ids == [category.id]
    assert [r.action for r in plan.rows] == [
        Action.NEW,
        Action.NEW,
        Action.NEW,
        Action.NEW,
        Action.ERROR,
        Action.ERROR,
        Action.NEW,
    ]
    assert "dòng 6" in str(by_line[10].notes[0])  # the duplicate points at the first row
    assert "12345" in str(by_line[11].notes[0])
    # A category no existing name holds: offered for creation, not an error.
    assert by_line[13].new_categories == ["nhom khong co"]
    assert plan.new_categories == {"nhom khong co": "Nhóm không có"}
    assert plan.new_units == ["Phòng Mới Lập"]
    assert plan.has_errors


def test_applying_with_errors_changes_nothing_and_the_corrected_file_applies_whole(setting):
    body, unit, category = setting
    plan = import_file("ds.xlsx", messy_xlsx(category.name, unit.name), body)
    with pytest.raises(ImportFileError):
        apply_plan(plan, body)
    assert _people(body) == 0
    plan = import_file("ds.xlsx", messy_xlsx(category.name, unit.name, corrected=True), body)
    assert not plan.has_errors
    done = apply_plan(plan, body)
    assert done == {"new": 7, "update": 0, "unchanged": 0, "error": 0}
    assert _people(body) == 7
    chien = db.session.scalar(select(Person).filter_by(phone="0912888001"))
    assert chien.full_name == "Nguyễn Văn Chiến" and chien.unit == unit
    assert chien.categories == [category]
    assert db.session.scalar(select(Unit).filter_by(body_id=body.id, name="Phòng Mới Lập"))


def test_a_second_import_matches_people_by_phone_or_by_name_in_unit(setting):
    body, unit, _ = setting
    factories.make_person(body, full_name="Nguyễn Văn Chiến", unit=unit, phone="0912345678")
    factories.make_person(
        body, full_name="Trần Thị Lan", unit=unit, phone=None, position="Phó Bí thư"
    )
    other = factories.make_unit(body, name="Phường Khác")
    factories.make_person(body, full_name="Lê Thu Hà", unit=other, phone=None)
    factories.make_person(body, full_name="Bùi Văn Nam", unit=other, phone="0977777777")
    rows = [
        ["Nguyễn Văn Chiến", "Bí thư", unit.name, "", "0912 345 678", ""],  # same phone
        ["Tran Thi Lan", "Phó Bí thư", unit.name, "", "", ""],  # same name (folded) and unit
        ["Lê Thu Hà", "Chuyên viên", unit.name, "", "", ""],  # same name, other unit: new
        ["Ngô Văn Chiến", "", "", "", "0977.777.777", ""],  # phone of somebody else
    ]
    plan = import_file("x.xlsx", clean_xlsx(rows), body)
    actions = [r.action for r in plan.rows]
    assert actions == [Action.UPDATE, Action.UPDATE, Action.NEW, Action.ERROR]
    assert "Chức vụ: Chuyên viên → Bí thư" in " ".join(str(n) for n in plan.rows[0].notes)
    assert "Tran Thi Lan" in " ".join(str(n) for n in plan.rows[1].notes)  # a name change shown
    assert "Bùi Văn Nam" in str(plan.rows[3].notes[0])


def test_unchanged_rows_are_reported_as_such(setting):
    body, unit, category = setting
    factories.make_person(
        body,
        full_name="Nguyễn Văn Chiến",
        unit=unit,
        phone="0912345678",
        position="Bí thư",
        categories=[category],
    )
    rows = [["Nguyễn Văn Chiến", "Bí thư", unit.name, category.name, "+84912345678", ""]]
    plan = import_file("x.xlsx", clean_xlsx(rows), body)
    assert [r.action for r in plan.rows] == [Action.UNCHANGED]


def _windows_1258(text: str) -> bytes:
    """Encode as Windows' Vietnamese code page does: ư, ơ, â… precomposed, tones combining."""
    out = b""
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            base, *marks = unicodedata.normalize("NFD", ch)
            modifiers = [m for m in marks if m in "\u0306\u0302\u031b"]  # ă â ơ…
            if modifiers:
                base = unicodedata.normalize("NFC", base + modifiers[0])
                marks = [m for m in marks if m != modifiers[0]]
            out += (base + "".join(marks)).encode("cp1258")
    return out


def test_csv_with_semicolons_bom_and_vietnamese_code_page(setting):
    body, unit, _ = setting
    text = "Danh sách\nHọ và tên;Điện thoại;Đơn vị\nBùi Tuấn Anh;0987.654.321;" + unit.name + "\n"
    for data in (("\ufeff" + text).encode("utf-8"), _windows_1258(text), text.encode("utf-16")):
        plan = import_file("ds.csv", data, body)
        assert plan.rows[0].values["full_name"] == "Bùi Tuấn Anh"
        assert plan.rows[0].phone == "0987654321"


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("empty.xlsx", b"", "Tệp rỗng"),
        ("big.csv", b"x" * (MAX_IMPORT_BYTES + 1), "quá lớn"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "Không phải tệp bảng tính"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "Không phải tệp bảng tính"),
        ("blank.csv", b"\n ; ;\n\n", "Tệp rỗng"),
    ],
)
def test_bad_files_get_a_clear_message(filename, data, message):
    with pytest.raises(ImportFileError, match=message):
        read_table(filename, data)


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="Không phải tệp bảng tính"):
        read_table("x.xlsx", buffer.getvalue())


def test_a_file_without_a_recognisable_header_is_refused(body):
    data = clean_xlsx([["a", "b"]], header=["Cột 1", "Cột 2"])
    with pytest.raises(ImportFileError, match="Không tìm thấy dòng tiêu đề"):
        import_file("x.xlsx", data, body)
    assert _people(body) == 0


def test_header_variants_in_any_order_and_a_column_numbering_row(body):
    rows = [
        ["", "", ""],
        ["Số điện thoại", "Chức danh", "HỌ VÀ TÊN", "Thành phần mời", "Cơ quan"],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        ["0912345678", "Bí thư", "Nguyễn A", "", "Phường X"],
    ]
    index, mapping = find_header(rows)
    assert index == 1
    assert mapping == {0: "phone", 1: "position", 2: "full_name", 3: "categories", 4: "unit"}
    from meetings.directory.importer import plan_import

    plan = plan_import(rows, body)
    assert [r.line for r in plan.rows] == [4]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_round_trips_through_the_importer(setting, fmt):
    body, unit, category = setting
    second = factories.make_category(body, name="Ban Thường vụ, Thường trực HĐND")
    factories.make_person(
        body,
        full_name="Nguyễn Văn Chiến",
        unit=unit,
        phone="0912345678",
        position="-Bí thư",
        categories=[category, second],
        email="chien@example.vn",
    )
    factories.make_person(body, full_name="Đỗ Thị Yến", unit=None, phone=None, position=None)
    table = people_table(body)
    data = write_xlsx([table]) if fmt == "xlsx" else write_csv(table)
    plan = import_file(f"export.{fmt}", data, body)
    assert [r.action for r in plan.rows] == [Action.UNCHANGED, Action.UNCHANGED]
    assert plan.rows[0].values["position"] == "-Bí thư"  # neutralised on export, restored here


def test_an_import_that_changes_a_person_keeps_past_invitations_as_they_were(setting):
    from datetime import timedelta

    from meetings.clock import now

    body, unit, _ = setting
    person = factories.make_person(
        body, full_name="Đinh Văn Cũ", unit=unit, phone="0912000999", position="Phó Bí thư"
    )
    past = factories.make_invitation(
        factories.make_conference(body, starts_at=now() - timedelta(days=7)), person
    )
    rows = [["Đinh Văn Cũ", "Bí thư", unit.name, "", "0912000999", ""]]
    apply_plan(import_file("x.xlsx", clean_xlsx(rows), body), body)
    db.session.expire_all()
    assert person.position == "Bí thư" and past.shown_position == "Phó Bí thư"


def test_namesakes_in_one_unit_with_different_phones_are_two_people_shown_as_such(setting):
    body, unit, _ = setting
    factories.make_person(body, full_name="Nguyễn Văn An", unit=unit, phone="0912000001")
    rows = [
        ["Nguyễn Văn An", "", unit.name, "", "0912000002", ""],  # the directory's namesake
        ["Nguyễn Văn An", "", unit.name, "", "0912000003", ""],  # and the file's own
        ["Nguyễn Văn An", "", unit.name, "", "", ""],  # no phone: cannot tell, refused
    ]
    plan = import_file("x.xlsx", clean_xlsx(rows), body)
    assert [r.action for r in plan.rows] == [Action.NEW, Action.NEW, Action.ERROR]
    assert "người trùng tên" in str(plan.rows[0].notes[0])
    assert "dòng 2" in " ".join(str(n) for n in plan.rows[1].notes)


def test_a_whole_directory_with_namesakes_round_trips_unchanged(setting):
    body, unit, _ = setting
    for n in range(3):
        factories.make_person(body, full_name="Lê Thị Hoa", unit=unit, phone=f"091200010{n}")
    data = write_xlsx([people_table(body)])
    plan = import_file("x.xlsx", data, body)
    assert [r.action for r in plan.rows] == [Action.UNCHANGED] * 3


# --- Categories as real lists name them -----------------------------------------------------


@pytest.fixture
def categories(body):
    names = (
        "Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở",
        "Hiệu trưởng trường tiểu học công lập",
        "Hiệu trưởng trường THCS công lập",
    )
    return [factories.make_category(body, name=name) for name in names]


def test_a_shortened_category_name_maps_to_the_one_category_holding_its_words_in_order(
    body, categories
):
    secretaries, primary, _ = categories
    rows = [
        ["Nguyễn Văn A", "", "", "BÍ THƯ, cấp uỷ cơ sở", "", ""],  # words left out, capitals
        ["Nguyễn Văn B", "", "", "bi thu cap uy co so", "", ""],  # no diacritics
        ["Nguyễn Văn C", "", "", "Hiệu trưởng tiểu học", "", ""],
        ["Nguyễn Văn D", "", "", "Bí thư (hoặc Phó Bí thư) cấp ủy cơ sở", "", ""],  # exact
    ]
    plan = import_file("x.xlsx", clean_xlsx(rows), body)
    assert [r.action for r in plan.rows] == [Action.NEW] * 4
    assert [r.category_ids for r in plan.rows] == [
        [secretaries.id],
        [secretaries.id],
        [primary.id],
        [secretaries.id],
    ]
    assert plan.new_categories == {}
    # The preview shows how the file's names were read (the exact one needs no saying).
    assert plan.category_matches == {
        "BÍ THƯ, cấp uỷ cơ sở": secretaries.name,
        "bi thu cap uy co so": secretaries.name,
        "Hiệu trưởng tiểu học": primary.name,
    }


def test_a_name_several_categories_hold_is_an_error_naming_them(body, categories):
    rows = [["Nguyễn Văn A", "", "", "Hiệu trưởng", "", ""]]
    plan = import_file("x.xlsx", clean_xlsx(rows), body)
    assert plan.rows[0].action is Action.ERROR
    note = str(plan.rows[0].notes[0])
    assert "Hiệu trưởng trường tiểu học công lập" in note
    assert "Hiệu trưởng trường THCS công lập" in note


def test_words_out_of_order_make_a_new_category_created_only_when_ticked(body, categories):
    rows = [
        ["Nguyễn Văn A", "", "", "Cấp ủy cơ sở bí thư; Hiệu trưởng tiểu học", "0912000001", ""],
        ["Nguyễn Văn B", "", "", "Chủ tịch phường", "0912000002", ""],
        ["Nguyễn Văn C", "", "", "chủ tịch PHƯỜNG", "0912000003", ""],  # the same new one
    ]
    data = clean_xlsx(rows)
    plan = import_file("x.xlsx", data, body)
    assert not plan.has_errors
    assert plan.new_categories == {
        "cap uy co so bi thu": "Cấp ủy cơ sở bí thư",
        "chu tich phuong": "Chủ tịch phường",
    }
    assert "Chủ tịch phường" in str(plan.rows[1].notes[0])
    with pytest.raises(ImportFileError, match="Cấp ủy cơ sở bí thư"):
        apply_plan(plan, body, create_categories={"chu tich phuong"})
    assert _people(body) == 0
    plan = import_file("x.xlsx", data, body)
    apply_plan(plan, body, create_categories={"chu tich phuong", "cap uy co so bi thu"})
    created = db.session.scalar(select(InviteeCategory).filter_by(name="Chủ tịch phường"))
    assert created.protocol_order > max(c.protocol_order for c in categories)
    a, b, c = (
        db.session.scalar(select(Person).filter_by(phone=f"091200000{n}")) for n in (1, 2, 3)
    )
    assert {x.name for x in a.categories} == {
        "Cấp ủy cơ sở bí thư",
        "Hiệu trưởng trường tiểu học công lập",
    }
    assert b.categories == [created] and c.categories == [created]


def _lying_dimension(data: bytes, ref: str = "A1:B2") -> bytes:
    """The workbook with its first sheet declaring a smaller range than it holds."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                start = text.index("<dimension ")
                end = text.index("/>", start) + 2
                content = (text[:start] + f'<dimension ref="{ref}"/>' + text[end:]).encode()
            target.writestr(item, content)
    return out.getvalue()


def test_every_row_is_read_whatever_range_the_sheet_declares(body):
    rows = [[f"Người Số {n}", "", "", "", f"0912{n:06d}", f"n{n}@example.vn"] for n in range(40)]
    data = _lying_dimension(clean_xlsx(rows))
    assert b'<dimension ref="A1:B2"/>' in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    plan = import_file("x.xlsx", data, body)
    assert len(plan.rows) == 40  # not the one row the declared A1:B2 holds
    assert plan.rows[-1].values["email"] == "n39@example.vn"  # nor only columns A and B


def test_the_row_limit_counts_rows_past_the_declared_range(monkeypatch):
    from meetings.directory import importer

    monkeypatch.setattr(importer, "MAX_IMPORT_ROWS", 20)
    rows = [[f"Người Số {n}", "", "", "", "", ""] for n in range(60)]
    with pytest.raises(ImportFileError, match="Quá nhiều dòng"):
        read_table("x.xlsx", _lying_dimension(clean_xlsx(rows)))


def test_a_rows_messages_read_as_sentences_not_joined_by_semicolons(body):
    rows = [["", "", "", "", "abc123", ""]]
    plan = import_file("x.xlsx", clean_xlsx(rows), body)
    text = notes_text(plan.rows[0].notes)
    assert text == "Thiếu họ tên. “abc123” không phải số điện thoại."
    assert notes_text(["Chức vụ: A → B", "Thêm vào 1 nhóm"]) == "Chức vụ: A → B. Thêm vào 1 nhóm."
