"""The main staff pages are valid HTML in the ways the W3C checker found them not to be:
ids repeated by pages with several forms, table rows wider or narrower than their table,
forms posting to action="". (The browser tests run axe-core on the same pages.)"""

import pytest

from meetings.invitations.service import add_category
from meetings.models import Role
from tests import factories
from tests.support.html import html_problems


@pytest.fixture
def conference():
    conference = factories.make_conference(venue=factories.make_venue())
    category = factories.make_category(conference.body, name="Ban Thường vụ")
    factories.make_person(conference.body, full_name="Nguyễn Văn Một", categories=[category])
    add_category(conference, category)
    return conference


def test_the_problem_finder_finds_each_kind_of_problem():
    page = (
        '<form action=""><input id="csrf_token"><input id="csrf_token"></form>'
        "<table><tr><td>1</td><td>2</td><td>3</td></tr>"
        '<tfoot><tr><td colspan="4">x</td></tr></tfoot></table>'
    )
    assert html_problems(page) == [
        'id="csrf_token" is used 2 times',
        "1 form(s) with an empty action",
        "a table's rows span [3, 4] columns",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/conferences/{id}",
        "/conferences/{id}/agenda",
        "/conferences/{id}/invitees/",
        "/conferences/{id}/invitees/?add_q=nguyen",
        "/conferences/{id}/edit",
        "/directory/people",
        "/directory/units",
        "/directory/units/new",
        "/directory/categories",
        "/directory/import",
        "/documents/",
    ],
)
def test_staff_pages_are_valid(client, login, conference, url):
    login(Role.SECRETARIAT)
    response = client.get(url.format(id=conference.id))
    assert response.status_code == 200
    assert html_problems(response.get_data(as_text=True)) == []


def test_the_login_page_posts_to_itself_with_its_next(client):
    page = client.get("/login?next=/conferences/").get_data(as_text=True)
    assert 'action="/login?next=/conferences/"' in page
    assert html_problems(page) == []
