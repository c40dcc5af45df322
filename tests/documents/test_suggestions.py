"""Citation suggestions: what the secretariat types offers the documents it cites."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from meetings.documents.cli import citation_lines
from meetings.documents.service import apply_suggestions, suggest
from meetings.models import Role
from tests import factories

SEED = Path("/work/shared/seeds/000_a6e1ea2754a5097d.txt")
DEMO_TITLE = (
    "Hội nghị quán triệt Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội "
    "về tăng cường kỷ cương, kỷ luật và trách nhiệm giải quyết công việc trong hệ thống chính trị "
    "Thành phố Hà Nội và Kế hoạch số 133-KH/QU ngày 28/8/2023 của Quận ủy về thực hiện Chỉ thị "
    "số 24-CT/TU của Thành ủy"
)


@pytest.fixture
def seed_title() -> str:
    if not SEED.exists():
        pytest.skip(f"seed article not found at {SEED}")
    return SEED.read_text(encoding="utf-8").splitlines()[2]


def test_the_seed_title_alone_yields_the_directive(seed_title):
    (found,) = suggest(seed_title)
    c = found.citation
    assert (c.kind, c.symbol, c.date) == ("Chỉ thị", "24-CT/TU", date(2023, 8, 7))
    assert found.document is None and found.key == "24-CT/TU|2023-08-07"


def test_the_seed_title_finds_the_registered_directive(seed_title):
    directive = factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    (found,) = suggest(seed_title)
    assert found.document == directive


def test_two_citations_and_a_repeat_without_date_give_two_suggestions():
    directive = factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    found = suggest(DEMO_TITLE)
    assert [s.key for s in found] == ["24-CT/TU|2023-08-07", "133-KH/QU|2023-08-28"]
    assert [s.document for s in found] == [directive, None]


def test_citations_across_several_texts_are_merged():
    found = suggest("Quán triệt Nghị quyết số 18-NQ/TW ngày 25/10/2017", None, DEMO_TITLE)
    assert [s.citation.symbol for s in found] == ["18-NQ/TW", "24-CT/TU", "133-KH/QU"]


def test_an_undated_citation_matches_the_only_document_with_its_symbol():
    plan = factories.make_document(symbol="133-KH/QU", issued_on=date(2023, 8, 28))
    (found,) = suggest("Triển khai Kế hoạch số 133-KH/QU của Quận ủy")
    assert found.document == plan


def test_an_undated_citation_of_an_ambiguous_symbol_matches_nothing():
    factories.make_document(symbol="01-KH/ĐU", issued_on=date(2021, 1, 5))
    factories.make_document(symbol="01-KH/ĐU", issued_on=date(2026, 1, 5))
    (found,) = suggest("Kế hoạch số 01-KH/ĐU")
    assert found.document is None


def test_apply_links_chosen_and_creates_chosen():
    directive = factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    conference = factories.make_conference()
    found = suggest(DEMO_TITLE)
    added = apply_suggestions(conference, found, {"24-CT/TU|2023-08-07"}, {"133-KH/QU|2023-08-28"})
    assert added == ["24-CT/TU", "133-KH/QU"]
    assert [d.symbol for d in conference.documents] == ["24-CT/TU", "133-KH/QU"]
    assert conference.documents[0] == directive
    # a second save links nothing twice
    assert (
        apply_suggestions(
            conference, suggest(DEMO_TITLE), {"24-CT/TU|2023-08-07", "133-KH/QU|2023-08-28"}, set()
        )
        == []
    )


def test_suggest_endpoint_returns_links_and_prefilled_create_urls(client, login):
    login(Role.SECRETARIAT)
    directive = factories.make_document(symbol="24-CT/TU", issued_on=date(2023, 8, 7))
    found = client.post("/documents/suggest", json={"texts": [DEMO_TITLE, ""]}).get_json()
    assert [s["symbol"] for s in found] == ["24-CT/TU", "133-KH/QU"]
    assert found[0]["document"]["id"] == directive.id
    assert found[1]["document"] is None
    assert found[1]["citation"] == "Kế hoạch số 133-KH/QU ngày 28/8/2023 của Quận ủy"
    page = client.get(found[1]["create_url"]).get_data(as_text=True)
    assert 'value="133-KH/QU"' in page and 'value="Quận ủy"' in page


def test_suggest_endpoint_is_for_the_secretariat(client, login):
    login(Role.CLERK)
    assert client.post("/documents/suggest", json={"texts": ["x"]}).status_code == 403


def test_suggest_endpoint_rejects_a_malformed_body(client, login):
    login(Role.SECRETARIAT)
    assert client.post("/documents/suggest", json={"texts": "not a list"}).status_code == 400
    assert client.post("/documents/suggest", data="not json").get_json() == []


def test_cite_command_prints_one_line_per_citation(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cite", DEMO_TITLE])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines == citation_lines(DEMO_TITLE)
    assert len(lines) == 3  # the directive, the plan, and the directive again without date
    assert lines[0] == (
        "Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ Thành ủy Hà Nội\tkind=Chỉ thị"
        "\tsymbol=24-CT/TU\tdate=2023-08-07\tissuer=Ban Thường vụ Thành ủy Hà Nội"
    )
    assert lines[2].endswith("date=-\tissuer=Thành ủy")


def test_cite_command_reads_standard_input(app):
    result = app.test_cli_runner().invoke(args=["cite"], input="theo Nghị định 30/2020/NĐ-CP")
    assert "symbol=30/2020/NĐ-CP" in result.output
