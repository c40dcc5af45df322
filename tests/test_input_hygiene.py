"""Control characters are stripped on every input path, lengths are checked on import, and
text is NFC whatever path writes it; an export survives a bad row already in the database."""

import io
import unicodedata

from openpyxl import Workbook, load_workbook
from sqlalchemy import insert, select

from meetings.directory.importer import Action, import_file
from meetings.directory.service import current_body
from meetings.exports import Table, write_csv, write_xlsx
from meetings.extensions import db
from meetings.models import Person, Role, User
from meetings.text import clean, clean_multiline
from tests import factories

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Văn Chiến")


def _body():
    return current_body() or factories.make_body()


def test_clean_drops_control_characters_keeps_words_apart():
    assert clean("Nguy\x01ễn\x00 Văn\tChiến\x7f\x9b") == "Nguyễn Văn Chiến"
    assert clean_multiline(" dòng 1\r\ndòng\x0b 2\x1b\n\ufeff ") == "dòng 1\ndòng 2"
    assert clean_multiline(NFD_NAME) == "Nguyễn Văn Chiến"


def test_the_person_form_strips_control_characters_and_exports_open(client, login):
    body = _body()
    login(Role.SECRETARIAT)
    response = client.post(
        "/directory/people/new",
        data={"full_name": "Trần\x01 Thị\x02 Bình", "position": "Bí\x1f thư", "unit_id": 0},
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Person).filter_by(body_id=body.id, full_name="Trần Thị Bình"))
    assert person.position == "Bí thư"
    export = client.get("/directory/people/export.xlsx")
    assert export.status_code == 200
    names = [
        r[0] for r in load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True)
    ]
    assert "Trần Thị Bình" in names


def test_an_export_survives_a_control_character_already_in_the_database(client, login):
    body = _body()
    factories.make_person(body, full_name="Lê\x01 Văn\x0b Ba", position="=\x02cmd")
    login(Role.CLERK)
    for fmt in ("xlsx", "csv"):
        assert client.get(f"/directory/people/export.{fmt}").status_code == 200, fmt
    table = Table("Danh\x01 sách", ["Họ\x00 tên", "Chức vụ"], [["Lê\x01 Văn\x0b Ba", "=\x02cmd"]])
    sheet = load_workbook(io.BytesIO(write_xlsx([table]))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-2:] == [("Họ tên", "Chức vụ"), ("Lê Văn Ba", "=cmd")]
    assert sheet.cell(sheet.max_row, 2).quotePrefix  # text, not a formula
    assert "\x01" not in write_csv(table).decode("utf-8-sig")


def _xlsx(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_checks_lengths_against_the_columns_and_strips_controls():
    body = _body()
    data = "Họ và tên;Chức vụ;Đơn vị\n" + ";".join(["A" * 296, "Bí thư", "Phường X"]) + "\n"
    data += ";".join(["Phạm\x01 Văn Tư", "P" * 301, "U" * 201]) + "\n"
    data += ";".join(["Đỗ\x1f Thị Năm", "Chánh văn phòng", "Phường X"]) + "\n"
    plan = import_file("ds.csv", data.encode("utf-8"), body)
    first, second, third = plan.rows
    assert first.action is Action.ERROR
    assert any("296" in str(note) and "200" in str(note) for note in first.notes)
    assert second.action is Action.ERROR and len(second.notes) == 2
    assert second.values["full_name"] == "Phạm Văn Tư"
    assert third.action is Action.NEW and third.values["full_name"] == "Đỗ Thị Năm"
    assert "U" * 201 not in plan.new_units  # units of error rows are not created


def test_bulk_inserts_store_nfc():
    body = _body()
    db.session.execute(insert(Person), [{"body_id": body.id, "full_name": NFD_NAME}])
    stored = db.session.scalars(select(Person.full_name).filter_by(body_id=body.id)).all()
    assert "Nguyễn Văn Chiến" in stored and NFD_NAME not in stored
    # Lookups too: an NFD search term finds the NFC row.
    assert db.session.scalar(select(Person.id).filter_by(full_name=NFD_NAME)) is not None


def test_the_cli_strips_control_characters(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "vt\x01x", "--role", "clerk", "--password", "mật khẩu dài",
              "--full-name", "Vũ\x01 Thị\x7f Xuân"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).filter_by(username="vtx"))
    assert user.full_name == "Vũ Thị Xuân"


def test_orm_batches_store_nfc_too():
    """Several rows in one flush go out as one "insertmanyvalues" batch on PostgreSQL."""
    body = _body()
    people = [Person(body_id=body.id, full_name=f"{NFD_NAME} {n}") for n in range(3)]
    db.session.add_all(people)
    db.session.flush()
    stored = db.session.scalars(
        select(Person.full_name).where(Person.id.in_([p.id for p in people]))
    ).all()
    assert sorted(stored) == [f"Nguyễn Văn Chiến {n}" for n in range(3)]
