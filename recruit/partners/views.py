"""Partner organisations: list, export, create, view, edit; a partner user's own page."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from recruit.auth.access import STAFF, roles
from recruit.exports import csv_response, rows_of
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import LocalAuthority, OutreachActivity, PartnerOrganisation, Role, Ward
from recruit.outreach import services as outreach
from recruit.pagination import page_links, paginate
from recruit.participants.services import referral_summary
from recruit.partners import services
from recruit.partners.forms import PartnerFilterForm, PartnerForm
from recruit.qr import qr_svg
from recruit.reference.choices import local_authority_choices, ward_choices
from recruit.referrals.links import link_for as referral_link

bp = Blueprint("partners", __name__, url_prefix="/partners")


def _filtered(form: PartnerFilterForm):
    stmt = sa.select(PartnerOrganisation).order_by(PartnerOrganisation.name)
    if form.q.data:
        stmt = stmt.where(PartnerOrganisation.name.ilike(f"%{form.q.data.strip()}%"))
    if form.kind.data:
        stmt = stmt.where(PartnerOrganisation.kind == form.kind.data)
    if form.local_authority_id.data:
        stmt = stmt.where(PartnerOrganisation.local_authority_id == form.local_authority_id.data)
    if form.status.data:
        stmt = stmt.where(PartnerOrganisation.is_active.is_(form.status.data == "active"))
    return stmt.options(
        sa.orm.selectinload(PartnerOrganisation.ward),
        sa.orm.selectinload(PartnerOrganisation.local_authority),
    )


def _filter_form() -> PartnerFilterForm:
    form = PartnerFilterForm(request.args)
    form.local_authority_id.choices = local_authority_choices("Any local authority")
    form.validate()
    return form


@bp.route("/")
@roles(STAFF)
def index():
    """All partner organisations, filtered and paginated."""
    form = _filter_form()
    pagination = paginate(_filtered(form))
    return render_template(
        "partners/index.html", form=form, pagination=pagination, links=page_links(pagination)
    )


@bp.route("/export.csv")
@roles(STAFF)
def export():
    """The filtered partner list as CSV."""
    ward, town = sa.orm.aliased(Ward), sa.orm.aliased(LocalAuthority)
    stmt = (
        _filtered(_filter_form())
        .with_only_columns(
            PartnerOrganisation.name, PartnerOrganisation.kind, ward.name, town.name,
            PartnerOrganisation.contact_name, PartnerOrganisation.contact_email,
            PartnerOrganisation.contact_phone, PartnerOrganisation.data_sharing_agreement_on,
            PartnerOrganisation.is_active, maintain_column_froms=False)
        .outerjoin(ward, ward.id == PartnerOrganisation.ward_id)
        .outerjoin(town, town.id == PartnerOrganisation.local_authority_id)
    )

    def rows():
        for name, kind, ward_name, town_name, *contact, signed_on, is_active in rows_of(stmt):
            yield [name, kind.value, ward_name or "", town_name or "", *contact, signed_on,
                   "Yes" if is_active else "No"]

    return csv_response(
        "partners.csv",
        ["Name", "Kind", "Ward", "Local authority", "Contact name", "Contact email",
         "Contact phone", "Data-sharing agreement signed on", "Active"],
        rows(),
    )


def _form(obj=None) -> PartnerForm:
    form = PartnerForm(obj=obj)
    form.ward_id.choices = ward_choices("Not known")
    form.local_authority_id.choices = local_authority_choices("Not known")
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles(STAFF)
def new():
    """Add a partner organisation."""
    form = _form()
    if form.validate_on_submit():
        saved, partner = submit(
            form, lambda: services.create_partner(form.data, current_user), "partner organisation"
        )
        if saved:
            flash(f"{partner.name} added.", "success")
            return redirect(url_for(".detail", partner_id=partner.id))
    return render_template("partners/form.html", form=form, partner=None)


@bp.route("/<int:partner_id>")
@roles(STAFF, Role.partner)
def detail(partner_id: int):
    """One organisation with its recent outreach."""
    partner = services.get_partner_or_404(partner_id, current_user)
    link = referral_link(partner.id)
    return render_template(
        "partners/detail.html", partner=partner,
        **outreach.summary(OutreachActivity.partner_id == partner.id),
        referral_link=link, referral_qr=qr_svg(link, f"QR code for {partner.name}'s form"),
        **referral_summary(partner.id),
    )


@bp.route("/mine")
@roles(Role.partner)
def mine():
    """A partner user's own organisation."""
    return detail(current_user.partner_id)


@bp.route("/<int:partner_id>/edit", methods=["GET", "POST"])
@roles(STAFF)
def edit(partner_id: int):
    """Change a partner organisation's details."""
    partner = db.get_or_404(PartnerOrganisation, partner_id)
    form = _form(partner)
    if form.validate_on_submit():
        saved, _ = submit(
            form, lambda: services.update_partner(partner, form.data, current_user),
            "partner organisation",
        )
        if saved:
            flash(f"{partner.name} updated.", "success")
            return redirect(url_for(".detail", partner_id=partner.id))
    elif request.method == "GET":
        form.version.data = partner.version
    return render_template("partners/form.html", form=form, partner=partner)


