"""Public links that leave the building on paper or in QR codes: built on PUBLIC_BASE_URL,
since the app usually sits behind a proxy and request.host is not what attendees reach."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from flask import current_app

# The check-in blueprint serves this path; letters and exports print it.
PERSONAL_CHECKIN_PATH = "/c/{token}"


def public_url(path: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"] + path


def personal_checkin_url(token: str) -> str:
    """What an invitation's QR code holds: PUBLIC_BASE_URL/c/<token>."""
    return public_url(PERSONAL_CHECKIN_PATH.format(token=token))


def public_base_is_loopback() -> bool:
    """True when PUBLIC_BASE_URL names this machine only (127.0.0.1, ::1, localhost): links
    printed with it open nowhere else, and a phone scanning the letter gets no answer."""
    host = (urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
