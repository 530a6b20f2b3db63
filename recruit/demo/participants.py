"""Demo participants: about 600 residents of the four towns' most deprived neighbourhoods.

Where each person lives is a real 2021 LSOA of Bury, Oldham, Rochdale or Salford, drawn with
weights that favour IMD deciles 1 to 3 (the programme's focus); the postcode is invented in the
town's real postcode districts and is flagged as not found unless the directory happens to hold
it. Everyone is registered in the eight quarters (demo/calendar.py) with a dated history row; the
journey seeding moves them on from there.

About 70% answer the equality monitoring questions. The answer mixes are invented, shaped loosely
on Census 2021 for these towns' deprived wards (larger Pakistani and Bangladeshi communities in
Oldham and Rochdale, Black African and Eastern European communities in Salford), with "prefer not
to say" on every question. They are demo data, not statistics.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from recruit.demo.calendar import FIRST_DAY, LAST_DAY
from recruit.extensions import db
from recruit.journey.history import transition
from recruit.models import (
    Answer,
    Barrier,
    EmploymentStatus,
    EqualityMonitoring,
    Ethnicity,
    LocalAuthority,
    Lsoa,
    OutreachActivity,
    Participant,
    ParticipantSource,
    ParticipantStatus,
    PartnerOrganisation,
    PostcodeStatus,
    QualificationLevel,
    Religion,
    Role,
    Sex,
    SexualOrientation,
    User,
)
from recruit.participants import eligibility
from recruit.reference.postcodes import resolve_postcodes

PARTICIPANT_COUNT = 600
EQUALITY_SHARE = 0.7

# Real postcode districts of each town.
DISTRICTS = {
    "Bury": ["BL0", "BL8", "BL9", "M25", "M26", "M45"],
    "Oldham": ["OL1", "OL4", "OL8", "OL9", "M35"],
    "Rochdale": ["OL10", "OL11", "OL12", "OL16", "M24"],
    "Salford": ["M5", "M6", "M7", "M27", "M30", "M38"],
}
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
DECILE_WEIGHTS = {1: 10, 2: 7, 3: 5, 4: 2.5, 5: 1.5}  # deciles 6-10 weigh 0.6 each

E = Ethnicity
COMMUNITIES = {
    "Oldham": {E.white_british: 45, E.asian_pakistani: 20, E.asian_bangladeshi: 16,
               E.white_other: 5, E.black_african: 4, E.mixed_white_asian: 2,
               E.mixed_white_black_caribbean: 1, E.asian_indian: 1, E.black_caribbean: 1,
               E.other_arab: 1, E.other_any: 2, E.asian_other: 2},
    "Rochdale": {E.white_british: 50, E.asian_pakistani: 24, E.asian_bangladeshi: 5,
                 E.white_other: 6, E.black_african: 4, E.asian_indian: 2,
                 E.mixed_white_black_caribbean: 2, E.mixed_other: 2, E.other_arab: 1,
                 E.other_any: 2, E.white_irish: 1, E.asian_other: 1},
    "Bury": {E.white_british: 64, E.asian_pakistani: 12, E.white_other: 6, E.asian_indian: 3,
             E.black_african: 3, E.mixed_white_asian: 2, E.mixed_other: 2,
             E.asian_bangladeshi: 2, E.white_irish: 2, E.other_any: 2, E.black_caribbean: 1,
             E.white_gypsy_irish_traveller: 1},
    "Salford": {E.white_british: 60, E.white_other: 10, E.black_african: 12,
                E.asian_pakistani: 3, E.asian_chinese: 2, E.mixed_white_black_african: 2,
                E.mixed_other: 2, E.other_arab: 2, E.other_any: 3, E.white_irish: 1,
                E.white_roma: 1, E.black_other: 1, E.asian_bangladeshi: 1},
}
NAME_POOLS = {
    "south_asian": (
        ["Aisha", "Ahmed", "Amina", "Bilal", "Fatima", "Hassan", "Imran", "Nadia", "Saima",
         "Shabana", "Tariq", "Usman", "Yasmin", "Zainab", "Kamran", "Mariam", "Nasreen",
         "Ruksana", "Tahmina", "Mohammed"],
        ["Ahmed", "Ali", "Begum", "Chowdhury", "Hussain", "Iqbal", "Khan", "Mahmood", "Miah",
         "Rahman", "Riaz", "Shah", "Uddin", "Zaman"],
    ),
    "indian": (
        ["Priya", "Rajesh", "Gurpreet", "Harpreet", "Sunita", "Anil", "Manjit", "Deepa"],
        ["Patel", "Singh", "Sharma", "Kaur", "Mistry", "Gill"],
    ),
    "white": (
        ["Chloe", "Daniel", "Emma", "Grace", "Jack", "Laura", "Oliver", "Rebecca", "Sophie",
         "Thomas", "Victoria", "Joanne", "Liam", "Patrick", "Sean", "Kayleigh", "Dean"],
        ["Brown", "Clarke", "Evans", "Jones", "Roberts", "Smith", "Taylor", "Walsh",
         "Williams", "Wilson", "Wright", "Hughes", "Murphy"],
    ),
    "eastern_european": (
        ["Wiktoria", "Agnieszka", "Piotr", "Tomasz", "Andrei", "Ioana", "Marta", "Lukasz"],
        ["Kowalski", "Nowak", "Popescu", "Wisniewski", "Ionescu", "Kaminska"],
    ),
    "african": (
        ["Adebayo", "Chiamaka", "Kwame", "Blessing", "Ifeoma", "Tendai", "Abdi", "Hodan"],
        ["Okafor", "Adeyemi", "Mensah", "Mohamed", "Osei", "Nwosu", "Moyo"],
    ),
    "other": (
        ["Wei", "Layla", "Omar", "Leila", "Samuel", "Mei", "Yusuf", "Hana"],
        ["Chen", "Hassan", "Haddad", "Li", "Nasser", "Wong", "Ibrahim"],
    ),
}
LANGUAGES = {
    "south_asian": {"English": 60, "Urdu": 22, "Bengali": 12, "Punjabi": 6},
    "indian": {"English": 70, "Punjabi": 15, "Gujarati": 15},
    "white": {"English": 100},
    "eastern_european": {"English": 35, "Polish": 40, "Romanian": 25},
    "african": {"English": 75, "French": 10, "Somali": 10, "Tigrinya": 5},
    "other": {"English": 55, "Arabic": 30, "Mandarin": 15},
}
RELIGIONS = {
    "muslim": {Religion.muslim: 90, Religion.no_religion: 3, Religion.prefer_not_to_say: 7},
    "indian": {Religion.hindu: 42, Religion.sikh: 25, Religion.muslim: 15,
               Religion.christian: 5, Religion.no_religion: 5, Religion.prefer_not_to_say: 8},
    "christian_or_none": {Religion.christian: 42, Religion.no_religion: 46, Religion.jewish: 1,
                          Religion.other: 2, Religion.prefer_not_to_say: 9},
    "african": {Religion.christian: 68, Religion.muslim: 22, Religion.no_religion: 4,
                Religion.prefer_not_to_say: 6},
    "european": {Religion.christian: 72, Religion.no_religion: 20,
                 Religion.prefer_not_to_say: 8},
    "east_asian": {Religion.no_religion: 58, Religion.buddhist: 15, Religion.christian: 20,
                   Religion.prefer_not_to_say: 7},
    "mixed": {Religion.christian: 30, Religion.muslim: 20, Religion.no_religion: 40,
              Religion.prefer_not_to_say: 10},
}
EMPLOYMENT = {EmploymentStatus.unemployed: 45, EmploymentStatus.economically_inactive: 25,
              EmploymentStatus.employed_part_time: 15, EmploymentStatus.employed_full_time: 5,
              EmploymentStatus.in_education: 7, EmploymentStatus.other: 3}
QUALIFICATIONS = {QualificationLevel.none: 18, QualificationLevel.entry_level: 10,
                  QualificationLevel.level_1: 15, QualificationLevel.level_2: 25,
                  QualificationLevel.level_3: 15, QualificationLevel.level_4_plus: 7,
                  QualificationLevel.unknown: 10}
HOW_HEARD = ["A talk at their mosque", "A friend or relative", "The Jobcentre",
             "A community group session", "Their housing association", "A careers fair",
             "Social media", "A leaflet", "Their college", "A church notice"]


def _pick(rng: random.Random, weighted: dict):
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _pool(ethnicity: Ethnicity) -> str:
    if ethnicity in (E.asian_pakistani, E.asian_bangladeshi):
        return "south_asian"
    if ethnicity in (E.asian_indian, E.asian_other):
        return "indian"
    if ethnicity in (E.white_other, E.white_roma):
        return "eastern_european"
    if ethnicity in (E.black_african, E.black_other, E.black_caribbean,
                     E.mixed_white_black_african):
        return "african"
    if ethnicity in (E.asian_chinese, E.other_arab, E.other_any):
        return "other"
    return "white"


def _religion(rng: random.Random, ethnicity: Ethnicity) -> Religion:
    if ethnicity in (E.asian_pakistani, E.asian_bangladeshi, E.other_arab):
        key = "muslim"
    elif ethnicity in (E.asian_indian, E.asian_other):
        key = "indian"
    elif ethnicity in (E.black_african, E.black_other):
        key = "african"
    elif ethnicity in (E.white_other, E.white_roma, E.white_irish):
        key = "european"
    elif ethnicity is E.asian_chinese:
        key = "east_asian"
    elif ethnicity.name.startswith("mixed") or ethnicity is E.other_any:
        key = "mixed"
    else:
        key = "christian_or_none"
    return _pick(rng, RELIGIONS[key])


def _answer(rng: random.Random, yes: float, unsure: float) -> Answer | None:
    roll = rng.random()
    if roll < 0.04:
        return None  # question skipped
    if roll < 0.04 + unsure:
        return Answer.prefer_not_to_say
    return Answer.yes if rng.random() < yes else Answer.no


def _equality(rng: random.Random, ethnicity: Ethnicity) -> dict:
    orientation = _pick(rng, {SexualOrientation.straight: 84, SexualOrientation.gay_or_lesbian: 2,
                              SexualOrientation.bisexual: 2, SexualOrientation.other: 1,
                              SexualOrientation.prefer_not_to_say: 11})
    return {
        "ethnicity": Ethnicity.prefer_not_to_say if rng.random() < 0.05 else ethnicity,
        "sex": _pick(rng, {Sex.female: 53, Sex.male: 43, Sex.prefer_not_to_say: 4}),
        "gender_same_as_birth": _answer(rng, 0.99, 0.06),
        "religion": _religion(rng, ethnicity),
        "disability": _answer(rng, 0.22, 0.09),
        "sexual_orientation": orientation if rng.random() > 0.04 else None,
        "carer": _answer(rng, 0.13, 0.07),
        "care_leaver": _answer(rng, 0.06, 0.07),
        "armed_forces": _answer(rng, 0.02, 0.04),
    }


def _lsoas() -> tuple[list[Lsoa], list[float]]:
    lsoas = list(db.session.scalars(
        sa.select(Lsoa).join(Lsoa.local_authority)
        .where(LocalAuthority.name.in_(list(DISTRICTS)), Lsoa.ward_id.is_not(None))
        .options(sa.orm.selectinload(Lsoa.ward), sa.orm.selectinload(Lsoa.local_authority))
        .order_by(Lsoa.code)
    ))
    weights = [DECILE_WEIGHTS.get(lsoa.imd_decile, 0.6) for lsoa in lsoas]
    return lsoas, weights


def _registered_by() -> tuple[User | None, dict[int, User]]:
    users = db.session.scalars(
        sa.select(User).where(User.role.in_([Role.coordinator, Role.partner])).order_by(User.id)
    ).all()
    coordinator = next((u for u in users if u.role is Role.coordinator), None)
    partner_users = {}
    for user in users:
        if user.role is Role.partner:
            partner_users.setdefault(user.partner_id, user)
    return coordinator, partner_users


def seed_participants(rng: random.Random, partners: list[PartnerOrganisation]) -> list[str]:
    """Register about 600 demo participants, each with a dated history row; idempotent.

    Exactly one value is drawn from ``rng`` whether or not anything is created, so the generators
    that run afterwards see the same sequence on every run.

    :param partners: the demo partner organisations, in a stable order.
    :returns: report lines for ``flask demo seed``.
    """
    local = random.Random(rng.getrandbits(64))  # noqa: S311  (demo data, not security)
    if db.session.scalar(sa.select(sa.func.count()).select_from(Participant)):
        return ["Participants already present: none added"]
    lsoas, weights = _lsoas()
    if not lsoas:
        return ["No LSOAs for the demo towns: load the reference geography first"]
    activities = db.session.scalars(
        sa.select(OutreachActivity).order_by(OutreachActivity.held_on, OutreachActivity.id)
    ).all()
    coordinator, partner_users = _registered_by()
    active_partners = [p for p in partners if p.is_active] or partners
    rule = eligibility.EligibilityRule.from_config(current_app.config)
    span = (LAST_DAY - FIRST_DAY).days

    people: list[tuple[Participant, dict | None, datetime, User | None]] = []
    for index in range(PARTICIPANT_COUNT):
        lsoa = local.choices(lsoas, weights=weights)[0]
        town = lsoa.local_authority.name
        ethnicity = _pick(local, COMMUNITIES[town])
        pool = _pool(ethnicity)
        first = local.choice(NAME_POOLS[pool][0])
        last = local.choice(NAME_POOLS[pool][1])
        registered_on = FIRST_DAY + timedelta(days=local.randrange(span + 1))
        age = local.choices([local.randrange(16, 25), local.randrange(25, 35),
                             local.randrange(35, 50), local.randrange(50, 65)],
                            weights=[40, 25, 25, 10])[0]
        born = registered_on - timedelta(days=365 * age + local.randrange(365))
        language = _pick(local, LANGUAGES[pool])
        roll = local.random()
        if roll < 0.65:
            source, partner, activity = ParticipantSource.partner_referral, \
                local.choice(active_partners), None
        elif roll < 0.85 and activities:
            source, partner, activity = ParticipantSource.outreach_activity, None, \
                local.choice([a for a in activities if a.held_on <= registered_on]
                             or activities[:1])
        else:
            source, partner, activity = ParticipantSource.self_referral, None, None
        district = local.choice(DISTRICTS[town])
        postcode = (f"{district} {local.randrange(1, 10)}"
                    f"{local.choice(INWARD_LETTERS)}{local.choice(INWARD_LETTERS)}")
        share = partner is not None and local.random() < 0.75
        participant = Participant(
            first_name=first, last_name=last,
            preferred_name=first[:3] if local.random() < 0.05 else None,
            email=f"{first}.{last}{index + 1}@example.com".lower()
            if local.random() < 0.8 else None,
            phone=f"07700900{index:03d}" if local.random() < 0.9 else None,
            date_of_birth=born, postcode=postcode, postcode_status=PostcodeStatus.unknown,
            lsoa=lsoa, ward=lsoa.ward, local_authority=lsoa.local_authority,
            imd_decile=lsoa.imd_decile, imd_edition=lsoa.imd_edition,
            preferred_language=language,
            needs_interpreter=language != "English" and local.random() < 0.4,
            employment_status=_pick(local, EMPLOYMENT),
            highest_qualification=_pick(local, QUALIFICATIONS),
            how_heard=local.choice(HOW_HEARD),
            source=source, referring_partner=partner, source_activity=activity,
            consent_to_contact=True, consent_to_contact_on=registered_on,
            consent_to_share_with_partner=share,
            consent_to_share_on=registered_on if share else None,
            registered_on=registered_on,
        )
        participant.barriers = sorted(local.sample(list(Barrier), k=local.randrange(0, 4)),
                                      key=lambda b: b.name)
        answers = _equality(local, ethnicity) if local.random() < EQUALITY_SHARE else None
        at = datetime.combine(registered_on, time(9 + local.randrange(8), local.randrange(60)),
                              tzinfo=UTC)
        actor = partner_users.get(partner.id) if partner else None
        people.append((participant, answers, at, actor or coordinator))

    _resolve_known_postcodes([p for p, *_ in people])
    answered = 0
    for participant, answers, at, actor in people:
        participant.eligible, participant.eligibility_reason = eligibility.decide_eligibility(
            eligibility.residence_of(participant), participant.employment_status, rule)
        participant.registered_by = actor
        participant.last_activity_at = at
        db.session.add(participant)
        # Before its first flush, so that the history row reads "new → registered".
        transition(participant, ParticipantStatus.registered, actor=actor, at=at)
        if answers is not None:
            db.session.add(EqualityMonitoring(participant_id=participant.id, **answers))
            answered += 1
    db.session.flush()
    eligible = sum(1 for p, *_ in people if p.eligible)
    return [f"{len(people)} participants registered ({eligible} eligible), "
            f"{answered} with equality monitoring answers"]


def _resolve_known_postcodes(people: list[Participant]) -> None:
    """Use the postcode directory for the invented postcodes it happens to hold."""
    known = resolve_postcodes(p.postcode for p in people)
    for participant in people:
        found = known.get(participant.postcode)
        if found is None or found.lsoa_id is None:
            continue
        lsoa = db.session.get(Lsoa, found.lsoa_id)
        participant.postcode_status = PostcodeStatus.resolved
        participant.lsoa, participant.ward = lsoa, lsoa.ward
        participant.local_authority = lsoa.local_authority
        participant.imd_decile, participant.imd_edition = lsoa.imd_decile, lsoa.imd_edition
