"""Vacancies, cohorts and everything after them, for :mod:`recruit.demo.large_journey`.

The vacancy ledger, then cohorts in start order taking registered participants from their own
town first; attendance, drop-outs and completions; placements, applications (completers without
an interview), starts with their sustainment checks, outcomes elsewhere and volunteering. Each
person's journey runs from start to end before the next person's, so that their history rows are
in order.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from recruit.demo import names
from recruit.demo.calendar import FIRST_DAY, LAST_DAY, shift
from recruit.demo.cohorts import DEPARTMENTS, DROP_OUT_REASONS, PROGRAMMES, TOPICS
from recruit.demo.large_bulk import (
    Journey,
    Person,
    at,
    cumulative,
    monday,
    pick,
    random_day,
    stamp,
)
from recruit.demo.large_geography import Geography
from recruit.demo.vacancies import FEEDBACK, ROLES, WITHDRAWALS
from recruit.models import (
    AfcBand,
    ApplicationStage,
    AttendanceStatus,
    CohortStatus,
    EnrolmentStatus,
    OutcomeKind,
    ParticipantStatus,
    PlacementStatus,
    VacancyStatus,
)
from recruit.placements.services import ten_working_days_end

if TYPE_CHECKING:
    from recruit.demo.large import Sizes


FIRST_COHORT = shift(date(2024, 5, 6))
FIRST_YEAR_ENDS = shift(date(2025, 1, 1))  # the third programme ran only in the first months
S, P, A, E, C = (ParticipantStatus, PlacementStatus, ApplicationStage, EnrolmentStatus,
                 CohortStatus)
OTHER_OUTCOMES = {OutcomeKind.job_elsewhere: 40, OutcomeKind.apprenticeship: 20,
                  OutcomeKind.college_or_training: 25, OutcomeKind.volunteering: 5,
                  OutcomeKind.other: 10}


# -- Vacancies --------------------------------------------------------------------------------


@dataclass
class Post:
    row: dict
    starts: int = 0
    last_start: date | None = None


def vacancies(journey: Journey, geography: Geography, sizes: Sizes) -> list[Post]:
    rng = journey.rng
    roles = cumulative({index: role[4] for index, role in enumerate(ROLES)})
    towns = list(geography.towns.values())
    posts = []
    for _ in range(sizes.vacancies):
        title, band, group, departments, _weight = ROLES[pick(rng, roles)]
        identified_on = random_day(rng, FIRST_DAY, LAST_DAY)
        opens_on = identified_on + timedelta(days=rng.randint(7, 35))
        _code, town = rng.choice(towns)
        posts.append(Post(stamp(dict(
            id=journey.new_id("vacancies"), title=title, band=band, staff_group=group,
            department=rng.choice(departments),
            site=f"{town.removesuffix(' (synthetic)')} General Hospital", locality=town,
            posts=rng.choice((1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8)),
            is_ring_fenced=rng.random() < 0.45,
            nhs_jobs_reference=f"{rng.choice(['301', '302', '303'])}-{identified_on:%y}-"
                               f"{rng.randrange(10000, 99999)}",
            identified_on=identified_on, opens_on=opens_on,
            closes_on=opens_on + timedelta(days=rng.randint(14, 28)),
            status=VacancyStatus.identified), at(identified_on))))
    return sorted(posts, key=lambda post: post.row["opens_on"])


class Ledger:
    """The vacancies open on a day, for choosing what someone applies to."""

    def __init__(self, posts: list[Post]) -> None:
        self.posts = posts
        self.opens = [post.row["opens_on"] for post in posts]

    def choose(self, rng: random.Random, day: date, completer: bool) -> Post | None:
        start = bisect_right(self.opens, day)
        first = bisect_right(self.opens, day - timedelta(days=29))
        candidates = [post for post in self.posts[first:start]
                      if post.row["closes_on"] >= day
                      and (completer or not post.row["is_ring_fenced"])]
        if candidates:
            return rng.choice(candidates)
        return self.posts[start] if start < len(self.posts) else None


def close_vacancies(journey: Journey, posts: list[Post]) -> None:
    for post in posts:
        row, status, vacancy_id = post.row, None, post.row["id"]
        moves = [(VacancyStatus.identified, row["identified_on"]),
                 (VacancyStatus.open, row["opens_on"]),
                 (VacancyStatus.closed, row["closes_on"] + timedelta(days=1))]
        if post.starts >= row["posts"] and post.last_start:
            moves.append((VacancyStatus.filled, post.last_start))
        for to, day in moves:
            if day > LAST_DAY:
                break
            journey.history("vacancy", vacancy_id, None, status, to, at(day, 9))
            status = to
        row["status"] = status or VacancyStatus.identified
        journey.add("vacancies", row)


# -- Cohorts and everything after -------------------------------------------------------------


class Pool:
    """Registered participants waiting for a cohort, by local authority, in registration order."""

    def __init__(self, people: list[Person]) -> None:
        self.by_town: dict[int, deque[Person]] = defaultdict(deque)
        self.everyone: deque[Person] = deque()
        for person in sorted(people, key=lambda p: (p.available_on, p.row["id"])):
            self.by_town[person.la_id].append(person)
            self.everyone.append(person)
        self.taken: set[int] = set()

    def _take_from(self, queue: deque[Person], latest: date, wanted: int,
                   chosen: list[Person]) -> None:
        while queue and len(chosen) < wanted:
            person = queue[0]
            if person.row["id"] in self.taken:
                queue.popleft()
                continue
            if person.available_on > latest:
                return
            queue.popleft()
            if person.status is S.registered:
                self.taken.add(person.row["id"])
                chosen.append(person)

    def take(self, town: int, latest: date, wanted: int) -> list[Person]:
        chosen: list[Person] = []
        self._take_from(self.by_town[town], latest, wanted, chosen)
        self._take_from(self.everyone, latest, wanted, chosen)
        return chosen


@dataclass
class Simulation:
    journey: Journey
    ledger: Ledger
    coordinator_id: int | None

    def cohorts(self, geography: Geography, sizes: Sizes, partners: list[dict],
                people: list[Person]) -> None:
        journey, rng = self.journey, self.journey.rng
        hosts = [p for p in partners if p["is_active"]] or partners
        programmes = [journey.add("programmes", stamp(dict(
            id=journey.new_id("programmes"), name=name, curriculum=curriculum,
            counts_as_gcse_equivalent=gcse, waives_interview=waives, is_active=active),
            at(FIRST_DAY))) for name, gcse, waives, active, curriculum in PROGRAMMES]
        pool = Pool(people)
        last_start = LAST_DAY + timedelta(days=70)
        span = (last_start - FIRST_COHORT).days
        names_used: set[tuple[int, str]] = set()
        ward_names = {ward_id: name for ward_id, _code, name, _la in geography.wards}
        for index in range(sizes.cohorts):
            starts_on = monday(FIRST_COHORT + timedelta(
                days=span * index // max(sizes.cohorts - 1, 1)))
            programme = programmes[2] if index % 16 == 3 and starts_on < FIRST_YEAR_ENDS else \
                rng.choice(programmes[:2] + programmes[:1])
            host = rng.choice(hosts)
            name = f"{ward_names[host['ward_id']]} {starts_on:%B %Y}"
            if (programme["id"], name) in names_used:
                name = f"{name} ({host['name']}, {index + 1})"[:120]
            names_used.add((programme["id"], name))
            self.cohort(programme, host, name, starts_on, pool)
        for person in people:
            if person.status is S.registered and not person.row.get("applied"):
                if rng.random() < 0.15:
                    self.apply(person, person.available_on + timedelta(days=rng.randint(21, 120)),
                               completer=False)
                elif rng.random() < 0.06:
                    day = person.available_on + timedelta(days=rng.randint(30, 200))
                    if day <= LAST_DAY:
                        journey.move(person, S.withdrawn, at(day), "Lost contact")
                        person.row["withdrawn_reason"] = "Lost contact"

    def cohort(self, programme: dict, host: dict, name: str, starts_on: date,
               pool: Pool) -> None:
        journey, rng = self.journey, self.journey.rng
        count = rng.choice((8, 9, 10, 10))
        offsets = [week * 7 + day for week in range(5) for day in (0, 2)][:count]
        cohort_id = journey.new_id("cohorts")
        row = journey.add("cohorts", stamp(dict(
            id=cohort_id, programme_id=programme["id"], name=name, host_partner_id=host["id"],
            venue=rng.choice(names.VENUES).capitalize(), ward_id=host["ward_id"],
            starts_on=starts_on, ends_on=starts_on + timedelta(days=offsets[-1]), capacity=10,
            status=C.planned, capacity_override_reason=None, capacity_overridden_by_id=None,
        ), at(starts_on - timedelta(days=56))))
        equality_at = rng.choice((1, 2, 3))
        topics = [t for t in TOPICS if t != TOPICS[1]]
        sessions = []
        for position, offset in enumerate(offsets):
            sessions.append(journey.add("cohort_sessions", dict(
                id=journey.new_id("cohort_sessions"), cohort_id=cohort_id,
                held_on=starts_on + timedelta(days=offset), starts_at=None,
                topic=TOPICS[1] if position == equality_at else topics.pop(0),
                is_equality_training=position == equality_at)))
        status = None
        for to, day in ((C.planned, starts_on - timedelta(days=56)),
                        (C.recruiting, starts_on - timedelta(days=35))):
            if day <= LAST_DAY:
                journey.history("cohort", cohort_id, None, status, to, at(day))
                status = to
        row["status"] = status or C.planned
        if status is not C.recruiting:
            return
        cancelled = starts_on <= LAST_DAY and rng.random() < 0.03
        wanted = rng.randrange(3, 6) if cancelled else rng.choice((8, 9, 9, 10, 10))
        if starts_on > LAST_DAY:  # still recruiting: some have signed up
            wanted = rng.randrange(0, 8)
        people = pool.take(host["local_authority_id"], starts_on - timedelta(days=3), wanted)
        enrolments = [self.enrol(person, cohort_id, name, starts_on) for person in people]
        if cancelled:
            day = max([starts_on - timedelta(days=7)] + [e["enrolled_on"] for e in enrolments])
            reason = rng.choice(("Too few people signed up", "The venue became unavailable"))
            journey.history("cohort", cohort_id, None, status, C.cancelled, at(day), reason)
            row["status"] = C.cancelled
            for enrolment, person in zip(enrolments, people, strict=True):
                self.leave(enrolment, person, day, f"The cohort was cancelled: {reason}", False)
            return
        if starts_on > LAST_DAY:
            return
        journey.history("cohort", cohort_id, None, status, C.running, at(starts_on, 9))
        row["status"] = C.running
        finished = row["ends_on"] < LAST_DAY - timedelta(days=7)
        for enrolment, person in zip(enrolments, people, strict=True):
            self.attend(enrolment, person, sessions, finished, name)
        if finished:
            journey.history("cohort", cohort_id, None, C.running, C.completed,
                            at(row["ends_on"], 17))
            row["status"] = C.completed

    def enrol(self, person: Person, cohort_id: int, name: str, starts_on: date) -> dict:
        journey, rng = self.journey, self.journey.rng
        earliest = min(max(person.row["registered_on"], starts_on - timedelta(days=28)),
                       LAST_DAY)
        enrolled_on = random_day(rng, earliest, max(min(starts_on, LAST_DAY), earliest))
        enrolment = journey.add("enrolments", stamp(dict(
            id=journey.new_id("enrolments"), participant_id=person.row["id"],
            cohort_id=cohort_id, status=E.enrolled, enrolled_on=enrolled_on, completed_on=None,
            completion_confirmed_by_id=None, withdrawn_on=None, withdrawal_reason=None,
            eligible_at_enrolment=bool(person.row["eligible"])), at(enrolled_on)))
        journey.history("enrolment", enrolment["id"], person.row["id"], None, E.enrolled,
                        at(enrolled_on))
        journey.move(person, S.enrolled, at(enrolled_on), f"Enrolled in {name}")
        return enrolment

    def leave(self, enrolment: dict, person: Person, day: date, reason: str,
              withdraws: bool) -> None:
        journey = self.journey
        journey.history("enrolment", enrolment["id"], person.row["id"], E.enrolled, E.withdrawn,
                        at(day), reason)
        enrolment.update(status=E.withdrawn, withdrawn_on=day, withdrawal_reason=reason)
        if withdraws:
            journey.move(person, S.withdrawn, at(day), reason)
            person.row["withdrawn_reason"] = reason
        else:
            journey.move(person, S.registered, at(day), f"Left the cohort: {reason}")

    def attend(self, enrolment: dict, person: Person, sessions: list[dict], finished: bool,
               name: str) -> None:
        journey, rng = self.journey, self.journey.rng
        roll, count = rng.random(), len(sessions)
        leaves_after = None
        if roll < 0.75:
            plan = [AttendanceStatus.present] * count
            for position in rng.sample(range(count), k=rng.randrange(int(count * 0.2) + 1)):
                plan[position] = rng.choice((AttendanceStatus.absent, AttendanceStatus.excused))
        elif roll < 0.9:
            leaves_after = rng.randrange(1, count - 2)
            plan = [AttendanceStatus.present] * leaves_after
        else:
            attended = rng.randrange(count // 2, int(count * 0.8))
            plan = [AttendanceStatus.present] * attended + \
                [AttendanceStatus.absent] * (count - attended)
            rng.shuffle(plan)
        for session, status in zip(sessions, plan, strict=False):
            if session["held_on"] <= LAST_DAY:
                journey.add("attendances", dict(
                    session_id=session["id"], enrolment_id=enrolment["id"], status=status,
                    recorded_by_id=journey.actor_id, recorded_at=at(session["held_on"], 17)))
        if leaves_after is not None:
            day = sessions[leaves_after - 1]["held_on"] + timedelta(days=rng.randrange(1, 4))
            if day <= LAST_DAY:
                self.leave(enrolment, person, day, rng.choice(DROP_OUT_REASONS),
                           withdraws=rng.random() < 0.7)
            return
        if not finished:
            return
        present = plan.count(AttendanceStatus.present)
        day = sessions[-1]["held_on"] + timedelta(days=rng.randrange(1, 8))
        if present * 5 < count * 4:
            self.leave(enrolment, person, day,
                       f"Attended {present} of {count} sessions: below the 80% needed to "
                       "complete", withdraws=False)
            person.available_on = day + timedelta(days=14)
            return
        journey.history("enrolment", enrolment["id"], person.row["id"], E.enrolled,
                        E.completed, at(day, 15), f"Attended {present} of {count} sessions")
        enrolment.update(status=E.completed, completed_on=day,
                         completion_confirmed_by_id=self.coordinator_id)
        journey.move(person, S.completed, at(day, 15), f"Completed {name}")
        ready = self.placement(enrolment, person, day)
        if rng.random() < 0.85:
            self.apply(person, ready + timedelta(days=rng.randint(7, 42)), completer=True)

    def placement(self, enrolment: dict, person: Person, completed_on: date) -> date:
        """Offer (and run) a placement; the day the person is ready to apply."""
        journey, rng = self.journey, self.journey.rng
        roll = rng.random()
        if roll < 0.04:
            return completed_on
        offered_on = completed_on + timedelta(
            days=rng.randrange(5, 50) if roll < 0.92 else rng.randrange(60, 95))
        if offered_on > LAST_DAY:
            return completed_on
        department, role = rng.choice(DEPARTMENTS)
        starts_on = monday(offered_on + timedelta(days=rng.randrange(10, 30)))
        placement = journey.add("placements", stamp(dict(
            id=journey.new_id("placements"), participant_id=person.row["id"],
            enrolment_id=enrolment["id"], department=department, site=None,
            supervisor_name=f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)}",
            role_sought=role, status=P.offered, offered_on=offered_on, starts_on=starts_on,
            ends_on=ten_working_days_end(starts_on), participant_feedback=None,
            supervisor_feedback=None), at(offered_on)))
        pid, placement_id = person.row["id"], placement["id"]
        journey.history("placement", placement_id, pid, None, P.offered, at(offered_on),
                        f"Offered in {department}")
        outcome = rng.random()
        if outcome < 0.06:
            day = offered_on + timedelta(days=rng.randrange(2, 9))
            if day <= LAST_DAY:
                journey.history("placement", placement_id, pid, P.offered, P.declined, at(day),
                                "Found a job elsewhere")
                placement["status"] = P.declined
            return completed_on
        moves = [(P.scheduled, offered_on + timedelta(days=2)), (P.in_progress, starts_on),
                 (P.completed, placement["ends_on"])]
        if outcome < 0.1:
            moves = [moves[0], (P.did_not_start, starts_on)]
        status = P.offered
        for to, day in moves:
            if day > LAST_DAY:
                return completed_on
            journey.history("placement", placement_id, pid, status, to, at(day, 16))
            status = placement["status"] = to
        if status is P.completed:
            journey.move(person, S.placed, at(placement["ends_on"], 16),
                         f"Completed a work experience placement in {department}")
            return placement["ends_on"]
        return completed_on

    def apply(self, person: Person, ready: date, completer: bool) -> None:
        journey, rng = self.journey, self.journey.rng
        post = self.ledger.choose(rng, ready, completer)
        if post is None or person.status is S.withdrawn:
            return
        applied_on = max(ready, post.row["opens_on"])
        if applied_on > LAST_DAY or applied_on > post.row["closes_on"]:
            return
        chance = (0.62, 0.23) if completer else (0.3, 0.55)
        draw = rng.random()
        result = "start" if draw < chance[0] else "unsuccessful" \
            if draw < sum(chance) else "withdrawn"
        if result == "start" and post.starts >= post.row["posts"]:
            result = "unsuccessful"
        pid = person.row["id"]
        application = journey.add("applications", stamp(dict(
            id=journey.new_id("applications"), participant_id=pid, vacancy_id=post.row["id"],
            stage=A.applied, applied_on=applied_on, interview_waived=completer,
            waiver_recorded_at=at(applied_on) if completer else None,
            gcse_equivalence_applied=completer, feedback=None, feedback_given_on=None,
            withdrawn_reason=None, offered_on=None, started_on=None), at(applied_on)))
        person.row["applied"] = True
        journey.history("application", application["id"], pid, None, A.applied, at(applied_on))
        journey.move(person, S.applied, at(applied_on), f"Applied for {post.row['title']}")
        path = [A.shortlisted] if completer else [A.shortlisted, A.interview]
        path += [A.offered, A.pre_employment_checks, A.started]
        stop = len(path) if result == "start" else rng.randrange(len(path) - 1)
        day = post.row["closes_on"] + timedelta(days=rng.randint(3, 10))
        stage = A.applied
        for to in path[:stop]:
            if day > LAST_DAY:
                return
            journey.history("application", application["id"], pid, stage, to, at(day, 11))
            stage = application["stage"] = to
            if to is A.offered:
                application["offered_on"] = day
            if to is A.started:
                self.start(application, person, post, day)
                return
            day += timedelta(days=rng.randint(21, 49) if to is A.pre_employment_checks
                             else rng.randint(2, 10))
        if day > LAST_DAY:
            return
        if result == "unsuccessful":
            journey.history("application", application["id"], pid, stage, A.unsuccessful,
                            at(day, 11))
            application.update(stage=A.unsuccessful, feedback=rng.choice(FEEDBACK),
                               feedback_given_on=day)
        else:
            reason = rng.choice(WITHDRAWALS)
            journey.history("application", application["id"], pid, stage, A.withdrawn,
                            at(day, 11), reason)
            application.update(stage=A.withdrawn, withdrawn_reason=reason)
        self.elsewhere(person, day, completer)

    def start(self, application: dict, person: Person, post: Post, day: date) -> None:
        journey, rng = self.journey, self.journey.rng
        application["started_on"] = day
        post.starts += 1
        post.last_start = max(post.last_start or day, day)
        journey.move(person, S.employed, at(day, 11), f"Started as {post.row['title']}")
        outcome = journey.add("outcomes", stamp(dict(
            id=journey.new_id("outcomes"), participant_id=person.row["id"],
            application_id=application["id"], kind=OutcomeKind.entry_level_role_at_anchor,
            started_on=day, employer=None, role_title=post.row["title"], band=post.row["band"],
            sustained_13_weeks=None, checked_13_on=None, sustained_26_weeks=None,
            checked_26_on=None, progressed_band=None, progressed_on=None, notes=None),
            at(day)))
        for weeks, days in ((13, 91), (26, 182)):
            checked_on = day + timedelta(days=days + rng.randrange(15))
            if checked_on > LAST_DAY:
                break
            still = rng.random() < (0.9 if weeks == 13 else 0.92)
            outcome[f"sustained_{weeks}_weeks"] = still
            outcome[f"checked_{weeks}_on"] = checked_on
            if not still:
                break
        if outcome["sustained_26_weeks"] and outcome["band"] is AfcBand.band_2 \
                and rng.random() < 0.08:
            progressed_on = day + timedelta(days=182 + rng.randrange(30, 240))
            if progressed_on <= LAST_DAY:
                outcome.update(progressed_band=AfcBand.band_3, progressed_on=progressed_on)

    def elsewhere(self, person: Person, day: date, completer: bool) -> None:
        journey, rng = self.journey, self.journey.rng
        draw = rng.random()
        if draw < 0.25:
            started_on = day + timedelta(days=rng.randint(14, 120))
            if started_on <= LAST_DAY:
                journey.add("outcomes", stamp(dict(
                    id=journey.new_id("outcomes"), participant_id=person.row["id"],
                    application_id=None, kind=pick(rng, cumulative(OTHER_OUTCOMES)),
                    started_on=started_on, employer="Local employer", role_title=None,
                    band=None, sustained_13_weeks=None, checked_13_on=None,
                    sustained_26_weeks=None, checked_26_on=None, progressed_band=None,
                    progressed_on=None, notes=None), at(started_on)))
                journey.move(person, S.other_outcome, at(started_on), "A positive outcome "
                             "elsewhere")
        elif draw < 0.35 and completer:
            starts_on = day + timedelta(days=rng.randint(0, 30))
            if starts_on <= LAST_DAY:
                ends_on = starts_on + timedelta(days=rng.randint(30, 150))
                journey.add("volunteering_roles", stamp(dict(
                    id=journey.new_id("volunteering_roles"), participant_id=person.row["id"],
                    organisation="Hospital volunteer service", role="Ward volunteer",
                    starts_on=starts_on, ends_on=ends_on if ends_on <= LAST_DAY else None,
                    hours=rng.randrange(10, 120)), at(starts_on)))


