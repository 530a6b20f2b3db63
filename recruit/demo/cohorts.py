"""Demo cohorts, attendance, completions and placements: the middle of the participant journey.

Sixty cohorts hosted by partner organisations. Fifty-six run in the demo's eight quarters
(two of them cancelled, one enrolled beyond capacity by an admin); four are placed around the day
the demo is seeded, so that the demo always has a cohort planned, one recruiting, one running and
one that finished a few weeks ago whose completers are still within the placement guarantee.

Registered participants are enrolled in date order, preferring people the host referred, then
people from the same town, then eligible people. About three in four complete (attendance of 80%
or more); the rest drop out with a reason or fall below the attendance rule. Most completers are
offered a placement within the guarantee, some later, a few are still waiting. Every status
change is written through :func:`recruit.journey.history.transition` with its real date.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from recruit.demo import names
from recruit.demo.calendar import shift
from recruit.extensions import db
from recruit.journey.history import transition
from recruit.models import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortSession,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Participant,
    ParticipantStatus,
    PartnerOrganisation,
    Placement,
    PlacementStatus,
    Programme,
    Role,
    User,
    Ward,
)
from recruit.placements.services import ten_working_days_end

FIRST_START, LAST_START = shift(date(2024, 5, 6)), shift(date(2026, 1, 26))
HISTORIC_COHORTS = 56
CANCELLED = {9, 37}  # positions among the historic cohorts
OVER_CAPACITY = 23

PROGRAMMES = [
    ("Step into the NHS", True, True, True,
     "Ten sessions: careers in the NHS, the equality and diversity training staff receive, "
     "applications, interviews, health and safety, customer care, a hospital visit."),
    ("Health and Care Academy", True, True, True,
     "Eight to ten sessions for patient-facing roles: care certificate basics, communication, "
     "infection control, equality and diversity, a ward visit."),
    ("Pathways to Estates and Facilities", False, True, False,
     "Sessions for portering, catering and domestic roles. Closed in 2025; its content moved "
     "into Step into the NHS."),
]
TOPICS = [
    "Welcome and careers in the NHS", "Equality and diversity training",
    "Applying through NHS Jobs", "Interview practice", "Health and safety",
    "Customer care and communication",
    "Infection prevention and control", "Digital skills", "Hospital visit", "Next steps and review",
]
EQUALITY_TOPIC = TOPICS[1]
DROP_OUT_REASONS = [
    "Caring responsibilities", "Health reasons", "Moved out of the area", "Lost contact",
    "Started a college course", "Childcare fell through", "Transport to the venue",
]
DEPARTMENTS = [
    ("Outpatients reception", "Receptionist"), ("Ward 6, elderly care", "Healthcare assistant"),
    ("Portering", "Porter"), ("Catering", "Catering assistant"), ("Pharmacy", "Pharmacy assistant"),
    ("Medical records", "Clerical officer"), ("Domestic services", "Domestic assistant"),
    ("Emergency department", "Healthcare assistant"), ("Pathology", "Laboratory assistant"),
    ("Maternity", "Maternity support worker"), ("Estates", "Estates assistant"),
    ("Phlebotomy", "Phlebotomist"),
]
PARTICIPANT_FEEDBACK = [
    "Really enjoyed it; the team made me feel welcome.", "I now know I want to work on a ward.",
    "Nervous at first but grew in confidence.", "Would like more time with patients.",
    "Good to see how the hospital works behind the scenes.",
]
SUPERVISOR_FEEDBACK = [
    "Reliable and punctual; would be an asset to the team.", "Good with patients, asked questions.",
    "Needs a little more confidence but learned quickly.", "Excellent attitude throughout.",
    "Would recommend for the next band 2 vacancy.",
]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class _Pool:
    """Registered participants waiting for a cohort, with the date each becomes available."""

    free_from: dict[int, date] = field(default_factory=dict)
    people: dict[int, Participant] = field(default_factory=dict)

    def add(self, participant: Participant, day: date) -> None:
        self.people[participant.id] = participant
        self.free_from[participant.id] = day

    def take(self, rng: random.Random, cohort: Cohort, wanted: int) -> list[Participant]:
        town = cohort.ward.local_authority_id if cohort.ward else None
        ready = [p for i, p in self.people.items()
                 if self.free_from[i] <= cohort.starts_on - timedelta(days=3)]
        rng.shuffle(ready)
        ready.sort(key=lambda p: (p.eligible is not True,
                                  p.referring_partner_id != cohort.host_partner_id,
                                  p.local_authority_id != town))
        chosen = ready[:wanted]
        for person in chosen:
            del self.people[person.id], self.free_from[person.id]
        return chosen


class _Seeder:
    def __init__(self, rng: random.Random, actor: User | None, today: date) -> None:
        self.rng = rng
        self.actor = actor
        self.today = today
        self.names: set[tuple[str, str]] = set()
        self.counts = dict.fromkeys(
            ("cohorts", "enrolments", "completed", "withdrawn", "placements", "waiting"), 0)

    def programmes(self) -> list[Programme]:
        existing = {p.name: p for p in db.session.scalars(sa.select(Programme))}
        result = []
        for name, gcse, waives, active, curriculum in PROGRAMMES:
            programme = existing.get(name) or Programme(
                name=name, counts_as_gcse_equivalent=gcse, waives_interview=waives,
                is_active=active, curriculum=curriculum)
            db.session.add(programme)
            result.append(programme)
        db.session.flush()
        return result

    def cohort(self, programme, host, wards, starts_on) -> Cohort:
        rng = self.rng
        sessions = rng.choice([8, 9, 10, 10])
        offsets = [week * 7 + day for week in range(5) for day in (0, 2)][:sessions]
        ward = host.ward or rng.choice(wards)
        name = f"{ward.name} {starts_on:%B %Y}"
        if (programme.name, name) in self.names:
            name = f"{name} ({host.name})"
        self.names.add((programme.name, name))
        cohort = Cohort(
            programme=programme, host_partner=host, ward=ward, name=name,
            venue=rng.choice(names.VENUES).capitalize(),
            starts_on=starts_on, ends_on=starts_on + timedelta(days=offsets[-1]), capacity=10,
        )
        db.session.add(cohort)
        hour = rng.choice([10, 13, 18])
        equality_at = rng.choice([1, 2, 3])
        topics = [t for t in TOPICS if t != EQUALITY_TOPIC]
        for position, offset in enumerate(offsets):
            topic = EQUALITY_TOPIC if position == equality_at else topics.pop(0)
            cohort.sessions.append(CohortSession(
                held_on=starts_on + timedelta(days=offset), starts_at=time(hour, 0), topic=topic,
                is_equality_training=position == equality_at))
        # Planned weeks ahead; a cohort planned for the future was planned recently.
        self.move(cohort, CohortStatus.planned,
                   min(starts_on - timedelta(days=56), self.today - timedelta(days=3)))
        self.move(cohort, CohortStatus.recruiting, starts_on - timedelta(days=35))
        self.counts["cohorts"] += 1
        return cohort

    def move(self, subject, status, day: date, reason: str | None = None, hour: int = 10):
        if day <= self.today:
            transition(subject, status, actor=self.actor, at=_at(day, hour), reason=reason)
            if isinstance(subject, Participant):
                subject.last_activity_at = _at(day, hour)
            return True
        return False

    def enrol(self, cohort: Cohort, people: list[Participant]) -> list[Enrolment]:
        enrolments = []
        for person in people:
            earliest = max(person.registered_on, cohort.starts_on - timedelta(days=28))
            latest = max(min(cohort.starts_on, self.today), earliest)
            enrolled_on = earliest + timedelta(
                days=self.rng.randrange(max((latest - earliest).days, 0) + 1))
            enrolment = Enrolment(participant=person, cohort=cohort, enrolled_on=enrolled_on,
                                  eligible_at_enrolment=bool(person.eligible))
            db.session.add(enrolment)
            self.move(enrolment, EnrolmentStatus.enrolled, enrolled_on)
            self.move(person, ParticipantStatus.enrolled, enrolled_on,
                       reason=f"Enrolled in {cohort.name}")
            enrolments.append(enrolment)
        self.counts["enrolments"] += len(enrolments)
        return enrolments

    def run_cohort(self, cohort: Cohort, enrolments: list[Enrolment], pool: _Pool) -> None:
        """Attendance, drop-outs and completions for a cohort that has started."""
        rng, sessions = self.rng, cohort.sessions
        self.move(cohort, CohortStatus.running, cohort.starts_on, hour=9)
        finished = cohort.ends_on < self.today - timedelta(days=7)
        for enrolment in enrolments:
            roll = rng.random()
            if roll < 0.75:
                absent = rng.randrange(int(len(sessions) * 0.2) + 1)
                plan, leaves_after = [AttendanceStatus.present] * (len(sessions) - absent) + [
                    rng.choice([AttendanceStatus.absent, AttendanceStatus.excused])
                    for _ in range(absent)], None
                rng.shuffle(plan)
            elif roll < 0.9:
                leaves_after = rng.randrange(1, len(sessions) - 2)
                plan = [AttendanceStatus.present] * leaves_after
            else:
                attended = rng.randrange(len(sessions) // 2, int(len(sessions) * 0.8))
                plan = [AttendanceStatus.present] * attended + [AttendanceStatus.absent] * (
                    len(sessions) - attended)
                rng.shuffle(plan)
                leaves_after = None
            for cohort_session, status in zip(sessions, plan, strict=False):
                if cohort_session.held_on <= self.today:
                    db.session.add(Attendance(
                        session=cohort_session, enrolment=enrolment, status=status,
                        recorded_by_id=getattr(self.actor, "id", None),
                        recorded_at=_at(cohort_session.held_on, 17)))
            if leaves_after is not None:
                left_on = sessions[leaves_after - 1].held_on + timedelta(days=rng.randrange(1, 4))
                if left_on <= self.today:
                    self.withdraw(enrolment, left_on, rng.choice(DROP_OUT_REASONS),
                                   leaves=rng.random() < 0.7, pool=pool)
            elif finished:
                present = plan.count(AttendanceStatus.present)
                decided_on = cohort.ends_on + timedelta(days=rng.randrange(1, 8))
                if present * 5 >= len(sessions) * 4:
                    self._complete(enrolment, decided_on, present)
                else:
                    self.withdraw(
                        enrolment, decided_on,
                        f"Attended {present} of {len(sessions)} sessions: below the 80% "
                        "needed to complete", leaves=False, pool=pool)
        if finished:
            self.move(cohort, CohortStatus.completed, cohort.ends_on, hour=17)

    def withdraw(self, enrolment, day, reason, *, leaves: bool, pool: _Pool) -> None:
        self.move(enrolment, EnrolmentStatus.withdrawn, day, reason=reason)
        enrolment.withdrawn_on, enrolment.withdrawal_reason = day, reason
        person = enrolment.participant
        if leaves:
            self.move(person, ParticipantStatus.withdrawn, day, reason=reason)
            person.withdrawn_reason = reason
        else:
            self.move(person, ParticipantStatus.registered, day,
                       reason=f"Left {enrolment.cohort.name}: {reason}")
            pool.add(person, day + timedelta(days=14))
        self.counts["withdrawn"] += 1

    def _complete(self, enrolment: Enrolment, day: date, present: int) -> None:
        sessions = len(enrolment.cohort.sessions)
        self.move(enrolment, EnrolmentStatus.completed, day,
                   reason=f"Attended {present} of {sessions} sessions", hour=15)
        enrolment.completed_on = day
        enrolment.completion_confirmed_by_id = getattr(self.actor, "id", None)
        self.move(enrolment.participant, ParticipantStatus.completed, day, hour=15,
                   reason=f"Completed {enrolment.cohort.name}")
        self.counts["completed"] += 1
        self.placement(enrolment)

    def placement(self, enrolment: Enrolment) -> None:
        rng, person = self.rng, enrolment.participant
        roll = rng.random()
        if roll < 0.04:
            self.counts["waiting"] += 1
            return
        delay = rng.randrange(5, 50) if roll < 0.92 else rng.randrange(60, 95)
        offered_on = enrolment.completed_on + timedelta(days=delay)
        if offered_on > self.today:
            self.counts["waiting"] += 1
            return
        department, role = rng.choice(DEPARTMENTS)
        starts_on = _monday(offered_on + timedelta(days=rng.randrange(10, 30)))
        placement = Placement(
            participant=person, enrolment=enrolment, department=department,
            site=rng.choice(names.SITES), role_sought=role, offered_on=offered_on,
            supervisor_name=f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}",
            starts_on=starts_on, ends_on=ten_working_days_end(starts_on),
        )
        db.session.add(placement)
        self.counts["placements"] += 1
        self.move(placement, PlacementStatus.offered, offered_on,
                   reason=f"Offered in {department}")
        outcome = rng.random()
        if outcome < 0.06:
            self.move(placement, PlacementStatus.declined,
                       offered_on + timedelta(days=rng.randrange(2, 9)),
                       reason=rng.choice(["Found a job elsewhere", "Caring responsibilities",
                                          "Wanted a different department"]))
            return
        if not self.move(placement, PlacementStatus.scheduled, offered_on + timedelta(days=2)):
            return
        if outcome < 0.1:
            self.move(placement, PlacementStatus.did_not_start, starts_on,
                       reason=rng.choice(["Did not arrive on the first day", "Became unwell"]))
            return
        if not self.move(placement, PlacementStatus.in_progress, starts_on, hour=9):
            return
        if self.move(placement, PlacementStatus.completed, placement.ends_on, hour=16):
            placement.participant_feedback = rng.choice(PARTICIPANT_FEEDBACK)
            placement.supervisor_feedback = rng.choice(SUPERVISOR_FEEDBACK)
            self.move(person, ParticipantStatus.placed, placement.ends_on, hour=16,
                       reason=f"Completed a work experience placement in {department}")


def seed_cohorts(
    rng: random.Random,
    participants: list[Participant],
    partners: list[PartnerOrganisation],
    wards: list[Ward],
    actor: User | None = None,
) -> list[str]:
    """Create programmes, sixty cohorts with sessions, enrolments, attendance and placements.

    Idempotent: nothing is added when any cohort exists. Exactly one value is drawn from ``rng``
    either way, so generators that run afterwards see the same sequence on every run.

    :param participants: the demo participants; only those still registered are enrolled.
    :param partners: the demo partner organisations; active ones host cohorts.
    :param wards: catchment wards, for a host whose ward is not known.
    :param actor: who is recorded as doing it (a coordinator, say); ``None`` for the system.
    :returns: report lines for ``flask demo seed``.
    """
    local = random.Random(rng.getrandbits(64))  # noqa: S311  (demo data, not security)
    if db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)):
        return ["Cohorts already present: none added"]
    hosts = [p for p in partners if p.is_active] or partners
    if not hosts or not wards:
        return ["No partners or wards: cohorts not seeded"]
    today = date.today()
    seeder = _Seeder(local, actor, today)
    step, current, legacy = seeder.programmes()
    pool = _Pool()
    for person in sorted(participants, key=lambda p: (p.registered_on, p.id)):
        if person.status is ParticipantStatus.registered and not person.is_anonymised:
            pool.add(person, person.registered_on)

    span = (LAST_START - FIRST_START).days
    for index in range(HISTORIC_COHORTS):
        starts_on = _monday(FIRST_START + timedelta(days=span * index // (HISTORIC_COHORTS - 1)))
        programme = legacy if index < 12 and index % 4 == 3 else local.choice([step, step, current])
        cohort = seeder.cohort(programme, local.choice(hosts), wards, starts_on)
        if index in CANCELLED:
            people = pool.take(local, cohort, local.randrange(3, 6))
            enrolments = seeder.enrol(cohort, people)
            reason = local.choice(["Too few people signed up", "The venue became unavailable"])
            cancelled_on = max([starts_on - timedelta(days=7)]
                               + [e.enrolled_on for e in enrolments])
            seeder.move(cohort, CohortStatus.cancelled, cancelled_on, reason=reason)
            for enrolment in enrolments:
                seeder.withdraw(enrolment, cancelled_on, f"The cohort was cancelled: {reason}",
                                leaves=False, pool=pool)
            continue
        wanted = 11 if index == OVER_CAPACITY else local.choice([8, 9, 9, 10, 10])
        people = pool.take(local, cohort, wanted)
        if index == OVER_CAPACITY and len(people) > cohort.capacity:
            cohort.capacity_override_reason = (
                f"{starts_on - timedelta(days=10)}: two sisters asked to attend together; "
                "the venue can seat eleven")
            if actor is not None and actor.role is Role.admin:
                cohort.capacity_overridden_by_id = actor.id
        seeder.run_cohort(cohort, seeder.enrol(cohort, people), pool)
        db.session.flush()

    # Around today: finished a few weeks ago, running, recruiting, planned.
    monday = _monday(today)
    recent = [(monday - timedelta(days=56), 9), (monday - timedelta(days=14), 9),
              (monday + timedelta(days=21), 5), (monday + timedelta(days=63), 0)]
    for offset, (starts_on, wanted) in enumerate(recent):
        cohort = seeder.cohort(step if offset % 2 == 0 else current, local.choice(hosts), wards,
                               starts_on)
        enrolments = seeder.enrol(cohort, pool.take(local, cohort, wanted))
        if starts_on <= today:
            seeder.run_cohort(cohort, enrolments, pool)
        db.session.flush()

    db.session.flush()
    c = seeder.counts
    return [f"{c['cohorts']} cohorts, {c['enrolments']} enrolments: {c['completed']} completed, "
            f"{c['withdrawn']} withdrawn; {c['placements']} placements, {c['waiting']} "
            "completers waiting for one"]
