"""Possible duplicates: the same person enrolled twice, perhaps by two organisations.

A match is the same first and last name with the same date of birth, or the same email address,
or the same phone number. Emails and phones are stored normalised so the match is an equality the
database can index; names are compared without regard to case or surrounding spaces.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from recruit.extensions import db
from recruit.models import Participant

PHONE_MESSAGE = "Enter a UK phone number, like 07700 900123, or an international number with +"


class InvalidPhone(ValueError):
    def __init__(self, message: str = PHONE_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def normalise_email(raw: str | None) -> str | None:
    value = (raw or "").strip().lower()
    return value or None


def normalise_phone(raw: str | None) -> str | None:
    """Return a phone number as digits, UK numbers from 0 and others from ``+``; ``None`` if empty.

    ``+44 (0)7700 900-123``, ``0044 7700 900123`` and ``07700900123`` all become ``07700900123``.

    :raises InvalidPhone: when the text is not a phone number.
    """
    text = (raw or "").strip()
    if not text:
        return None
    international = text.startswith("+") or text.startswith("00")
    digits = re.sub(r"[\s\-().]", "", text).lstrip("+")
    if not digits.isdigit():
        raise InvalidPhone()
    if international:
        digits = digits[2:] if digits.startswith("00") else digits
        if digits.startswith("44"):
            digits = digits[2:]
            digits = "0" + (digits[1:] if digits.startswith("0") else digits)
        elif 8 <= len(digits) <= 15:
            return "+" + digits
        else:
            raise InvalidPhone()
    if not digits.startswith("0") or len(digits) not in (10, 11):
        raise InvalidPhone()
    return digits


@dataclass(frozen=True)
class PossibleDuplicate:
    participant: Participant
    reasons: tuple[str, ...]


def find_possible_duplicates(
    *,
    first_name: str | None,
    last_name: str | None,
    date_of_birth: date | None,
    email: str | None,
    phone: str | None,
    exclude_id: int | None = None,
) -> list[PossibleDuplicate]:
    """Every participant who may be the same person, whoever referred them.

    Callers decide what the user may be told about each one (a partner user is told only that a
    match exists elsewhere).

    :param email: and ``phone``: already normalised.
    """
    first = (first_name or "").strip().lower()
    last = (last_name or "").strip().lower()
    same_name = sa.and_(
        sa.func.lower(sa.func.trim(Participant.first_name)) == first,
        sa.func.lower(sa.func.trim(Participant.last_name)) == last,
        Participant.date_of_birth == date_of_birth,
    )
    conditions = []
    if first and last and date_of_birth:
        conditions.append(same_name)
    if email:
        conditions.append(Participant.email == email)
    if phone:
        conditions.append(Participant.phone == phone)
    if not conditions:
        return []
    stmt = (
        sa.select(Participant)
        .where(sa.or_(*conditions), Participant.is_anonymised.is_(False))
        .options(selectinload(Participant.referring_partner))
        .order_by(Participant.registered_on, Participant.id)
    )
    if exclude_id is not None:
        stmt = stmt.where(Participant.id != exclude_id)
    matches = []
    for person in db.session.scalars(stmt):
        reasons = []
        if (first and last and date_of_birth == person.date_of_birth
                and person.first_name.strip().lower() == first
                and person.last_name.strip().lower() == last):
            reasons.append("Same name and date of birth")
        if email and person.email == email:
            reasons.append("Same email address")
        if phone and person.phone == phone:
            reasons.append("Same phone number")
        matches.append(PossibleDuplicate(person, tuple(reasons)))
    return matches
