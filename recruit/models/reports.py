"""Quarterly board reports. Publishing freezes the figures and the PDF bytes (issue 5)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, VersionedMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.users import User


class ReportStatus(enum.Enum):
    draft = "Draft"
    published = "Published"


class BoardReport(VersionedMixin, TimestampMixin, Base):
    __tablename__ = "board_reports"
    __table_args__ = (
        sa.CheckConstraint(
            "status <> 'published' OR (published_at IS NOT NULL AND figures IS NOT NULL"
            " AND pdf IS NOT NULL AND pdf_sha256 IS NOT NULL)",
            name="published_is_frozen",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A financial quarter: "2025-Q1" is April to June 2025.
    quarter: Mapped[str] = mapped_column(sa.String(7), unique=True)
    status: Mapped[ReportStatus] = mapped_column(
        enum_column(ReportStatus), default=ReportStatus.draft, index=True
    )
    commentary: Mapped[str | None] = mapped_column(sa.Text)
    # Set on publishing; a draft keeps none of these and always renders from current data.
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    figures: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True))
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    def __str__(self) -> str:
        return f"Board report {self.quarter}"
