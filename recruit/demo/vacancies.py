"""Demo vacancies, applications, starts, sustainment and volunteering (the demo quarters).

750 entry-level posts join the ledger over eight quarters, mostly Band 2 and 3 at the four
hospital sites. Programme completers apply once they are ready (after completion and any
placement) and skip the interview; some other participants apply too and are interviewed. About
250 start, the rest are unsuccessful with written feedback, withdraw, or are still in progress.
Starts get their 13- and 26-week checks where those have fallen due (most sustained; a few left
unrecorded so the "checks due" list has work on it), and a few later progress a band. Some who
did not start find a job or a college place elsewhere, or volunteer while they wait.

Everything goes through the same services as the screens, back-dated, so the demo obeys the
rules the application enforces and leaves the same dated history.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from recruit.applications import services as applications
from recruit.demo.calendar import FIRST_DAY, LAST_DAY
from recruit.extensions import db
from recruit.models import (
    AfcBand,
    ApplicationStage,
    Enrolment,
    EnrolmentStatus,
    Outcome,
    OutcomeKind,
    Participant,
    ParticipantStatus,
    StaffGroup,
    StatusChange,
    Vacancy,
    VacancyStatus,
)
from recruit.models.base import utcnow
from recruit.outcomes import services as outcomes
from recruit.vacancies import services as vacancies
from recruit.vacancies.services import moment

POSTS_TARGET, STARTS_TARGET = 750, 250
A, B, G = ApplicationStage, AfcBand, StaffGroup
SITES = {"Royal Oldham Hospital": "Oldham", "Fairfield General Hospital": "Bury",
         "Rochdale Infirmary": "Rochdale", "Salford Royal": "Salford"}
# (title, band, staff group, departments, weight)
ROLES = [
    ("Healthcare support worker", B.band_2, G.additional_clinical,
     ["Acute medicine", "General surgery", "Elderly care", "Emergency department"], 30),
    ("Senior healthcare support worker", B.band_3, G.additional_clinical,
     ["Acute medicine", "Orthopaedics", "Stroke unit"], 8),
    ("Domestic assistant", B.band_2, G.estates_ancillary, ["Facilities"], 10),
    ("Porter", B.band_2, G.estates_ancillary, ["Portering services"], 8),
    ("Catering assistant", B.band_2, G.estates_ancillary, ["Catering"], 6),
    ("Ward clerk", B.band_2, G.admin_clerical, ["Medicine", "Surgery", "Maternity"], 8),
    ("Outpatients receptionist", B.band_2, G.admin_clerical, ["Outpatients"], 6),
    ("Administrative assistant", B.band_3, G.admin_clerical,
     ["Medical records", "Patient access", "Workforce"], 8),
    ("Medical secretary", B.band_3, G.admin_clerical, ["Cardiology", "Gastroenterology"], 3),
    ("Pharmacy assistant", B.band_2, G.add_prof_scientific, ["Pharmacy"], 3),
    ("Phlebotomist", B.band_2, G.additional_clinical, ["Pathology"], 4),
    ("Therapy assistant", B.band_3, G.additional_clinical, ["Physiotherapy",
                                                           "Occupational therapy"], 3),
    ("Laboratory support worker", B.band_2, G.healthcare_scientists, ["Pathology"], 2),
    ("Assistant practitioner", B.band_4, G.additional_clinical, ["Community nursing"], 1),
]
FEEDBACK = [
    "Thank you for applying. Your answers on caring for patients were strong; next time give a "
    "specific example from your placement of working in a team under pressure.",
    "You met the essential criteria, but another candidate had more experience with patient "
    "records. Consider the administrative assistant roles and ask for a mock interview.",
    "Your values came through clearly. To strengthen a future application, describe how you "
    "would keep patients' information confidential and safe.",
    "We had many strong applicants for few posts. Your supporting statement was good; add "
    "more about what you learned on the programme and during your work experience.",
    "You interviewed well. The role needed weekend shifts you could not do; we will tell your "
    "coordinator when a weekday post opens.",
]
WITHDRAWALS = [
    "Accepted another job nearer home", "Childcare could not be arranged for the shift pattern",
    "Decided to start a college course instead", "Moved out of the area",
    "The travel to this site was too difficult",
]
VOLUNTEERING = [
    ("Royal Oldham Hospital League of Friends", "Ward volunteer"),
    ("Salford Royal volunteer service", "Meet and greet volunteer"),
    ("Rochdale Foodbank", "Warehouse volunteer"),
    ("Bury Hospice", "Shop volunteer"),
    ("Oldham Community Leisure", "Activity helper"),
]
OTHER_OUTCOMES = [
    (OutcomeKind.job_elsewhere, "Local care home", "Care assistant", 40),
    (OutcomeKind.apprenticeship, "Oldham College", "Business administration apprentice", 20),
    (OutcomeKind.college_or_training, "Hopwood Hall College", "Access to health course", 25),
    (OutcomeKind.volunteering, "NHS Volunteer Responders", "Community volunteer", 5),
    (OutcomeKind.other, None, "Self-employed", 10),
]


@dataclass
class Seeker:
    participant: Participant
    is_completer: bool
    ready_on: date
    applications: int = 0
    started: bool = False


@dataclass
class Plan:
    """One application as it will happen: the participant and each later move with its date."""

    seeker: Seeker
    applied_on: date
    result: str  # "start", "unsuccessful", "withdrawn"
    moves: list[tuple[ApplicationStage, date, dict]] = field(default_factory=list)


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def _vacancy_rows(rng: random.Random) -> list[dict]:
    """Posts adding up to exactly 750 (besides a few withdrawn), identified over eight quarters."""
    rows, total = [], 0
    span = (LAST_DAY - FIRST_DAY).days
    weights = [role[4] for role in ROLES]
    while total < POSTS_TARGET:
        title, band, group, departments, _weight = rng.choices(ROLES, weights)[0]
        posts = min(rng.choice([1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8]), POSTS_TARGET - total)
        withdrawn = rng.random() < 0.03
        if withdrawn:  # withdrawn posts leave the ledger: the others still add up to 750
            posts = 1
        else:
            total += posts
        site = rng.choice(list(SITES))
        identified_on = FIRST_DAY + timedelta(days=rng.randrange(span + 1))
        opens_on = identified_on + _days(rng, 7, 35)
        rows.append(dict(
            title=title, band=band, staff_group=group, department=rng.choice(departments),
            site=site, locality=SITES[site], posts=posts,
            is_ring_fenced=rng.random() < 0.45,
            nhs_jobs_reference=f"{rng.choice(['301', '302', '303'])}-{identified_on:%y}-"
                               f"{rng.randrange(1000, 9999)}",
            identified_on=identified_on, opens_on=opens_on,
            closes_on=opens_on + _days(rng, 14, 28),
            withdrawn=withdrawn,
        ))
    return sorted(rows, key=lambda row: (row["opens_on"], row["title"]))


def _ready_dates(ids: list[int]) -> dict[int, date]:
    """The day after each participant's latest history row or completion: when they can apply."""
    last = dict(db.session.execute(
        sa.select(StatusChange.participant_id, sa.func.max(StatusChange.changed_at))
        .where(StatusChange.participant_id.in_(ids)).group_by(StatusChange.participant_id)
    ).all())
    completed = dict(db.session.execute(
        sa.select(Enrolment.participant_id, sa.func.max(Enrolment.completed_on))
        .where(Enrolment.participant_id.in_(ids), Enrolment.status == EnrolmentStatus.completed)
        .group_by(Enrolment.participant_id)
    ).all())
    ready = {}
    for id_ in ids:
        days = [d for d in (last[id_].date() if id_ in last else None, completed.get(id_)) if d]
        ready[id_] = max(days) + timedelta(days=1) if days else FIRST_DAY
    return ready


def _seekers(rng: random.Random, completers: Iterable[Participant],
             others: Iterable[Participant]) -> list[Seeker]:
    def usable(people):
        return [p for p in people if p.status in applications.BEFORE_APPLYING
                and not p.is_anonymised]

    completers, others = usable(completers), usable(others)
    ready = _ready_dates([p.id for p in completers + others])
    seekers = [Seeker(p, True, ready[p.id] + _days(rng, 7, 42)) for p in completers]
    others = [p for p in others if rng.random() < 0.4]
    seekers += [Seeker(p, False, ready[p.id] + _days(rng, 21, 120)) for p in others]
    return seekers


def _plan(rng: random.Random, seeker: Seeker, row: dict, applied_on: date) -> Plan:
    """Decide how an application goes and when each move happens."""
    chance = (0.62, 0.23) if seeker.is_completer else (0.3, 0.55)
    draw = rng.random()
    result = "start" if draw < chance[0] else "unsuccessful" \
        if draw < chance[0] + chance[1] else "withdrawn"
    plan = Plan(seeker, applied_on, result)
    day = row["closes_on"] + _days(rng, 3, 10)
    path = [A.shortlisted] if seeker.is_completer else [A.shortlisted, A.interview]
    path += [A.offered, A.pre_employment_checks, A.started]
    stop = len(path) if result == "start" else rng.randrange(len(path) - 1)
    for stage in path[:stop]:
        plan.moves.append((stage, day, {}))
        day += _days(rng, 21, 49) if stage is A.pre_employment_checks else _days(rng, 2, 10)
    if result == "unsuccessful":
        plan.moves.append((A.unsuccessful, day, {
            "feedback": rng.choice(FEEDBACK), "feedback_given_on": day + _days(rng, 0, 5)}))
    elif result == "withdrawn":
        plan.moves.append((A.withdrawn, day, {"reason": rng.choice(WITHDRAWALS)}))
    return plan


def _match(rng: random.Random, rows: list[dict], seekers: list[Seeker]) -> list[list[Plan]]:
    """Who applies for which vacancy, in time order; each seeker has one live application."""
    plans_by_row = []
    for row in rows:
        plans: list[Plan] = []
        if not row["withdrawn"]:
            pool = [s for s in seekers if not s.started and s.applications < 3
                    and s.ready_on < row["closes_on"]
                    and (s.is_completer or not row["is_ring_fenced"])]
            wanted = rng.choice([1, 2, 2, 3, 3, 4, 4, 5])
            for seeker in rng.sample(pool, k=min(len(pool), wanted, row["posts"] + 2)):
                earliest = max(seeker.ready_on, row["opens_on"])
                applied_on = earliest + _days(rng, 0, (row["closes_on"] - earliest).days)
                plan = _plan(rng, seeker, row, applied_on)
                if plan.result == "start" and sum(p.result == "start" for p in plans) \
                        >= row["posts"]:
                    plan = _plan(rng, seeker, row, applied_on)  # a second draw, not a start
                    if plan.result == "start":
                        continue
                seeker.applications += 1
                seeker.started = plan.result == "start"
                last = plan.moves[-1][1] if plan.moves else applied_on
                seeker.ready_on = last + _days(rng, 7, 30)
                plans.append(plan)
        plans_by_row.append(plans)
    return plans_by_row


def _trim_starts(rng: random.Random, plans_by_row: list[list[Plan]]) -> list[Seeker]:
    """Turn starts beyond the target into unsuccessful applications.

    Those after the last quarter go first (the target counts starts in the eight quarters),
    then others at random.
    """
    starts = [plan for plans in plans_by_row for plan in plans if plan.result == "start"]
    rng.shuffle(starts)
    starts.sort(key=lambda plan: plan.moves[-1][1] > LAST_DAY, reverse=True)
    extra = starts[:max(0, len(starts) - STARTS_TARGET)]
    for plan in extra:
        keep = 1 if plan.seeker.is_completer else rng.randrange(1, 3)
        day = plan.moves[keep][1]
        plan.moves = plan.moves[:keep] + [(A.unsuccessful, day, {
            "feedback": rng.choice(FEEDBACK), "feedback_given_on": day + _days(rng, 0, 5)})]
        plan.result = "unsuccessful"
        plan.seeker.started = False
    return [plan.seeker for plan in extra]


def _carry_out(row: dict, plans: list[Plan], today: date, counts: dict) -> None:
    """Create the vacancy and its applications and make each dated move up to today."""
    fields = {k: v for k, v in row.items() if k != "withdrawn"}
    vacancy = vacancies.create_vacancy(fields, None, at=moment(row["identified_on"]))
    if row["withdrawn"]:
        vacancies.move_vacancy(vacancy, VacancyStatus.withdrawn, None, on=row["opens_on"],
                               reason="Post removed in a service redesign")
        return
    if row["opens_on"] > today:
        return
    vacancies.move_vacancy(vacancy, VacancyStatus.open, None, on=row["opens_on"])
    made = []
    for plan in sorted(plans, key=lambda p: p.applied_on):
        if plan.applied_on > today:
            continue
        application = applications.create_application(plan.seeker.participant, vacancy,
                                                      plan.applied_on, None)
        made.append((application, plan))
        counts["applications"] += 1
    if row["closes_on"] + timedelta(days=1) > today:
        return
    vacancies.move_vacancy(vacancy, VacancyStatus.closed, None,
                           on=row["closes_on"] + timedelta(days=1))
    starts = []
    for application, plan in made:
        counts["waived"] += application.interview_waived
        for stage, day, extra in plan.moves:
            if stage is A.interview and application.interview_waived:
                continue  # a completer after all: the service records the waiver
            if stage is A.offered and not application.interview_waived \
                    and application.stage is A.shortlisted:
                applications.move_application(application, A.interview, {"on": day}, None,
                                              trusted=True)
            if day > today or extra.get("feedback_given_on", day) > today:
                break
            outcome = applications.move_application(application, stage, {"on": day, **extra},
                                                    None, trusted=True)
            if outcome is not None:
                starts.append(outcome)
            counts[stage.name] = counts.get(stage.name, 0) + 1
    if starts and len(starts) >= row["posts"]:
        last = max(outcome.started_on for outcome in starts)
        vacancies.move_vacancy(vacancy, VacancyStatus.filled, None, on=last)


def _sustainment(rng: random.Random, today: date) -> int:
    """Record the checks that have fallen due: most sustained, a recent few left for the list."""
    recorded = 0
    for outcome in db.session.scalars(sa.select(Outcome).order_by(Outcome.started_on,
                                                                   Outcome.id)):
        for weeks, due_on in ((13, outcome.check_13_due_on), (26, outcome.check_26_due_on)):
            checked_on = due_on + _days(rng, 0, 14)
            still = rng.random() < (0.9 if weeks == 13 else 0.92)
            backlog = due_on > today - timedelta(days=150) and rng.random() < 0.4
            if checked_on > today or backlog:
                break
            outcomes.record_check(outcome, weeks, {"sustained": still,
                                                   "checked_on": checked_on},
                                  None, trusted=True)
            recorded += 1
            if not still:
                break
        if outcome.sustained_26_weeks and outcome.band is AfcBand.band_2 \
                and rng.random() < 0.08:
            on = outcome.check_26_due_on + _days(rng, 30, 240)
            if on <= today:
                outcomes.record_progression(outcome, {"progressed_band": AfcBand.band_3,
                                                      "progressed_on": on}, None, trusted=True)
    return recorded


def _elsewhere(rng: random.Random, seekers: list[Seeker], today: date) -> tuple[int, int]:
    """Other outcomes and interim volunteering for people who did not start at the anchor."""
    outcome_count = volunteering_count = 0
    weights = [kind[3] for kind in OTHER_OUTCOMES]
    for seeker in seekers:
        participant = seeker.participant
        if seeker.started or participant.status not in applications.BEFORE_APPLYING | {
                ParticipantStatus.applied}:
            continue
        draw = rng.random()
        if draw < 0.25:
            kind, employer, role, _weight = rng.choices(OTHER_OUTCOMES, weights)[0]
            started_on = seeker.ready_on + _days(rng, 14, 120)
            if started_on <= min(today, LAST_DAY):
                outcomes.create_outcome(participant, {
                    "kind": kind, "started_on": started_on, "employer": employer,
                    "role_title": role}, None)
                outcome_count += 1
        elif draw < 0.35 and seeker.is_completer:
            organisation, role = rng.choice(VOLUNTEERING)
            starts_on = seeker.ready_on + _days(rng, 0, 30)
            ends_on = starts_on + _days(rng, 30, 150)
            if starts_on <= today:
                outcomes.create_volunteering(participant, {
                    "organisation": organisation, "role": role, "starts_on": starts_on,
                    "ends_on": ends_on if ends_on <= today else None,
                    "hours": rng.randrange(10, 120)}, None)
                volunteering_count += 1
    return outcome_count, volunteering_count


def journey_participants() -> tuple[list[Participant], list[Participant]]:
    """The arguments :func:`seed_vacancies` expects: completers, then everyone else, by id."""
    completed = sa.select(Enrolment.participant_id).where(
        Enrolment.status == EnrolmentStatus.completed)
    completers = db.session.scalars(
        sa.select(Participant).where(Participant.id.in_(completed)).order_by(Participant.id))
    others = db.session.scalars(
        sa.select(Participant).where(Participant.id.not_in(completed)).order_by(Participant.id))
    return list(completers), list(others)


def seed_vacancies(rng: random.Random, completers: Iterable[Participant],
                   other_participants: Iterable[Participant]) -> list[str]:
    """Seed the vacancy ledger and everything that follows from it; idempotent.

    Exactly one value is drawn from ``rng`` whether or not anything is created, so the generators
    that run afterwards see the same sequence on every run.

    :param completers: participants who completed a cohort (they skip the interview).
    :param other_participants: everyone else; some of them apply too. Withdrawn people, and
        anyone already past the application stage, are left alone.
    :returns: report lines for ``flask demo seed``.
    """
    local = random.Random(rng.getrandbits(64))  # noqa: S311  (demo data, not security)
    if db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy)):
        return ["Vacancies already present: none added"]
    today = utcnow().date()
    rows = _vacancy_rows(local)
    seekers = _seekers(local, list(completers), list(other_participants))
    seekers.sort(key=lambda s: s.participant.id)
    plans_by_row = _match(local, rows, seekers)
    _trim_starts(local, plans_by_row)
    counts = {"applications": 0, "waived": 0}
    for row, plans in zip(rows, plans_by_row, strict=True):
        _carry_out(row, plans, today, counts)
    db.session.flush()
    elsewhere, volunteering = _elsewhere(local, seekers, today)
    db.session.flush()
    checks = _sustainment(local, today)
    return [
        f"{len(rows)} vacancies with {sum(r['posts'] for r in rows if not r['withdrawn'])} "
        f"posts identified (and {sum(r['withdrawn'] for r in rows)} withdrawn); "
        f"{counts['applications']} applications ({counts['waived']} with the interview waived), "
        f"{counts.get('started', 0)} starts, {counts.get('unsuccessful', 0)} unsuccessful with "
        f"feedback, {counts.get('withdrawn', 0)} withdrawn",
        f"{checks} sustainment checks, {elsewhere} outcomes elsewhere, "
        f"{volunteering} volunteering records",
    ]
