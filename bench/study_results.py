"""Study round results at 30,000 people: the results page, the report, against a trivial page.

    .venv/bin/python bench/study_results.py                 # SQLite file in a temp dir
    .venv/bin/python bench/study_results.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Seeds one document's dissemination: 30,000 people in 300 units invited to a held conference
(95 % checked in, 1 % of those through a substitute, 2 % of the absent self-studied), a study
round whose deadline has passed, reports from 85 % of those who owe one (one in twenty in two
versions), grades for 80 % of the reports, 1 % exempted. Serves the app on 127.0.0.1 and times,
in the same run, the results page, the DOCX and XLSX reports and a trivial page (the login form):
server time (before_request → after_request), median and worst of the runs. Bounded: a fixed
number of requests. Goal: the results page under 1 s.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import statistics
import sys
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from bench.coverage import seeded_app, timed_server
from meetings.auth.service import create_user
from meetings.extensions import db
from meetings.models import (
    CheckIn,
    CheckInMethod,
    Conference,
    ConferenceDocument,
    ConferenceStatus,
    Document,
    Invitation,
    OrganisingBody,
    Person,
    Role,
    SelfStudy,
    StudyExemption,
    StudyGrade,
    StudySubmission,
    SubmissionChannel,
    Unit,
    new_token,
)
from meetings.study.service import open_round
from meetings.text import make_short_code

PEOPLE = 30_000
UNITS = 300
RUNS = 9
BUDGET_MS = 1000
GRADES = ["Tốt", "Khá", "Đạt", "Chưa đạt"]


def seed() -> int:
    """The dissemination and the round; returns the round's id."""
    body = OrganisingBody(name="Thành ủy Thử tải", place_name="Hà Nội", symbol="TU")
    db.session.add(body)
    db.session.flush()
    units = [Unit(body_id=body.id, name=f"Chi bộ {i:03d}") for i in range(UNITS)]
    document = Document(kind="Chỉ thị", number="24", symbol="24-CT/TU")
    db.session.add_all([*units, document])
    db.session.flush()
    start = datetime(2024, 3, 1, 8, 0)
    conference = Conference(
        body_id=body.id,
        title="Hội nghị quán triệt",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        status=ConferenceStatus.HELD,
    )
    conference.document_links = [ConferenceDocument(document_id=document.id)]
    db.session.add(conference)
    db.session.flush()
    db.session.execute(
        insert(Person),
        [
            dict(
                body_id=body.id,
                full_name=f"Nguyễn Văn Thử {i}",
                unit_id=units[i % UNITS].id,
                search_text="",
                sort_key=f"{i:06d}",
                created_at=start,
            )
            for i in range(PEOPLE)
        ],
    )
    people = db.session.scalars(select(Person.id).where(Person.body_id == body.id)).all()
    db.session.execute(
        insert(Invitation),
        [
            dict(
                conference_id=conference.id,
                person_id=pid,
                token=new_token(),
                short_code=make_short_code(),
                deputy_allowed=False,
                created_at=start,
            )
            for pid in people
        ],
    )
    invitations = db.session.execute(
        select(Invitation.id, Invitation.person_id).where(Invitation.conference_id == conference.id)
    ).all()
    came = [(inv, pid) for n, (inv, pid) in enumerate(invitations) if n % 20 != 0]
    db.session.execute(
        insert(CheckIn),
        [
            dict(
                conference_id=conference.id,
                invitation_id=inv,
                method=CheckInMethod.DOOR,
                checked_in_at=start,
                substitute_name="Người dự thay" if n % 100 == 0 else None,
            )
            for n, (inv, _pid) in enumerate(came)
        ],
    )
    absent = [pid for n, (_inv, pid) in enumerate(invitations) if n % 20 == 0]
    db.session.execute(
        insert(SelfStudy),
        [
            dict(person_id=pid, document_id=document.id, report_received_on=start.date(),
                 created_at=start)
            for pid in absent[::50]
        ],
    )  # fmt: skip
    study = open_round(body, document, datetime(2024, 3, 31, 23, 59, 59), conference=conference)
    owed = [pid for n, (_inv, pid) in enumerate(came) if n % 100 != 0]
    exempted, rest = owed[::100], [p for i, p in enumerate(owed) if i % 100 != 0]
    db.session.execute(
        insert(StudyExemption),
        [dict(round_id=study.id, person_id=p, reason="Cao tuổi", created_at=start)
         for p in exempted],
    )  # fmt: skip
    handed = [p for i, p in enumerate(rest) if i % 20 < 17]  # 85 %
    versions = [
        dict(round_id=study.id, person_id=p, version=v, body_text="Bài thu hoạch",
             channel=SubmissionChannel.LINK, submitted_at=start + timedelta(days=3))
        for i, p in enumerate(handed)
        for v in ((1, 2) if i % 20 == 0 else (1,))
    ]  # fmt: skip
    db.session.execute(insert(StudySubmission), versions)
    latest = dict(
        db.session.execute(
            select(StudySubmission.person_id, db.func.max(StudySubmission.id))
            .where(StudySubmission.round_id == study.id)
            .group_by(StudySubmission.person_id)
        ).all()
    )
    db.session.execute(
        insert(StudyGrade),
        [
            dict(round_id=study.id, person_id=p, submission_id=latest[p],
                 grade=GRADES[i % 4], graded_at=start + timedelta(days=5))
            for i, p in enumerate(handed)
            if i % 5 != 0
        ],
    )  # fmt: skip
    create_user("bench", "bench-password", Role.SECRETARIAT)
    db.session.commit()
    return study.id


def measure(app, round_id: int) -> int:
    server, times = timed_server(app)
    base = f"http://127.0.0.1:{server.port}"
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login = urllib.parse.urlencode({"username": "bench", "password": "bench-password"}).encode()
    opener.open(f"{base}/login", data=login).read()
    anonymous = urllib.request.build_opener()
    page, trivial = f"/study/{round_id}", "/login"
    paths = [(page, opener), (f"{page}/report.docx", opener), (f"{page}/report.xlsx", opener),
             (trivial, anonymous)]  # fmt: skip
    for path, client in paths:  # warm-up: templates compiled, caches filled
        client.open(base + path).read()
    times.clear()
    for _ in range(RUNS):  # interleaved, so all see the same machine load
        for path, client in paths:
            assert client.open(base + path).read(), path
    server.shutdown()
    ms = {p: sorted(v) for p, v in times.items()}
    med = {p: statistics.median(v) * 1000 for p, v in ms.items()}
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    for path, _client in paths:
        print(f"{path:28} server median {med[path]:7.1f} ms, worst {ms[path][-1] * 1000:7.1f} ms")
    ratio = med[page] / med[trivial]
    ok = med[page] < BUDGET_MS
    print(f"results page / trivial page (server medians): {ratio:.1f}x")
    print(f"{'PASS' if ok else 'FAIL'}: results page median {med[page]:.0f} ms (< {BUDGET_MS} ms)")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a fresh database is made)")
    args = parser.parse_args()
    with seeded_app("bench-study-", args.postgres, seed) as (app, round_id):
        from meetings.models import StudyRound
        from meetings.study.results import round_results

        with app.app_context():
            results = round_results(db.session.get(StudyRound, round_id))
            t = results.total
            print(f"studied {t.studied_phrase}; handed in {t.submitted_phrase}; graded "
                  f"{t.graded}; exempted {t.exempt}; overdue {t.overdue}; "
                  f"{len(results.units)} units")  # fmt: skip
        return measure(app, round_id)


if __name__ == "__main__":
    sys.exit(main())
