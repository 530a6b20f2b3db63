"""Every model and its enums, importable from one place; importing this registers all tables.

Alembic and ``configure_mappers`` need every module loaded, so each one is imported here even
where a name is rarely used from the package.
"""

from __future__ import annotations

from recruit.models.applications import Application, ApplicationStage
from recruit.models.audit import AuditEvent
from recruit.models.base import (
    Base,
    TimestampMixin,
    UTCDateTime,
    VersionedMixin,
    enum_column,
    utcnow,
)
from recruit.models.cohorts import (
    Attendance,
    AttendanceStatus,
    Cohort,
    CohortSession,
    CohortStatus,
    Enrolment,
    EnrolmentStatus,
    Programme,
)
from recruit.models.equality import (
    Answer,
    EqualityMonitoring,
    EthnicGroup,
    Ethnicity,
    Religion,
    Sex,
    SexualOrientation,
)
from recruit.models.history import ParticipantStage, StatusChange
from recruit.models.outcomes import Outcome, OutcomeKind, Volunteering
from recruit.models.outreach import ActivityKind, Barrier, OutreachActivity
from recruit.models.participants import (
    EmploymentStatus,
    Participant,
    ParticipantSource,
    ParticipantStatus,
    PostcodeStatus,
    QualificationLevel,
)
from recruit.models.partners import Ambassador, PartnerKind, PartnerOrganisation
from recruit.models.placements import Placement, PlacementStatus
from recruit.models.reference import LocalAuthority, Lsoa, Postcode, Ward
from recruit.models.reports import BoardReport, ReportStatus
from recruit.models.security import LoginThrottle, RecoveryCode
from recruit.models.statistics import (
    AreaType,
    Characteristic,
    CountArea,
    EntryRoute,
    ImportBatch,
    ImportKind,
    PopulationStatistic,
    RecruitmentOutcome,
    WorkforceAggregate,
    WorkforceCount,
    WorkforceRecord,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.models.targets import Target, TargetMetric, TargetMilestone, TargetReading
from recruit.models.users import Role, User
from recruit.models.vacancies import AfcBand, StaffGroup, Vacancy, VacancyStatus

__all__ = [
    "ActivityKind",
    "AfcBand",
    "Ambassador",
    "Answer",
    "Application",
    "ApplicationStage",
    "AreaType",
    "Attendance",
    "AttendanceStatus",
    "AuditEvent",
    "Barrier",
    "Base",
    "BoardReport",
    "Characteristic",
    "Cohort",
    "CohortSession",
    "CohortStatus",
    "CountArea",
    "EmploymentStatus",
    "Enrolment",
    "EnrolmentStatus",
    "EntryRoute",
    "EqualityMonitoring",
    "EthnicGroup",
    "Ethnicity",
    "ImportBatch",
    "ImportKind",
    "LocalAuthority",
    "LoginThrottle",
    "Lsoa",
    "Outcome",
    "OutcomeKind",
    "OutreachActivity",
    "Participant",
    "ParticipantSource",
    "ParticipantStage",
    "ParticipantStatus",
    "PartnerKind",
    "PartnerOrganisation",
    "Placement",
    "PlacementStatus",
    "PopulationStatistic",
    "Postcode",
    "PostcodeStatus",
    "Programme",
    "QualificationLevel",
    "RecoveryCode",
    "RecruitmentOutcome",
    "Religion",
    "ReportStatus",
    "Role",
    "Sex",
    "SexualOrientation",
    "StaffGroup",
    "StatusChange",
    "Target",
    "TargetMetric",
    "TargetMilestone",
    "TargetReading",
    "TimestampMixin",
    "UTCDateTime",
    "User",
    "Vacancy",
    "VacancyStatus",
    "VersionedMixin",
    "Volunteering",
    "Ward",
    "WorkforceAggregate",
    "WorkforceCount",
    "WorkforceRecord",
    "WorkforceSnapshot",
    "WorkforceSource",
    "enum_column",
    "utcnow",
]
