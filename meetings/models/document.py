"""The register of documents (văn bản) that conferences disseminate."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from meetings.extensions import db
from meetings.models.base import TimestampMixin
from meetings.text import citation_text


class Document(TimestampMixin, db.Model):
    """A directive, resolution, plan… identified by its symbol and date."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("symbol", "issued_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))  # full name: "Chỉ thị", "Kế hoạch"…
    number: Mapped[str] = mapped_column(String(20))  # as written: "24", "05"
    symbol: Mapped[str] = mapped_column(String(60), index=True)  # canonical: "24-CT/TU"
    issued_on: Mapped[date | None]
    issuer: Mapped[str | None] = mapped_column(String(300))  # "Ban Thường vụ Thành ủy Hà Nội"
    title: Mapped[str | None] = mapped_column(db.Text)  # trích yếu
    attachment_name: Mapped[str | None] = mapped_column(String(255))
    attachment_path: Mapped[str | None] = mapped_column(String(255))
    is_demo: Mapped[bool] = mapped_column(default=False)

    @property
    def citation(self) -> str:
        """Running-text form: "Chỉ thị số 24-CT/TU ngày 07/8/2023 của Ban Thường vụ …"."""
        return citation_text(self.kind, self.symbol, self.issued_on, self.issuer)

    def __str__(self) -> str:
        return f"{self.kind} số {self.symbol}"
