"""Seating at size: assigning 2,000 seats, with a trivial page as the yardstick.

    .venv/bin/python bench/seating.py

Builds a throw-away SQLite database (or DATABASE_URL's, which it must be free to fill): 2,000
invitees in 20 categories with ranks, ten of the categories' people spread over ten wards, a
hall of 40 rows × 50 seats (aisles after seats 12 and 38) with a presidium of 10, and a plan
with rows A–B reserved for the first category and a block per ward. Then times, in the same
run (median of several runs, each in its own transaction and committed):
- `assign` from scratch (every seat recomputed) and again with 300 seats locked;
- the trivial page GET /api/v1/health (test client, no network) — the ratio is assign / trivial;
- building the chart data, writing the chart PDF, and the plan editor page (2,010 seats).
The target: assigning 2,000 seats under 1 s.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scheduling import timed
from meetings import create_app
from meetings.extensions import db
from meetings.models import (
    Conference,
    ConferenceStatus,
    HallLayout,
    Invitation,
    InviteeCategory,
    OrganisingBody,
    Person,
    PersonCategory,
    Role,
    SeatAssignment,
    SeatBlock,
    Unit,
    UnitKind,
    User,
    Venue,
    new_token,
)
from meetings.seating.chart import build_chart
from meetings.seating.pdf import chart_pdf
from meetings.seating.service import assign, create_plan
from meetings.text import make_short_code

INVITEES = 2000
CATEGORIES = 20
WARDS = 10
START = datetime(2030, 1, 1, 8, 0)


def build() -> tuple[int, int]:
    """The body, people, conference and plan; returns (plan id, conference id)."""
    body = OrganisingBody(name="Thành ủy thử tải", place_name="Hà Nội", symbol="TU")
    user = User(username="bench", role=Role.SECRETARIAT)
    user.set_password("bench")
    venue = Venue(name="Hội trường lớn", capacity=2100)
    db.session.add_all([body, user, venue])
    db.session.flush()
    categories = [
        InviteeCategory(body_id=body.id, name=f"Thành phần {i + 1}", protocol_order=i * 10)
        for i in range(CATEGORIES)
    ]
    wards = [
        Unit(body_id=body.id, name=f"Phường {i + 1}", kind=UnitKind.WARD) for i in range(WARDS)
    ]
    db.session.add_all(categories + wards)
    db.session.flush()
    db.session.execute(
        insert(Person),
        [
            dict(
                body_id=body.id,
                full_name=f"Nguyễn Văn Thử {i:04d}",
                position="Cán bộ",
                unit_id=wards[i % WARDS].id if i >= INVITEES // 2 else None,
                search_text=f"nguyen van thu {i:04d}",
                sort_key=f"thu {i:04d}",
                is_demo=False,
                created_at=START,
            )
            for i in range(INVITEES)
        ],
    )
    ids = db.session.scalars(select(Person.id).where(Person.body_id == body.id)).all()
    category_of = {pid: categories[i * CATEGORIES // INVITEES].id for i, pid in enumerate(ids)}
    db.session.execute(
        insert(PersonCategory),
        [
            dict(person_id=pid, category_id=c, rank=i % 100)
            for i, (pid, c) in enumerate(category_of.items())
        ],
    )
    conference = Conference(
        body_id=body.id,
        title="Hội nghị thử tải xếp chỗ",
        starts_at=START,
        ends_at=START.replace(hour=11),
        venue_id=venue.id,
        chair_id=ids[0],
        status=ConferenceStatus.SCHEDULED,
    )
    db.session.add(conference)
    db.session.flush()
    db.session.execute(
        insert(Invitation),
        [
            dict(
                conference_id=conference.id,
                person_id=pid,
                category_id=category_of[pid],
                rsvp="invited",
                token=new_token(),
                short_code=make_short_code(),
                deputy_allowed=False,
                created_at=START,
            )
            for pid in ids
        ],
    )
    layout = HallLayout(
        venue_id=venue.id,
        name="Chuẩn",
        rows=40,
        seats_per_row=50,
        aisles="12,38",
        presidium_places=10,
    )
    db.session.add(layout)
    db.session.flush()
    plan = create_plan(conference, layout)
    plan.blocks = [
        SeatBlock(category_id=categories[0].id, first_row=1, last_row=2, first_seat=1, last_seat=50)
    ]
    plan.blocks += [
        SeatBlock(unit_id=w.id, first_row=20 + i, last_row=20 + i, first_seat=1, last_seat=50)
        for i, w in enumerate(wards)
    ]
    db.session.commit()
    return plan.id, conference.id


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-seating-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["MEETINGS_INSTANCE_PATH"] = str(tmp)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        db.drop_all()
        db.create_all()
        plan_id, conference_id = build()
        from meetings.models import SeatingPlan

        def run_assign():
            plan = db.session.get(SeatingPlan, plan_id)
            result = assign(plan)
            db.session.commit()
            return result

        result = run_assign()
        assert result.seated == INVITEES and not result.unseated, result
        fresh = timed(run_assign, 7)
        locked_ids = db.session.scalars(
            select(SeatAssignment.id).where(SeatAssignment.plan_id == plan_id).limit(300)
        ).all()
        db.session.execute(
            update(SeatAssignment).where(SeatAssignment.id.in_(locked_ids)).values(locked=True)
        )
        db.session.commit()
        with_locks = timed(run_assign, 7)

        client = app.test_client()
        with client.session_transaction() as session:
            user = db.session.scalar(select(User).filter_by(username="bench"))
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
        assert client.get("/api/v1/health").status_code == 200
        trivial = timed(lambda: client.get("/api/v1/health"), 200)
        plan = db.session.get(SeatingPlan, plan_id)
        chart_data = timed(lambda: build_chart(plan), 5)
        chart = build_chart(plan)
        pdf = timed(lambda: chart_pdf([chart]), 3)
        assert client.get(f"/seating/plans/{plan_id}").status_code == 200
        editor = timed(lambda: client.get(f"/seating/plans/{plan_id}"), 3)
        trivial_after = timed(lambda: client.get("/api/v1/health"), 200)
        trivial = min(trivial, trivial_after)

    print(f"database: {url.split(':', 1)[0]}; {INVITEES:,} invitees, 2,010 seats, 11 blocks")
    rows = [
        ("assign, every seat recomputed", fresh),
        ("assign, 300 seats locked", with_locks),
        ("trivial page GET /api/v1/health", trivial),
        ("chart data (2,010 seats)", chart_data),
        ("chart PDF, A4", pdf),
        ("plan editor page", editor),
    ]
    for label, seconds in rows:
        print(f"{label:34} {seconds * 1000:9.1f} ms   {seconds / trivial:8.0f} × trivial")
    verdict = "PASS" if fresh < 1 else "FAIL"
    print(
        f"{verdict}: assigning {INVITEES:,} seats takes {fresh:.3f} s (target < 1 s), "
        f"{fresh / trivial:.0f} × the trivial page; conference {conference_id}"
    )


if __name__ == "__main__":
    main()
