"""How gunicorn serves the app: `gunicorn -c python:meetings.serving -w 2 wsgi:app`.

As a gunicorn configuration module it sets the worker class below and 16 threads, and
starts the scan writer (api.writer) beside the workers: one process that writes the API
scans of all of them. If it stops, each worker writes its scans itself until gunicorn is
reloaded (HUP) or restarted, which starts it again. MEETINGS_SCAN_WRITER=off leaves it out.

The worker class: gthread, sharing bursts of new connections among the workers.

gthread workers all wait on the one listening socket and whichever wakes first accepts. When
many clients connect at once (scanners and phones at the door as it opens, a benchmark's
keep-alive connections) one worker can take most of them: its threads queue while the other
worker idles, and its batches of check-ins wait on the database with nothing else to run.
This worker, once it holds as many connections as it has threads, stops accepting for a few
milliseconds, so a worker with free threads takes the next ones. When every worker is that
busy, a new connection waits at most that long.

On its own: `gunicorn -k meetings.serving.ThreadWorker --threads N …`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time

from gunicorn.workers import gthread

PAUSE = 0.005  # seconds a full worker leaves new connections to the others
WRITER_ENV = "MEETINGS_SCAN_WRITER"

# gunicorn settings
worker_class = "meetings.serving.ThreadWorker"
threads = 16


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


# --- The scan writer, as gunicorn hooks ----------------------------------------------------

_writer: dict = {"process": None, "off": False, "folder": None}


def on_starting(server) -> None:
    """Choose the writer's socket before the workers start: they read it from the
    environment (config SCAN_WRITER_SOCKET). MEETINGS_SCAN_WRITER=off: no writer."""
    if os.environ.get(WRITER_ENV) == "off":
        _writer["off"] = True
    elif not os.environ.get(WRITER_ENV):
        _writer["folder"] = tempfile.mkdtemp(prefix="meetings-scan-writer-")
        os.environ[WRITER_ENV] = os.path.join(_writer["folder"], "socket")


def when_ready(server) -> None:
    _start_writer(server)


def on_reload(server) -> None:
    """A HUP reloads the workers, and starts the writer again if it has stopped."""
    _start_writer(server)


def on_exit(server) -> None:
    process = _writer["process"]
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
    if _writer["folder"]:  # ours: the socket of a writer that was killed may be left in it
        shutil.rmtree(_writer["folder"], ignore_errors=True)


def _start_writer(server) -> None:
    """Start the writer unless it runs. It gets a session of its own, so that the signals
    of gunicorn's process group (a Ctrl-C) reach it through on_exit, which waits for it;
    it also exits by itself when gunicorn is gone."""
    process = _writer["process"]
    if _writer["off"] or (process is not None and process.poll() is None):
        return
    command = [sys.executable, "-m", "flask", "--app", "meetings", "scan-writer"]
    command += [os.environ[WRITER_ENV], "--parent", str(os.getpid())]
    _writer["process"] = subprocess.Popen(command, start_new_session=True)
    server.log.info("scan writer started (pid %s)", _writer["process"].pid)
