"""The gunicorn worker class: gthread, sharing bursts of new connections among the workers.

gthread workers all wait on the one listening socket and whichever wakes first accepts. When
many clients connect at once (scanners and phones at the door as it opens, a benchmark's
keep-alive connections) one worker can take most of them: its threads queue while the other
worker idles, and its batches of check-ins wait on the database with nothing else to run.
This worker, once it holds as many connections as it has threads, stops accepting for a few
milliseconds, so a worker with free threads takes the next ones. When every worker is that
busy, a new connection waits at most that long.

Use it with `gunicorn -k meetings.serving.ThreadWorker --threads N …` (`make serve` does).
"""

from __future__ import annotations

import time

from gunicorn.workers import gthread

PAUSE = 0.005  # seconds a full worker leaves new connections to the others


class ThreadWorker(gthread.ThreadWorker):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._resume_at = 0.0
        self._paused = False

    def accept(self, listener) -> None:
        # a full worker pauses before each connection it takes, then takes it if still there
        if self.nr_conns >= self.cfg.threads and not self._paused:
            self._paused = True
            self._resume_at = time.monotonic() + PAUSE
            self.set_accept_enabled(False)  # gthread's loop asks to enable it again at once
            return
        self._paused = False
        super().accept(listener)

    def set_accept_enabled(self, enabled: bool) -> None:
        if enabled and time.monotonic() < self._resume_at:
            return
        super().set_accept_enabled(enabled)

    def wait_for_and_dispatch_events(self, timeout: float) -> None:
        # while paused, wake up in time to accept again (gthread's loop waits up to 1 s)
        pause = self._resume_at - time.monotonic()
        if pause > 0:
            timeout = min(timeout, pause)
        super().wait_for_and_dispatch_events(timeout)
