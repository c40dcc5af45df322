"""Translation catalogues: English msgids in the code, Vietnamese (the default UI) in vi.po.

python scripts/i18n.py update          extract strings, update vi and en, list what vi lacks
python scripts/i18n.py add FILE.json   merge {"English msgid": "Vietnamese"} into vi.po
python scripts/i18n.py check           exit 1 if a catalogue lacks a translation
python scripts/i18n.py compile         write the .mo files the app reads
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "meetings" / "translations"
POT = TRANSLATIONS / "messages.pot"
SOURCES = TRANSLATIONS / "vi"  # *.json beside LC_MESSAGES/
LOCALES = ("vi", "en")


def _po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _write(path: Path, catalog) -> None:
    with path.open("wb") as f:
        write_po(f, catalog, width=100, no_location=True, sort_output=True, omit_header=False)


def _missing(catalog) -> list[str]:
    return [
        str(m.id)
        for m in catalog
        if m.id and (not m.string or m.fuzzy or (isinstance(m.string, tuple) and not all(m.string)))
    ]


def _extract(pot: Path) -> None:
    pybabel = Path(sys.executable).parent / "pybabel"
    options = ["-k", "_l", "-k", "lazy_gettext", "--no-location", "--sort-output"]
    config = ["-F", str(ROOT / "babel.cfg")]
    subprocess.run(
        [str(pybabel), "-q", "extract", *config, *options, "-o", str(pot), str(ROOT / "meetings")],
        check=True,
    )


def update() -> None:
    _extract(POT)
    template = _read(POT)
    vietnamese = _vietnamese()
    for locale in LOCALES:
        catalog = _read(_po_path(locale), locale)
        catalog.update(template, no_fuzzy_matching=True)
        for message in catalog:
            if not message.id:
                continue
            # English is the source language: the msgid is the translation.
            message.string = message.id if locale == "en" else vietnamese.get(message.id, "")
            message.flags.discard("fuzzy")
        _write(_po_path(locale), catalog)
    missing = _missing(_read(_po_path("vi"), "vi"))
    print(f"vi: {len(missing)} untranslated")
    for msgid in missing:
        print("  ", json.dumps(msgid, ensure_ascii=False))


def _vietnamese() -> dict[str, str]:
    """Every translation of every capability's JSON file; a msgid in two files must agree."""
    merged: dict[str, str] = {}
    for path in sorted(SOURCES.glob("*.json")):
        for msgid, text in json.loads(path.read_text(encoding="utf-8")).items():
            if merged.get(msgid, text) != text:
                sys.exit(f"{path.name}: {msgid!r} is translated differently elsewhere")
            merged[msgid] = text
    return merged


def check() -> int:
    """Every string marked in the code, extracted afresh, has a translation in each catalogue."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        _extract(fresh)
        marked = {m.id for m in _read(fresh) if m.id}
    failures = 0
    for locale in LOCALES:
        catalog = _read(_po_path(locale), locale)
        missing = _missing(catalog) + sorted(str(m) for m in marked if not catalog.get(m))
        if missing:
            failures += 1
            print(f"{locale}: {len(missing)} untranslated, e.g. {missing[:5]}")
    return 1 if failures else 0


def compile_all() -> None:
    for locale in LOCALES:
        catalog = _read(_po_path(locale), locale)
        with _po_path(locale).with_suffix(".mo").open("wb") as f:
            write_mo(f, catalog)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "update":
        update()
    elif command == "check":
        sys.exit(check())
    elif command == "compile":
        compile_all()
    else:
        sys.exit(__doc__)
