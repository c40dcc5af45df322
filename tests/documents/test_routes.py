"""The register's pages in the user's language."""

from meetings.documents.forms import KIND_LABELS
from meetings.documents.service import KINDS
from meetings.models import Role


def test_document_kinds_are_listed_in_the_interface_language(client, login):
    assert set(KIND_LABELS) == set(KINDS)
    login(Role.SECRETARIAT)
    page = client.get("/documents/").get_data(as_text=True)
    assert '<option value="Chỉ thị">Chỉ thị</option>' in page
    client.post("/language", data={"lang": "en", "next": "/"})
    page = client.get("/documents/").get_data(as_text=True)
    assert '<option value="Chỉ thị">Directive</option>' in page
    form = client.get("/documents/new").get_data(as_text=True)
    assert '<option value="Nghị quyết">Resolution</option>' in form
    assert 'placeholder="dd/mm/yyyy"' in form
