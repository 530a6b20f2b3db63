"""Second factor: time-based one-time passwords (RFC 6238) and one-use recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

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


def code_is_valid(secret: str, code: str) -> bool:
    """Accept the current code or its neighbours (30 s either side, for clock drift)."""
    code = "".join(code.split())
    return code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def _hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def enable(user: User, secret: str) -> list[str]:
    """Turn the second factor on and return fresh recovery codes, shown to the user once.

    The codes are random (50 bits each), so a fast hash is enough to store them.
    """
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
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
    """Check an authenticator code, or else a recovery code."""
    if user.totp_secret and code_is_valid(user.totp_secret, code):
        return True
    return use_recovery_code(user, code)


def setup_required(user: User, required_for_admins: bool) -> bool:
    """Admins must turn the second factor on before they can do anything else."""
    return required_for_admins and user.role is Role.admin and user.totp_enabled_at is None
