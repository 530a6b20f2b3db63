"""Participants: who may see which, enrolment, changes, withdrawal, equality answers, referrals.

Isolation lives here in one place: :func:`visible_participants` is the only way views reach
participants, so a partner user sees only the people their own organisation referred, and
:func:`get_participant_or_404` answers 404 (not 403) for anyone else's.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, current_app
from sqlalchemy.orm import selectinload

from recruit import audit
from recruit.auth.access import STAFF
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.journey.history import transition
from recruit.models import (
    Application,
    ApplicationStage,
    Enrolment,
    EnrolmentStatus,
    EqualityMonitoring,
    OutreachActivity,
    Participant,
    ParticipantSource,
    ParticipantStatus,
    PartnerOrganisation,
    Placement,
    PlacementStatus,
    PostcodeStatus,
    Role,
    User,
)
from recruit.models.base import utcnow
from recruit.participants import eligibility
from recruit.participants.duplicates import InvalidPhone, normalise_email, normalise_phone
from recruit.reference.postcodes import InvalidPostcode, normalise_postcode, resolve_postcode
from recruit.statistics.suppression import NOTE as SUPPRESSION_NOTE
from recruit.statistics.suppression import suppress_count

# The moves this module makes; cohorts, placements and applications add their own.
WITHDRAWABLE = {
    ParticipantStatus.registered, ParticipantStatus.enrolled, ParticipantStatus.completed,
    ParticipantStatus.placed, ParticipantStatus.applied,
}
MOVES: dict[ParticipantStatus | None, set[ParticipantStatus]] = {
    None: {ParticipantStatus.registered},
    **{status: {ParticipantStatus.withdrawn} for status in WITHDRAWABLE},
}
MINIMUM_AGE = 16
MAXIMUM_AGE = 100

# Details the enrolment form sets directly; source, partner and consent dates are derived.
PLAIN_FIELDS = (
    "first_name", "last_name", "preferred_name", "date_of_birth", "preferred_language",
    "needs_interpreter", "employment_status", "highest_qualification", "how_heard", "notes",
)


# -- who may see what ------------------------------------------------------------------------

def visibility(user: User) -> sa.ColumnElement[bool]:
    """The condition on participants that ``user`` may see, to add to any statement."""
    if user.role in STAFF:
        return sa.true()
    if user.role is Role.partner and user.partner_id is not None:
        return Participant.referring_partner_id == user.partner_id
    return sa.false()


def visible_participants(user: User) -> sa.Select:
    """Select the participants ``user`` may see, as a statement to filter further."""
    return sa.select(Participant).where(visibility(user))


def get_participant_or_404(participant_id: int, user: User) -> Participant:
    """One participant the user may see; another organisation's participant is a 404."""
    participant = db.session.scalar(
        visible_participants(user).where(Participant.id == participant_id)
    )
    if participant is None:
        abort(404)
    return participant


def progress_shared_with(participant: Participant, user: User) -> bool:
    """Whether ``user`` may see how the participant is getting on, beyond their own record.

    A partner sees progress only with the participant's consent to share it with them.
    """
    return shares_progress(user, participant.consent_to_share_with_partner)


def shares_progress(user: User, consent_to_share_with_partner: bool | None) -> bool:
    """:func:`progress_shared_with` from the participant's consent alone (for an export's rows)."""
    return user.role in STAFF or bool(consent_to_share_with_partner)


def filtered(user: User, filters: dict) -> sa.Select:
    """Narrow the user's visible participants by the list filters."""
    stmt = visible_participants(user)
    if filters.get("q"):
        term = f"%{filters['q'].strip().lower()}%"
        full_name = sa.func.lower(Participant.first_name + " " + Participant.last_name)
        stmt = stmt.where(sa.or_(
            full_name.like(term),
            sa.func.lower(Participant.preferred_name).like(term),
            sa.func.lower(Participant.email).like(term),
        ))
    if filters.get("status"):
        stmt = stmt.where(Participant.status == filters["status"])
    if filters.get("partner_id"):
        stmt = stmt.where(Participant.referring_partner_id == filters["partner_id"])
    if filters.get("ward_id"):
        stmt = stmt.where(Participant.ward_id == filters["ward_id"])
    match filters.get("eligible"):
        case "yes":
            stmt = stmt.where(Participant.eligible.is_(True))
        case "no":
            stmt = stmt.where(Participant.eligible.is_(False))
        case "undecided":
            stmt = stmt.where(Participant.eligible.is_(None))
    return stmt


def with_related(stmt: sa.Select) -> sa.Select:
    """Newest first, with ward, town and partner loaded for a whole page in a few queries."""
    return stmt.order_by(Participant.registered_on.desc(), Participant.id.desc()).options(
        selectinload(Participant.ward),
        selectinload(Participant.local_authority),
        selectinload(Participant.referring_partner),
        selectinload(Participant.source_activity),
    )


# -- enrolment and changes -------------------------------------------------------------------

def rule() -> eligibility.EligibilityRule:
    return eligibility.EligibilityRule.from_config(current_app.config)


def _check(data: dict, today: date) -> dict:
    """Check again what the form checks, for callers that bypass it; return normalised values."""
    for name, message in (("first_name", "Enter their first name"),
                          ("last_name", "Enter their last name")):
        if not (data.get(name) or "").strip():
            raise ValidationFailed(message, name)
    born = data.get("date_of_birth")
    if born is None:
        raise ValidationFailed("Enter their date of birth", "date_of_birth")
    if born > today:
        raise ValidationFailed("Date of birth must be in the past", "date_of_birth")
    if age_on(born, today) < MINIMUM_AGE:
        raise ValidationFailed(f"They must be {MINIMUM_AGE} or older to join the programme",
                               "date_of_birth")
    if age_on(born, today) > MAXIMUM_AGE:
        raise ValidationFailed("Check the date of birth: it makes them older than "
                               f"{MAXIMUM_AGE}", "date_of_birth")
    if data.get("employment_status") is None:
        raise ValidationFailed("Choose their employment status", "employment_status")
    try:
        postcode = normalise_postcode(data.get("postcode"))
    except InvalidPostcode as exc:
        raise ValidationFailed(exc.message, "postcode") from None
    try:
        phone = normalise_phone(data.get("phone"))
    except InvalidPhone as exc:
        raise ValidationFailed(exc.message, "phone") from None
    return {"postcode": postcode, "phone": phone, "email": normalise_email(data.get("email"))}


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _source(data: dict, actor: User, participant: Participant) -> None:
    """Set where the participant came from. A partner user always refers for their own org."""
    if actor.role is Role.partner:
        partner = db.session.get(PartnerOrganisation, actor.partner_id)
        if partner is None or partner.data_sharing_agreement_on is None:
            raise ValidationFailed(
                "Your organisation has no data-sharing agreement with the programme yet, so it "
                "cannot enrol participants. Contact the programme team.")
        if participant.id is None:  # on an edit the source stays as it was
            participant.source = ParticipantSource.partner_referral
            participant.referring_partner_id = partner.id
            participant.source_activity_id = None
        return
    source = data.get("source")
    if source is None:
        raise ValidationFailed("Choose how they came to the programme", "source")
    partner_id = data.get("referring_partner_id")
    activity_id = data.get("source_activity_id")
    if source is ParticipantSource.partner_referral:
        if not partner_id or db.session.get(PartnerOrganisation, partner_id) is None:
            raise ValidationFailed("Choose the partner organisation that referred them",
                                   "referring_partner_id")
        activity_id = None
    elif source is ParticipantSource.outreach_activity:
        if not activity_id or db.session.get(OutreachActivity, activity_id) is None:
            raise ValidationFailed("Choose the outreach activity where they heard about the "
                                   "programme", "source_activity_id")
        partner_id = None
    else:
        partner_id = activity_id = None
    participant.source = source
    participant.referring_partner_id = partner_id
    participant.source_activity_id = activity_id


def _consent(participant: Participant, data: dict, today: date) -> None:
    """Record each consent with the day it was given; withdrawing it clears the date."""
    for flag, dated in (("consent_to_contact", "consent_to_contact_on"),
                        ("consent_to_share_with_partner", "consent_to_share_on")):
        given = bool(data.get(flag))
        if given and not getattr(participant, flag):
            setattr(participant, dated, today)
        elif not given:
            setattr(participant, dated, None)
        setattr(participant, flag, given)


def _residence(participant: Participant, postcode: str) -> None:
    """Resolve the postcode through the reference tables; an unknown one is kept and flagged."""
    resolved = resolve_postcode(postcode)
    participant.postcode = postcode
    participant.postcode_status = (
        PostcodeStatus.resolved if resolved is not None else PostcodeStatus.unknown
    )
    participant.lsoa_id = resolved.lsoa_id if resolved else None
    participant.ward_id = resolved.ward_id if resolved else None
    participant.local_authority_id = resolved.local_authority_id if resolved else None
    participant.imd_decile = resolved.imd_decile if resolved else None
    participant.imd_edition = resolved.imd_edition if resolved else None
    # The decision is taken now, from the resolution just made: a later IMD edition must not
    # change who was eligible when they registered.
    decision = eligibility.decide_eligibility(
        eligibility.residence_from(resolved), participant.employment_status, rule()
    )
    participant.eligible = decision.eligible
    participant.eligibility_reason = decision.reason[:255]


def _apply(participant: Participant, data: dict, actor: User | None, today: date) -> bool:
    """Set the participant's details; return whether eligibility needed deciding again.

    :param actor: ``None`` for a resident's own form, whose source the caller has set.
    """
    clean = _check(data, today)
    if actor is not None:
        _source(data, actor, participant)
    before = (participant.postcode, participant.employment_status)
    for name in PLAIN_FIELDS:
        value = data.get(name)
        setattr(participant, name, (value.strip() or None) if isinstance(value, str) else value)
    participant.needs_interpreter = bool(data.get("needs_interpreter"))
    participant.email, participant.phone = clean["email"], clean["phone"]
    participant.barriers = list(data.get("barriers") or ())
    _consent(participant, data, today)
    participant.last_activity_at = utcnow()
    changed = before != (clean["postcode"], participant.employment_status)
    if changed:
        _residence(participant, clean["postcode"])
    return changed


def enrol_participant(data: dict, actor: User, today: date | None = None) -> Participant:
    """Register a participant from validated form data, deciding eligibility from residence.

    :raises ValidationFailed: on a rule the form could not check (or for callers without one).
    """
    today = today or date.today()
    participant = Participant(registered_by_id=actor.id, registered_on=today)
    _apply(participant, data, actor, today)
    db.session.add(participant)
    # Not flushed yet, so the status is still unset and the history row reads "new → registered".
    transition(participant, ParticipantStatus.registered, actor=actor, allowed=MOVES,
               what="This participant", at=utcnow())
    audit.record("create", participant, actor=actor)
    return participant


def register_self_referral(
    data: dict, partner: PartnerOrganisation, *, possible_duplicate: bool = False
) -> Participant:
    """Register a resident from the expression-of-interest form a partner handed them.

    Same checks as enrolment; the resident is never shown other people's records, so a possible
    duplicate is registered and flagged for the programme team to check before contacting.
    """
    today = date.today()
    participant = Participant(
        registered_on=today, source=ParticipantSource.self_referral,
        referring_partner_id=partner.id, how_heard=f"Self-referral form from {partner.name}",
    )
    _apply(participant, {**data, "how_heard": participant.how_heard}, None, today)
    if possible_duplicate:
        participant.notes = "Possible duplicate of an existing participant: check before contact."
    db.session.add(participant)
    transition(participant, ParticipantStatus.registered, actor=None, allowed=MOVES,
               what="This participant", at=utcnow())
    audit.record("self_referral", participant, actor=None,
                 detail="possible duplicate" if possible_duplicate else None)
    return participant


def update_participant(participant: Participant, data: dict, actor: User) -> None:
    """Change a participant's details, refusing a save made from a stale copy."""
    check_version(participant, data.get("version"), "participant")
    if _apply(participant, data, actor, date.today()):
        audit.record("update", participant, actor=actor, detail="residence or employment "
                     "changed; eligibility decided again")
    else:
        audit.record("update", participant, actor=actor)
    db.session.flush()


def withdraw_participant(participant: Participant, reason: str | None, actor: User) -> None:
    """Withdraw a participant from the programme; a reason is always recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Enter the reason they are withdrawing", "reason")
    if participant.status not in WITHDRAWABLE:
        raise ValidationFailed(
            f"{participant.display_name} cannot be withdrawn: their journey has already ended "
            f"({participant.status.value.lower()})", "reason")
    transition(participant, ParticipantStatus.withdrawn, actor=actor, reason=reason,
               allowed=MOVES, what="This participant")
    participant.withdrawn_reason = reason
    participant.last_activity_at = utcnow()
    _close_open_steps(participant, reason, actor)
    db.session.flush()
    audit.record("withdraw", participant, actor=actor)


def _close_open_steps(participant: Participant, reason: str, actor: User) -> None:
    """Someone leaving the programme leaves their cohort, placement offer and applications too.

    Without this a withdrawn person would stay on a cohort's register and in the application
    pipeline. Each closing is its own dated history row with the same reason.
    """
    from recruit.applications.services import ALLOWED as APPLICATION_MOVES
    from recruit.applications.services import FINAL as FINAL_STAGES
    from recruit.cohorts.services import ENROLMENT_ALLOWED
    from recruit.placements.services import PLACEMENT_ALLOWED

    today = date.today()
    pid = participant.id
    for enrolment in db.session.scalars(sa.select(Enrolment).where(
            Enrolment.participant_id == pid, Enrolment.status == EnrolmentStatus.enrolled)):
        transition(enrolment, EnrolmentStatus.withdrawn, actor=actor, reason=reason,
                   allowed=ENROLMENT_ALLOWED, what="This enrolment")
        enrolment.withdrawn_on = max(today, enrolment.enrolled_on)
        enrolment.withdrawal_reason = reason
    for placement in db.session.scalars(sa.select(Placement).where(
            Placement.participant_id == pid,
            Placement.status.in_([PlacementStatus.offered, PlacementStatus.scheduled]))):
        closed = (PlacementStatus.declined if placement.status is PlacementStatus.offered
                  else PlacementStatus.did_not_start)
        transition(placement, closed, actor=actor, reason=reason, allowed=PLACEMENT_ALLOWED,
                   what="This placement")
    for application in db.session.scalars(sa.select(Application).where(
            Application.participant_id == pid, Application.stage.not_in(FINAL_STAGES))):
        transition(application, ApplicationStage.withdrawn, actor=actor, reason=reason,
                   allowed=APPLICATION_MOVES, what="This application")
        application.withdrawn_reason = reason


# -- equality monitoring: special category data, kept apart ---------------------------------

EQUALITY_FIELDS = (
    "ethnicity", "sex", "gender_same_as_birth", "religion", "disability", "sexual_orientation",
    "carer", "care_leaver", "armed_forces",
)


def equality_record(participant: Participant) -> EqualityMonitoring | None:
    """The participant's answers. Only for admins' eyes and the code that saves them."""
    return db.session.scalar(
        sa.select(EqualityMonitoring).where(EqualityMonitoring.participant_id == participant.id)
    )


def save_equality(participant: Participant, data: dict, actor: User) -> EqualityMonitoring:
    """Record equality monitoring answers; once recorded, only an HR admin may change them.

    Whoever enrols a participant may record the answers, but may not read them back
    (DOMAIN.md §2), so they may not overwrite answers they cannot see either.
    """
    record = equality_record(participant)
    if record is None:
        record = EqualityMonitoring(participant_id=participant.id)
        db.session.add(record)
    elif actor.role is not Role.admin:
        raise ValidationFailed("Equality monitoring answers are already recorded for this "
                               "person. Only HR admins can see or change them.")
    else:
        check_version(record, data.get("version"), "equality monitoring answers")
    for name in EQUALITY_FIELDS:
        setattr(record, name, data.get(name) or None)
    db.session.flush()
    # The audit trail names the action, never the answers.
    audit.record("equality monitoring saved", participant, actor=actor)
    return record


# -- what a partner sees of its referrals ----------------------------------------------------

def referral_counts(partner_id: int) -> list[tuple[str, int]]:
    """How many of a partner's referrals are at each status (raw counts, every status listed).

    Callers publishing these outside HR pass them through
    :func:`recruit.statistics.suppression.suppress_count`.
    """
    counts = dict(db.session.execute(
        sa.select(Participant.status, sa.func.count(Participant.id))
        .where(Participant.referring_partner_id == partner_id)
        .group_by(Participant.status)
    ).all())
    return [(status.value, counts.get(status, 0)) for status in ParticipantStatus]


def referral_summary(partner_id: int) -> dict:
    """The suppressed table of a partner's referrals by status, ready for ``_referrals.html``."""
    counts = referral_counts(partner_id)
    return {
        "referrals": [(label, suppress_count(n)) for label, n in counts],
        "referrals_total": suppress_count(sum(n for _label, n in counts)),
        "suppression_note": SUPPRESSION_NOTE,
    }
