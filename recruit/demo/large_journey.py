"""The participant journey at scale, for :mod:`recruit.demo.large`: written in bulk, in order.

Partners, ambassadors and outreach; participants registered over two years, mostly from
deprived neighbourhoods; cohorts of 8 to 10 with sessions and attendance; completions,
placements, applications to the vacancy ledger, starts with their sustainment checks, outcomes
elsewhere and volunteering. The proportions follow the small demo (:mod:`recruit.demo.cohorts`,
:mod:`recruit.demo.vacancies`): about three in four enrolled complete, most completers have a
placement within the guarantee, completers apply without an interview and most of them start.

Each person's journey is simulated from start to end before the next, so their history rows are
in order and each one's ``from_status`` is the status before it, as :func:`transition` writes.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask import current_app

from recruit.auth import services as accounts
from recruit.demo import names
from recruit.demo.calendar import FIRST_DAY, LAST_DAY, shift
from recruit.demo.large_bulk import (
    BulkWriter,
    Journey,
    Person,
    at,
    cumulative,
    pick,
    random_day,
    stamp,
)
from recruit.demo.large_cohorts import Ledger, Simulation, close_vacancies, vacancies
from recruit.demo.large_geography import Area, Geography
from recruit.demo.seed import DEMO_PASSWORD
from recruit.demo.workforce import SNAPSHOT_DATES
from recruit.extensions import db
from recruit.models import (
    ActivityKind,
    Ambassador,
    Answer,
    Application,
    Attendance,
    Barrier,
    Cohort,
    CohortSession,
    EmploymentStatus,
    Enrolment,
    EqualityMonitoring,
    EthnicGroup,
    Ethnicity,
    OutreachActivity,
    Participant,
    ParticipantSource,
    ParticipantStatus,
    PartnerKind,
    PartnerOrganisation,
    Placement,
    PostcodeStatus,
    Programme,
    QualificationLevel,
    Religion,
    Role,
    Sex,
    StatusChange,
    Target,
    TargetMetric,
    TargetMilestone,
    User,
    Vacancy,
    Volunteering,
)
from recruit.models.outcomes import Outcome
from recruit.models.outreach import activity_ambassadors
from recruit.participants.eligibility import EligibilityRule, Residence, decide_eligibility

if TYPE_CHECKING:
    from recruit.demo.large import Sizes

S = ParticipantStatus
LOGINS = [("admin@recruit.example", "Ada Admin", Role.admin),
          ("coordinator@recruit.example", "Colin Coordinator", Role.coordinator),
          ("partner@recruit.example", "Parveen Partner", Role.partner),
          ("ambassador@recruit.example", "Amir Ambassador", Role.ambassador),
          ("board@recruit.example", "Beatrice Board", Role.board)]
LOGIN_LINES = ["", f"Demo logins (password: {DEMO_PASSWORD}):",
               *[f"  {role.label:<22} {email}" for email, _name, role in LOGINS],
               "  (the admin sets up two-factor authentication at first sign-in)"]
DECILE_WEIGHTS = {1: 10, 2: 7, 3: 5, 4: 2.5, 5: 1.5}  # deciles 6-10 weigh 0.6 each
EMPLOYMENT = {EmploymentStatus.unemployed: 45, EmploymentStatus.economically_inactive: 25,
              EmploymentStatus.employed_part_time: 15, EmploymentStatus.employed_full_time: 5,
              EmploymentStatus.in_education: 7, EmploymentStatus.other: 3}
QUALIFICATIONS = {QualificationLevel.none: 18, QualificationLevel.entry_level: 10,
                  QualificationLevel.level_1: 15, QualificationLevel.level_2: 25,
                  QualificationLevel.level_3: 15, QualificationLevel.level_4_plus: 7,
                  QualificationLevel.unknown: 10}
LANGUAGES = {"English": 78, "Urdu": 7, "Bengali": 4, "Polish": 4, "Arabic": 3, "Somali": 2,
             "Romanian": 2}


# -- Partners, ambassadors, users, outreach ---------------------------------------------------


def _partners(journey: Journey, geography: Geography, sizes: Sizes) -> list[dict]:
    rng, kinds, used = journey.rng, list(PartnerKind), set()
    wards = geography.wards
    partners = []
    for index in range(sizes.partners):
        kind = kinds[index % len(kinds)]
        _ward_id, _code, ward_name, la_id = ward = rng.choice(wards)
        name = rng.choice(names.PARTNER_NAMES[kind.name]).format(ward=ward_name)
        if name in used:
            name = f"{name} ({geography.towns[la_id][1]}, {index + 1})"
        used.add(name)
        contact = f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}"
        signed = random_day(rng, shift(date(2023, 1, 1)), FIRST_DAY - timedelta(days=1)) \
            if rng.random() < 0.85 else None
        partners.append(journey.add("partner_organisations", stamp(dict(
            id=journey.new_id("partner_organisations"), name=name[:200], kind=kind,
            ward_id=ward[0], local_authority_id=la_id, contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@partner{index + 1}.example.org",
            contact_phone=f"0161 {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}",
            data_sharing_agreement_on=signed, is_active=rng.random() < 0.93, notes=None,
        ), at(FIRST_DAY))))
    return partners


def _ambassadors(journey: Journey, sizes: Sizes) -> list[dict]:
    rng, ambassadors = journey.rng, []
    for index in range(sizes.ambassadors):
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        trained_on = (random_day(rng, shift(date(2023, 6, 1)), LAST_DAY) if rng.random() < 0.8
                      else None)
        ambassadors.append(journey.add("ambassadors", stamp(dict(
            id=journey.new_id("ambassadors"), name=f"{first} {last}",
            work_email=f"{first.lower()}.{last.lower()}{index + 1}@ics.example.nhs.uk",
            job_role=rng.choice(names.JOB_ROLES), site=rng.choice(names.SITES),
            trained_on=trained_on,
            equality_training_on=trained_on - timedelta(days=rng.randrange(200))
            if trained_on else None,
            is_active=rng.random() < 0.95,
        ), at(FIRST_DAY))))
    return ambassadors


def _users(writer: BulkWriter, journey: Journey) -> int | None:
    """The demo logins, made through the accounts service (it hashes the password)."""
    writer.insert(PartnerOrganisation.__table__, journey.rows.pop("partner_organisations"))
    writer.insert(Ambassador.__table__, journey.rows.pop("ambassadors"))
    assignments = {Role.partner: {"partner": db.session.get(PartnerOrganisation, 1)},
                   Role.ambassador: {"ambassador": db.session.get(Ambassador, 1)}}
    for email, name, role in LOGINS:
        accounts.create_user(email=email, name=name, role=role, password=DEMO_PASSWORD,
                             **assignments.get(role, {}))
    db.session.flush()
    return db.session.scalar(sa.select(User.id).where(User.role == Role.coordinator))


def _activities(journey: Journey, geography: Geography, sizes: Sizes, partners: list[dict],
                ambassadors: list[dict]) -> list[tuple[date, int]]:
    rng = journey.rng
    trained = [a["id"] for a in ambassadors if a["trained_on"]] or [1]
    ward_names = {ward_id: name for ward_id, _code, name, _la in geography.wards}
    kinds = list(ActivityKind)
    made = []
    for _ in range(sizes.activities):
        partner = rng.choice(partners) if rng.random() < 0.75 else None
        ward_id = partner["ward_id"] if partner else rng.choice(geography.wards)[0]
        reached = rng.randrange(5, 120)
        held_on = random_day(rng, FIRST_DAY, LAST_DAY)
        activity_id = journey.new_id("outreach_activities")
        journey.add("outreach_activities", stamp(dict(
            id=activity_id, held_on=held_on, kind=rng.choice(kinds),
            venue=f"{partner['name'] if partner else ward_names[ward_id]}, "
                  f"{rng.choice(names.VENUES)}"[:200],
            ward_id=ward_id, partner_id=partner["id"] if partner else None,
            people_reached=reached, young_people_reached=rng.randrange(reached // 2 + 1),
            expressions_of_interest=rng.randrange(reached // 4 + 1),
            barriers_raised=",".join(sorted(b.name for b in rng.sample(list(Barrier),
                                                                       k=rng.randrange(4)))),
            notes=None, logged_by_id=journey.actor_id,
        ), at(held_on, 17)))
        for ambassador_id in rng.sample(trained, k=min(len(trained), rng.choice((1, 1, 2, 3)))):
            journey.add("outreach_activity_ambassadors",
                        dict(activity_id=activity_id, ambassador_id=ambassador_id))
        made.append((held_on, activity_id))
    return sorted(made)


# -- Participants -----------------------------------------------------------------------------

RELIGION_OF = {"asian": {Religion.muslim: 70, Religion.hindu: 12, Religion.sikh: 8,
                         Religion.prefer_not_to_say: 10},
               "black": {Religion.christian: 66, Religion.muslim: 24,
                         Religion.prefer_not_to_say: 10},
               "white": {Religion.christian: 45, Religion.no_religion: 45,
                         Religion.prefer_not_to_say: 10},
               "mixed": {Religion.christian: 30, Religion.muslim: 20, Religion.no_religion: 40,
                         Religion.prefer_not_to_say: 10},
               "other": {Religion.muslim: 50, Religion.christian: 20, Religion.no_religion: 20,
                         Religion.prefer_not_to_say: 10}}


def _equality(rng: random.Random, area: Area, participant_id: int, when: datetime) -> dict:
    group = rng.choices(list(EthnicGroup), weights=area.people)[0]
    in_group = [e for e in Ethnicity if e.group is group]
    ethnicity = Ethnicity.prefer_not_to_say if rng.random() < 0.05 else rng.choice(in_group)
    family = (ethnicity.group.name if ethnicity.group else "white")

    def answer(yes: float) -> Answer | None:
        roll = rng.random()
        if roll < 0.04:
            return None
        if roll < 0.12:
            return Answer.prefer_not_to_say
        return Answer.yes if rng.random() < yes else Answer.no

    return stamp(dict(
        participant_id=participant_id, ethnicity=ethnicity,
        sex=rng.choices((Sex.female, Sex.male, Sex.prefer_not_to_say), (53, 43, 4))[0],
        gender_same_as_birth=answer(0.99), religion=pick(rng, cumulative(RELIGION_OF[family])),
        disability=answer(0.22), sexual_orientation=None, carer=answer(0.13),
        care_leaver=answer(0.06), armed_forces=answer(0.02)), when)


def _participants(journey: Journey, geography: Geography, sizes: Sizes, partners: list[dict],
                  activities: list[tuple[date, int]]) -> list[Person]:
    rng = journey.rng
    areas = geography.areas
    weights = list(zip(areas, [DECILE_WEIGHTS.get(a.decile, 0.6) for a in areas], strict=True))
    homes = cumulative(dict(weights))
    by_town: dict[int, list[dict]] = defaultdict(list)
    for partner in partners:
        if partner["is_active"] and partner["data_sharing_agreement_on"]:
            by_town[partner["local_authority_id"]].append(partner)
    everyone = [p for ps in by_town.values() for p in ps]
    activity_days = [day for day, _id in activities]
    rule = EligibilityRule.from_config(current_app.config)
    employment, qualifications = cumulative(EMPLOYMENT), cumulative(QUALIFICATIONS)
    languages = cumulative(LANGUAGES)
    span = (LAST_DAY - FIRST_DAY).days - 14
    people = []
    for index in range(sizes.participants):
        area: Area = pick(rng, homes)
        registered_on = FIRST_DAY + timedelta(days=rng.randrange(span))
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        roll, partner, activity_id = rng.random(), None, None
        if roll < 0.65 and everyone:
            source = ParticipantSource.partner_referral
            partner = rng.choice(by_town.get(area.la_id) or everyone)
        elif roll < 0.85 and activity_days[0] <= registered_on:
            source = ParticipantSource.outreach_activity
            activity_id = activities[rng.randrange(bisect_right(activity_days, registered_on))][1]
        else:
            source = ParticipantSource.self_referral
        status = pick(rng, employment)
        decision = decide_eligibility(
            Residence(area.ward, area.ward_name, area.la_name, True, area.decile), status, rule)
        share = partner is not None and rng.random() < 0.75
        language = pick(rng, languages)
        participant_id = index + 1
        when = at(registered_on, 9 + rng.randrange(8), rng.randrange(60))
        row = stamp(dict(
            id=participant_id, first_name=first, last_name=last,
            preferred_name=first[:3] if rng.random() < 0.05 else None,
            email=f"{first}.{last}{participant_id}@example.com".lower()
            if rng.random() < 0.8 else None,
            phone=f"07700{participant_id:06d}" if rng.random() < 0.9 else None,
            date_of_birth=registered_on - timedelta(days=rng.randrange(16 * 365, 64 * 365)),
            postcode=rng.choice(geography.postcodes[area.lsoa]),
            postcode_status=PostcodeStatus.resolved, lsoa_id=area.lsoa_id, ward_id=area.ward_id,
            local_authority_id=area.la_id, imd_decile=area.decile,
            imd_edition="IoD2019" if area.decile else None, preferred_language=language,
            needs_interpreter=language != "English" and rng.random() < 0.4,
            employment_status=status, highest_qualification=pick(rng, qualifications),
            barriers_raised=",".join(sorted(b.name for b in rng.sample(list(Barrier),
                                                                       k=rng.randrange(4)))),
            how_heard=None, source=source, referring_partner_id=partner["id"] if partner else None,
            source_activity_id=activity_id, consent_to_contact=True,
            consent_to_contact_on=registered_on, consent_to_share_with_partner=share,
            consent_to_share_on=registered_on if share else None, notes=None,
            status=S.registered, registered_on=registered_on, eligible=decision.eligible,
            eligibility_reason=decision.reason[:255], withdrawn_reason=None,
            is_anonymised=False, anonymised_at=None, last_activity_at=when,
            registered_by_id=journey.actor_id,
        ), when)
        person = Person(row, area.la_id, registered_on)
        journey.move(person, S.registered, when)
        if rng.random() < 0.7:
            journey.add("equality_monitoring", _equality(rng, area, participant_id, when))
        people.append(person)
    return people


def _targets(journey: Journey, sizes: Sizes) -> None:
    """The board's targets, scaled to the data, with a planned value at each quarter end."""
    quarter_ends = SNAPSHOT_DATES  # the eight quarter ends of the demo
    wanted = [("Residents employed in entry-level roles", TargetMetric.residents_employed,
               round(sizes.participants * 0.2)),
              ("Pre-employment places filled", TargetMetric.places_filled,
               round(sizes.participants * 0.8)),
              ("Ambassadors trained", TargetMetric.ambassadors_trained, sizes.ambassadors),
              ("Entry-level posts identified", TargetMetric.posts_identified,
               round(sizes.vacancies * 2.7))]
    for name, metric, value in wanted:
        target_id = journey.new_id("targets")
        journey.add("targets", stamp(dict(
            id=target_id, name=name, metric=metric, value=value, starts_on=FIRST_DAY,
            deadline_on=LAST_DAY, description=None), at(FIRST_DAY)))
        for position, due_on in enumerate(quarter_ends, start=1):
            journey.add("target_milestones", dict(
                target_id=target_id, due_on=due_on,
                value=round(value * position / len(quarter_ends))))


TABLES = [  # in foreign-key order
    ("outreach_activities", OutreachActivity.__table__),
    ("outreach_activity_ambassadors", activity_ambassadors),
    ("participants", Participant.__table__), ("equality_monitoring", EqualityMonitoring.__table__),
    ("programmes", Programme.__table__), ("cohorts", Cohort.__table__),
    ("cohort_sessions", CohortSession.__table__), ("enrolments", Enrolment.__table__),
    ("attendances", Attendance.__table__), ("placements", Placement.__table__),
    ("vacancies", Vacancy.__table__), ("applications", Application.__table__),
    ("outcomes", Outcome.__table__), ("volunteering_roles", Volunteering.__table__),
    ("status_changes", StatusChange.__table__), ("targets", Target.__table__),
    ("target_milestones", TargetMilestone.__table__),
]


def build_journey(writer: BulkWriter, geography: Geography, sizes: Sizes,
                  rng: random.Random) -> list[str]:
    """Build and write everything from partners to outcomes; report lines."""
    journey = Journey(rng, None)
    partners = _partners(journey, geography, sizes)
    ambassadors = _ambassadors(journey, sizes)
    journey.actor_id = _users(writer, journey)
    activities = _activities(journey, geography, sizes, partners, ambassadors)
    people = _participants(journey, geography, sizes, partners, activities)
    posts = vacancies(journey, geography, sizes)
    simulation = Simulation(journey, Ledger(posts), journey.actor_id)
    simulation.cohorts(geography, sizes, partners, people)
    close_vacancies(journey, posts)
    _targets(journey, sizes)
    for person in people:
        person.row.pop("applied", None)
        person.row.update(status=person.status, last_activity_at=person.last_at)
        journey.add("participants", person.row)
    for name, table in TABLES:
        writer.insert(table, journey.rows.pop(name, []))
    statuses = defaultdict(int)
    for person in people:
        statuses[person.status.value] += 1
    return [f"{len(partners):,} partners, {len(ambassadors):,} ambassadors, "
            f"{len(activities):,} outreach activities",
            f"{len(people):,} participants: " + ", ".join(
                f"{n:,} {status.lower()}" for status, n in sorted(statuses.items()))]
