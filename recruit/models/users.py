"""People who sign in, and the role that decides what each may see."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from recruit.models.base import Base, TimestampMixin, enum_column

if TYPE_CHECKING:
    from recruit.models.partners import Ambassador, PartnerOrganisation


class Role(enum.Enum):
    admin = "Admin"
    coordinator = "Coordinator"
    partner = "Partner organisation"
    ambassador = "Career ambassador"
    board = "Board member"

    @property
    def label(self) -> str:
        return self.value


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(
            "(role = 'partner') = (partner_id IS NOT NULL)", name="partner_role_has_partner"
        ),
        sa.CheckConstraint(
            "(role = 'ambassador') = (ambassador_id IS NOT NULL)",
            name="ambassador_role_has_ambassador",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    partner_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("partner_organisations.id"), index=True
    )
    ambassador_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("ambassadors.id"), unique=True
    )
    is_active_user: Mapped[bool] = mapped_column(default=True)
    # Bumped on logout, password change and deactivation: every older session cookie stops working.
    session_version: Mapped[int] = mapped_column(default=1)
    last_login_at: Mapped[datetime | None]
    # Time-based one-time password (RFC 6238) secret; required for admins, optional for others.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]  # the newest code's time step used: each code works once
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    partner: Mapped[PartnerOrganisation | None] = relationship(back_populates="users")
    ambassador: Mapped[Ambassador | None] = relationship(back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_active_user

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.name}>"
