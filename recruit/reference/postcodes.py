"""UK postcodes: normalising what people type, and resolving it to LSOA, ward, town and IMD.

Plain functions over the reference tables, shared by participant enrolment and the workforce
importer. A postcode missing from the directory is not an error here: callers keep it and flag it
(DOMAIN.md §8: the directory held may be a subset, and new builds appear after each edition).

The ward comes from the 2021 LSOA through the LSOA → ward lookup, not from the ward code the
postcode directory carries, because that code can be of a newer ward edition than the Census
outputs it must be compared with; the directory's own codes are used only when the LSOA is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from recruit.extensions import db
from recruit.models import LocalAuthority, Lsoa, Postcode, Ward

# The Royal Mail format (as in the GOV.UK bulk-data guidance), written for input already
# uppercased with every space removed: outward code, then a digit and two letters.
_POSTCODE = re.compile(
    r"^(?:GIR0AA|"
    r"(?:[A-PR-UWYZ][0-9][0-9]?"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)
INVALID_MESSAGE = "Enter a full UK postcode, like OL1 1AA"


class InvalidPostcode(ValueError):
    """The text is not a UK postcode; the message is fit to show to the person who typed it."""

    def __init__(self, message: str = INVALID_MESSAGE) -> None:
        super().__init__(message)
        self.message = message


def normalise_postcode(raw: str | None) -> str:
    """Return ``raw`` as a postcode in the directory's form: uppercase, one space before the last 3.

    Spaces anywhere (none, several, tabs) are accepted; anything that is not a UK postcode is
    refused with :class:`InvalidPostcode`.

    :raises InvalidPostcode: when ``raw`` is empty or not in the UK postcode format.
    """
    compact = re.sub(r"\s+", "", raw or "").upper()
    if not compact:
        raise InvalidPostcode("Enter a postcode")
    if not _POSTCODE.match(compact):
        raise InvalidPostcode()
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(raw: str | None) -> bool:
    try:
        normalise_postcode(raw)
    except InvalidPostcode:
        return False
    return True


@dataclass(frozen=True)
class ResolvedPostcode:
    """Where a postcode is, as far as the reference tables know. Any part may be missing."""

    postcode: str
    lsoa_id: int | None = None
    lsoa_code: str | None = None
    ward_id: int | None = None
    ward_code: str | None = None
    ward_name: str | None = None
    local_authority_id: int | None = None
    local_authority_code: str | None = None
    local_authority_name: str | None = None
    in_catchment: bool | None = None
    imd_decile: int | None = None
    imd_rank: int | None = None
    imd_edition: str | None = None
    terminated_on: date | None = None


def resolve_postcode(raw: str | None, session: Session | None = None) -> ResolvedPostcode | None:
    """Look a postcode up in the directory and follow it to its LSOA, ward, town and IMD decile.

    :param raw: a postcode in any spacing or case; it is normalised first.
    :returns: ``None`` when the postcode is malformed or not in the directory.
    """
    try:
        postcode = normalise_postcode(raw)
    except InvalidPostcode:
        return None
    return resolve_postcodes([postcode], session).get(postcode)


def resolve_postcodes(
    raws: Iterable[str | None], session: Session | None = None
) -> dict[str, ResolvedPostcode]:
    """Resolve many postcodes in a few queries (for importers of thousands of rows).

    :returns: normalised postcode → :class:`ResolvedPostcode`, for those found in the directory;
        malformed and unknown postcodes are simply absent.
    """
    session = session or db.session
    wanted = set()
    for raw in raws:
        try:
            wanted.add(normalise_postcode(raw))
        except InvalidPostcode:
            continue
    if not wanted:
        return {}
    rows: list[Postcode] = []
    ordered = sorted(wanted)
    for start in range(0, len(ordered), 500):  # keep each IN list a sensible size
        rows += session.scalars(
            sa.select(Postcode).where(Postcode.postcode.in_(ordered[start:start + 500]))
        ).all()
    lsoas = _by_code(session, Lsoa, {r.lsoa21_code for r in rows if r.lsoa21_code},
                     selectinload(Lsoa.ward).selectinload(Ward.local_authority),
                     selectinload(Lsoa.local_authority))
    wards = _by_code(session, Ward, {r.ward_code for r in rows if r.ward_code},
                     selectinload(Ward.local_authority))
    towns = _by_code(session, LocalAuthority,
                     {r.local_authority_code for r in rows if r.local_authority_code})
    return {row.postcode: _resolve(row, lsoas, wards, towns) for row in rows}


def _by_code(session: Session, model, codes: set[str], *options) -> dict:
    if not codes:
        return {}
    stmt = sa.select(model).where(model.code.in_(sorted(codes))).options(*options)
    return {obj.code: obj for obj in session.scalars(stmt)}


def _resolve(row: Postcode, lsoas: dict, wards: dict, towns: dict) -> ResolvedPostcode:
    lsoa: Lsoa | None = lsoas.get(row.lsoa21_code) if row.lsoa21_code else None
    ward: Ward | None = lsoa.ward if lsoa and lsoa.ward else wards.get(row.ward_code)
    town: LocalAuthority | None = (
        (lsoa.local_authority if lsoa else None)
        or (ward.local_authority if ward else None)
        or towns.get(row.local_authority_code)
    )
    return ResolvedPostcode(
        postcode=row.postcode,
        lsoa_id=lsoa.id if lsoa else None,
        lsoa_code=lsoa.code if lsoa else row.lsoa21_code,
        ward_id=ward.id if ward else None,
        ward_code=ward.code if ward else row.ward_code,
        ward_name=ward.name if ward else None,
        local_authority_id=town.id if town else None,
        local_authority_code=town.code if town else row.local_authority_code,
        local_authority_name=town.name if town else None,
        in_catchment=town.in_catchment if town else None,
        imd_decile=lsoa.imd_decile if lsoa else None,
        imd_rank=lsoa.imd_rank if lsoa else None,
        imd_edition=lsoa.imd_edition if lsoa else None,
        terminated_on=row.terminated_on,
    )
