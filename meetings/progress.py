"""Progress of long work, reported as a list is gone through."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class CountedList(list[T]):
    """A list that calls progress(done, total) as it is iterated: at the start, after every
    hundredth of it, and at the end. A writer that goes through its items once (letters, one per
    page) thereby reports how far it is without knowing anything about jobs."""

    def __init__(self, items: Iterable[T], progress: Callable[[int, int | None], None]):
        super().__init__(items)
        self.progress = progress
        self.step = max(1, len(self) // 100)

    def __iter__(self) -> Iterator[T]:
        total = len(self)
        self.progress(0, total)
        for done, item in enumerate(super().__iter__(), start=1):
            yield item
            if done % self.step == 0 or done == total:
                self.progress(done, total)
