"""The local wall clock. Conferences happen in one time zone, so times are stored naive-local."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def now() -> datetime:
    """The current local time, naive, to the second, in the app's time zone."""
    tz = current_app.config.get("APP_TIMEZONE", DEFAULT_TZ) if has_app_context() else DEFAULT_TZ
    return datetime.now(ZoneInfo(tz)).replace(tzinfo=None, microsecond=0)
