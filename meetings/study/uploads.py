"""Files of study reports: stored like document attachments (meetings.documents.attachments),
served as downloads under the name they were uploaded as."""

from __future__ import annotations

import re

from flask import Response, abort, send_file
from werkzeug.datastructures import FileStorage

from meetings.documents.attachments import stored_file
from meetings.models import StudyRound, StudySubmission
from meetings.text import fold


def upload_of(data: FileStorage | None) -> tuple[str, bytes] | None:
    """(file name, content) of a form's file field; None when no file was chosen."""
    if not isinstance(data, FileStorage) or not data.filename:
        return None
    return data.filename, data.read()


def send_submission(entry: StudySubmission) -> Response:
    found = stored_file(entry.file_path) or abort(404)
    path, mimetype = found
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=entry.file_name)


def report_name(study: StudyRound, extension: str) -> str:
    """An ASCII file name: "ket-qua-hoc-tap-24-CT-TU.docx"."""
    symbol = re.sub(r"[^A-Za-z0-9]+", "-", fold(study.document.symbol).upper()).strip("-")
    return f"ket-qua-hoc-tap-{symbol}.{extension}"
