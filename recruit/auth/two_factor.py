"""Second factor: time-based one-time passwords (RFC 6238) and one-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
import sqlalchemy as sa

from recruit import audit
from recruit.extensions import db
from recruit.models import RecoveryCode, Role, User
from recruit.models.base import utcnow

ISSUER = "Recruit"
RECOVERY_CODE_COUNT = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def matching_step(secret: str, code: str) -> int | None:
    """The time step whose code this is, or ``None``.

    The current step or a neighbour (30 s either side, for clock drift) is accepted.
    """
    code = "".join(code.split())
    if not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now - 1, now, now + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _spend_step(user: User, step: int) -> bool:
    """Record ``step`` as used, unless it or a later one was used already (a replayed code).

    One conditional UPDATE, so two requests racing with the same code cannot both win.
    """
    spent = db.session.execute(
        sa.update(User)
        .where(User.id == user.id,
               sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    return spent.rowcount == 1


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def enable(user: User, secret: str, used_step: int) -> list[str]:
    """Turn the second factor on and return fresh recovery codes, shown to the user once.

    ``used_step`` is the step of the code that confirmed the set-up, which cannot then be used
    to sign in. The codes are random (50 bits each), so a fast hash is enough to store them.
    """
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = used_step
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    audit.record("two_factor_enabled", user, actor=user)
    return codes


def disable(user: User, actor: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    audit.record("two_factor_disabled", user, actor=actor)


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code; ``False`` when it does not match any."""
    wanted = _hash(code)
    for row in db.session.scalars(
        sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                      RecoveryCode.used_at.is_(None))
    ):
        if hmac.compare_digest(row.code_hash, wanted):
            row.used_at = utcnow()
            audit.record("recovery_code_used", user, actor=user)
            return True
    return False


def verify(user: User, code: str) -> bool:
    """Check an authenticator code, each accepted once only, or else a recovery code."""
    if user.totp_secret and (step := matching_step(user.totp_secret, code)) is not None:
        return _spend_step(user, step)
    return use_recovery_code(user, code)


def setup_required(user: User, required_for_admins: bool) -> bool:
    """Admins must turn the second factor on before they can do anything else."""
    return required_for_admins and user.role is Role.admin and user.totp_enabled_at is None
