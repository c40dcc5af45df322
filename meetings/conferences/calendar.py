"""The calendar: conferences by month or week, and the same as iCalendar (RFC 5545) files."""

from __future__ import annotations

import calendar as monthcal
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from meetings.clock import now
from meetings.extensions import db
from meetings.models import (
    Conference,
    ConferenceLocation,
    ConferenceStatus,
    OrganisingBody,
    User,
    record,
)

# --- Month and week lists -----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    view: str  # "month" or "week"
    first: date
    last: date  # inclusive

    @property
    def previous(self) -> date:
        return self.first - timedelta(days=1) if self.view == "month" else self.first - timedelta(7)

    @property
    def next(self) -> date:
        return self.last + timedelta(days=1)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def period(view: str, anchor: date) -> Period:
    """The month, or the Monday-to-Sunday week, that contains `anchor`."""
    if view == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return Period("week", monday, monday + timedelta(days=6))
    last_day = monthcal.monthrange(anchor.year, anchor.month)[1]
    return Period("month", anchor.replace(day=1), anchor.replace(day=last_day))


def conferences_in(
    span: Period,
    user: User,
    venue_id: int | None = None,
    body_id: int | None = None,
) -> dict[date, list[Conference]]:
    """The conferences of each day of the period that the user may read, by start time.

    A venue filter finds the conferences held there or relayed there as a bridge point.
    """
    from meetings.conferences.scheduling import visible_to

    start = datetime.combine(span.first, datetime.min.time())
    end = datetime.combine(span.next, datetime.min.time())
    query = (
        select(Conference)
        .where(Conference.starts_at < end, Conference.ends_at > start)
        .options(selectinload(Conference.venue), selectinload(Conference.body))
        .order_by(Conference.starts_at)
    )
    if venue_id:
        bridge = select(ConferenceLocation.conference_id).where(
            ConferenceLocation.venue_id == venue_id
        )
        query = query.where(or_(Conference.venue_id == venue_id, Conference.id.in_(bridge)))
    if body_id:
        query = query.where(Conference.body_id == body_id)
    by_day: dict[date, list[Conference]] = {}
    for conference in db.session.scalars(visible_to(query, user)):
        day = max(conference.starts_at.date(), span.first)
        by_day.setdefault(day, []).append(conference)
    return by_day


# --- iCalendar ----------------------------------------------------------------------------

PRODID = "-//meetings//Hoi nghi quan triet//VI"


def _utc(moment: datetime) -> datetime:
    """Naive local time → aware UTC: a DTSTART in UTC needs no VTIMEZONE block."""
    tz = ZoneInfo(current_app.config.get("APP_TIMEZONE", "Asia/Ho_Chi_Minh"))
    return moment.replace(tzinfo=tz).astimezone(ZoneInfo("UTC"))


def _uid(conference: Conference) -> str:
    host = urlsplit(current_app.config.get("PUBLIC_BASE_URL", "")).hostname or "meetings"
    return f"conference-{conference.id}@{host}"


def _event(conference: Conference, url: str | None) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", _uid(conference))
    event.add("dtstamp", _utc(now()))
    event.add("created", _utc(conference.created_at))
    event.add("dtstart", _utc(conference.starts_at))
    event.add("dtend", _utc(conference.ends_at))
    event.add("summary", conference.title)
    places = [conference.venue.name] if conference.venue else []
    if conference.venue and conference.venue.address:
        places[0] += f", {conference.venue.address}"
    if places:
        event.add("location", places[0])
    event.add("description", _description(conference))
    event.add("organizer", _organizer(conference))
    cancelled = conference.status == ConferenceStatus.CANCELLED
    # Drafts are tentative; calendar apps remove a cancelled event they already show.
    status = {
        ConferenceStatus.CANCELLED: "CANCELLED",
        ConferenceStatus.DRAFT: "TENTATIVE",
    }.get(conference.status, "CONFIRMED")
    event.add("status", status)
    if cancelled and conference.cancel_reason:
        event.add("comment", conference.cancel_reason)
    if url:
        event.add("url", url)
    return event


def _organizer(conference: Conference) -> icalendar.vCalAddress:
    """The organising body by name; it has no address of its own, so a no-reply one."""
    host = urlsplit(current_app.config.get("PUBLIC_BASE_URL", "")).hostname or "localhost"
    address = icalendar.vCalAddress(f"mailto:noreply@{host}")
    address.params["cn"] = icalendar.vText(conference.body.name)
    return address


def _description(conference: Conference) -> str:
    lines = [f"Đơn vị tổ chức: {conference.body.name}"]
    if conference.chair:
        lines.append(f"Chủ trì: {conference.chair.full_name}")
    for location in conference.locations:
        lines.append(f"Điểm cầu: {location.venue.name}")
    for document in conference.documents:
        lines.append(f"Văn bản: {document.citation}")
    if conference.requirements:
        lines.append(f"Yêu cầu: {conference.requirements}")
    if conference.status == ConferenceStatus.CANCELLED and conference.cancel_reason:
        lines.insert(0, f"ĐÃ HỦY: {conference.cancel_reason}")
    return "\n".join(lines)


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    return cal


def conference_ics(conference: Conference, url: str | None = None) -> bytes:
    """A calendar file holding one conference."""
    cal = _calendar(conference.title)
    cal.add("method", "PUBLISH")
    cal.add_component(_event(conference, url))
    return cal.to_ical()


def body_feed(body: OrganisingBody, url_for_conference, past_days: int = 365) -> bytes:
    """The feed of a body: its announced conferences (not drafts) from a year back onwards."""
    since = now() - timedelta(days=past_days)
    conferences = db.session.scalars(
        select(Conference)
        .where(
            Conference.body_id == body.id,
            Conference.status != ConferenceStatus.DRAFT,
            Conference.ends_at >= since,
        )
        .options(
            selectinload(Conference.venue),
            selectinload(Conference.body),
            selectinload(Conference.chair),
            selectinload(Conference.locations).selectinload(ConferenceLocation.venue),
            selectinload(Conference.document_links),
        )
        .order_by(Conference.starts_at)
    )
    cal = _calendar(body.name)
    cal.add("x-published-ttl", "PT1H")
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for conference in conferences:
        cal.add_component(_event(conference, url_for_conference(conference)))
    return cal.to_ical()


def body_by_token(token: str) -> OrganisingBody | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(OrganisingBody).where(OrganisingBody.calendar_token == token))


def rotate_calendar_token(body: OrganisingBody, user: User | None = None) -> str:
    """A new feed address for the body: the old one, if it leaked, stops working."""
    body.calendar_token = secrets.token_urlsafe(16)
    db.session.flush()
    record("body.calendar_token_rotate", body, user)
    return body.calendar_token
