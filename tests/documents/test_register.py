"""The document register: canonical symbols, duplicates, search, attachments, coverage."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from docx import Document as DocxDocument
from openpyxl import Workbook
from sqlalchemy import select

from meetings.documents import attachments
from meetings.documents.service import (
    KINDS,
    DocumentData,
    RegisterError,
    canonical_symbol,
    conferences_covering,
    create_document,
    search_documents,
    update_document,
)
from meetings.extensions import db
from meetings.models import Document, Role
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    out = io.BytesIO()
    doc = DocxDocument()
    doc.add_paragraph("Chỉ thị số 24-CT/TU")
    doc.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    return out.getvalue()


def directive(**kw) -> DocumentData:
    return DocumentData(
        **{
            "kind": "Chỉ thị",
            "symbol": "24-CT/TU",
            "issued_on": date(2023, 8, 7),
            "issuer": "Ban Thường vụ Thành ủy Hà Nội",
            **kw,
        }
    )


@pytest.mark.parametrize(
    ("typed", "symbol", "number"),
    [
        ("24-ct/tu", "24-CT/TU", "24"),
        ("144-QD/TW", "144-QĐ/TW", "144"),
        ("30/2020/nđ-cp", "30/2020/NĐ-CP", "30"),
        (" 1234/QĐ-UBND ", "1234/QĐ-UBND", "1234"),
        ("số 05-CT/TW", "05-CT/TW", "05"),
        ("không phải ký hiệu", "không phải ký hiệu", None),
    ],
)
def test_symbols_are_canonicalised_by_the_parser(typed, symbol, number):
    assert canonical_symbol(typed) == (symbol, number)


def test_create_fills_the_number_from_the_symbol():
    document = create_document(directive(symbol="24-ct/tu"))
    assert (document.symbol, document.number) == ("24-CT/TU", "24")
    assert document.citation.startswith("Chỉ thị số 24-CT/TU ngày 07/8/2023")


def test_same_symbol_and_date_is_refused_and_the_existing_one_offered():
    first = create_document(directive())
    with pytest.raises(RegisterError) as refused:
        create_document(directive(symbol="24-CT/TU", issuer="Thành ủy"))
    assert refused.value.existing == first


def test_same_symbol_another_date_is_another_document():
    create_document(directive())
    assert create_document(directive(issued_on=date(2024, 1, 5))).id


def test_undated_duplicates_are_refused_too():
    create_document(directive(issued_on=None))
    with pytest.raises(RegisterError):
        create_document(directive(issued_on=None))


def test_editing_into_an_existing_document_is_refused():
    first = create_document(directive())
    second = create_document(directive(symbol="25-CT/TU"))
    with pytest.raises(RegisterError) as refused:
        update_document(second, directive())
    assert refused.value.existing == first


def test_kind_must_come_from_the_list():
    with pytest.raises(RegisterError):
        create_document(directive(kind="Thư tình"))


def test_every_kind_the_parser_reports_can_be_registered():
    from meetings.documents.citations import _CODE_KINDS, _KIND_WORDS

    assert {k for k in _KIND_WORDS.values() if k} | set(_CODE_KINDS.values()) <= set(KINDS)


def test_search_without_diacritics():
    wanted = factories.make_document(symbol="24-CT/TU", title="về tăng cường kỷ cương, kỷ luật")
    factories.make_document(symbol="30/2020/NĐ-CP", kind="Nghị định", title="về công tác văn thư")
    assert search_documents("ky cuong") == [wanted]
    assert search_documents("24-ct") == [wanted]
    assert [d.symbol for d in search_documents("", kind="Nghị định")] == ["30/2020/NĐ-CP"]


def test_conferences_covering_a_document():
    document = factories.make_document()
    listed = factories.make_conference(documents=[document])
    presented = factories.make_conference()
    factories.make_agenda_item(presented, document=document)
    factories.make_conference()
    assert set(conferences_covering(document)) == {listed, presented}


# --- Attachments --------------------------------------------------------------------------


def test_sniff_by_content():
    assert attachments.sniff(PDF) == "pdf"
    assert attachments.sniff(docx_bytes()) == "docx"
    assert attachments.sniff(xlsx_bytes()) is None
    assert attachments.sniff(zip_bytes()) is None
    assert attachments.sniff(b"PK\x03\x04 broken") is None
    assert attachments.sniff(b"MZ\x90\x00") is None


def test_attach_stores_under_a_random_name(app):
    document = factories.make_document()
    attachments.attach(document, "Chỉ thị 24.pdf", PDF)
    assert document.attachment_name == "Chỉ thị 24.pdf"
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", document.attachment_path)
    path, mimetype = attachments.attachment_file(document)
    assert path.read_bytes() == PDF and mimetype == "application/pdf"
    assert path.parent.parent == type(path)(app.instance_path)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.pdf", b"MZ\x90\x00 an executable"),  # named .pdf, is not one
        ("bang.docx", None),  # an .xlsx renamed .docx
        ("thu.pdf", b""),  # empty
        ("chi-thi.docx", PDF),  # a PDF called .docx
        ("chi-thi.exe", PDF),  # the right content, a wrong name
    ],
)
def test_attachments_that_are_not_pdf_or_docx_are_refused(name, content):
    document = factories.make_document()
    with pytest.raises(RegisterError):
        attachments.attach(document, name, xlsx_bytes() if content is None else content)
    assert document.attachment_path is None


def test_attachment_size_limit(app):
    document = factories.make_document()
    app.config["DOCUMENT_MAX_BYTES"] = 1000
    try:
        with pytest.raises(RegisterError):
            attachments.attach(document, "lon.pdf", PDF + b"0" * 1000)
    finally:
        app.config.pop("DOCUMENT_MAX_BYTES")


# --- Pages --------------------------------------------------------------------------------


def test_register_page_refuses_a_duplicate_and_links_the_existing(client, login):
    login(Role.SECRETARIAT)
    existing = factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    db.session.commit()
    response = client.post(
        "/documents/new",
        data={"kind": "Chỉ thị", "symbol": "24-ct/tu", "issued_on": "2023-08-07"},
    )
    page = response.get_data(as_text=True)
    assert "Văn bản này đã có trong sổ" in page
    assert f"/documents/{existing.id}" in page


def test_create_with_attachment_and_download_only_when_logged_in(client, login):
    login(Role.SECRETARIAT)
    content = docx_bytes()
    response = client.post(
        "/documents/new",
        data={
            "kind": "Kế hoạch",
            "symbol": "133-KH/QU",
            "issued_on": "2023-08-28",
            "issuer": "Quận ủy",
            "title": "về thực hiện Chỉ thị số 24-CT/TU",
            "attachment": (io.BytesIO(content), "KH 133.docx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = db.session.scalar(select(Document).filter_by(symbol="133-KH/QU"))
    url = f"/documents/{document.id}/attachment"
    download = client.get(url)
    assert download.status_code == 200 and download.data == content
    assert download.mimetype.endswith("wordprocessingml.document")
    assert 'filename="KH 133.docx"' in download.headers["Content-Disposition"]
    client.post("/logout")
    with client.session_transaction() as session:
        session.clear()
    assert "/login" in client.get(url).headers["Location"]


def test_new_document_form_is_prefilled_from_a_citation(client, login):
    login(Role.SECRETARIAT)
    page = client.get(
        "/documents/new?kind=Kế+hoạch&symbol=133-KH/QU&number=133&issued_on=2023-08-28&issuer=Quận+ủy"
    ).get_data(as_text=True)
    assert (
        'value="133-KH/QU"' in page and 'value="28/08/2023"' in page
    )  # dd/mm/yyyy whatever the browser
    assert '<option selected value="Kế hoạch">' in page or 'value="Kế hoạch" selected' in page


def test_document_page_lists_the_conferences(client, login):
    login(Role.CLERK)
    document = factories.make_document()
    conference = factories.make_conference(documents=[document], title="Hội nghị đã quán triệt")
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Hội nghị đã quán triệt" in page and f"/conferences/{conference.id}" in page


def test_clerks_read_the_register_but_do_not_edit_it(client, login):
    login(Role.CLERK)
    document = factories.make_document()
    assert client.get("/documents/").status_code == 200
    assert client.get("/documents/new").status_code == 403
    assert client.get(f"/documents/{document.id}/edit").status_code == 403


def test_door_staff_do_not_see_the_register(client, login):
    login(Role.DOOR)
    assert client.get("/documents/").status_code == 403
