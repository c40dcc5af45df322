"""The scan writer: one process that writes the API scans of every gunicorn worker.

In a worker, scans are batched with the other scans of that worker (checkin.batch), and the
batch runs on a request thread that competes for the worker's GIL with the threads parsing
and answering requests. The writer is a process of its own that receives the scans of all
workers over a Unix socket and writes them with scan_many, in batches twice as large and
with nothing else to run, then sends each answer back.

gunicorn starts it (meetings.serving) and tells the workers its socket through the
MEETINGS_SCAN_WRITER environment variable (SCAN_WRITER_SOCKET in the app's config). A
worker that cannot reach it, or loses it before an answer comes, writes the scan itself:
a scan is idempotent by its nonce, so one the writer did record is answered from the
stored answer, never recorded twice.

Frames are a 4-byte length and JSON: a Job (`encode_job`) one way, an Answer the other.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import socket
import struct
import threading
import time
from datetime import datetime

from flask import Flask

from meetings.api.service import Answer, Job, Scan, build_scan_statements, scan_many
from meetings.checkin.batch import Batcher
from meetings.extensions import db

log = logging.getLogger(__name__)
_LENGTH = struct.Struct("!I")
FRAME_MAX = 64 * 1024  # a scan is a few hundred bytes; anything larger is not one
LINGER = 0.003  # seconds a batch waits for more scans while fewer than GATHER are in
GATHER = 24
# The most scans one batch writes (a gather beyond it is written in several): the writer
# builds every batch size's statements up to it as it starts, so no batch builds one.
MAX_BATCH = 32
SEND_TIMEOUT = 5.0  # a worker that does not read its answer is dropped, not waited for
RETRY_AFTER = 1.0  # seconds a worker writes scans itself after failing to reach the writer


class Unavailable(Exception):
    """The writer could not be reached, or went away before answering."""


# --- Frames -------------------------------------------------------------------------------


def encode_job(job: Job) -> bytes:
    scan = job.scan
    fields = None
    if scan is not None:
        scanned_at = scan.scanned_at.isoformat() if scan.scanned_at else None
        fields = [scan.token, scan.nonce, scan.gate, scanned_at, scan.conference_id]
    return _frame({"hash": job.token_hash, "bad": job.bad_request, "scan": fields})


def decode_job(payload: bytes) -> Job:
    data = json.loads(payload)
    scan = None
    if data["scan"] is not None:
        token, nonce, gate, scanned_at, conference_id = data["scan"]
        at = datetime.fromisoformat(scanned_at) if scanned_at else None
        scan = Scan(token, nonce, gate, at, conference_id)
    return Job(data["hash"], None, scan, data["bad"])


def encode_answer(answer: Answer | None) -> bytes:
    """An answer, or None for a scan that raised (the worker then answers it itself)."""
    return _frame(None if answer is None else list(answer))


def decode_answer(payload: bytes) -> Answer | None:
    data = json.loads(payload)
    return None if data is None else Answer(*data)


def _frame(data) -> bytes:
    payload = json.dumps(data, ensure_ascii=False).encode()
    return _LENGTH.pack(len(payload)) + payload


def _frames(buffer: bytearray) -> list[bytes]:
    """The whole frames at the start of `buffer`, removed from it."""
    frames = []
    while len(buffer) >= _LENGTH.size:
        (length,) = _LENGTH.unpack_from(buffer)
        if length > FRAME_MAX:
            raise ValueError("frame too large")
        if len(buffer) < _LENGTH.size + length:
            break
        frames.append(bytes(buffer[_LENGTH.size : _LENGTH.size + length]))
        del buffer[: _LENGTH.size + length]
    return frames


# --- The writer process ------------------------------------------------------------------


class Writer:
    """Serves one listening Unix socket until `stop` is set or `parent` (a pid) is gone."""

    def __init__(self, app: Flask, listener: socket.socket, parent: int | None = None) -> None:
        self.app, self.listener, self.parent = app, listener, parent
        self.stop = threading.Event()
        self.batcher: Batcher[Job, Answer] = Batcher(scan_many, db.session.rollback)
        self._selector = selectors.DefaultSelector()
        self._buffers: dict[socket.socket, bytearray] = {}

    def serve(self) -> None:
        self.listener.setblocking(False)
        self._selector.register(self.listener, selectors.EVENT_READ)
        with self.app.app_context():
            build_scan_statements(db.engine.dialect.name, MAX_BATCH)
            try:
                while not self.stop.is_set() and self._parent_alive():
                    self._write(self._gather())
            finally:
                for sock in list(self._buffers):
                    self._drop(sock)
                self._selector.close()
                db.session.remove()

    def _parent_alive(self) -> bool:
        return self.parent is None or os.getppid() == self.parent

    def _gather(self) -> list[tuple[socket.socket, Job]]:
        """The scans received: at once what is there, then up to LINGER for more."""
        pending: list[tuple[socket.socket, Job]] = []
        events = self._selector.select(1.0)
        deadline = time.monotonic() + LINGER
        while events:
            for key, _mask in events:
                if key.fileobj is self.listener:
                    self._accept()
                else:
                    pending += self._receive(key.fileobj)
            events = self._selector.select(0)
            wait = deadline - time.monotonic()
            if not events and pending and len(pending) < GATHER and wait > 0:
                events = self._selector.select(wait)
        return pending

    def _accept(self) -> None:
        try:
            sock, _address = self.listener.accept()
        except BlockingIOError:
            return
        sock.setblocking(False)
        self._buffers[sock] = bytearray()
        self._selector.register(sock, selectors.EVENT_READ)

    def _receive(self, sock: socket.socket) -> list[tuple[socket.socket, Job]]:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return []
        except OSError:
            data = b""
        if not data:
            self._drop(sock)
            return []
        buffer = self._buffers[sock]
        buffer += data
        try:
            return [(sock, decode_job(frame)) for frame in _frames(buffer)]
        except (ValueError, KeyError, TypeError):  # not one of our workers: hang up
            self._drop(sock)
            return []

    def _write(self, pending: list[tuple[socket.socket, Job]]) -> None:
        """Write and answer the scans gathered, at most MAX_BATCH in a batch."""
        for start in range(0, len(pending), MAX_BATCH):
            self._answer(pending[start : start + MAX_BATCH])

    def _answer(self, pending: list[tuple[socket.socket, Job]]) -> None:
        results = self.batcher.run([job for _sock, job in pending])
        for (sock, _job), result in zip(pending, results, strict=True):
            if sock not in self._buffers:
                continue
            answer = None
            if isinstance(result, BaseException):  # the worker will try it, and answer 500
                log.error("scan failed in the writer", exc_info=result)
            else:
                answer = result
            try:
                sock.settimeout(SEND_TIMEOUT)
                sock.sendall(encode_answer(answer))
                sock.setblocking(False)
            except OSError:
                self._drop(sock)

    def _drop(self, sock: socket.socket) -> None:
        if self._buffers.pop(sock, None) is not None:
            self._selector.unregister(sock)
        sock.close()


def listen(path: str) -> socket.socket:
    """A Unix socket listening at `path` (a stale one from a killed writer is replaced)."""
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(256)
    return listener


# --- The worker's side -------------------------------------------------------------------


class Client:
    """A worker's connection to the writer: one socket per thread, opened when first used."""

    def __init__(self, path: str, timeout: float = 30.0) -> None:
        self.path, self.timeout = path, timeout
        self._local = threading.local()
        self._down_until = 0.0

    def submit(self, job: Job) -> Answer:
        """The writer's answer to `job`; Unavailable if there is none (write it yourself)."""
        if time.monotonic() < self._down_until:
            raise Unavailable("the writer failed a moment ago")
        try:
            sock = self._socket()
            sock.sendall(encode_job(job))
            answer = decode_answer(self._read_frame(sock))
        except (OSError, ValueError) as error:
            self._close()
            self._down_until = time.monotonic() + RETRY_AFTER
            log.warning("scan writer %s: %s; this worker writes scans itself", self.path, error)
            raise Unavailable(str(error)) from error
        if answer is None:
            raise Unavailable("the writer could not write this scan")
        return answer

    def _socket(self) -> socket.socket:
        sock = getattr(self._local, "sock", None)
        if sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(self.path)
            except OSError:
                sock.close()
                raise
            self._local.sock = sock
        return sock

    def _read_frame(self, sock: socket.socket) -> bytes:
        (length,) = _LENGTH.unpack(self._read(sock, _LENGTH.size))
        if length > FRAME_MAX:
            raise ValueError("frame too large")
        return self._read(sock, length)

    @staticmethod
    def _read(sock: socket.socket, size: int) -> bytes:
        data = bytearray()
        while len(data) < size:
            chunk = sock.recv(size - len(data))
            if not chunk:
                raise ConnectionResetError("the writer closed the connection")
            data += chunk
        return bytes(data)

    def _close(self) -> None:
        sock = getattr(self._local, "sock", None)
        self._local.sock = None
        if sock is not None:
            sock.close()
