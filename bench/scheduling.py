"""Scheduling at size: hall-conflict checks, the conference page and the calendar.

    .venv/bin/python bench/scheduling.py

Builds a throw-away SQLite database (or DATABASE_URL's, which it must be free to fill) with
5,000 conferences over two years and a city-wide conference of 30,000 invitees, all also
invited to an overlapping one, then times, in the same run:
- the hall-conflict check with 20 conferences in the database and with 5,000;
- the conference page (test client, no network) of a 100- and of a 30,000-invitee conference,
  with the number of SQL statements each takes;
- the calendar month page, and citation suggestions over the seed article.
Runs in well under a minute on two cores.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import event, func, insert, select

from meetings import create_app
from meetings.extensions import db
from meetings.models import (
    Conference,
    ConferenceStatus,
    Invitation,
    OrganisingBody,
    Person,
    Role,
    User,
    Venue,
    new_token,
)
from meetings.text import make_short_code

SEED = Path("/work/shared/seeds/000_a6e1ea2754a5097d.txt")
START = datetime(2030, 1, 1, 8, 0)


def timed(fn, repeat: int) -> float:
    """Median seconds per call."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


class QueryCounter:
    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._tick)

    def _tick(self, *args) -> None:
        self.count += 1


def conference_rows(body_id: int, venues: list[int], n: int, offset: int = 0) -> list[dict]:
    """n conferences, three a working day, spread over the halls without overlaps."""
    rows = []
    for i in range(offset, offset + n):
        day, slot = divmod(i, 3)
        starts = START + timedelta(days=day % 700, hours=slot * 3)
        rows.append(
            dict(
                body_id=body_id,
                title=f"Hội nghị {i}",
                kind="dissemination",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                venue_id=venues[(i // 2100) % len(venues)],
                status="scheduled",
                checkin_opens_minutes=60,
                checkin_secret=f"{i:064d}",
                is_demo=False,
                created_at=START,
            )
        )
    return rows


def invite(conference_id: int, person_ids: list[int]) -> None:
    db.session.execute(
        insert(Invitation),
        [
            dict(
                conference_id=conference_id,
                person_id=pid,
                rsvp="invited",
                token=new_token(),
                short_code=make_short_code(),
                deputy_allowed=False,
                created_at=START,
            )
            for pid in person_ids
        ],
    )


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-scheduling-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEETINGS_INSTANCE_PATH"] = str(tmp)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False})
    from meetings.conferences.scheduling import venue_conflicts
    from meetings.documents.service import suggest

    with app.app_context():
        db.drop_all()
        db.create_all()
        body = OrganisingBody(name="Thành ủy thử tải", place_name="Hà Nội", symbol="TU")
        user = User(username="bench", role=Role.SECRETARIAT)
        user.set_password("bench")
        db.session.add_all([body, user])
        db.session.flush()
        venues = [Venue(name=f"Hội trường {i}") for i in range(3)]
        db.session.add_all(venues)
        db.session.flush()
        venue_ids = [v.id for v in venues]

        db.session.execute(insert(Conference), conference_rows(body.id, venue_ids, 20))
        db.session.commit()
        probe = (START + timedelta(days=3, hours=1), START + timedelta(days=3, hours=4))
        few = timed(lambda: venue_conflicts({venue_ids[0]}, *probe), 200)
        db.session.execute(insert(Conference), conference_rows(body.id, venue_ids, 4980, 20))
        db.session.commit()
        many = timed(lambda: venue_conflicts({venue_ids[0]}, *probe), 200)

        t0 = time.perf_counter()
        people = [
            dict(
                body_id=body.id,
                full_name=f"Nguyễn Văn {i}",
                search_text=f"nguyen van {i}",
                is_demo=False,
                created_at=START,
            )
            for i in range(30_000)
        ]
        db.session.execute(insert(Person), people)
        ids = list(db.session.scalars(select(Person.id).order_by(Person.id)))
        city = Conference(
            body_id=body.id,
            title="Hội nghị trực tuyến toàn thành phố",
            starts_at=datetime(2032, 6, 1, 8),
            ends_at=datetime(2032, 6, 1, 11),
            venue_id=venue_ids[0],
            status=ConferenceStatus.SCHEDULED,
        )
        clash = Conference(
            body_id=body.id,
            title="Hội nghị trùng giờ",
            starts_at=datetime(2032, 6, 1, 9),
            ends_at=datetime(2032, 6, 1, 12),
            venue_id=venue_ids[1],
            status=ConferenceStatus.SCHEDULED,
        )
        small = Conference(
            body_id=body.id,
            title="Hội nghị nhỏ",
            starts_at=datetime(2032, 6, 2, 8),
            ends_at=datetime(2032, 6, 2, 11),
            venue_id=venue_ids[0],
            status=ConferenceStatus.SCHEDULED,
        )
        db.session.add_all([city, clash, small])
        db.session.flush()
        invite(city.id, ids)
        invite(clash.id, ids)
        invite(small.id, ids[:100])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # what autovacuum would do after a load
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        print(f"built 5,000 conferences and 60,100 invitations in {time.perf_counter() - t0:.1f} s")

        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
        counter = QueryCounter(db.engine)

        def page(conference_id: int) -> tuple[float, int]:
            client.get(f"/conferences/{conference_id}")  # warm
            before = counter.count
            client.get(f"/conferences/{conference_id}")
            queries = counter.count - before
            return timed(lambda: client.get(f"/conferences/{conference_id}"), 5), queries

        small_time, small_queries = page(small.id)
        city_time, city_queries = page(city.id)
        month = timed(lambda: client.get("/conferences/calendar?date=2030-03-01"), 5)
        in_month = db.session.scalar(
            select(func.count())
            .select_from(Conference)
            .where(Conference.starts_at.between(datetime(2030, 3, 1), datetime(2030, 4, 1)))
        )
        seed = SEED.read_text(encoding="utf-8") if SEED.exists() else ""
        suggestion = timed(lambda: suggest(seed), 5) if seed else float("nan")

    print(f"hall conflict check, 20 conferences:      {few * 1000:8.2f} ms")
    print(f"hall conflict check, 5,000 conferences:   {many * 1000:8.2f} ms")
    print(f"  ratio 5,000 / 20:                       {many / few:8.2f}")
    print(
        f"conference page, 100 invitees:            {small_time * 1000:8.1f} ms, "
        f"{small_queries} queries"
    )
    print(
        f"conference page, 30,000 invitees all double-invited: {city_time * 1000:8.1f} ms, "
        f"{city_queries} queries"
    )
    print(f"  ratio 30,000 / 100:                     {city_time / small_time:8.2f}")
    print(f"calendar month page ({in_month} conferences):     {month * 1000:8.1f} ms")
    print(f"citation suggestions over the seed article: {suggestion * 1000:6.1f} ms")


if __name__ == "__main__":
    main()
