"""Group commit: concurrent scans in one process share one transaction.

Threads of one gunicorn worker that arrive while a batch is being written queue up; when it
is done, one of them (the leader) takes everything queued, up to LIMIT, and runs it as one
batch, then hands the lead to the next queued thread. Nobody waits for a batch to fill: an
idle server runs each scan at once, as a batch of one, and so does a sync worker.

A batch that raises is rolled back and each of its items run alone, so one bad item cannot
take the others down: its own error reaches its own request (a 500), the rest are answered.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from flask import Flask

Item = TypeVar("Item")
Result = TypeVar("Result")

LIMIT = 64


def _taken_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass
class _Ticket(Generic[Item, Result]):
    item: Item
    # released to wake the waiting thread: a plain lock, cheaper than an Event's Condition
    wake: threading.Lock = field(default_factory=_taken_lock)
    done: bool = False
    result: Result | None = None
    error: BaseException | None = None

    def outcome(self) -> Result:
        if self.error is not None:
            raise self.error
        return self.result


@dataclass
class Stats:
    """What the batcher did: batches run, items in them, the largest batch."""

    batches: int = 0
    items: int = 0
    largest: int = 0
    retried_alone: int = 0


class Batcher(Generic[Item, Result]):
    """Runs `run(items) -> results` (same order) over whatever concurrent callers queued;
    `reset()` is called after a batch raised, before its items run alone."""

    def __init__(
        self,
        run: Callable[[Sequence[Item]], list[Result]],
        reset: Callable[[], None],
        limit: int = LIMIT,
    ) -> None:
        self._run, self._reset, self._limit = run, reset, limit
        self._lock = threading.Lock()
        self._queue: deque[_Ticket] = deque()
        self._busy = False
        self.stats = Stats()

    def submit(self, item: Item) -> Result:
        """The result of `item`, run in a batch with the others queued meanwhile."""
        ticket = _Ticket(item)
        with self._lock:
            self._queue.append(ticket)
            lead = not self._busy
            self._busy = True
        if not lead:
            ticket.wake.acquire()  # woken with the result, or to lead the next batch
        if not ticket.done:
            self._lead(ticket)
        return ticket.outcome()

    def _lead(self, mine: _Ticket) -> None:
        try:
            while not mine.done:
                with self._lock:
                    batch = [
                        self._queue.popleft() for _ in range(min(self._limit, len(self._queue)))
                    ]
                self._process(batch)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].wake.release()  # the next leader; _busy stays set
                else:
                    self._busy = False

    def _process(self, batch: list[_Ticket]) -> None:
        outcomes: list = []
        try:
            outcomes = self.run([ticket.item for ticket in batch])
        finally:  # even a worker being killed must not leave a waiting request hanging
            for n, ticket in enumerate(batch):
                outcome = outcomes[n] if n < len(outcomes) else None
                if isinstance(outcome, BaseException):
                    ticket.error = outcome
                elif outcome is not None:
                    ticket.result = outcome
                else:
                    ticket.error = RuntimeError("the batch was interrupted")
                ticket.done = True
                ticket.wake.release()

    def run(self, items: Sequence[Item]) -> list[Result | Exception]:
        """Run `items` as one batch now, in the calling thread: each one's result, or the
        exception it raised when run alone after the batch failed."""
        self.stats.batches += 1
        self.stats.items += len(items)
        self.stats.largest = max(self.stats.largest, len(items))
        try:
            return list(self._run(items))
        except Exception as error:
            self._reset()
            if len(items) == 1:
                return [error]
        self.stats.retried_alone += len(items)
        return [self._alone(item) for item in items]

    def _alone(self, item: Item) -> Result | Exception:
        try:
            return self._run([item])[0]
        except Exception as error:
            self._reset()
            return error


_CREATING = threading.Lock()


def batcher_of(app: Flask, name: str, make: Callable[[], Batcher]) -> Batcher:
    """The app's batcher called `name` (one per app and process: tests run several apps)."""
    key = f"batcher.{name}"
    batcher = app.extensions.get(key)
    if batcher is None:
        with _CREATING:
            batcher = app.extensions.get(key) or app.extensions.setdefault(key, make())
    return batcher
