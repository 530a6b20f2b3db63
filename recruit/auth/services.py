"""Accounts: creating users, signing in, ending sessions, changing roles."""

from __future__ import annotations

import sqlalchemy as sa

from recruit import audit
from recruit.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.models import Ambassador, PartnerOrganisation, Role, User
from recruit.models.base import utcnow


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with this email and password, upgrading an old hash on the way.

    :returns: ``None`` for an unknown email, a wrong password or a deactivated account alike, so
        the answer does not reveal which accounts exist.
    """
    user = find_user(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)  # same work either way: no timing oracle
        return None
    if not verify_password(user.password_hash, password) or not user.is_active_user:
        audit.record("login_failed", user, actor=user)
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    audit.record("login", user, actor=user)
    return user


def check_assignment(
    role: Role,
    partner: PartnerOrganisation | None,
    ambassador: Ambassador | None,
    user: User | None = None,
) -> None:
    """A partner user belongs to exactly one organisation; an ambassador user to one record."""
    if role is Role.partner and partner is None:
        raise ValidationFailed("Choose the partner organisation this user belongs to", "partner")
    if role is not Role.partner and partner is not None:
        raise ValidationFailed("Only partner users belong to a partner organisation", "partner")
    if role is Role.ambassador and ambassador is None:
        raise ValidationFailed("Choose the ambassador record this user belongs to", "ambassador")
    if role is not Role.ambassador and ambassador is not None:
        raise ValidationFailed("Only ambassador users have an ambassador record", "ambassador")
    if ambassador is not None and ambassador.user not in (None, user):
        raise ValidationFailed(f"{ambassador.work_email} already has a user account", "ambassador")


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    password: str | None = None,
    partner: PartnerOrganisation | None = None,
    ambassador: Ambassador | None = None,
    actor: User | None = None,
) -> User:
    """Create a user; without a password the account cannot sign in until one is set."""
    email = normalise_email(email)
    if find_user(email) is not None:
        raise ValidationFailed(f"A user with email {email} already exists", "email")
    check_assignment(role, partner, ambassador)
    if password is not None and (problem := password_problem(password)):
        raise ValidationFailed(problem, "password")
    user = User(
        email=email,
        name=name.strip(),
        role=role,
        partner=partner,
        ambassador=ambassador,
        password_hash=hash_password(password) if password else None,
        invited_by_id=getattr(actor, "id", None),
    )
    db.session.add(user)
    db.session.flush()
    audit.record("user_created", user, actor=actor, detail=f"role={role.name}")
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every session cookie issued to ``user``."""
    user.session_version += 1


def set_password(user: User, password: str, *, actor: User | None = None) -> None:
    if problem := password_problem(password):
        raise ValidationFailed(problem, "password")
    user.password_hash = hash_password(password)
    end_all_sessions(user)
    audit.record("password_changed", user, actor=actor)


def change_role(
    user: User,
    role: Role,
    *,
    partner: PartnerOrganisation | None = None,
    ambassador: Ambassador | None = None,
    actor: User,
) -> None:
    check_assignment(role, partner, ambassador, user)
    if user.id == actor.id and role is not Role.admin:
        raise ValidationFailed("You cannot remove your own admin role", "role")
    user.role, user.partner, user.ambassador = role, partner, ambassador
    end_all_sessions(user)
    audit.record("role_changed", user, actor=actor, detail=f"role={role.name}")


def set_active(user: User, active: bool, *, actor: User) -> None:
    if user.id == actor.id and not active:
        raise ValidationFailed("You cannot deactivate your own account")
    user.is_active_user = active
    end_all_sessions(user)
    audit.record("user_activated" if active else "user_deactivated", user, actor=actor)


_DUMMY_HASH = hash_password("timing-equaliser-not-a-password")
