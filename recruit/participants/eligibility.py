"""Who the programme is for: residence in the catchment, deprivation and employment status.

Positive action under the Equality Act 2010 s.158 targets *places and circumstances*, never a
protected characteristic (DOMAIN.md §2). The functions here take a residence and an employment
status and nothing else, so equality monitoring answers cannot reach the decision even by mistake.

The default rule: lives in the catchment AND (lives in an LSOA of IMD decile 3 or below OR is
unemployed or economically inactive). Every part is configurable through application settings:

``ELIGIBILITY_MAX_IMD_DECILE``
    the highest (least deprived) IMD decile that qualifies; default 3.
``ELIGIBILITY_CATCHMENT_WARD_CODES``
    ward codes (E05…) that make up the catchment; empty (the default) means every ward of the
    local authorities marked as in the catchment.
``ELIGIBILITY_QUALIFYING_EMPLOYMENT``
    employment-status names that qualify; default ``unemployed`` and ``economically_inactive``.
``ELIGIBILITY_NEEDS_BOTH``
    when true, a person must live in a deprived area *and* have a qualifying employment status;
    default false (either is enough).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from recruit.models import EmploymentStatus, Participant
from recruit.reference.postcodes import ResolvedPostcode

DEFAULT_MAX_IMD_DECILE = 3
DEFAULT_QUALIFYING_EMPLOYMENT = frozenset(
    {EmploymentStatus.unemployed, EmploymentStatus.economically_inactive}
)


@dataclass(frozen=True)
class EligibilityRule:
    max_imd_decile: int = DEFAULT_MAX_IMD_DECILE
    catchment_ward_codes: frozenset[str] = field(default_factory=frozenset)
    qualifying_employment: frozenset[EmploymentStatus] = DEFAULT_QUALIFYING_EMPLOYMENT
    needs_both: bool = False

    @classmethod
    def from_config(cls, config: Mapping) -> EligibilityRule:
        """Read the rule from application settings (see the module docstring)."""
        decile = int(config.get("ELIGIBILITY_MAX_IMD_DECILE", DEFAULT_MAX_IMD_DECILE))
        if not 1 <= decile <= 10:
            raise ValueError("ELIGIBILITY_MAX_IMD_DECILE must be between 1 and 10")
        statuses = config.get("ELIGIBILITY_QUALIFYING_EMPLOYMENT")
        return cls(
            max_imd_decile=decile,
            catchment_ward_codes=frozenset(
                code.strip().upper()
                for code in config.get("ELIGIBILITY_CATCHMENT_WARD_CODES") or ()
                if code.strip()
            ),
            qualifying_employment=DEFAULT_QUALIFYING_EMPLOYMENT if statuses is None
            else frozenset(EmploymentStatus[name] for name in statuses),
            needs_both=bool(config.get("ELIGIBILITY_NEEDS_BOTH", False)),
        )


@dataclass(frozen=True)
class Residence:
    """Where someone lives, as resolved from their postcode."""

    ward_code: str | None = None
    ward_name: str | None = None
    town_name: str | None = None
    town_in_catchment: bool | None = None
    imd_decile: int | None = None

    @property
    def known(self) -> bool:
        return self.ward_code is not None or self.town_in_catchment is not None

    @property
    def place(self) -> str:
        if self.ward_name and self.town_name:
            return f"{self.ward_name} ({self.town_name})"
        return self.ward_name or self.town_name or "an area"


class Decision(NamedTuple):
    """``eligible`` is ``None`` when it cannot be decided (where they live is not known)."""

    eligible: bool | None
    reason: str


def decide_eligibility(
    residence: Residence | None,
    employment_status: EmploymentStatus | None,
    rule: EligibilityRule,
) -> Decision:
    """Decide eligibility from residence, deprivation and employment status only.

    :param residence: where they live; ``None`` or an unknown residence leaves it undecided.
    :returns: the decision and a reason a coordinator can read back to the person.
    """
    if residence is None or not residence.known:
        return Decision(None, "Not decided yet: the postcode was not found in the postcode "
                              "directory, so where they live is not known")
    if rule.catchment_ward_codes:
        in_catchment = (residence.ward_code or "").upper() in rule.catchment_ward_codes
        outside = f"Lives in {residence.place}, which is not one of the programme's wards"
    else:
        in_catchment = bool(residence.town_in_catchment)
        outside = f"Lives in {residence.place}, outside the programme's catchment"
    if not in_catchment:
        return Decision(False, outside)

    decile = residence.imd_decile
    deprived = decile is not None and decile <= rule.max_imd_decile
    employment_qualifies = employment_status in rule.qualifying_employment
    area = (f"an area of IMD decile {decile}" if decile is not None
            else "an area whose IMD decile is not known")
    limit = f"decile {rule.max_imd_decile} or below qualifies"
    employment = (employment_status.value.lower() if employment_status
                  else "of unknown employment status")
    employment = employment if employment.startswith("of ") else f"is {employment}"

    eligible = (deprived and employment_qualifies) if rule.needs_both else (
        deprived or employment_qualifies)
    where = f"Lives in {residence.place}, in the catchment"
    if eligible:
        reasons = []
        if deprived:
            reasons.append(f"in {area} ({limit})")
        if employment_qualifies:
            reasons.append(employment)
        return Decision(True, f"{where}, and " + ", and ".join(reasons))
    missing = []
    if not deprived:
        missing.append(f"in {area} ({limit})")
    if not employment_qualifies:
        missing.append(f"{employment}, which does not qualify")
    joiner = ", or " if rule.needs_both else ", and "
    return Decision(False, f"{where}, but " + joiner.join(missing))


def residence_of(participant: Participant) -> Residence | None:
    """The residence recorded on a participant (from their postcode, or set by a coordinator)."""
    ward, town = participant.ward, participant.local_authority
    if ward is None and town is None:
        return None
    town = town or ward.local_authority
    return Residence(
        ward_code=ward.code if ward else None,
        ward_name=ward.name if ward else None,
        town_name=town.name if town else None,
        town_in_catchment=town.in_catchment if town else None,
        imd_decile=participant.imd_decile,
    )


def assess(participant: Participant, rule: EligibilityRule) -> Decision:
    """Decide and store a participant's eligibility, from the fields the rule may use."""
    decision = decide_eligibility(residence_of(participant), participant.employment_status, rule)
    participant.eligible = decision.eligible
    participant.eligibility_reason = decision.reason[:255]
    return decision


def residence_from(resolved: ResolvedPostcode | None) -> Residence | None:
    """The residence a resolved postcode gives."""
    if resolved is None:
        return None
    return Residence(
        ward_code=resolved.ward_code if resolved.ward_id else None,
        ward_name=resolved.ward_name,
        town_name=resolved.local_authority_name,
        town_in_catchment=resolved.in_catchment,
        imd_decile=resolved.imd_decile,
    )
