"""How staff and applicant values are read, with the spellings ESR exports use.

NHS ethnic codes, pay bands, yes/no answers, sex, religion, staff group and entry route. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from enum import Enum

from recruit.models.equality import Answer, Religion, Sex
from recruit.models.statistics import EntryRoute
from recruit.models.vacancies import StaffGroup
from recruit.reference.importers.core import CellError, header_key

_ETHNIC = re.compile(r"^(99|[A-HJ-NPRSZ])[A-Z0-9]?(?:\s|$)")
_BAND = re.compile(r"^(?:afc\s*)?(?:band\s*)?([1-9])\s*([a-d])?$", re.IGNORECASE)
_NOT_STATED = {"not stated": None, "not known": None, "unknown": None, "unspecified": None,
               "not specified": None}
_PROGRAMME = {header_key(v) for v in ("programme", "pre-employment programme", "pre-employment",
                                      "programme route", EntryRoute.programme.value)}


def ethnic_code(text: str) -> str:
    """The NHS ethnic category code at the start of ``text`` (DOMAIN.md §5).

    ``"A"``, ``"A White - British"`` and ESR's local ``"CA White English"`` all give the
    national code (a local code rolls up to its first letter); ``"99"`` is "not known".
    """
    hit = _ETHNIC.match(text.strip().upper())
    if not hit:
        raise CellError("does not start with an NHS ethnic category code (A to S, Z for not "
                        "stated, 99 for not known).")
    return hit.group(1)


def pay_band(text: str) -> str:
    """Agenda for Change bands written one way ("Band 5", "Band 8a", "VSM").

    Other grades (medical and dental) are kept as written.
    """
    if len(text) > 40:
        raise CellError("is longer than 40 characters.")
    hit = _BAND.match(text.strip())
    if hit:
        return f"Band {hit.group(1)}{(hit.group(2) or '').lower()}"
    if header_key(text) in ("vsm", "veryseniormanager", "veryseniormanagers"):
        return "VSM"
    return text


def entry_route(text: str) -> EntryRoute:
    """The programme route when the value names it; any other value (or none) is "other"."""
    return EntryRoute.programme if header_key(text) in _PROGRAMME else EntryRoute.other


def _choice(enum_cls: type[Enum], what: str, extra: dict[str, Enum | None]
            ) -> Callable[[str], Enum | None]:
    table: dict[str, Enum | None] = {header_key(m.value): m for m in enum_cls}
    table |= {header_key(m.name): m for m in enum_cls}
    table |= {header_key(k): v for k, v in extra.items()}

    def parse(text: str) -> Enum | None:
        key = header_key(text)
        if key not in table:
            raise CellError(f"is not a {what} this service recognises.")
        return table[key]  # None for "not stated" and the like

    return parse


sex = _choice(Sex, "sex", {"f": Sex.female, "m": Sex.male, "indeterminate": None,
                           "prefer not to answer": Sex.prefer_not_to_say, **_NOT_STATED})
answer = _choice(Answer, "yes or no answer", {
    "y": Answer.yes, "n": Answer.no, "not declared": Answer.prefer_not_to_say,
    "prefer not to answer": Answer.prefer_not_to_say, **_NOT_STATED})
religion = _choice(Religion, "religion", {
    "christianity": Religion.christian, "islam": Religion.muslim, "hinduism": Religion.hindu,
    "judaism": Religion.jewish, "sikhism": Religion.sikh, "buddhism": Religion.buddhist,
    "atheism": Religion.no_religion, "none": Religion.no_religion, "other": Religion.other,
    "jainism": Religion.other,
    "i do not wish to disclose my religion/belief": Religion.prefer_not_to_say,
    "not declared": Religion.prefer_not_to_say, **_NOT_STATED})
staff_group = _choice(StaffGroup, "staff group", {})
