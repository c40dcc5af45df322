"""Answering an invitation from its own link, with no login."""

from __future__ import annotations

from datetime import timedelta

import pytest

from meetings.clock import now
from meetings.models import ConferenceStatus, Rsvp
from meetings.replies.service import answer_history
from tests.factories import make_conference, make_invitation, make_user


def _reply(client, invitation, **data):
    return client.post(f"/c/{invitation.token}/reply", data=data, follow_redirects=True)


@pytest.fixture
def invitation():
    return make_invitation(make_conference(starts_at=now() + timedelta(days=2)))


def test_the_page_offers_the_answers_and_takes_attend(client, invitation):
    page = client.get(f"/c/{invitation.token}")
    assert page.status_code == 200 and 'id="reply-form"' in page.text
    assert 'value="deputy"' not in page.text  # this invitation allows no deputy
    done = _reply(client, invitation, answer="attend")
    assert done.status_code == 200 and invitation.rsvp == Rsvp.CONFIRMED
    assert 'id="answered-at"' in done.text


def test_absent_needs_a_reason_and_the_answer_can_change(client, invitation):
    refused = _reply(client, invitation, answer="absent", reason="   ")
    assert invitation.rsvp == Rsvp.INVITED and 'id="reply-form"' in refused.text
    _reply(client, invitation, answer="absent", reason="Đi công tác tỉnh Lào Cai")
    assert invitation.rsvp == Rsvp.EXCUSED
    assert invitation.absence_reason == "Đi công tác tỉnh Lào Cai"
    _reply(client, invitation, answer="attend")
    assert invitation.rsvp == Rsvp.CONFIRMED and invitation.absence_reason is None
    history = answer_history(invitation)
    assert [h.rsvp for h in history] == ["excused", "confirmed"]
    assert history[0].reason == "Đi công tác tỉnh Lào Cai" and all(h.by_invitee for h in history)
    assert history[0].at <= history[1].at


def test_a_deputy_only_where_the_invitation_allows_one(client, invitation):
    _reply(client, invitation, answer="deputy", deputy_name="Lê Văn B", deputy_position="Phó")
    assert invitation.rsvp == Rsvp.INVITED and invitation.substitute_name is None
    invitation.deputy_allowed = True
    assert 'value="deputy"' in client.get(f"/c/{invitation.token}").text
    _reply(client, invitation, answer="deputy", deputy_name="Lê Văn B", deputy_position="")
    assert invitation.substitute_name is None  # the position is required too
    _reply(
        client,
        invitation,
        answer="deputy",
        deputy_name="Le\u0302 Văn  Bình",  # decomposed, doubled space: normalised
        deputy_position="Phó Bí thư Đảng ủy",
    )
    assert invitation.rsvp == Rsvp.CONFIRMED
    assert (invitation.substitute_name, invitation.substitute_position) == (
        "Lê Văn Bình",
        "Phó Bí thư Đảng ủy",
    )
    assert "Lê Văn Bình" in client.get(f"/c/{invitation.token}").text


def test_answers_close_when_the_conference_starts_or_is_cancelled(client, invitation):
    invitation.conference.starts_at = now() - timedelta(minutes=1)
    page = client.get(f"/c/{invitation.token}")
    assert 'id="reply-closed"' in page.text and 'id="reply-form"' not in page.text
    _reply(client, invitation, answer="attend")
    assert invitation.rsvp == Rsvp.INVITED
    invitation.conference.starts_at = now() + timedelta(days=1)
    invitation.conference.status = ConferenceStatus.CANCELLED
    _reply(client, invitation, answer="attend")
    assert invitation.rsvp == Rsvp.INVITED


def test_an_unknown_token_is_not_found(client, invitation):
    assert client.post("/c/nothing-here/reply", data={"answer": "attend"}).status_code == 404


def test_the_conference_page_counts_the_answers(client, login, invitation):
    conference = invitation.conference
    other = make_invitation(conference, deputy_allowed=True)
    away = make_invitation(conference)
    _reply(client, invitation, answer="attend")
    _reply(client, other, answer="deputy", deputy_name="Phạm Thị C", deputy_position="Phó")
    _reply(client, away, answer="absent", reason="Ốm")
    login(make_user().role)
    page = client.get(f"/conferences/{conference.id}")
    assert page.status_code == 200
    totals = page.text.split('id="reply-totals"', 1)[1].split("</tfoot>", 1)[0]
    cells = [c.split("<", 1)[0] for c in totals.split('class="text-end">')[1:]]
    assert cells == ["3", "2", "1", "1"]  # invited, coming, deputies, absent


def test_the_secretariat_sees_every_answer_with_its_time(client, login, invitation):
    _reply(client, invitation, answer="absent", reason="Đi công tác tỉnh Lào Cai")
    _reply(client, invitation, answer="attend")
    login(make_user().role)
    page = client.get(f"/conferences/{invitation.conference_id}/invitees/{invitation.id}")
    history = page.text.split('id="answer-history"', 1)[1].split("</ul>", 1)[0]
    assert history.count("<li>") == 2 and "Đi công tác tỉnh Lào Cai" in history
