"""Signed links to the self-referral form, one per partner organisation.

The link names the partner without exposing a guessable ID: it is the partner's ID signed with
the app's secret key, so only links the app issued are accepted.
"""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "self-referral-form"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(partner_id: int) -> str:
    return _serializer().dumps(partner_id)


def partner_id_from(token: str) -> int | None:
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) else None


def link_for(partner_id: int) -> str:
    return url_for("referrals.form", token=token_for(partner_id), _external=True)
