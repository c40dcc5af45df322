"""The uploaded import file, kept between preview and apply.

It lives in instance/imports/ under a random name that only this user's session knows, is
never served, and is deleted when the import is applied or cancelled (stale ones after a day).
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app, session

SESSION_KEY = "directory_import"
_NAME = re.compile(r"[A-Za-z0-9_-]{20,64}")
STALE_SECONDS = 24 * 3600


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep(filename: str, data: bytes) -> None:
    """Store the upload for this session, replacing an earlier one."""
    discard()
    _sweep()
    token = secrets.token_urlsafe(24)
    path = _folder() / f"{token}.upload"
    path.write_bytes(data)
    path.chmod(0o600)
    session[SESSION_KEY] = {"token": token, "filename": Path(filename or "").name[:200]}


def load() -> tuple[str, bytes] | None:
    """(original file name, bytes) of this session's upload, or None."""
    kept = session.get(SESSION_KEY) or {}
    token = kept.get("token", "")
    if not _NAME.fullmatch(token):
        return None
    path = _folder() / f"{token}.upload"
    if not path.is_file():
        return None
    return kept.get("filename", ""), path.read_bytes()


def discard() -> None:
    kept = session.pop(SESSION_KEY, None) or {}
    token = kept.get("token", "")
    if _NAME.fullmatch(token):
        (_folder() / f"{token}.upload").unlink(missing_ok=True)


def _sweep() -> None:
    """Forget uploads that were never applied nor cancelled."""
    limit = time.time() - STALE_SECONDS
    for path in _folder().glob("*.upload"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
