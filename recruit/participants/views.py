"""Participants: list, export, enrol, the journey timeline, edit, withdraw, equality monitoring."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit import audit
from recruit.auth.access import STAFF, roles
from recruit.exports import ListLabels, csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import (
    Barrier,
    LocalAuthority,
    OutreachActivity,
    Participant,
    PartnerOrganisation,
    Role,
    Ward,
)
from recruit.pagination import page_links, paginate
from recruit.participants import services, timeline
from recruit.participants.duplicates import (
    InvalidPhone,
    find_possible_duplicates,
    normalise_email,
    normalise_phone,
)
from recruit.participants.forms import (
    EqualityForm,
    ParticipantFilterForm,
    ParticipantForm,
    WithdrawForm,
)
from recruit.participants.referral_pickers import referral_pickers
from recruit.pickers import finding
from recruit.reference.choices import ward_choices

bp = Blueprint("participants", __name__, url_prefix="/participants")

# Board members and ambassadors see aggregates and their own outreach, never a person.
USERS = (STAFF, Role.partner)


def _partner_choices(blank: str, include_id: int | None = None, active_only: bool = False):
    stmt = sa.select(PartnerOrganisation.id, PartnerOrganisation.name).order_by(
        PartnerOrganisation.name)
    if active_only:
        stmt = stmt.where(sa.or_(PartnerOrganisation.is_active,
                                 PartnerOrganisation.id == include_id))
    return [("", blank), *[(id_, name) for id_, name in db.session.execute(stmt)]]


def _filter_form() -> tuple[ParticipantFilterForm, list[str]]:
    form = ParticipantFilterForm(request.args)
    form.ward_id.choices = ward_choices("Any ward")
    shown = ["q", "status", "ward_id", "eligible"]
    if current_user.role in STAFF:
        form.partner_id.choices = _partner_choices("Any partner")
        shown.insert(2, "partner_id")
    else:
        form.partner_id.choices = [("", "Any partner")]
    if not form.validate():
        for field in form:  # an invalid or unknown value filters nothing
            if field.errors:
                field.data = None
    return form, shown


def _filters(form: ParticipantFilterForm) -> dict:
    filters = {name: form[name].data for name in ("q", "status", "ward_id", "eligible")}
    if current_user.role in STAFF:
        filters["partner_id"] = form.partner_id.data
    return filters


@bp.route("/")
@roles(*USERS)
def index():
    """Participants the user may see, filtered and paginated."""
    form, shown = _filter_form()
    pagination = paginate(services.with_related(services.filtered(current_user, _filters(form))))
    return render_template(
        "participants/index.html", form=form, shown=shown, pagination=pagination,
        links=page_links(pagination), is_staff=current_user.role in STAFF,
        shared=lambda p: services.progress_shared_with(p, current_user),
    )


def _yes_no(value: bool | None) -> str:
    return "Not decided" if value is None else ("Yes" if value else "No")


def _dated(given: bool, on) -> str:
    return f"Yes, {on:%Y-%m-%d}" if given and on else "No"


@bp.route("/export.csv")
@roles(*USERS)
def export():
    """The filtered participants as CSV, scoped like the list; no equality monitoring data."""
    form, _shown = _filter_form()
    ward, town = sa.orm.aliased(Ward), sa.orm.aliased(LocalAuthority)
    partner, activity = sa.orm.aliased(PartnerOrganisation), sa.orm.aliased(OutreachActivity)
    p = Participant
    stmt = (
        services.with_related(services.filtered(current_user, _filters(form)))
        .with_only_columns(
            p.id, p.first_name, p.last_name, p.preferred_name, p.email, p.phone, p.date_of_birth,
            p.postcode, p.postcode_status, ward.name, town.name, p.imd_decile, p.eligible,
            p.eligibility_reason, p.employment_status, p.highest_qualification,
            p.preferred_language, p.needs_interpreter, p.barriers_raised, p.how_heard, p.source,
            partner.name, activity.held_on, activity.kind, activity.venue, p.consent_to_contact,
            p.consent_to_contact_on, p.consent_to_share_with_partner, p.consent_to_share_on,
            p.status, p.registered_on, p.withdrawn_reason, maintain_column_froms=False)
        .outerjoin(ward, ward.id == p.ward_id)
        .outerjoin(town, town.id == p.local_authority_id)
        .outerjoin(partner, partner.id == p.referring_partner_id)
        .outerjoin(activity, activity.id == p.source_activity_id)
    )
    user = current_user._get_current_object()
    barriers = ListLabels(Barrier)

    def rows():
        for (person_id, first_name, last_name, preferred_name, email, phone, born, postcode,
             postcode_status, ward_name, town_name, imd_decile, eligible, eligibility_reason,
             employment_status, qualification, language, needs_interpreter, barriers_raised,
             how_heard, source, partner_name, held_on, kind, venue, consent_to_contact,
             consent_to_contact_on, consent_to_share, consent_to_share_on, status,
             registered_on, withdrawn_reason) in rows_of(stmt):
            shared = services.shares_progress(user, consent_to_share)
            yield [
                person_id, first_name, last_name, preferred_name, email, phone, born, postcode,
                postcode_status.value, ward_name or "", town_name or "", imd_decile,
                _yes_no(eligible), eligibility_reason,
                employment_status.value if employment_status else "",
                qualification.value if qualification else "",
                language, "Yes" if needs_interpreter else "No", barriers[barriers_raised],
                how_heard, source.value, partner_name or "",
                f"{held_on}: {kind.value} at {venue}" if held_on is not None else "",
                _dated(consent_to_contact, consent_to_contact_on),
                _dated(consent_to_share, consent_to_share_on),
                status.value if shared else "Not shared", registered_on,
                withdrawn_reason if shared else "",
            ]

    return csv_response(
        "participants.csv",
        ["ID", "First name", "Last name", "Preferred name", "Email", "Phone", "Date of birth",
         "Postcode", "Postcode check", "Ward", "Local authority", "IMD decile", "Eligible",
         "Eligibility reason", "Employment status", "Highest qualification",
         "Preferred language", "Needs interpreter", "Barriers", "How they heard", "Source",
         "Referring partner", "Outreach activity", "Consent to contact",
         "Consent to share with partner", "Status", "Registered on", "Withdrawal reason"],
        rows(),
    )



def _form(participant: Participant | None = None) -> ParticipantForm:
    form = ParticipantForm(obj=participant)
    if current_user.role is Role.partner:
        # Not shown, so nothing posted for them is read: the service fixes the referral.
        del form.source, form.referring_partner_id, form.source_activity_id
    else:
        referral_pickers(form, participant.referring_partner_id if participant else None)
    if participant is not None and request.method == "GET":
        form.barriers.data = participant.barriers
    return form


def _possible_duplicates(form: ParticipantForm) -> tuple[list, int]:
    """Matches the user may see, and how many others exist that they may not."""
    try:
        phone = normalise_phone(form.phone.data)
    except InvalidPhone:
        phone = None
    matches = find_possible_duplicates(
        first_name=form.first_name.data, last_name=form.last_name.data,
        date_of_birth=form.date_of_birth.data, email=normalise_email(form.email.data),
        phone=phone)
    if current_user.role in STAFF:
        return matches, 0
    own = [m for m in matches if m.participant.referring_partner_id == current_user.partner_id]
    return own, len(matches) - len(own)


@bp.route("/new", methods=["GET", "POST"])
@roles(*USERS)
def new():
    """Enrol a participant, warning about possible duplicates before saving."""
    form = _form()
    del form.version  # a new record has no version to compare
    if request.method == "GET" and current_user.role is Role.partner:
        partner = db.session.get(PartnerOrganisation, current_user.partner_id)
        if partner.data_sharing_agreement_on is None:
            form.form_errors.append(
                "Your organisation has no data-sharing agreement with the programme yet, so it "
                "cannot enrol participants. Contact the programme team.")
    if finding(form):
        return render_template("participants/form.html", form=form, participant=None)
    if form.validate_on_submit():
        going_back = request.form.get("decision") == "change"
        if not going_back and form.confirm_duplicate.data != "1":
            visible, hidden = _possible_duplicates(form)
            if visible or hidden:
                form.confirm_duplicate.data = "1"
                return render_template("participants/duplicates.html", form=form,
                                       matches=visible, hidden_matches=hidden)
        if not going_back:
            saved, participant = submit(
                form, lambda: services.enrol_participant(form.data, current_user), "participant")
            if saved:
                flash(f"{participant.display_name} is registered. "
                      f"{_eligibility_sentence(participant)}", "success")
                return redirect(url_for(".equality", participant_id=participant.id))
        form.confirm_duplicate.data = ""
    return render_template("participants/form.html", form=form, participant=None)


def _eligibility_sentence(participant: Participant) -> str:
    if participant.eligible is None:
        return "Eligibility is not decided yet: their postcode was not found."
    return ("They are eligible for the programme." if participant.eligible
            else "They are not eligible for the programme.")


@bp.route("/<int:participant_id>")
@roles(*USERS)
def detail(participant_id: int):
    """One participant's record and journey timeline, with what comes next."""
    participant = services.get_participant_or_404(participant_id, current_user)
    shared = services.progress_shared_with(participant, current_user)
    has_equality = services.equality_record(participant) is not None
    audit.record("view", participant)  # every look at a person's record is in the trail
    db.session.commit()
    return render_template(
        "participants/detail.html", participant=participant, shared=shared,
        timeline=timeline.timeline(participant) if shared else [],
        next_step=timeline.next_step(participant) if shared else None,
        can_withdraw=shared and participant.status in services.WITHDRAWABLE,
        equality_link=not has_equality or current_user.role is Role.admin,
        has_equality=has_equality,
    )


@bp.route("/<int:participant_id>/edit", methods=["GET", "POST"])
@roles(*USERS)
def edit(participant_id: int):
    """Change a participant's details; a save from a stale copy is refused."""
    participant = services.get_participant_or_404(participant_id, current_user)
    form = _form(participant)
    del form.confirm_duplicate
    if finding(form):
        return render_template("participants/form.html", form=form, participant=participant)
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.update_participant(participant, form.data, current_user),
            "participant")
        if saved:
            flash(f"{participant.display_name}'s details are updated.", "success")
            return redirect(url_for(".detail", participant_id=participant.id))
    elif request.method == "GET":
        form.version.data = participant.version
        audit.record("view", participant, detail="edit form")
        db.session.commit()
    return render_template("participants/form.html", form=form, participant=participant)


@bp.route("/<int:participant_id>/withdraw", methods=["GET", "POST"])
@roles(*USERS)
def withdraw(participant_id: int):
    """Withdraw a participant from the programme, with the reason."""
    participant = services.get_participant_or_404(participant_id, current_user)
    form = WithdrawForm()
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.withdraw_participant(participant, form.reason.data,
                                                        current_user), "participant")
        if saved:
            flash(f"{participant.display_name} has been withdrawn.", "success")
            return redirect(url_for(".detail", participant_id=participant.id))
    return render_template("participants/withdraw.html", form=form, participant=participant)


@bp.route("/<int:participant_id>/equality", methods=["GET", "POST"])
@roles(*USERS)
def equality(participant_id: int):
    """Optional equality monitoring questions: anyone enrolling may record, only admins read."""
    participant = services.get_participant_or_404(participant_id, current_user)
    record = services.equality_record(participant)
    is_admin = current_user.role is Role.admin
    if record is not None and not is_admin:
        return render_template("participants/equality.html", participant=participant,
                               form=None, recorded=True)
    form = EqualityForm(obj=record if is_admin else None)
    if record is None:
        del form.version
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.save_equality(participant, form.data, current_user),
            "equality monitoring answers")
        if saved:
            flash("Equality monitoring answers saved. Thank you.", "success")
            return redirect(url_for(".detail", participant_id=participant.id))
    elif request.method == "GET" and record is not None:
        form.version.data = record.version
        audit.record("view equality answers", participant)  # special category data was read
        db.session.commit()
    return render_template("participants/equality.html", participant=participant, form=form,
                           recorded=record is not None)
