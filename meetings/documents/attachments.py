"""Attachments of registered documents: PDF or DOCX, checked by content, stored under a random
name in instance/documents/ and served only through a login-protected view."""

from __future__ import annotations

import io
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from meetings.documents.service import RegisterError
from meetings.extensions import db
from meetings.models import Document, User, record
from meetings.text import clean

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def storage_dir() -> Path:
    path = Path(current_app.instance_path) / "documents"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sniff(content: bytes) -> str | None:
    """ "pdf" or "docx" from the bytes themselves, whatever the file is called; else None."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        # A .docx is a zip with a Word main part; an .xlsx or a plain zip is not.
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    return None


def store_upload(filename: str, content: bytes, limit: int | None = None) -> tuple[str, str]:
    """Check a PDF or DOCX upload (size, content, extension) and store it under a random name:
    (the name it was uploaded as, the stored name). Raises RegisterError with the reason."""
    if limit is None:
        limit = current_app.config.get("DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if not content:
        raise RegisterError(_l("The file is empty."))
    if len(content) > limit:
        megabytes = format(limit / 1024 / 1024, "g")
        raise RegisterError(_l("The file is larger than %(mb)s MB.", mb=megabytes))
    kind = sniff(content)
    name = clean(Path(filename or "").name) or f"document.{kind}"
    if kind is None or not name.lower().endswith(f".{kind}"):
        raise RegisterError(_l("Only PDF and Word (.docx) files can be attached."))
    stored = f"{secrets.token_hex(16)}.{kind}"
    (storage_dir() / stored).write_bytes(content)
    return name, stored


def attach(document: Document, filename: str, content: bytes, user: User | None = None) -> None:
    """Store a PDF or DOCX for the document, replacing the previous one."""
    name, stored = store_upload(filename, content)
    old = document.attachment_path
    document.attachment_name, document.attachment_path = name, stored
    db.session.flush()
    if old:
        (storage_dir() / old).unlink(missing_ok=True)
    record("document.attach", document, user, name=name, size=len(content))


def stored_file(stored: str | None) -> tuple[Path, str] | None:
    """(path on disk, mimetype) of a stored upload, if it is on disk."""
    if not stored:
        return None
    path = storage_dir() / Path(stored).name
    kind = path.suffix.lstrip(".")
    if not path.is_file() or kind not in MIMETYPES:
        return None
    return path, MIMETYPES[kind]


def attachment_file(document: Document) -> tuple[Path, str] | None:
    """(path on disk, mimetype) of the document's attachment, if it has one on disk."""
    return stored_file(document.attachment_path)
