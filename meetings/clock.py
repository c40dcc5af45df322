"""The local wall clock. Conferences happen in one time zone, so times are stored naive-local."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def zone() -> ZoneInfo:
    """The app's time zone (APP_TIMEZONE), Vietnam's outside an app."""
    tz = current_app.config.get("APP_TIMEZONE", DEFAULT_TZ) if has_app_context() else DEFAULT_TZ
    return ZoneInfo(tz)


def now() -> datetime:
    """The current local time, naive, to the second, in the app's time zone."""
    return datetime.now(zone()).replace(tzinfo=None, microsecond=0)


def rfc3339(value: datetime | None) -> str | None:
    """A local wall-clock time with its offset, for JSON: 2025-09-15T07:52:10+07:00."""
    return value.replace(tzinfo=zone()).isoformat() if value else None
