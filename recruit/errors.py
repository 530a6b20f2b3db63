"""Domain errors raised by services and turned into messages by views."""

from __future__ import annotations


class RecruitError(Exception):
    """A domain rule refused the operation; the message is safe to show to the user."""

    field: str | None = None

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class StaleRecordError(RecruitError):
    """Someone else saved the record after this copy was loaded."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(
            f"Someone else changed this {what} while you were editing it. "
            "Your changes were not saved: reload the page to see the latest version, "
            "then make your changes again."
        )


class ValidationFailed(RecruitError):
    """Input broke a rule the form could not check on its own (e.g. a name already taken)."""
