"""A conference's letters and attendance sheet made as background jobs (run at once in tests)."""

from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader

from meetings.extensions import db
from meetings.models import Invitation, Job, JobStatus, Role
from meetings.printing import jobs as printing_jobs
from meetings.printing.data import build_letters


def _job(token: str) -> Job:
    return db.session.scalar(db.select(Job).filter_by(token=token))


def test_letters_of_a_whole_conference_as_a_job(seed, client, login):
    clerk = login(Role.CLERK)
    response = client.post(f"/printing/conferences/{seed.id}/letters/job", data={"format": "pdf"})
    assert response.status_code == 302
    token = response.headers["Location"].rsplit("/", 1)[1]
    job = _job(token)
    letters = len(build_letters(seed).letters)  # the chair, who signs them, gets none
    assert (job.owner_id, job.conference_id, job.status) == (clerk.id, seed.id, JobStatus.DONE)
    assert (job.done, job.total) == (letters, letters)  # counted letter by letter

    page = client.get(f"/jobs/{token}")
    assert page.status_code == 200 and "Giấy mời, PDF" in page.text and 'id="job-bar"' in page.text
    state = client.get(f"/jobs/{token}/progress").get_json()
    assert state["status"] == "done" and state["percent"] == 100
    assert state["download"] == f"/jobs/{token}/download"

    download = client.get(state["download"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert f"filename=giay-moi-{seed.id}.pdf" in download.headers["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(download.data)).pages) == letters


def test_letters_of_one_category_as_docx(seed, client, login):
    login(Role.SECRETARIAT)
    category = db.session.scalar(
        db.select(Invitation.category_id).filter_by(conference_id=seed.id).limit(1)
    )
    response = client.post(
        f"/printing/conferences/{seed.id}/letters/job",
        data={"format": "docx", "category": category},
    )
    job = _job(response.headers["Location"].rsplit("/", 1)[1])
    assert job.status == JobStatus.DONE and job.result_name.endswith(f"-nhom-{category}.docx")
    assert zipfile.is_zipfile(io.BytesIO(client.get(f"/jobs/{job.token}/download").data))


def test_attendance_docx_as_a_job(seed, client, login):
    login(Role.CLERK)
    response = client.post(
        f"/printing/conferences/{seed.id}/attendance/job", data={"format": "docx", "before": "y"}
    )
    job = _job(response.headers["Location"].rsplit("/", 1)[1])
    assert job.status == JobStatus.DONE
    assert job.result_name == f"danh-sach-dai-bieu-{seed.id}-de-ky.docx"
    content = client.get(f"/jobs/{job.token}/download").data
    with zipfile.ZipFile(io.BytesIO(content)) as docx:
        assert "DANH SÁCH ĐẠI BIỂU" in docx.read("word/document.xml").decode()


def test_a_bad_format_or_a_door_account_starts_nothing(seed, client, login):
    login(Role.CLERK)
    url = f"/printing/conferences/{seed.id}/letters/job"
    assert client.post(url, data={"format": "exe"}).status_code == 400
    login(Role.DOOR)
    assert client.post(url, data={"format": "pdf"}).status_code == 403
    assert db.session.scalar(db.select(db.func.count()).select_from(Job)) == 0


def test_pages_offer_jobs_and_direct_links_only_for_small_conferences(
    seed, client, login, monkeypatch
):
    login(Role.CLERK)
    page = client.get(f"/printing/conferences/{seed.id}/letters").text
    assert 'id="job-buttons"' in page and f"/printing/conferences/{seed.id}/letters.pdf" in page
    monkeypatch.setattr("meetings.printing.routes.INLINE_LETTERS", 1)
    monkeypatch.setattr("meetings.printing.routes.INLINE_ROWS", 1)
    page = client.get(f"/printing/conferences/{seed.id}/letters").text
    assert 'id="job-buttons"' in page and "letters.pdf" not in page
    page = client.get(f"/printing/conferences/{seed.id}/attendance").text
    assert "attendance.docx" not in page and "attendance.xlsx" in page
    assert f"/printing/conferences/{seed.id}/attendance/job" in page
    assert printing_jobs.INLINE_LETTERS > 1  # the module's own value is untouched
