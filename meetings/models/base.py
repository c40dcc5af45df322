"""Shared column helpers and the NFC guard that every text column passes through."""

from __future__ import annotations

import enum
import secrets
import unicodedata
from datetime import datetime

from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, mapped_column

from meetings.clock import now
from meetings.extensions import db


def new_token() -> str:
    """A URL-safe random token of 128 bits: what QR codes and links carry, never a row id."""
    return secrets.token_urlsafe(16)


StrEnum = enum.StrEnum  # stored by value, so the database holds readable words


def enum_column(enum_cls: type[enum.Enum], **kw):
    """A VARCHAR column for a str enum (no native ENUM types: migrations stay simple)."""
    return mapped_column(
        db.Enum(
            enum_cls,
            native_enum=False,
            length=20,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        **kw,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=now)


@event.listens_for(db.Model, "before_insert", propagate=True)
@event.listens_for(db.Model, "before_update", propagate=True)
def _normalise_text(mapper, connection, target) -> None:
    """Store every string in NFC: NFD input looks the same but compares unequal."""
    for column in mapper.columns:
        if isinstance(column.type, String) and not isinstance(column.type, db.Enum):
            value = getattr(target, column.key, None)
            if isinstance(value, str) and not unicodedata.is_normalized("NFC", value):
                setattr(target, column.key, unicodedata.normalize("NFC", value))
