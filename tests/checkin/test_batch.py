"""Group commit: the batcher on its own, and batches of scans decided in one transaction."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from meetings.checkin.batch import Batcher
from meetings.checkin.service import Actor, Arrival, Status, check_in_many
from meetings.clock import now
from meetings.extensions import db
from meetings.models import CheckIn, CheckInMethod, ConferenceStatus, Role, ScanFailure
from tests import factories

# --- The batcher -------------------------------------------------------------------------------


class _Gate:
    """A run function whose first batch waits until released, so others queue meanwhile."""

    def __init__(self, fail=lambda items: False) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.batches: list[list[int]] = []
        self.fail = fail
        self.resets = 0

    def run(self, items):
        self.batches.append(list(items))
        if len(self.batches) == 1:
            self.entered.set()
            self.release.wait(10)
        if self.fail(items):
            raise ValueError(f"failed {items}")
        return [item * 10 for item in items]

    def reset(self) -> None:
        self.resets += 1


def _submit_all(batcher: Batcher, gate: _Gate, items: list[int]) -> dict:
    """Submit items[0] (it leads and blocks), queue the rest behind it, then release."""
    results: dict = {}

    def submit(item):
        try:
            results[item] = batcher.submit(item)
        except Exception as error:
            results[item] = error

    threads = [threading.Thread(target=submit, args=(items[0],))]
    threads[0].start()
    assert gate.entered.wait(10)
    threads += [threading.Thread(target=submit, args=(item,)) for item in items[1:]]
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 10
    while len(batcher._queue) < len(items) - 1 and time.monotonic() < deadline:
        time.sleep(0.001)
    gate.release.set()
    for thread in threads:
        thread.join(10)
    return results


def test_an_idle_batcher_runs_an_item_at_once_as_a_batch_of_one():
    gate = _Gate()
    gate.release.set()
    batcher = Batcher(gate.run, gate.reset)
    started = time.perf_counter()
    assert batcher.submit(4) == 40
    assert time.perf_counter() - started < 0.5
    assert (batcher.stats.batches, batcher.stats.largest) == (1, 1)


def test_items_queued_while_a_batch_runs_go_together_in_the_next_one():
    gate = _Gate()
    batcher = Batcher(gate.run, gate.reset)
    results = _submit_all(batcher, gate, list(range(1, 11)))
    assert results == {n: n * 10 for n in range(1, 11)}
    assert gate.batches[0] == [1]
    assert sorted(gate.batches[1]) == list(range(2, 11))
    assert batcher.stats.largest == 9 and batcher.stats.items == 10


def test_batches_are_cut_at_the_limit():
    gate = _Gate()
    batcher = Batcher(gate.run, gate.reset, limit=4)
    results = _submit_all(batcher, gate, list(range(1, 11)))
    assert len(results) == 10
    assert [len(batch) for batch in gate.batches] == [1, 4, 4, 1]


def test_a_failed_batch_runs_each_item_alone_and_only_the_bad_one_fails():
    gate = _Gate(fail=lambda items: 7 in items)
    batcher = Batcher(gate.run, gate.reset)
    results = _submit_all(batcher, gate, [1, 5, 6, 7, 8])
    assert isinstance(results.pop(7), ValueError)
    assert results == {1: 10, 5: 50, 6: 60, 8: 80}
    assert batcher.stats.retried_alone == 4
    assert gate.resets == 2  # after the batch, and after 7 alone


def test_the_error_of_a_batch_of_one_reaches_its_caller():
    batcher = Batcher(lambda items: [1 / 0], lambda: None)
    with pytest.raises(ZeroDivisionError):
        batcher.submit(1)
    gate = _Gate()
    gate.release.set()
    batcher._run = gate.run
    assert batcher.submit(2) == 20  # the lead was given back


# --- Deciding several scans at once --------------------------------------------------------------


def _count(model, **filters) -> int:
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**filters))


def test_one_batch_mixes_every_answer():
    clerk = Actor.of(factories.make_user(Role.CLERK, full_name="Trần Văn Bàn"))
    here = factories.make_conference()
    later = factories.make_conference(starts_at=now().replace(second=0) + timedelta(days=1))
    cancelled = factories.make_conference(status=ConferenceStatus.CANCELLED, cancel_reason="Hoãn")
    elsewhere = factories.make_conference()
    new, twice, known = (factories.make_invitation(here) for _ in range(3))
    factories.make_checkin(known)
    arrivals = [
        (new.token, Status.OK),
        (twice.token, Status.OK),
        (known.token, Status.ALREADY),
        ("Z" * 22, Status.INVALID),
        ("no such/token", Status.INVALID),
        (factories.make_invitation(later).token, Status.NOT_OPEN),
        (factories.make_invitation(cancelled).token, Status.CANCELLED),
        (factories.make_invitation(elsewhere).token, Status.WRONG_CONFERENCE),
        (twice.token, Status.ALREADY),
    ]
    outcomes = check_in_many(
        [
            Arrival(token, CheckInMethod.API, clerk, "B", conference_id=None)
            if expected != Status.WRONG_CONFERENCE
            else Arrival(token, CheckInMethod.API, clerk, "B", conference_id=here.id)
            for token, expected in arrivals
        ]
    )
    assert [o.status for o in outcomes] == [expected for _, expected in arrivals]
    assert [o.reason for o in outcomes[3:5]] == ["unknown_token", "malformed_token"]
    assert outcomes[6].cancel_reason == "Hoãn"
    assert outcomes[7].attendee is None  # another conference's data stays there
    assert outcomes[8].checkin_id == outcomes[1].checkin_id
    assert outcomes[8].by == "Trần Văn Bàn"
    assert _count(CheckIn, invitation_id=twice.id) == 1
    assert _count(CheckIn, conference_id=here.id) == 3
    assert _count(ScanFailure) == 5


def test_the_same_token_many_times_in_one_batch_arrives_once():
    invitation = factories.make_invitation()
    outcomes = check_in_many([Arrival(invitation.token, CheckInMethod.SELF)] * 5)
    assert [o.status for o in outcomes] == [Status.OK] + [Status.ALREADY] * 4
    assert len({o.checkin_id for o in outcomes}) == 1
    assert _count(CheckIn) == 1


def test_door_staff_in_one_batch_are_checked_per_conference():
    mine, other = factories.make_conference(), factories.make_conference()
    staff = factories.make_user(Role.DOOR)
    factories.make_door_assignment(mine, staff)
    door = Actor.of(staff)
    outcomes = check_in_many(
        [
            Arrival(factories.make_invitation(mine).token, CheckInMethod.DOOR, door),
            Arrival(factories.make_invitation(other).token, CheckInMethod.DOOR, door),
            Arrival(factories.make_invitation(mine).id, CheckInMethod.DOOR, door),
        ]
    )
    assert [o.status for o in outcomes] == [Status.OK, Status.WRONG_CONFERENCE, Status.OK]


def test_run_writes_a_batch_now_and_gives_each_item_its_result_or_error():
    gate = _Gate(fail=lambda items: 7 in items)
    gate.release.set()
    batcher = Batcher(gate.run, gate.reset)
    results = batcher.run([1, 7, 8])
    assert results[0] == 10 and isinstance(results[1], ValueError) and results[2] == 80
    assert (batcher.stats.batches, batcher.stats.retried_alone, gate.resets) == (1, 3, 2)
