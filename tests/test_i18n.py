"""Both catalogues are complete, and the UI switches language."""

import subprocess
import sys
from pathlib import Path

from meetings.checkin.service import check_in
from meetings.models import CheckInMethod, Role
from meetings.text import attendance_phrase, phrase_in_english
from tests import factories

ROOT = Path(__file__).resolve().parent.parent


def test_both_catalogues_are_complete():
    """`check` extracts the strings afresh, so a stale catalogue fails too."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_switching_to_english_and_back(client, login):
    login()
    assert "Hội nghị sắp tới" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/"})
    assert "Upcoming conferences" in client.get("/").get_data(as_text=True)
    client.post("/language", data={"lang": "vi", "next": "/"})
    assert "Hội nghị sắp tới" in client.get("/").get_data(as_text=True)


def test_unknown_language_is_ignored(client, login):
    login()
    client.post("/language", data={"lang": "fr", "next": "/"})
    assert 'lang="vi"' in client.get("/").get_data(as_text=True)


def test_figures_read_in_english_on_english_pages_and_documents_stay_vietnamese(client, login):
    login(Role.CLERK)
    conference = factories.make_conference()
    invitations = [factories.make_invitation(conference) for _ in range(3)]
    check_in(invitations[0].id, method=CheckInMethod.DESK)
    live = f"/checkin/{conference.id}/live"
    assert "1/3, đạt 33,33%" in client.get(live).get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": "/"})
    english = client.get(live).get_data(as_text=True)
    assert "1/3, 33.33%" in english and "đạt" not in english
    assert client.get(f"{live}.json").json["phrase"] == "1/3, 33.33%"
    assert phrase_in_english("2.909/3.044, đạt 95,56% (trong đó 2 đồng chí dự thay)") == (
        "2,909/3,044, 95.56% (2 substitutes)"
    )
    assert attendance_phrase(1, 3) == "1/3, đạt 33,33%"  # what documents print, in any UI
