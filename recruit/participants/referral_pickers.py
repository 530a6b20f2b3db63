"""The referring partner and outreach activity on a participant's form (staff only).

Thousands of each at system scale (20,000 activities were 2 MB of options): beyond
``PICKER_SELECT_MAX`` each becomes a short select searched with the form's Find button
(:func:`recruit.pickers.pick_inline`).
"""

from __future__ import annotations

import sqlalchemy as sa

from recruit.models import OutreachActivity, PartnerOrganisation
from recruit.pickers import like, pick_inline, reference


def activity_label(activity: OutreachActivity) -> str:
    return f"{activity.held_on:%-d %b %Y}: {activity.kind.value} at {activity.venue}"


def _search_by(model, text_column):
    """A picker search: ``text_column`` contains the words, or the reference number is typed."""
    def search(stmt: sa.Select, text: str) -> sa.Select:
        conditions = [sa.func.lower(text_column).like(like(text), escape="\\")]
        number = reference(text)
        if number is not None:
            conditions.append(model.id == number)
        return stmt.where(sa.or_(*conditions))
    return search


_search_activities = _search_by(OutreachActivity, OutreachActivity.venue)
_search_partners = _search_by(PartnerOrganisation, PartnerOrganisation.name)


def referral_pickers(form, current_partner_id: int | None) -> None:
    """Offer active partners (and the current one) and the activities, newest first."""
    partners = (sa.select(PartnerOrganisation)
                .where(sa.or_(PartnerOrganisation.is_active,
                              PartnerOrganisation.id == current_partner_id))
                .order_by(PartnerOrganisation.name, PartnerOrganisation.id))
    pick_inline(form.referring_partner_id, noun="partner", offered=partners,
                label=lambda partner: partner.name, search=_search_partners,
                blank="Choose a partner")
    activities = sa.select(OutreachActivity).order_by(OutreachActivity.held_on.desc(),
                                                      OutreachActivity.id.desc())
    pick_inline(form.source_activity_id, noun="activity", offered=activities,
                label=activity_label, search=_search_activities, blank="Choose an activity")
