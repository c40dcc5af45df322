"""Real servers for tests: stock gunicorn over wsgi:app, the job worker, and a small browser
that keeps cookies and sends the CSRF token of the last form it read."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_TEST_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


def redis_or_skip(url: str = REDIS_TEST_URL) -> str:
    """The test Redis URL, after a ping; skip when there is none (CI must have one)."""
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"no Redis at {url}")
    return url


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def until(condition: Callable[[], object], seconds: float = 30, step: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return False


def setup_database(env: dict[str, str]) -> None:
    """`flask setup --no-demo`: the schema by migration, as `make serve` does."""
    subprocess.run(
        [str(BIN / "flask"), "--app", "meetings", "setup", "--no-demo"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def create_user(env: dict[str, str], username: str, password: str, role: str = "admin") -> None:
    subprocess.run(
        [
            *(str(BIN / "flask"), "--app", "meetings", "create-user", username),
            *("--role", role, "--password", password),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _status(port: int, path: str = "/login") -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@contextmanager
def process(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """A process in a session of its own, stopped (with its children) on the way out."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(5)


@contextmanager
def gunicorn(env: dict[str, str], port: int, log: Path, workers: int = 2) -> Iterator[int]:
    """Stock gunicorn, threaded, over wsgi:app (reading ./gunicorn.conf.py); yields the port
    once it answers."""
    command = [str(BIN / "gunicorn"), "-k", "gthread", "--threads", "4", "-w", str(workers)]
    command += ["--no-control-socket"]  # several instances (and test runs) on one machine
    command += ["-b", f"127.0.0.1:{port}", "wsgi:app"]
    with process(command, env, log) as proc:
        if not until(lambda: proc.poll() is not None or _status(port) == 200, 60):
            raise AssertionError(f"gunicorn did not answer:\n{log.read_text()}")
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn stopped:\n{log.read_text()}")
        yield port


class Browser:
    """Cookies and the CSRF token of the last page read, against one base URL."""

    CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

    def __init__(self, base: str, cookies: CookieJar | None = None):
        self.base = base
        self.cookies = cookies if cookies is not None else CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        self.csrf = ""

    def request(
        self, method: str, path: str, data: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(
            self.base + path, data=data, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                status, body, head = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, body, head = error.code, error.read(), dict(error.headers)
        if found := self.CSRF.search(body.decode(errors="replace")):
            self.csrf = found.group(1)
        return status, body, head

    def get(self, path: str) -> tuple[int, bytes, dict]:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> tuple[int, bytes, dict]:
        data = urlencode({"csrf_token": self.csrf, **form}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", path, data, headers)

    def login(self, username: str, password: str) -> int:
        self.get("/login")
        return self.post("/login", {"username": username, "password": password})[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
