"""A fixed programme for the targets, dashboard and board pack tests (quarter 2025-Q1).

Built on :mod:`tests.statistics_world` (geography, Census, a workforce snapshot of 31 March 2025),
with every name that reaches a page or the pack given explicitly, so that the pack's HTML is the
same whatever other tests ran before. The hand-computed figures the tests expect:

Outreach in 2025-Q1 (April to June 2025): two activities, 100 + 50 reached, 20 + 10 interested.
Journey (dated history, 10:00 UTC each day):
  12 registered 2 April (P1-P9 by Al-Noor Mosque in Coldhurst, P10-P12 by Hope Church in
  Central Rochdale); P1-P10 enrolled 16 April (14 days); P1-P8 completed 30 May (44 days),
  P9-P10 withdrew 1 May; P1-P6 offered a placement 6 June (within 8 weeks), P7 on 15 August
  (late), P8 never; P1-P5 started their placement 16 June (17 days); P1-P4 applied 20 June
  (4 days); P1-P3 offered 25 June (5 days); P1-P2 started 30 June (5 days); P4 and P5 closed as
  unsuccessful, P4 with written feedback.
  Funnel: 150, 30, 12, 10, 8, 5, 4, 3, 2, 0; placement guarantee 6 of 8; feedback 1 of 2.
Before and after: P0 enrolled 1 August 2024 and started 1 October 2024; P13 (not eligible when
enrolled) enrolled 1 February 2025 and started 30 June 2025.
Targets (1 April 2024 to 31 March 2026, as at 30 June 2025):
  residents employed 20: actual 3 (P0, P1, P2), quarterly 0, 1, 0, 2 -> 0.75 a quarter;
  places filled 24: actual 12; ambassadors trained 4: actual 2; posts identified 10: actual 10
  (6 + 4; a withdrawn vacancy of 3 left out); custom "Schools visited" 100: readings 10, 25, 40,
  55, 70 at each quarter end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from recruit.extensions import db
from recruit.models import (
    AfcBand,
    ApplicationStage,
    EnrolmentStatus,
    EntryRoute,
    Ethnicity,
    ImportKind,
    OutcomeKind,
    PartnerKind,
    PlacementStatus,
    StatusChange,
    Target,
    TargetMetric,
    TargetReading,
    VacancyStatus,
)
from tests import (
    factories,
    factories_cohorts,
    factories_participants,
    factories_vacancies,
    statistics_world,
)
from tests import factories_statistics as fs

QUARTER = "2025-Q1"
TODAY = date(2025, 7, 10)  # P8's guarantee period (to 25 July) is still open
STARTS_ON, DEADLINE_ON = date(2024, 4, 1), date(2026, 3, 31)


@dataclass
class BoardWorld:
    base: statistics_world.World
    targets: dict[str, int]
    participants: list[int]
    cohort_id: int


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), UTC)


def history(participant, subject_type: str, subject_id: int, to_status: str, day: date):
    db.session.add(StatusChange(subject_type=subject_type, subject_id=subject_id,
                                participant_id=participant.id, to_status=to_status,
                                changed_at=at(day)))


def build() -> BoardWorld:
    base = statistics_world.build()
    mosque = factories.PartnerFactory(name="Al-Noor Mosque", kind=PartnerKind.mosque,
                                      ward=base.w1, local_authority=base.oldham)
    church = factories.PartnerFactory(name="Hope Church", kind=PartnerKind.church,
                                      ward=base.w3, local_authority=base.rochdale)
    sam = factories.AmbassadorFactory(name="Sam Ambassador", trained_on=date(2024, 5, 1))
    factories.AmbassadorFactory(name="Ada Ambassador", trained_on=date(2025, 5, 10))
    factories.AmbassadorFactory(name="Una Untrained", trained_on=None)
    factories.ActivityFactory(held_on=date(2025, 4, 10), partner=mosque, ward=base.w1,
                              venue="Al-Noor Mosque hall", people_reached=100,
                              expressions_of_interest=20, ambassadors=[sam])
    factories.ActivityFactory(held_on=date(2025, 5, 15), partner=church, ward=base.w3,
                              venue="Hope Church hall", people_reached=50,
                              expressions_of_interest=10)
    factories.ActivityFactory(held_on=date(2025, 3, 1), partner=mosque, ward=base.w1,
                              venue="Al-Noor Mosque hall", people_reached=30,
                              expressions_of_interest=3)

    programme = factories_cohorts.ProgrammeFactory(name="Step into the NHS")
    cohort = factories_cohorts.CohortFactory(
        programme=programme, name="Coldhurst spring 2025", host_partner=mosque, ward=base.w1,
        starts_on=date(2025, 4, 21), ends_on=date(2025, 5, 30))
    earlier = factories_cohorts.CohortFactory(
        programme=programme, name="Coldhurst summer 2024", host_partner=mosque, ward=base.w1,
        starts_on=date(2024, 8, 5), ends_on=date(2024, 9, 13))
    vacancy = factories_vacancies.VacancyFactory(
        title="Healthcare support worker", posts=6, identified_on=date(2024, 6, 1),
        band=AfcBand.band_2)
    factories_vacancies.VacancyFactory(title="Porter", posts=4, identified_on=date(2025, 5, 1))
    factories_vacancies.VacancyFactory(title="Ward clerk", posts=3,
                                       identified_on=date(2025, 5, 2),
                                       status=VacancyStatus.withdrawn)

    people = []
    ethnicities = [Ethnicity.asian_pakistani] * 6 + [Ethnicity.white_british] * 3
    for number in range(1, 13):
        partner = mosque if number <= 9 else church
        ward, town = (base.w1, base.oldham) if number <= 9 else (base.w3, base.rochdale)
        person = factories_cohorts.ParticipantFactory(
            first_name=f"Person{number}", last_name="Test", referring_partner=partner,
            ward=ward, local_authority=town, registered_on=date(2025, 4, 2))
        if number <= len(ethnicities):
            factories_participants.EqualityFactory(participant=person,
                                                   ethnicity=ethnicities[number - 1])
        history(person, "participant", person.id, "registered", date(2025, 4, 2))
        people.append(person)
    db.session.flush()
    for number, person in enumerate(people, start=1):
        if number > 10:
            continue
        completed = number <= 8
        enrolment = factories_cohorts.EnrolmentFactory(
            participant=person, cohort=cohort, enrolled_on=date(2025, 4, 16),
            status=EnrolmentStatus.completed if completed else EnrolmentStatus.withdrawn,
            completed_on=date(2025, 5, 30) if completed else None,
            withdrawn_on=None if completed else date(2025, 5, 1))
        history(person, "enrolment", enrolment.id, "enrolled", date(2025, 4, 16))
        history(person, "enrolment", enrolment.id,
                "completed" if completed else "withdrawn",
                date(2025, 5, 30) if completed else date(2025, 5, 1))
        if number <= 7:
            offered_on = date(2025, 6, 6) if number <= 6 else date(2025, 8, 15)
            placement = factories_cohorts.PlacementFactory(
                enrolment=enrolment, participant=person, offered_on=offered_on,
                status=PlacementStatus.in_progress if number <= 5 else PlacementStatus.offered)
            history(person, "placement", placement.id, "offered", offered_on)
            if number <= 5:
                history(person, "placement", placement.id, "in_progress", date(2025, 6, 16))
        if number <= 5:
            stage = (ApplicationStage.started if number <= 2 else ApplicationStage.offered
                     if number == 3 else ApplicationStage.unsuccessful)
            application = factories_vacancies.ApplicationFactory(
                participant=person, vacancy=vacancy, applied_on=date(2025, 6, 20), stage=stage,
                feedback="Strong answers; gain more experience of ward routines."
                if number == 4 else None,
                feedback_given_on=date(2025, 6, 27) if number == 4 else None)
            if number <= 4:
                history(person, "application", application.id, "applied", date(2025, 6, 20))
            if number <= 3:
                history(person, "application", application.id, "offered", date(2025, 6, 25))
            if number <= 2:
                history(person, "application", application.id, "started", date(2025, 6, 30))
                factories_vacancies.OutcomeFactory(
                    participant=person, application=application,
                    kind=OutcomeKind.entry_level_role_at_anchor, started_on=date(2025, 6, 30))
            if number >= 4:
                history(person, "application", application.id, "unsuccessful",
                        date(2025, 6, 26 + number - 4))
    # Before the quarter: P0, who started in October 2024; P13, not eligible at enrolment.
    for name, enrolled_on, started_on, eligible in (
            ("Person0", date(2024, 8, 1), date(2024, 10, 1), True),
            ("Person13", date(2025, 2, 1), date(2025, 6, 30), False)):
        person = factories_cohorts.ParticipantFactory(
            first_name=name, last_name="Test", referring_partner=mosque, ward=base.w1,
            local_authority=base.oldham, registered_on=enrolled_on)
        factories_cohorts.EnrolmentFactory(
            participant=person, cohort=earlier, enrolled_on=enrolled_on,
            eligible_at_enrolment=eligible,
            status=EnrolmentStatus.completed if eligible else EnrolmentStatus.enrolled,
            completed_on=date(2024, 9, 13) if eligible else None)
        factories_vacancies.OutcomeFactory(participant=person,
                                           kind=OutcomeKind.entry_level_role_at_anchor,
                                           started_on=started_on)

    # WRES indicator 2: shortlisting decisions in the year to the snapshot (31 March 2025).
    batch = fs.ImportBatchFactory(kind=ImportKind.recruitment, edition="Test recruitment",
                                  imported_at=at(date(2025, 4, 1)))
    fs.outcomes(20, ethnic_category="A", appointed=False, import_batch=batch)
    fs.outcomes(10, ethnic_category="A", appointed=True, import_batch=batch)
    fs.outcomes(20, ethnic_category="J", appointed=False, import_batch=batch)
    fs.outcomes(10, ethnic_category="J", appointed=True, import_batch=batch,
                route=EntryRoute.programme)

    targets = {}
    for name, metric, value in (
            ("Residents employed in entry-level roles", TargetMetric.residents_employed, 20),
            ("Pre-employment places filled", TargetMetric.places_filled, 24),
            ("Career ambassadors trained", TargetMetric.ambassadors_trained, 4),
            ("Entry-level posts identified", TargetMetric.posts_identified, 10),
            ("Schools visited", TargetMetric.custom, 100)):
        target = Target(name=name, metric=metric, value=value, starts_on=STARTS_ON,
                        deadline_on=DEADLINE_ON)
        db.session.add(target)
        db.session.flush()
        targets[name] = target.id
        if metric is TargetMetric.custom:
            for day, reading in ((date(2024, 6, 30), 10), (date(2024, 9, 30), 25),
                                 (date(2024, 12, 31), 40), (date(2025, 3, 31), 55),
                                 (date(2025, 6, 30), 70)):
                db.session.add(TargetReading(target_id=target.id, as_of=day, value=reading))
    db.session.commit()
    return BoardWorld(base, targets, [p.id for p in people], cohort.id)


_frozen_figures: dict | None = None


def access_rows() -> dict[str, object]:
    """Rows for the access matrix: a custom target with a milestone and a reading, and a
    published report (figures built once per run, stored bytes standing in for its PDF)."""
    global _frozen_figures
    from recruit.models import BoardReport, ReportStatus, TargetMilestone
    from recruit.reports import context
    from recruit.statistics.periods import Quarter

    target = Target(name="Access target", metric=TargetMetric.custom, value=10,
                    starts_on=STARTS_ON, deadline_on=DEADLINE_ON)
    target.milestones.append(TargetMilestone(due_on=date(2025, 3, 31), value=5))
    target.readings.append(TargetReading(as_of=date(2025, 3, 31), value=3))
    db.session.add(target)
    db.session.flush()
    if _frozen_figures is None:
        settings = context.Settings(organisation="Test NHS Foundation Trust",
                                    data_dir="/nonexistent")
        _frozen_figures = context.figures(context.build(
            db.session, Quarter.parse(QUARTER), settings, today=TODAY, status="Published"))
    pdf = b"%PDF-1.7\n% a stand-in for the frozen pack\n"
    report = BoardReport(quarter=QUARTER, status=ReportStatus.published,
                         figures=_frozen_figures, pdf=pdf,
                         pdf_sha256=hashlib.sha256(pdf).hexdigest(), published_at=at(TODAY))
    db.session.add(report)
    db.session.flush()
    return {"target_id": target.id, "milestone_id": target.milestones[0].id,
            "reading_id": target.readings[0].id, "report_id": report.id,
            "table_key": "funnel", "fmt": "csv"}
