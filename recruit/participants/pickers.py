"""Choosing a participant on another area's form (outcomes, applications, cohorts, placements).

Built on :mod:`recruit.pickers`; every statement starts from the participants the user may see.
"""

from __future__ import annotations

import sqlalchemy as sa

from recruit.models import Participant, ParticipantStatus, User
from recruit.participants.services import visibility, visible_participants
from recruit.pickers import Picker, like, pick, reference

BY_NAME = (Participant.last_name, Participant.first_name, Participant.id)


def label(participant: Participant) -> str:
    """Surname first, with the reference; someone who withdrew is marked, so a refusal is clear."""
    name = participant.preferred_name or participant.first_name
    withdrawn = " – withdrawn" if participant.status is ParticipantStatus.withdrawn else ""
    return f"{participant.last_name}, {name} (reference {participant.id}){withdrawn}"


def search(stmt: sa.Select, text: str) -> sa.Select:
    """Participants whose name, preferred name or email contains ``text``, or whose ID it is."""
    pattern = like(text)
    lower = sa.func.lower
    conditions = [
        lower(Participant.first_name + " " + Participant.last_name).like(pattern, escape="\\"),
        lower(Participant.preferred_name + " " + Participant.last_name).like(pattern,
                                                                            escape="\\"),
        lower(Participant.email).like(pattern, escape="\\"),
    ]
    number = reference(text)
    if number is not None:
        conditions.append(Participant.id == number)
    return stmt.where(sa.or_(*conditions))


def available(user: User) -> sa.Select:
    """The participants ``user`` may see whose record is not anonymised, by surname."""
    return (visible_participants(user).where(Participant.is_anonymised.is_(False))
            .order_by(*BY_NAME))


def participant_picker(field, user: User, blank: str = "Choose a participant",
                       offered: sa.Select | None = None, label=label,
                       any_visible: bool = False) -> Picker:
    """Offer ``offered`` (default: every available participant) in ``field``.

    :param any_visible: look a given ID up among every participant the user may see, so that the
        service can say why someone outside the list cannot be chosen.
    """
    offered = available(user) if offered is None else offered.where(visibility(user))
    return pick(field, noun="participant", offered=offered,
                lookup=visible_participants(user) if any_visible else None, label=label,
                search=search, blank=blank)
