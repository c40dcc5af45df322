"""Time the attendance sheet and the minutes of a 30,000-invitee conference with 25,000
check-ins, and invitation letters, as PDF, XLSX and DOCX (one command, SQLite in /tmp).

The machine's speed drifts, so the goals of the attendance sheet are ratios to the CSV export
of the same list in the same run (issue 18): PDF and XLSX at most 2 × the CSV, DOCX at most
5 ×; the minutes at most 1 s; 30,000 letters as PDF within 60 s.

    .venv/bin/python bench/documents.py [--invitees 30000] [--letters 30000] [--docx-letters 5000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select

from meetings import create_app
from meetings.conferences.service import load_conference
from meetings.demo import load_demo, load_synthetic
from meetings.extensions import db
from meetings.models import CheckIn, CheckInMethod, Invitation
from meetings.printing.service import attendance_file, letters_file, minutes_file

# Goals in seconds, or as a multiple of the CSV export of the same list ("× csv").
SECONDS = {"minutes docx": 1.0, "minutes pdf": 1.0, "letters pdf": 60.0}
TIMES_CSV = {"attendance pdf": 2.0, "attendance xlsx": 2.0, "attendance docx": 5.0}


def _seconds(make) -> float:
    start = time.perf_counter()
    make()
    return time.perf_counter() - start


def _timed(label: str, make, results: dict[str, float]) -> None:
    start = time.perf_counter()
    file = make()
    elapsed = time.perf_counter() - start
    results[label] = elapsed
    verdict = ""
    if label in SECONDS:
        goal = SECONDS[label]
        verdict = f"goal ≤ {goal:g} s: {'ok' if elapsed <= goal else 'MISSED'}"
    print(f"{label:18} {elapsed:6.2f} s  {len(file.content) / 1e6:6.1f} MB  {verdict}")


def _verdict(label: str, results: dict[str, float]) -> None:
    csv_time, goal = results["attendance csv"], TIMES_CSV[label]
    ratio = results[label] / csv_time
    verdict = "ok" if ratio <= goal else "MISSED"
    print(
        f"{'':18} {ratio:4.2f} × the csv ({csv_time:.2f} s, mean of the runs around it); "
        f"goal ≤ {goal:g} ×: {verdict}"
    )


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser()
    parser.add_argument("--invitees", type=int, default=30_000)
    parser.add_argument("--checkins", type=int, default=25_000)
    parser.add_argument("--letters", type=int, default=30_000)
    parser.add_argument("--docx-letters", type=int, default=5_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-documents-"))
    os.environ["MEETINGS_INSTANCE_PATH"] = str(tmp)
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "SECRET_KEY": "bench",
            "PUBLIC_BASE_URL": "https://hoinghi.example.vn",
        }
    )
    with app.app_context():
        db.create_all()
        load_demo()
        conference_id = load_synthetic(args.invitees)["synthetic conference"]
        ids = db.session.scalars(
            select(Invitation.id).filter_by(conference_id=conference_id).order_by(Invitation.id)
        ).all()
        start = datetime(2023, 9, 15, 7, 0)
        db.session.execute(
            insert(CheckIn),
            [
                dict(
                    conference_id=conference_id,
                    invitation_id=inv,
                    method=CheckInMethod.DOOR,
                    checked_in_at=start + timedelta(seconds=i % 5400),
                )
                for i, inv in enumerate(ids[: args.checkins])
            ],
        )
        db.session.commit()
        print(f"{len(ids):,} invitees, {min(args.checkins, len(ids)):,} check-ins")
        results: dict[str, float] = {}
        conference = load_conference(conference_id)
        attendance_file(conference, "csv")  # warm-up: caches and first queries, untimed
        for fmt in ("pdf", "xlsx", "docx"):
            # The CSV just before and just after each format: their mean is the yardstick,
            # so a load that drifts during the run moves both sides of the ratio alike.
            before = _seconds(lambda: attendance_file(conference, "csv"))
            _timed(f"attendance {fmt}", lambda f=fmt: attendance_file(conference, f), results)
            after = _seconds(lambda: attendance_file(conference, "csv"))
            results["attendance csv"] = (before + after) / 2
            _verdict(f"attendance {fmt}", results)
        for fmt in ("docx", "pdf"):
            _timed(f"minutes {fmt}", lambda f=fmt: minutes_file(conference, f), results)
        for count, fmt in ((args.letters, "pdf"), (args.docx_letters, "docx")):
            if not count:
                continue
            letters_id = load_synthetic(count)["synthetic conference"]
            db.session.commit()
            letters_conf = load_conference(letters_id)
            print(f"{count:,} letters")
            _timed(f"letters {fmt}", lambda c=letters_conf, f=fmt: letters_file(c, f), results)


if __name__ == "__main__":
    main()
