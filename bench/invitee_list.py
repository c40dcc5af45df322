"""Benchmark: the invitee list of a 30,000-invitee conference, and directory search over the
30,000 people behind it, timed against a trivial page in the same run.

    .venv/bin/python bench/invitee_list.py [--invitees 30000] [--rounds 15]

Seeds a fresh SQLite file (or DATABASE_URL, e.g. a PostgreSQL database you can empty) the
way `flask demo --invitees N` does, with bulk inserts, then serves the app on 127.0.0.1 and
times real HTTP requests. Prints medians, p90 and each page's ratio to the trivial page.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BUDGET_MS = 300


def _app(database_url: str, instance: Path):
    os.environ["MEETINGS_INSTANCE_PATH"] = str(instance)
    from meetings import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )


def _seed(app, invitees: int) -> int:
    from sqlalchemy import text

    from meetings.auth.service import create_user
    from meetings.demo import load_demo, load_synthetic
    from meetings.extensions import db
    from meetings.models import Role

    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        load_demo()
        summary = load_synthetic(invitees)
        create_user("bench", "bench-password", Role.SECRETARIAT, full_name="Bench")
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))  # what autovacuum does soon after a bulk load
            db.session.commit()
        print(
            f"seeded {summary['synthetic invitees']:,} invitations and people "
            f"in {time.perf_counter() - started:.1f} s"
        )
        return summary["synthetic conference"]


def _time(opener, url: str, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        with opener.open(url) as response:
            response.read()
            assert response.status == 200, (url, response.status)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invitees", type=int, default=30_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()

    import logging

    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        app = _app(url, Path(tmp) / "instance")
        conference_id = _seed(app, args.invitees)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.port}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = urllib.parse.urlencode({"username": "bench", "password": "bench-password"})
        opener.open(f"{base}/login", data=login.encode()).read()

        invitees = f"{base}/conferences/{conference_id}/invitees/"
        last_page = -(-args.invitees // 100)
        pages = {
            "trivial page (/login, anonymous)": None,
            "invitee list, page 1": invitees,
            f"invitee list, page {last_page} (last)": f"{invitees}?page={last_page}",
            "invitee list, filtered 'nguyen van an'": f"{invitees}?q=nguyen+van+an",
            "directory, page 1 (name order)": f"{base}/directory/people",
            "directory search 'nguyen van an'": f"{base}/directory/people?q=nguyen+van+an",
            "directory search 'Nguyễn Văn Ánh'": f"{base}/directory/people?q="
            + urllib.parse.quote("Nguyễn Văn Ánh"),
        }
        anonymous = urllib.request.build_opener()
        results = {}
        for label, page in pages.items():
            client, target = (anonymous, f"{base}/login") if page is None else (opener, page)
            _time(client, target, 2)  # warm up
            results[label] = _time(client, target, args.rounds)
        trivial = statistics.median(results["trivial page (/login, anonymous)"])
        print(f"{'page':45} {'median':>9} {'p90':>9} {'× trivial':>10}")
        worst = 0.0
        for label, timings in results.items():
            median = statistics.median(timings)
            p90 = sorted(timings)[int(len(timings) * 0.9) - 1]
            print(f"{label:45} {median:7.1f}ms {p90:7.1f}ms {median / trivial:9.1f}×")
            if "invitee list" in label:
                worst = max(worst, median)
        started = time.perf_counter()
        with opener.open(f"{invitees}export.csv") as response:
            size = len(response.read())
        print(
            f"export of the whole list as CSV: {(time.perf_counter() - started):.2f} s, "
            f"{size / 1e6:.1f} MB"
        )
        server.shutdown()
        verdict = "OK" if worst < BUDGET_MS else "OVER BUDGET"
        print(f"slowest invitee list page: {worst:.1f} ms (budget {BUDGET_MS} ms): {verdict}")


if __name__ == "__main__":
    main()
