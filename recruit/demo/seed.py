"""``flask demo seed``: a believable programme for Bury, Oldham, Rochdale and Salford.

Geography comes from the real ONS/MHCLG files in the data folder; people and organisations are
invented. Generation is deterministic (a fixed random seed) and every row is created only when
missing, so running the command twice changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from recruit.auth import services as accounts
from recruit.demo import names
from recruit.demo.calendar import FIRST_DAY, LAST_DAY, shift
from recruit.demo.cohorts import seed_cohorts
from recruit.demo.participants import seed_participants
from recruit.demo.targets import seed_targets
from recruit.demo.vacancies import journey_participants, seed_vacancies
from recruit.demo.workforce import seed_workforce
from recruit.extensions import db
from recruit.models import (
    ActivityKind,
    Ambassador,
    Barrier,
    LocalAuthority,
    OutreachActivity,
    Participant,
    PartnerKind,
    PartnerOrganisation,
    Role,
    User,
    Ward,
)
from recruit.reference.geography import load_geography
from recruit.reference.services import import_census, import_postcodes

TOWNS = ("Bury", "Oldham", "Rochdale", "Salford")
DEMO_PASSWORD = "demo-password-2024"  # noqa: S105  (printed for the demo; never production)
PARTNER_COUNT, AMBASSADOR_COUNT, ACTIVITY_COUNT = 40, 150, 300
COORDINATOR = "coordinator@recruit.example"


class DemoDataMissing(Exception):
    """The public reference files the demo needs are not where the configuration says."""


def _day(rng: random.Random, start: date = FIRST_DAY, end: date = LAST_DAY) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _catchment_wards() -> list[Ward]:
    return list(db.session.scalars(
        sa.select(Ward).join(Ward.local_authority)
        .where(LocalAuthority.name.in_(TOWNS)).order_by(Ward.code)
    ))


def _partners(rng: random.Random, wards: list[Ward]) -> list[PartnerOrganisation]:
    kinds = list(PartnerKind)
    existing = {p.name: p for p in db.session.scalars(sa.select(PartnerOrganisation))}
    partners = []
    for index in range(PARTNER_COUNT):
        kind = kinds[index % len(kinds)]  # every kind, then more of each
        ward = rng.choice(wards)
        template = rng.choice(names.PARTNER_NAMES[kind.name])
        name = template.format(ward=ward.name)
        if any(p.name == name for p in partners):  # two of a kind in one ward
            name = f"{name} ({ward.local_authority.name})"
        # Draw every random value before looking for an existing row, so that a second run
        # consumes the generator identically and builds the same programme.
        contact = f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}"
        fields = dict(
            name=name, kind=kind, ward=ward, local_authority_id=ward.local_authority_id,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@partner{index + 1}.example.org",
            contact_phone=f"0161 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            data_sharing_agreement_on=_day(rng, shift(date(2023, 1, 1)), shift(date(2024, 3, 31))),
            is_active=rng.random() < 0.93,
        )
        if rng.random() > 0.85:
            fields["data_sharing_agreement_on"] = None
        partner = existing.get(name)
        if partner is None:
            partner = PartnerOrganisation(**fields)
            db.session.add(partner)
        partners.append(partner)
    db.session.flush()
    return partners


def _ambassadors(rng: random.Random) -> list[Ambassador]:
    existing = {a.work_email: a for a in db.session.scalars(sa.select(Ambassador))}
    ambassadors = []
    for index in range(AMBASSADOR_COUNT):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        email = f"{first.lower()}.{last.lower()}{index + 1}@trust.example.nhs.uk"
        trained_on = _day(rng, shift(date(2023, 6, 1)), LAST_DAY)
        trained = trained_on if rng.random() < 0.8 else None
        fields = dict(
            name=f"{first} {last}", work_email=email, job_role=rng.choice(names.JOB_ROLES),
            site=rng.choice(names.SITES), trained_on=trained,
            equality_training_on=trained_on - timedelta(days=rng.randrange(0, 200))
            if trained else None,
            is_active=rng.random() < 0.95,
        )
        ambassador = existing.get(email) or Ambassador(**fields)
        db.session.add(ambassador)
        ambassadors.append(ambassador)
    db.session.flush()
    return ambassadors


def _activities(rng, wards, partners, ambassadors) -> int:
    if db.session.scalar(sa.select(sa.func.count()).select_from(OutreachActivity)):
        return 0
    trained = [a for a in ambassadors if a.trained_on]
    kinds = list(ActivityKind)
    for _ in range(ACTIVITY_COUNT):
        partner = rng.choice(partners) if rng.random() < 0.75 else None
        ward = partner.ward if partner else rng.choice(wards)
        reached = rng.randrange(5, 120)
        held_on = _day(rng)
        team = rng.sample(trained, k=rng.choice([1, 1, 2, 3]))
        activity = OutreachActivity(
            held_on=held_on, kind=rng.choice(kinds), ward=ward, partner=partner,
            venue=f"{partner.name if partner else ward.name}, {rng.choice(names.VENUES)}",
            people_reached=reached, young_people_reached=rng.randrange(0, reached // 2 + 1),
            expressions_of_interest=rng.randrange(0, reached // 4 + 1),
            ambassadors=team,
        )
        activity.barriers = rng.sample(list(Barrier), k=rng.randrange(0, 4))
        db.session.add(activity)
    db.session.flush()
    return ACTIVITY_COUNT


def _users(partners, ambassadors) -> list[tuple[str, Role]]:
    wanted = [
        ("admin@recruit.example", "Ada Admin", Role.admin, {}),
        (COORDINATOR, "Colin Coordinator", Role.coordinator, {}),
        ("partner@recruit.example", "Parveen Partner", Role.partner, {"partner": partners[0]}),
        ("ambassador@recruit.example", ambassadors[0].name, Role.ambassador,
         {"ambassador": ambassadors[0]}),
        ("board@recruit.example", "Beatrice Board", Role.board, {}),
    ]
    for email, name, role, assignment in wanted:
        if db.session.scalar(sa.select(User.id).where(User.email == email)) is None:
            accounts.create_user(email=email, name=name, role=role, password=DEMO_PASSWORD,
                                 **assignment)
    return [(email, role) for email, _, role, _ in wanted]


def run(echo: Callable[[str], None] = print) -> list[str]:
    """Seed the demo programme and return the lines to print (counts and demo logins)."""
    data_dir = Path(current_app.config["RECRUIT_DATA_DIR"])
    if not (data_dir / "trafford_spatial_data").is_dir():
        raise DemoDataMissing(
            f"Reference data not found in {data_dir}. Set RECRUIT_DATA_DIR to the folder "
            "holding the public data files (see README, 'Data sources')."
        )
    rng = random.Random(2021)  # noqa: S311  (demo data, not security)
    echo("Loading reference geography…")
    geography = load_geography(data_dir, set(TOWNS))
    _reference_statistics(data_dir)
    wards = _catchment_wards()
    partners = _partners(rng, wards)
    ambassadors = _ambassadors(rng)
    created = _activities(rng, wards, partners, ambassadors)
    logins = _users(partners, ambassadors)
    db.session.commit()
    lines = [", ".join(f"{n:,} {what}" for what, n in geography.items()),
             f"{len(partners)} partners, {len(ambassadors)} ambassadors, "
             f"{created} outreach activities created"]
    echo("Registering participants and running cohorts…")
    lines += _journey(rng, partners, wards)
    db.session.commit()
    echo("Building the demo workforce (8 quarterly snapshots of about 18,500 staff)…")
    lines += seed_workforce(rng, data_dir)
    lines += seed_targets()
    db.session.commit()
    lines += ["", f"Demo logins (password: {DEMO_PASSWORD}):"]
    lines += [f"  {role.label:<22} {email}" for email, role in logins]
    lines.append("  (the admin sets up two-factor authentication at first sign-in)")
    return lines


CENSUS_FILES = (
    "census2021_ethnicity_2021_population_ethnic_group_la_gm.csv",
    "census2021_ethnicity_2021_population_ethnic_group_ward_trafford.csv",
    "census2021_population_2021_population_by_sex_la_gm.csv",
    "census2021_population_2021_population_by_5_year_age_bands_la_gm.csv",
    "census2021_religion_2021_population_religion_la_gm.csv",
    "census2021_health_disability_unpaid_care_2021_disability_la_gm.csv",
)
POSTCODES = "trafford_spatial_data/postcodes_trafford_postcodes_onspd_feb2025.csv"


def _reference_statistics(data_dir: Path) -> None:
    """Census 2021 tables and the postcode directory, through the real importers.

    Each file is skipped on a second run (the importers recognise a file by its checksum).
    """
    for name in CENSUS_FILES:
        import_census(data_dir / "trafford_open_data" / name)
    import_postcodes(data_dir / POSTCODES, edition="ONSPD Feb 2025")


def _journey(rng: random.Random, partners, wards) -> list[str]:
    """Participants, cohorts and placements, then vacancies, applications and outcomes."""
    lines = seed_participants(rng, partners)
    participants = db.session.scalars(sa.select(Participant).order_by(Participant.id)).all()
    coordinator = db.session.scalar(sa.select(User).where(User.email == COORDINATOR))
    lines += seed_cohorts(rng, participants, partners, wards, actor=coordinator)
    lines += seed_vacancies(rng, *journey_participants())
    return lines
