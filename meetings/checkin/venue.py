"""Self check-in: the rotating venue QR, the short-lived pass it grants, the attendee cookie,
and the attempt budgets that keep typed codes from being guessed.

The screen at the door shows PUBLIC_BASE_URL/v/<conference>.<location>.<window>.<mac>, where
the window is the current 30-second slot and the MAC an HMAC keyed by the app's SECRET_KEY and
the conference's own checkin_secret. A code of the current or the previous window is accepted,
nothing older: a photo of the screen sent home stops working within a minute. A valid scan
grants a pass of a few minutes, signed, so that typing the code printed on the letter may take
longer than the window.

An attendee proves who they are with the short code printed on their letter (about 40 bits,
not a phone number: numbers are guessable), or with one tap when this phone opened their
personal link before (a signed cookie of invitation ids, not tokens). Typed codes are
budgeted per pass and, for wrong ones, per conference, in the rate limiter's storage, which
every worker and host shares.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass, field

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from meetings import ratelimits
from meetings.checkin.service import ID_MAX
from meetings.extensions import db
from meetings.links import public_url
from meetings.models import Conference, ConferenceLocation

WINDOW_SECONDS = 30
ATTENDEE_COOKIE = "meetings_attendee"
ATTENDEE_COOKIE_DAYS = 60
_KEPT_INVITATIONS = 5  # a shared phone may hold a few invitations
VENUE_PATH = "/v/{code}"
_CODE = re.compile(r"(\d{1,10})\.(\d{1,10})\.(\d{1,12})\.([a-z2-7]{16})")


def current_window(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // WINDOW_SECONDS)


def seconds_left(at: float | None = None) -> int:
    moment = time.time() if at is None else at
    return WINDOW_SECONDS - int(moment % WINDOW_SECONDS)


def _mac(checkin_secret: str, conference_id: int, location_id: int, window: int) -> str:
    key = f"{current_app.config['SECRET_KEY']}\x00{checkin_secret}".encode()
    message = f"{conference_id}.{location_id}.{window}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:10]  # 80 bits
    return base64.b32encode(digest).decode().lower()


def venue_code(conference: Conference, location_id: int | None, window: int) -> str:
    loc = location_id or 0
    mac = _mac(conference.checkin_secret, conference.id, loc, window)
    return f"{conference.id}.{loc}.{window}.{mac}"


def venue_url(conference: Conference, location_id: int | None, window: int | None = None) -> str:
    """What the screen's QR holds for this conference and location, now."""
    code = venue_code(conference, location_id, current_window() if window is None else window)
    return public_url(VENUE_PATH.format(code=code))


@dataclass(frozen=True)
class VenuePass:
    """A fresh scan of the screen, granted for SELF_CHECKIN_PASS_SECONDS: its random id keys
    its attempt budget."""

    conference_id: int
    location_id: int | None
    id: str = field(default_factory=lambda: secrets.token_urlsafe(12))


class VenueCodeError(ValueError):
    """The code is not one we made ("invalid") or its window is over ("expired")."""

    def __init__(self, reason: str, conference_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.conference_id = conference_id


def read_venue_code(code: str, at: float | None = None) -> VenuePass:
    """A new pass to the conference and location of a scanned screen code, if the code is ours
    and fresh."""
    match = _CODE.fullmatch(code or "")
    if not match:
        raise VenueCodeError("invalid")
    conference_id, location_id, window = map(int, match.groups()[:3])
    mac = match[4]
    if max(conference_id, location_id) > ID_MAX:  # no such row, and beyond the column
        raise VenueCodeError("invalid")
    secret = db.session.scalar(
        db.select(Conference.checkin_secret).where(Conference.id == conference_id)
    )
    if secret is None or not hmac.compare_digest(
        mac, _mac(secret, conference_id, location_id, window)
    ):
        raise VenueCodeError("invalid")
    now_window = current_window(at)
    if window not in (now_window, now_window - 1):
        raise VenueCodeError("expired" if window < now_window else "invalid", conference_id)
    if location_id and not db.session.scalar(
        db.select(ConferenceLocation.id).where(
            ConferenceLocation.id == location_id,
            ConferenceLocation.conference_id == conference_id,
        )
    ):
        raise VenueCodeError("invalid")
    return VenuePass(conference_id, location_id or None)


def _signer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def issue_pass(venue_pass: VenuePass) -> str:
    """The pass, signed, for the self check-in form."""
    return _signer("venue-pass").dumps(
        [venue_pass.id, venue_pass.conference_id, venue_pass.location_id or 0]
    )


def read_pass(value: str | None) -> VenuePass | None:
    """The pass, if it is genuine and at most SELF_CHECKIN_PASS_SECONDS old."""
    try:
        pass_id, conference_id, location_id = _signer("venue-pass").loads(
            value or "", max_age=current_app.config["SELF_CHECKIN_PASS_SECONDS"]
        )
        return VenuePass(int(conference_id), int(location_id) or None, str(pass_id))
    except (BadSignature, TypeError, ValueError):
        return None


def remembered_invitations(cookie: str | None) -> list[int]:
    """Ids of the invitations this phone opened before, from the signed cookie."""
    if not cookie:
        return []
    try:
        ids = _signer("attendee-cookie").loads(cookie, max_age=ATTENDEE_COOKIE_DAYS * 86400)
    except BadSignature:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


def remember_invitation(cookie: str | None, invitation_id: int) -> str:
    """The cookie value with this invitation first (a few kept, most recent first)."""
    ids = [invitation_id, *(i for i in remembered_invitations(cookie) if i != invitation_id)]
    return _signer("attendee-cookie").dumps(ids[:_KEPT_INVITATIONS])


def may_type_code(venue_pass: VenuePass) -> bool:
    """Spend one typed attempt of this pass, unless the pass or its conference has none left.

    The pass allows a few (typos happen); the conference allows a number of wrong codes in a
    while, whichever pass they come through: a pass is easy to get again from the screen."""
    config = current_app.config
    wrong = ratelimits.allowed(
        _wrong_key(venue_pass.conference_id), config["SELF_CHECKIN_WRONG_CODES"]
    )
    return wrong and ratelimits.hit(
        f"self-pass:{venue_pass.id}", config["SELF_CHECKIN_PASS_ATTEMPTS"]
    )


def count_wrong_code(conference_id: int) -> None:
    """A typed code matched nobody at this conference: it counts against the conference."""
    ratelimits.hit(_wrong_key(conference_id), current_app.config["SELF_CHECKIN_WRONG_CODES"])


def _wrong_key(conference_id: int) -> str:
    return f"self-wrong:{conference_id}"
