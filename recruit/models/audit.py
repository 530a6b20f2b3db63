"""The audit trail: who did what to which record, when and from where. Append-only."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, utcnow

if TYPE_CHECKING:
    from recruit.models.users import User


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (sa.Index("ix_audit_events_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)  # e.g. "view", "update", "login"
    subject_type: Mapped[str | None] = mapped_column(sa.String(60))
    subject_id: Mapped[int | None]
    remote_addr: Mapped[str | None] = mapped_column(sa.String(45))
    # What changed, as field names only: never personal values (they would outlive an erasure).
    detail: Mapped[str | None] = mapped_column(sa.Text)

    actor: Mapped[User | None] = relationship(lazy="raise")
