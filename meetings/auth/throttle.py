"""The per-account sign-in throttle, beside the per-address limit on the login route."""

from __future__ import annotations

from flask import current_app

from meetings import ratelimits
from meetings.text import clean


def account_attempt_allowed(username: str) -> bool:
    """Count one sign-in attempt at this account, from whatever address; False past
    LOGIN_ACCOUNT_RATE_LIMIT. Guessing one account's password from many addresses (each with
    a fresh per-address quota) is held to the same budget."""
    account = (clean(username) or "").casefold()
    limit = current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]
    return ratelimits.hit(f"login-account:{account}", limit)
