"""GroupCommit: calls that arrive while a group is handled are handled together, next."""

from __future__ import annotations

import threading
import time

import pytest

from meetings.api.group import GroupCommit

pytestmark = pytest.mark.no_db_session


class Handler:
    """Doubles its items and keeps the groups it saw; the first group waits for `release`."""

    def __init__(self) -> None:
        self.groups: list[list[int]] = []
        self.started = threading.Event()
        self.release = threading.Event()

    def __call__(self, items: list[int]) -> list[int]:
        self.groups.append(items)
        self.started.set()
        self.release.wait(10)
        if any(item < 0 for item in items):
            raise ValueError("negative")
        return [item * 2 for item in items]


def _call_in_threads(group: GroupCommit, items: list[int]) -> tuple[list, list[threading.Thread]]:
    results: list = [None] * len(items)

    def call(n: int, item: int) -> None:
        try:
            results[n] = group(item)
        except ValueError as error:
            results[n] = error

    threads = [threading.Thread(target=call, args=(n, i)) for n, i in enumerate(items)]
    for thread in threads:
        thread.start()
    return results, threads


def _until(condition) -> None:
    """Wait for another thread to get somewhere (not a timing: the condition is the point)."""
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the other threads never got there"
        time.sleep(0.001)


def test_a_lone_call_is_handled_at_once_in_a_group_of_its_own():
    handler = Handler()
    handler.release.set()
    assert GroupCommit(handler)(21) == 42
    assert handler.groups == [[21]]


def test_calls_arriving_while_a_group_is_handled_are_handled_together_next():
    handler = Handler()
    group = GroupCommit(handler)
    first, [leader] = _call_in_threads(group, [1])
    handler.started.wait(10)  # the first call is being handled, alone
    results, threads = _call_in_threads(group, [2, 3, 4, 5])
    _until(lambda: group.waiting() == 4)
    handler.release.set()
    for thread in [leader, *threads]:
        thread.join(10)
    assert first == [2]
    assert results == [4, 6, 8, 10]  # each caller gets the result of its own item
    assert handler.groups[0] == [1]
    assert sorted(handler.groups[1]) == [2, 3, 4, 5]
    assert group.waiting() == 0


def test_an_error_fails_its_own_group_only():
    handler = Handler()
    group = GroupCommit(handler)
    first, [leader] = _call_in_threads(group, [1])
    handler.started.wait(10)
    failing, threads = _call_in_threads(group, [-1, 7])
    _until(lambda: group.waiting() == 2)
    handler.release.set()
    for thread in [leader, *threads]:
        thread.join(10)
    assert first == [2]
    assert all(isinstance(result, ValueError) for result in failing)
    assert group(8) == 16  # and the next group is handled as usual
