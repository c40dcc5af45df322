"""Group commit: calls from a process's threads handled together, one transaction a group.

While one thread handles a group, the calls that arrive meanwhile queue; when it is done, the
first of them to wake takes all of them at once. A lone call is handled at once: there is no
timer and no extra thread, and under load a group grows with the number of threads waiting
(gunicorn's --threads). Each caller gets its own result, or the error that failed its group.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class _Call:
    item: Any
    done: bool = False
    result: Any = None
    error: BaseException | None = None


class GroupCommit(Generic[Item, Result]):
    """`group(item)` returns `handle(items)[i]` for its item, `handle` taking the items of
    every thread that called meanwhile; `handle` runs in one of the calling threads."""

    def __init__(self, handle: Callable[[list[Item]], list[Result]]) -> None:
        self._handle = handle
        self._changed = threading.Condition()  # a group was handled
        self._queue: list[_Call] = []
        self._busy = False

    def __call__(self, item: Item) -> Result:
        call = _Call(item)
        with self._changed:
            self._queue.append(call)
            while self._busy and not call.done:
                self._changed.wait()
            lead = not call.done  # its turn: it takes the queue, itself included
            if lead:
                self._busy = True
                group, self._queue = self._queue, []
        if lead:
            try:
                self._run(group)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()
        if call.error is not None:
            raise call.error
        return call.result

    def waiting(self) -> int:
        """Calls queued behind the group being handled."""
        with self._changed:
            return len(self._queue)

    def _run(self, group: list[_Call]) -> None:
        try:
            results = self._handle([call.item for call in group])
            for call, result in zip(group, results, strict=True):
                call.result = result
        except BaseException as error:  # every caller of the group learns it failed
            for call in group:
                call.error = error
        for call in group:
            call.done = True
