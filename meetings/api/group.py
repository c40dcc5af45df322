"""Group commit: calls from a process's threads handled together, one transaction a group.

While one thread handles a group, the calls that arrive meanwhile queue; when it is done, the
next thread takes all of them at once. A lone call is handled at once: there is no timer and
no extra thread, and under load a group grows with the number of threads waiting (gunicorn's
--threads). Each caller gets its own result, or the error that failed its group.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class _Call(Generic[Item, Result]):
    __slots__ = ("done", "error", "item", "result", "wake")

    def __init__(self, item: Item) -> None:
        self.item = item
        self.done = False
        self.result: Result | None = None
        self.error: BaseException | None = None
        self.wake = threading.Lock()  # released to wake the caller: done, or its turn to lead
        self.wake.acquire()

    def outcome(self) -> Result:
        if self.error is not None:
            raise self.error
        return self.result  # type: ignore[return-value]


class GroupCommit(Generic[Item, Result]):
    """`group(item)` returns `handle(items)[i]` for its item, `handle` taking the items of
    every thread that called meanwhile; `handle` runs in one of the calling threads."""

    def __init__(self, handle: Callable[[list[Item]], list[Result]]) -> None:
        self._handle = handle
        self._lock = threading.Lock()
        self._queue: list[_Call[Item, Result]] = []  # empty whenever nobody is busy
        self._busy = False

    def __call__(self, item: Item) -> Result:
        call: _Call[Item, Result] = _Call(item)
        with self._lock:
            waiting = self._busy
            if waiting:
                self._queue.append(call)
            self._busy = True
        if not waiting:
            self._run([call])
        else:
            call.wake.acquire()  # each waiting caller is woken once
            if not call.done:  # its turn: it takes the queue, itself included
                with self._lock:
                    group, self._queue = self._queue, []
                self._run(group)
        return call.outcome()

    def waiting(self) -> int:
        """Calls queued behind the group being handled."""
        with self._lock:
            return len(self._queue)

    def _run(self, group: list[_Call[Item, Result]]) -> None:
        try:
            results = self._handle([call.item for call in group])
            for call, result in zip(group, results, strict=True):
                call.result = result
        except BaseException as error:  # every caller of the group learns it failed
            for call in group:
                call.error = error
        for call in group:
            call.done = True
            call.wake.release()
        with self._lock:
            if self._queue:  # the first caller that waited leads the next group
                self._queue[0].wake.release()
            else:
                self._busy = False
