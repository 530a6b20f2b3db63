"""Refusing stale saves: two people editing one record never silently overwrite each other."""

from __future__ import annotations

from recruit.errors import StaleRecordError


def check_version(record, submitted_version: int | str | None, what: str) -> None:
    """Refuse the save when the form was rendered from an older version of ``record``.

    The database check (``version_id_col``) catches writers that race within the same instant;
    this catches the common case of a form left open while someone else saved.
    """
    try:
        seen = int(submitted_version)
    except (TypeError, ValueError):
        raise StaleRecordError(what) from None
    if seen != record.version:
        raise StaleRecordError(what)
