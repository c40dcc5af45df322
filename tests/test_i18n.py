"""Both catalogues are complete, and the UI switches language."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_both_catalogues_are_complete():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    """Extract afresh: a string marked in code but missing from the .pot is a stale catalogue."""
    from babel.messages.pofile import read_po

    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT / "meetings"),
        ],
        check=True,
    )
    fresh = {m.id for m in read_po(pot.open("rb")) if m.id}
    vi = ROOT / "meetings" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
    known = {m.id for m in read_po(vi.open("rb"), locale="vi") if m.id and m.string}
    assert fresh - known == set()


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
