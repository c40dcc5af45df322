"""Both catalogues are complete, and the UI switches language."""

import subprocess
import sys
from pathlib import Path

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
