"""Document numbers (Số 12-BB/QU): a counter per body, document kind and numbering period."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from meetings.extensions import db


class DocumentCounter(db.Model):
    """Party documents number from 01 within a term; state documents restart each year."""

    __tablename__ = "document_counters"

    body_id: Mapped[int] = mapped_column(ForeignKey("organising_bodies.id"), primary_key=True)
    kind_code: Mapped[str] = mapped_column(String(10), primary_key=True)  # BB, GM…
    period: Mapped[str] = mapped_column(String(20), primary_key=True)  # "2023" or "term-2020"
    last_number: Mapped[int] = mapped_column(default=0)
