"""Directory pages: who may read and edit, forms, the import preview and apply, the CLI."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from meetings.directory import uploads
from meetings.extensions import db
from meetings.models import AuditEntry, InviteeCategory, Person, Role, Unit
from tests import factories
from tests.directory.messy import messy_xlsx


@pytest.fixture
def body():
    """The installation's body: the first one (current_body) in this rolled-back test."""
    from meetings.directory.service import current_body

    return current_body() or factories.make_body()


def _count(**filters) -> int:
    return db.session.scalar(select(func.count()).select_from(Person).filter_by(**filters))


@pytest.mark.parametrize(
    "url",
    [
        "/directory/people",
        "/directory/units",
        "/directory/categories",
        "/directory/people/export.xlsx",
    ],
)
def test_door_staff_cannot_read_the_directory(client, login, url):
    login(Role.DOOR)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/directory/people/new"),
        ("post", "/directory/people/new"),
        ("get", "/directory/import"),
        ("post", "/directory/import/apply"),
        ("get", "/directory/units/new"),
        ("post", "/directory/categories/new"),
    ],
)
@pytest.mark.parametrize("role", [Role.DOOR, Role.CLERK])
def test_only_the_secretariat_edits(client, login, method, url, role):
    login(role)
    assert getattr(client, method)(url).status_code == 403


def test_clerk_reads_but_cannot_save_a_person(client, login, body):
    person = factories.make_person(body, full_name="Lê Văn Đọc")
    login(Role.CLERK)
    page = client.get(f"/directory/people/{person.id}")
    assert page.status_code == 200 and "Lê Văn Đọc" in page.get_data(as_text=True)
    assert client.post(f"/directory/people/{person.id}", data={"full_name": "X"}).status_code == 403
    assert client.post(f"/directory/people/{person.id}/retire").status_code == 403


def test_secretariat_creates_edits_and_retires_a_person(client, login, body):
    login(Role.SECRETARIAT)
    unit = factories.make_unit(body, name="Phường Yên Hòa")
    category = factories.make_category(body)
    response = client.post(
        "/directory/people/new",
        data={
            "full_name": "  Nguyễn   Thị Hằng ",
            "position": "Bí thư",
            "unit_id": unit.id,
            "phone": "+84 912.111.222",
            "email": "",
            "categories": [category.id],
        },
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Person).filter_by(phone="0912111222"))
    assert person.full_name == "Nguyễn Thị Hằng" and person.categories == [category]
    assert "nguyen thi hang" in person.search_text and "yen hoa" in person.search_text
    listing = client.get("/directory/people?q=nguyen thi hang").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in listing
    client.post(f"/directory/people/{person.id}/retire")
    assert person.retired_at is not None
    client.get(f"/directory/people/{person.id}")  # shows the flashed message
    assert "Nguyễn Thị Hằng" not in client.get("/directory/people?q=hang").get_data(as_text=True)
    assert "Nguyễn Thị Hằng" in client.get("/directory/people?q=hang&retired=1").get_data(
        as_text=True
    )


def test_a_phone_already_in_use_is_refused(client, login, body):
    login(Role.SECRETARIAT)
    factories.make_person(body, full_name="Chủ Cũ", phone="0912333444")
    response = client.post(
        "/directory/people/new",
        data={"full_name": "Người Mới", "phone": "0912 333 444", "unit_id": 0},
    )
    assert response.status_code == 200 and "Chủ Cũ" in response.get_data(as_text=True)
    assert _count(full_name="Người Mới") == 0


def test_retired_people_still_show_on_past_invitations(client, login, body):
    conference = factories.make_conference(body)
    person = factories.make_person(body, full_name="Phạm Quá Khứ", position="Bí thư")
    factories.make_invitation(conference, person)
    login(Role.SECRETARIAT)
    client.post(f"/directory/people/{person.id}/retire")
    page = client.get(f"/conferences/{conference.id}/invitees/").get_data(as_text=True)
    assert "Phạm Quá Khứ" in page and "Bí thư" in page


def test_units_and_categories_are_created_moved_and_retired(client, login, body):
    login(Role.SECRETARIAT)
    client.post("/directory/units/new", data={"name": "Chi bộ Mới", "kind": "party_org"})
    unit = db.session.scalar(select(Unit).filter_by(name="Chi bộ Mới"))
    assert unit.kind.value == "party_org"
    client.post(f"/directory/units/{unit.id}/retire")
    assert unit.retired_at is not None
    for name in ("Thành phần Một", "Thành phần Hai"):
        client.post("/directory/categories/new", data={"name": name})
    one = db.session.scalar(select(InviteeCategory).filter_by(name="Thành phần Một"))
    two = db.session.scalar(select(InviteeCategory).filter_by(name="Thành phần Hai"))
    assert one.protocol_order < two.protocol_order
    client.post(f"/directory/categories/{two.id}/move", data={"direction": "up"})
    assert two.protocol_order < one.protocol_order
    page = client.get("/directory/categories").get_data(as_text=True)
    assert page.index("Thành phần Hai") < page.index("Thành phần Một")


def test_import_preview_then_apply_in_one_go(client, login, body, app):
    unit = factories.make_unit(body, name="Đảng ủy phường Thử Nhập")
    category = factories.make_category(body, name="Cấp ủy cơ sở thử nhập")
    login(Role.SECRETARIAT)
    before = _count(body_id=body.id)
    response = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(messy_xlsx(category.name, unit.name)), "danh sach.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302 and response.location.endswith("/directory/import/preview")
    with client.session_transaction() as session:
        token = session[uploads.SESSION_KEY]["token"]
    kept = Path(app.instance_path) / "imports" / f"{token}.upload"
    assert kept.exists()
    preview = client.get("/directory/import/preview").get_data(as_text=True)
    assert preview.count('data-action="new"') == 5 and preview.count('data-action="error"') == 2
    assert "Nguyễn Văn Chiến" in preview and "Phòng Mới Lập" in preview
    assert "Chưa nhập gì khi còn dòng lỗi" in preview and 'id="apply-import"' not in preview
    # Errors block the whole import: nothing is written, the upload stays for the preview.
    client.post("/directory/import/apply", data={})
    assert _count(body_id=body.id) == before and kept.exists()
    client.post(
        "/directory/import",
        data={
            "file": (
                io.BytesIO(messy_xlsx(category.name, unit.name, corrected=True)),
                "danh sach.xlsx",
            )
        },
        content_type="multipart/form-data",
    )
    with client.session_transaction() as session:
        token = session[uploads.SESSION_KEY]["token"]
    kept = Path(app.instance_path) / "imports" / f"{token}.upload"
    response = client.post("/directory/import/apply", data={})
    assert response.status_code == 302
    assert _count(body_id=body.id) == before + 7
    assert not kept.exists()
    assert db.session.scalar(select(AuditEntry).filter_by(action="directory.import"))


def test_a_bad_upload_gets_a_message_and_keeps_nothing(client, login, body):
    login(Role.SECRETARIAT)
    response = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00"), "photo.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Không phải tệp bảng tính" in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert uploads.SESSION_KEY not in session


def test_preview_without_an_upload_sends_back_to_the_form(client, login):
    login(Role.SECRETARIAT)
    assert client.get("/directory/import/preview").location.endswith("/directory/import")


def test_cancel_deletes_the_upload(client, login, body, app):
    login(Role.SECRETARIAT)
    client.post(
        "/directory/import",
        data={"file": (io.BytesIO(messy_xlsx("x", "y")), "a.xlsx")},
        content_type="multipart/form-data",
    )
    with client.session_transaction() as session:
        token = session[uploads.SESSION_KEY]["token"]
    client.post("/directory/import/cancel")
    assert not (Path(app.instance_path) / "imports" / f"{token}.upload").exists()


def test_people_export_reads_back(client, login, body):
    factories.make_person(body, full_name='=HYPERLINK("x")', phone=None)
    login(Role.CLERK)
    data = client.get("/directory/people/export.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Họ và tên", "Chức vụ", "Đơn vị", "Thành phần", "Điện thoại", "Email")
    cell = next(c for (c,) in sheet.iter_rows(max_col=1) if c.value == '=HYPERLINK("x")')
    assert cell.data_type == "s" and cell.quotePrefix  # as typed, inert, nothing added


def _write(tmp_path, data: bytes) -> str:
    path = tmp_path / "ds.xlsx"
    path.write_bytes(data)
    return str(path)


def test_cli_prints_the_preview_and_fails_without_changes_on_errors(app, body, tmp_path):
    unit = factories.make_unit(body, name="Đảng ủy CLI")
    category = factories.make_category(body, name="Thành phần CLI")
    before = _count(body_id=body.id)
    result = app.test_cli_runner().invoke(
        args=["import-people", _write(tmp_path, messy_xlsx(category.name, unit.name))]
    )
    assert result.exit_code == 1
    assert "Nguyễn Văn Chiến" in result.output and "12345" in result.output
    assert _count(body_id=body.id) == before


def test_cli_dry_run_then_import(app, body, tmp_path):
    from tests.directory.messy import clean_xlsx

    path = _write(
        tmp_path, clean_xlsx([["Hồ Văn Dòng", "Bí thư", "Chi bộ CLI", "", "0933 111 222", ""]])
    )
    runner = app.test_cli_runner()
    before = _count(body_id=body.id)
    dry = runner.invoke(args=["import-people", path, "--dry-run"])
    assert dry.exit_code == 0 and "Hồ Văn Dòng" in dry.output
    assert _count(body_id=body.id) == before
    done = runner.invoke(args=["import-people", path])
    assert done.exit_code == 0, done.output
    assert _count(body_id=body.id, phone="0933111222") == 1


def test_cli_refuses_a_file_that_is_not_a_spreadsheet(app, body, tmp_path):
    path = tmp_path / "notes.docx"
    path.write_bytes(b"\x00\x01binary")
    result = app.test_cli_runner().invoke(args=["import-people", str(path)])
    assert result.exit_code == 1 and "Không phải tệp bảng tính" in result.output


def test_a_forged_upload_token_reads_nothing(client, login, app, tmp_path):
    login(Role.SECRETARIAT)
    secret = Path(app.instance_path) / "secret.upload"
    secret.write_bytes(b"Ho va ten,Email\nA,a@b.vn\n")
    with client.session_transaction() as session:
        session[uploads.SESSION_KEY] = {"token": "../secret", "filename": "x.csv"}
    assert client.get("/directory/import/preview").location.endswith("/directory/import")
    secret.unlink()


def _upload(client, data: bytes) -> None:
    response = client.post(
        "/directory/import",
        data={"file": (io.BytesIO(data), "ds.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)


def test_preview_shows_category_mappings_and_a_tick_per_new_category(client, login, body):
    from tests.directory.messy import clean_xlsx

    known = factories.make_category(body, name="Bí thư (hoặc Phó Bí thư) chi bộ trực thuộc")
    login(Role.SECRETARIAT)
    rows = [
        ["Mai Văn Một", "", "", "Bí thư chi bộ", "0934000001", ""],
        ["Mai Văn Hai", "", "", "Tổ trưởng tổ dân phố", "0934000002", ""],
        ["", "", "", "", "abc123", ""],
    ]
    _upload(client, clean_xlsx(rows))
    preview = client.get("/directory/import/preview").get_data(as_text=True)
    assert f"“Bí thư chi bộ” → “{known.name}”" in preview
    # Messages read as sentences, one per line, never "Thiếu họ tên.; …".
    assert "<li>Thiếu họ tên.</li><li>“abc123” không phải số điện thoại.</li>" in preview
    assert ".;" not in preview
    # The error row hides the ticks; the corrected file shows one per new category.
    assert 'name="create_categories"' not in preview
    _upload(client, clean_xlsx(rows[:2]))
    preview = client.get("/directory/import/preview").get_data(as_text=True)
    assert preview.count('name="create_categories"') == 1
    assert 'value="to truong to dan pho"' in preview and "Tổ trưởng tổ dân phố" in preview
    before = _count(body_id=body.id)
    # Not ticked: nothing is imported, and the message names the category.
    response = client.post("/directory/import/apply", data={}, follow_redirects=True)
    assert "Tổ trưởng tổ dân phố" in response.get_data(as_text=True)
    assert _count(body_id=body.id) == before
    client.post("/directory/import/apply", data={"create_categories": "to truong to dan pho"})
    assert _count(body_id=body.id) == before + 2
    created = db.session.scalar(select(InviteeCategory).filter_by(name="Tổ trưởng tổ dân phố"))
    hai = db.session.scalar(select(Person).filter_by(phone="0934000002"))
    assert hai.categories == [created]


def test_cli_creates_new_categories_only_when_asked(app, body, tmp_path):
    from tests.directory.messy import clean_xlsx

    path = _write(tmp_path, clean_xlsx([["Hồ Văn Ba", "", "", "Nhóm CLI mới", "0933111333", ""]]))
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["import-people", path])
    assert refused.exit_code == 1 and "--create-categories" in refused.output
    assert "New categories: Nhóm CLI mới" in refused.output
    assert _count(phone="0933111333") == 0
    done = runner.invoke(args=["import-people", path, "--create-categories"])
    assert done.exit_code == 0, done.output
    person = db.session.scalar(select(Person).filter_by(phone="0933111333"))
    assert [c.name for c in person.categories] == ["Nhóm CLI mới"]


def test_renaming_a_unit_to_an_existing_name_is_a_clear_error_not_a_500(client, login, body):
    from meetings.directory.service import NameTaken, save_unit
    from meetings.models import UnitKind

    login(Role.SECRETARIAT)
    taken = factories.make_unit(body, name="Phường Nghĩa Đô")
    unit = factories.make_unit(body, name="Phường Mai Dịch")
    response = client.post(
        f"/directory/units/{unit.id}", data={"name": "Phường Nghĩa Đô", "kind": "ward"}
    )
    assert response.status_code == 200
    assert "Đã có đơn vị mang tên này: Phường Nghĩa Đô." in response.get_data(as_text=True)
    db.session.expire_all()
    assert unit.name == "Phường Mai Dịch"
    # The domain function refuses before anything changes, without diacritics or case too.
    with pytest.raises(NameTaken) as raised:
        save_unit(unit, "phuong nghia do", UnitKind.WARD)
    assert raised.value.existing == taken and unit.name == "Phường Mai Dịch"


def test_renaming_a_category_to_an_existing_name_is_a_clear_error(client, login, body):
    login(Role.SECRETARIAT)
    factories.make_category(body, name="Ban Chấp hành")
    category = factories.make_category(body, name="Ban Tuyên giáo")
    response = client.post(f"/directory/categories/{category.id}", data={"name": "Ban Chấp hành"})
    assert response.status_code == 200
    assert "Đã có thành phần mang tên này" in response.get_data(as_text=True)
    response = client.post("/directory/categories/new", data={"name": "BAN CHẤP HÀNH"})
    assert "Đã có thành phần mang tên này" in response.get_data(as_text=True)


def test_a_namesake_in_the_same_unit_is_warned_then_saved_when_confirmed(client, login, body):
    login(Role.SECRETARIAT)
    unit = factories.make_unit(body, name="Chi bộ Trùng Tên")
    factories.make_person(body, full_name="Nguyễn Văn Trùng", unit=unit, position="Bí thư")
    data = {"full_name": "Nguyen Van Trung", "unit_id": unit.id, "position": "Đảng viên"}
    response = client.post("/directory/people/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="namesake-warning"' in page
    assert "Nguyễn Văn Trùng</a>, Bí thư" in page
    assert _count(full_name="Nguyen Van Trung") == 0
    # Another unit: no warning.
    other = factories.make_unit(body, name="Chi bộ Khác")
    response = client.post("/directory/people/new", data={**data, "unit_id": other.id})
    assert response.status_code == 302
    response = client.post("/directory/people/new", data={**data, "namesake_confirmed": "y"})
    assert response.status_code == 302
    assert _count(full_name="Nguyen Van Trung") == 2


def test_a_name_longer_than_the_column_is_refused_with_a_message_not_cut(client, login, body):
    login(Role.SECRETARIAT)
    form = client.get("/directory/people/new").get_data(as_text=True)
    assert "maxlength" not in form  # the browser would cut a pasted name without a word
    name = "Nguyễn " * 40  # 280 characters
    response = client.post("/directory/people/new", data={"full_name": name, "unit_id": 0})
    assert response.status_code == 200
    assert "Không được dài quá 200 ký tự." in response.get_data(as_text=True)
    assert _count(body_id=body.id, full_name=name.strip()[:200]) == 0


def test_wtforms_messages_speak_the_interface_language(client, login, body):
    login(Role.SECRETARIAT)
    response = client.post("/directory/people/new", data={"full_name": "", "unit_id": 0})
    page = response.get_data(as_text=True)
    assert "Mục này bắt buộc." in page and "This field is required." not in page
    client.post("/language", data={"lang": "en", "next": "/"})
    page = client.post("/directory/people/new", data={"full_name": ""}).get_data(as_text=True)
    assert "This field is required." in page


def test_the_import_form_says_a_file_is_needed_in_vietnamese(client, login, body):
    login(Role.SECRETARIAT)
    page = client.post("/directory/import", data={}).get_data(as_text=True)
    assert "Mục này bắt buộc." in page and "This field is required." not in page
