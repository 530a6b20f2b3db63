"""Running a service from a form: commit on success, a message on the form on failure.

Nothing is half-saved: any refusal rolls the whole transaction back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from recruit.errors import RecruitError, StaleRecordError
from recruit.extensions import db

T = TypeVar("T")


def attach_error(form, exc: RecruitError) -> None:
    """Show a domain error against its field, or at the top of the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def submit(form, action: Callable[[], T], what: str = "record") -> tuple[bool, T | None]:
    """Run ``action`` and commit; on a refusal roll back and report it on ``form``.

    :returns: ``(True, result)`` when saved, ``(False, None)`` when refused.
    """
    try:
        result = action()
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        attach_error(form, StaleRecordError(what))
    except RecruitError as exc:
        db.session.rollback()
        attach_error(form, exc)
    except sa.exc.IntegrityError:
        db.session.rollback()
        form.form_errors.append(
            f"This {what} could not be saved because it clashes with another record "
            "(for example a name already in use). Check the details and try again."
        )
    else:
        return True, result
    return False, None
