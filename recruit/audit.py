"""Writing the audit trail. Details name fields and counts, never personal values."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from recruit.extensions import db
from recruit.models.audit import AuditEvent


def record(action: str, subject=None, *, actor=None, detail: str | None = None) -> AuditEvent:
    """Add an audit event for ``action`` on ``subject`` by ``actor`` (default: the current user).

    :param subject: a model instance, or ``None`` for actions on no one record (a login, an export).
    """
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if hasattr(subject, "_get_current_object"):  # current_user passed as the subject
        subject = subject._get_current_object()
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        subject_type=type(subject).__tablename__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(event)
    return event
