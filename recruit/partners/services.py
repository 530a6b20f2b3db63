"""Partner organisations: creating, updating, and the scoped loader for partner users."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import ValidationFailed
from recruit.extensions import db
from recruit.models import PartnerOrganisation, Role, User, Ward

FIELDS = (
    "name", "kind", "ward_id", "local_authority_id", "contact_name", "contact_email",
    "contact_phone", "data_sharing_agreement_on", "is_active", "notes",
)


def get_partner_or_404(partner_id: int, user: User) -> PartnerOrganisation:
    """Load a partner the user may see: a partner user reaches only their own organisation."""
    if user.role is Role.partner and user.partner_id != partner_id:
        abort(404)
    return db.get_or_404(PartnerOrganisation, partner_id)


def _apply(partner: PartnerOrganisation, data: dict) -> None:
    name = data["name"].strip()
    clash = db.session.scalar(
        sa.select(PartnerOrganisation.id).where(
            sa.func.lower(PartnerOrganisation.name) == name.lower(),
            PartnerOrganisation.id != (partner.id or 0),
        )
    )
    if clash:
        raise ValidationFailed(f"A partner organisation called {name} already exists", "name")
    if data.get("ward_id"):
        ward = db.session.get(Ward, data["ward_id"])
        if ward is None:
            raise ValidationFailed("Choose a ward from the list", "ward_id")
        if data.get("local_authority_id") not in (None, ward.local_authority_id):
            raise ValidationFailed(
                f"{ward.name} is in {ward.local_authority.name}: choose that local authority "
                "or leave it empty", "local_authority_id",
            )
        data = {**data, "local_authority_id": ward.local_authority_id}
    for field in FIELDS:
        value = data.get(field)
        setattr(partner, field, value.strip() if isinstance(value, str) else value)
    partner.name = name
    if partner.contact_email:
        partner.contact_email = partner.contact_email.lower()


def create_partner(data: dict, actor: User) -> PartnerOrganisation:
    """Create a partner organisation from validated form data."""
    partner = PartnerOrganisation()
    _apply(partner, data)
    db.session.add(partner)
    db.session.flush()
    audit.record("create", partner, actor=actor)
    return partner


def update_partner(partner: PartnerOrganisation, data: dict, actor: User) -> None:
    """Update a partner, refusing a save made from a stale copy."""
    check_version(partner, data.get("version"), "partner organisation")
    _apply(partner, data)
    db.session.flush()
    audit.record("update", partner, actor=actor)
