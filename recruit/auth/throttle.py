"""Login throttling: lock an account or an address after repeated failures.

Counts live in the database (``login_throttles``) so that every worker process shares them; a
per-process limiter would let an attacker spread guesses across workers. The account key is the
email as typed, so unknown addresses are throttled exactly like real ones.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from recruit import audit
from recruit.extensions import db
from recruit.models import LoginThrottle
from recruit.models.base import utcnow

WINDOW = timedelta(minutes=15)


def _keys(email: str, address: str | None) -> list[tuple[str, int]]:
    config = current_app.config
    keys = [(f"account:{email.strip().lower()}", config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])]
    if address:
        keys.append((f"address:{address}", config["LOGIN_MAX_FAILURES_PER_ADDRESS"]))
    return keys


def _row(key: str) -> LoginThrottle | None:
    return db.session.scalar(sa.select(LoginThrottle).where(LoginThrottle.key == key))


def minutes_locked(email: str, address: str | None) -> int:
    """Minutes until sign-in is allowed again for this email or address (0 when not locked)."""
    now = utcnow()
    longest = 0
    for key, _limit in _keys(email, address):
        row = _row(key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            longest = max(longest, int((row.locked_until - now).total_seconds() // 60) + 1)
    return longest


def record_failure(email: str, address: str | None) -> None:
    """Count a failed sign-in; lock the key when it reaches its limit within the window."""
    now = utcnow()
    lockout = timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
    for key, limit in _keys(email, address):
        row = _row(key)
        if row is None:
            row = LoginThrottle(key=key, failures=0, window_started_at=now)
            db.session.add(row)
        if now - row.window_started_at > WINDOW:
            row.failures, row.window_started_at = 0, now
        row.failures += 1
        if row.failures >= limit:
            row.locked_until = now + lockout
            row.failures, row.window_started_at = 0, now
            audit.record("login_locked", detail=key.split(":")[0])
    db.session.flush()


def record_success(email: str) -> None:
    """A correct sign-in clears the account's count (not the address's)."""
    row = _row(f"account:{email.strip().lower()}")
    if row is not None:
        row.failures, row.locked_until = 0, None


def allow(key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt at ``key`` (e.g. ``referral:<ip>``); ``False`` once over ``limit``.

    The same database-backed counters as sign-in, so the limit holds across worker processes.
    """
    now = utcnow()
    row = _row(key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_started_at=now)
        db.session.add(row)
    if now - row.window_started_at > window:
        row.failures, row.window_started_at = 0, now
    row.failures += 1
    db.session.flush()
    return row.failures <= limit
