"""Rate limits that hold across every worker and host, and a check that they do.

Flask-Limiter's decorators cover whole routes by address. For a budget that is not an address —
attempts at one account, at one venue pass, at one conference — call `hit` with a key of your
own: it counts in the storage of `RATELIMIT_STORAGE_URI` (Redis when several app servers share
the load), in a moving window, so every worker and every host reads the same count.

    from meetings import ratelimits

    if not ratelimits.hit(f"venue-pass:{pass_id}", "30 per minute"):
        abort(429)

`hit` counts one attempt and answers whether it was within the limit; `allowed` answers the
same without counting; `retry_after` says how many seconds until one more would pass; `reset`
forgets the key. With `RATELIMIT_ENABLED` off (the tests' default) every attempt is allowed.

`check_shared_storage` refuses an in-process counter (`memory://`) for a server with several
worker processes: each would count on its own, multiplying every limit by their number.
gunicorn.conf.py calls it in every worker it boots: one that fails stops gunicorn.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

EXTENSION = "shared_limits"
PER_PROCESS_SCHEMES = ("memory://",)


class UnsharedStorageError(RuntimeError):
    """Several processes would each keep their own rate-limit counters."""


def init_app(app: Flask) -> None:
    """Open the counters' storage (the same one the limiter's decorators use)."""
    storage = storage_from_string(app.config["RATELIMIT_STORAGE_URI"])
    app.extensions[EXTENSION] = MovingWindowRateLimiter(storage)


def check_shared_storage(storage_uri: str, processes: int) -> None:
    """Raise UnsharedStorageError when `processes` server processes would not share counters."""
    if processes > 1 and storage_uri.startswith(PER_PROCESS_SCHEMES):
        raise UnsharedStorageError(
            f"RATELIMIT_STORAGE_URI is {storage_uri!r}: each of the {processes} worker "
            "processes would keep its own rate-limit counters, and every limit (sign-in "
            "attempts, self check-in) would be multiplied by their number. Set "
            "RATELIMIT_STORAGE_URI=redis://HOST:6379/0 (one Redis for every worker and host), "
            "or run a single worker process (-w 1)."
        )


def check_served_app(app: object, processes: int) -> None:
    """`check_shared_storage` for an app a server runs in `processes` processes: a Flask app
    of ours with limits on (other WSGI apps, such as a benchmark's, are left alone)."""
    config = getattr(app, "config", None)
    if isinstance(app, Flask) and config.get("RATELIMIT_ENABLED", True):
        check_shared_storage(config["RATELIMIT_STORAGE_URI"], processes)


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def _args(key: str, limit: str | RateLimitItem) -> tuple[RateLimitItem, str, str]:
    item = parse(limit) if isinstance(limit, str) else limit
    return item, current_app.config.get("RATELIMIT_KEY_PREFIX", "") or "meetings", key


def _limiter() -> MovingWindowRateLimiter:
    return current_app.extensions[EXTENSION]


def hit(key: str, limit: str | RateLimitItem, cost: int = 1) -> bool:
    """Count `cost` attempts under `key` against `limit` ("10 per minute"); True while within.

    An attempt over the limit is not counted, so a refused caller does not push its own
    window further out."""
    if not _enabled():
        return True
    return _limiter().hit(*_args(key, limit), cost=cost)


def allowed(key: str, limit: str | RateLimitItem, cost: int = 1) -> bool:
    """Whether `cost` more attempts under `key` would be within `limit`, counting nothing."""
    if not _enabled():
        return True
    return _limiter().test(*_args(key, limit), cost=cost)


def retry_after(key: str, limit: str | RateLimitItem) -> int:
    """Seconds until one more attempt under `key` would pass (0 when it would now)."""
    if not _enabled():
        return 0
    stats = _limiter().get_window_stats(*_args(key, limit))
    if stats.remaining > 0:
        return 0
    return max(1, math.ceil(stats.reset_time - time.time()))


def reset(key: str, limit: str | RateLimitItem) -> None:
    """Forget every attempt counted under `key` for `limit`."""
    if _enabled():
        _limiter().clear(*_args(key, limit))
