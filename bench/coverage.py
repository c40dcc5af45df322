"""Coverage page at 30,000 invitees over three sessions (original + two make-ups).

    .venv/bin/python bench/coverage.py                      # SQLite file in a temp dir
    .venv/bin/python bench/coverage.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Seeds one document's dissemination: 29,500 people and 500 unit roles invited to a held
conference (90 % checked in, 1 % through a substitute), a make-up made by the domain function
for the rest (80 % come), and a make-up of that make-up (70 % come). Serves the app on
127.0.0.1 and times, in the same run, the coverage page and a trivial page (the login form):
server time (before_request → after_request) and the round trip, median and worst of the runs.
Also counts the SQL statements of one coverage page. Bounded: a fixed number of requests.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import logging
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import g
from sqlalchemy import create_engine, event, insert, select, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request

INVITEES = 30_000
UNIT_ROLES = 500
RUNS = 15
BUDGET_MS = 300


def fresh_url(postgres: str | None, tmp: Path) -> tuple[str, callable]:
    if not postgres:
        return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None
    url = make_url(postgres)
    name = f"{url.database}_bench_coverage_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def run(sql: str) -> None:
        with admin.connect() as conn:
            conn.execute(text(sql))

    run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    run(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False), lambda: run(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    )


@contextmanager
def seeded_app(prefix: str, postgres: str | None, seed: Callable[[], object]) -> Iterator[tuple]:
    """(the app, what `seed` returned) on a fresh, migrated database: SQLite in a temporary
    folder, or a new database on the PostgreSQL server given, dropped afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["MEETINGS_INSTANCE_PATH"] = str(tmp / "instance")
    url, drop = fresh_url(postgres, tmp)
    from flask_migrate import upgrade

    from meetings import create_app
    from meetings.extensions import db

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    try:
        with app.app_context():
            upgrade()
            began = time.perf_counter()
            seeded = seed()
            if db.engine.dialect.name == "postgresql":  # what autovacuum does after bulk loads
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(text("ANALYZE"))
            print(f"database: {make_url(url).get_backend_name()}")
            print(f"seeded in {time.perf_counter() - began:.1f} s")
        yield app, seeded
    finally:
        with app.app_context():
            db.engine.dispose()
        drop()


def seed() -> tuple[int, int, dict[str, int]]:
    """The three sessions; returns (body id, document id, sizes)."""
    from meetings.auth.service import create_user
    from meetings.coverage.makeup import schedule_makeup
    from meetings.extensions import db
    from meetings.models import (
        CheckIn,
        CheckInMethod,
        Conference,
        ConferenceDocument,
        ConferenceStatus,
        Document,
        Invitation,
        InviteeCategory,
        OrganisingBody,
        Person,
        Role,
        Unit,
        UnitKind,
        Venue,
        new_token,
    )
    from meetings.text import make_short_code

    body = OrganisingBody(name="Thành ủy Thử tải", place_name="Hà Nội", symbol="TU")
    db.session.add(body)
    db.session.flush()
    categories = [
        InviteeCategory(body_id=body.id, name=f"Thành phần {i}", protocol_order=i)
        for i in range(10)
    ]
    units = [Unit(body_id=body.id, name=f"Đơn vị {i}", kind=UnitKind.PARTY_ORG) for i in range(800)]
    document = Document(kind="Chỉ thị", number="24", symbol="24-CT/TU")
    venue = Venue(body_id=body.id, name="Hội trường lớn")
    db.session.add_all([*categories, *units, document, venue])
    db.session.flush()
    start = datetime(2024, 3, 1, 8, 0)
    original = Conference(
        body_id=body.id,
        title="Hội nghị quán triệt Chỉ thị số 24-CT/TU",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        venue_id=venue.id,
        status=ConferenceStatus.HELD,
    )
    original.document_links = [ConferenceDocument(document_id=document.id)]
    db.session.add(original)
    db.session.flush()
    people = INVITEES - UNIT_ROLES
    db.session.execute(
        insert(Person),
        [
            dict(
                body_id=body.id,
                full_name=f"Nguyễn Văn Thử {i}",
                position="Đảng viên",
                unit_id=units[i % 300].id,
                search_text="",
                created_at=start,
            )
            for i in range(people)
        ],
    )
    person_ids = db.session.scalars(select(Person.id).where(Person.body_id == body.id)).all()
    moment = datetime.now()

    def invitation(i: int, **kw) -> dict:
        return dict(
            conference_id=original.id,
            category_id=categories[i % 10].id,
            token=new_token(),
            short_code=make_short_code(),
            created_at=moment,
            absence_reason="Đi công tác" if i % 97 == 0 else None,
            **{"deputy_allowed": False, **kw},
        )

    rows = [invitation(i, person_id=pid) for i, pid in enumerate(person_ids)]
    rows += [
        invitation(i, unit_id=units[300 + i].id, role_title="Bí thư", deputy_allowed=True)
        for i in range(UNIT_ROLES)
    ]
    db.session.execute(insert(Invitation), rows)

    def check_in(conference: Conference, share: float) -> None:
        ids = db.session.scalars(
            select(Invitation.id)
            .where(Invitation.conference_id == conference.id)
            .order_by(Invitation.id)
        ).all()
        keep = ids[: int(len(ids) * share)]
        db.session.execute(
            insert(CheckIn),
            [
                dict(
                    conference_id=conference.id,
                    invitation_id=inv,
                    method=CheckInMethod.DOOR,
                    checked_in_at=conference.starts_at,
                    substitute_name="Người dự thay" if n % 100 == 0 else None,
                )
                for n, inv in enumerate(keep)
            ],
        )
        conference.status = ConferenceStatus.HELD
        db.session.flush()

    check_in(original, 0.9)
    first = schedule_makeup(original)
    check_in(first, 0.8)
    second = schedule_makeup(first)
    check_in(second, 0.7)
    create_user("bench", "bench-password", Role.SECRETARIAT)
    db.session.commit()
    sizes = {
        name: db.session.scalar(
            select(db.func.count()).select_from(Invitation).filter_by(conference_id=c.id)
        )
        for name, c in (("original", original), ("make-up 1", first), ("make-up 2", second))
    }
    return body.id, document.id, sizes


def timed_server(app):
    """Serve on 127.0.0.1; before/after request hooks record the server time per path."""
    times: dict[str, list[float]] = {}

    @app.before_request
    def _start() -> None:
        g.bench_started = time.perf_counter()

    @app.after_request
    def _stop(response):
        from flask import request

        times.setdefault(request.path, []).append(time.perf_counter() - g.bench_started)
        return response

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a fresh database is made)")
    args = parser.parse_args()
    with seeded_app("bench-coverage-", args.postgres, seed) as (app, seeded):
        body_id, document_id, sizes = seeded
        print(f"invited per session: {sizes}")
        with app.app_context():
            statements = count_statements(app, body_id, document_id)
        return measure(app, body_id, document_id, statements)


def count_statements(app, body_id: int, document_id: int) -> int:
    from meetings.coverage.service import document_coverage
    from meetings.extensions import db
    from meetings.models import Document, OrganisingBody

    statements = []
    listener = lambda *a: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    coverage = document_coverage(
        db.session.get(OrganisingBody, body_id), db.session.get(Document, document_id)
    )
    event.remove(db.engine, "before_cursor_execute", listener)
    print(f"coverage: {coverage.total.phrase}; self-study {coverage.total.self_studied}; "
          f"not yet {coverage.total.pending}; {len(coverage.by_unit)} units")  # fmt: skip
    return len(statements)


def measure(app, body_id: int, document_id: int, statements: int) -> int:
    server, times = timed_server(app)
    base = f"http://127.0.0.1:{server.port}"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = urllib.parse.urlencode({"username": "bench", "password": "bench-password"}).encode()
    opener.open(f"{base}/login", data=login).read()
    anonymous = urllib.request.build_opener()
    page = f"/coverage/bodies/{body_id}/documents/{document_id}"
    trivial = "/login"
    round_trips: dict[str, list[float]] = {page: [], trivial: []}
    for _ in range(2):  # warm-up: templates compiled, caches filled
        opener.open(base + page).read()
        anonymous.open(base + trivial).read()
    times.clear()
    for _ in range(RUNS):  # interleaved, so both see the same machine load
        for path, client in ((page, opener), (trivial, anonymous)):
            began = time.perf_counter()
            body = client.open(base + path).read()
            round_trips[path].append(time.perf_counter() - began)
            assert body, path
    server.shutdown()
    ms = {p: sorted(v) for p, v in times.items()}
    med = {p: statistics.median(v) * 1000 for p, v in ms.items()}
    print(f"SQL statements per coverage page: {statements}")
    print("load average (1, 5, 15 min): {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    for path in (page, trivial):
        print(
            f"{path:45} server median {med[path]:7.1f} ms, worst {ms[path][-1] * 1000:7.1f} ms; "
            f"round trip median {statistics.median(round_trips[path]) * 1000:7.1f} ms"
        )
    ratio = med[page] / med[trivial]
    ok = med[page] < BUDGET_MS
    print(f"coverage page / trivial page (server medians): {ratio:.1f}x")
    print(f"{'PASS' if ok else 'FAIL'}: coverage page median {med[page]:.0f} ms (< {BUDGET_MS} ms)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
