"""The public expression-of-interest form a partner hands to a resident (no sign-in)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from recruit.auth import throttle
from recruit.auth.access import public
from recruit.extensions import db
from recruit.forms.handling import submit
from recruit.models import EmploymentStatus, PartnerOrganisation
from recruit.participants import services
from recruit.participants.duplicates import (
    find_possible_duplicates,
    normalise_email,
    normalise_phone,
)
from recruit.referrals import languages
from recruit.referrals.forms import ReferralForm
from recruit.referrals.links import partner_id_from

bp = Blueprint("referrals", __name__, url_prefix="/refer")


def _partner_or_404(token: str) -> PartnerOrganisation:
    partner_id = partner_id_from(token)
    partner = db.session.get(PartnerOrganisation, partner_id) if partner_id else None
    if partner is None:
        abort(404)
    return partner


def _page(template: str, partner: PartnerOrganisation, token: str, **context):
    code = str(get_locale())
    return render_template(
        template, partner=partner, token=token, lang=code, dir=languages.direction(code),
        languages=[(c, languages.NAMES[c]) for c in languages.offered()], **context)


@bp.route("/<token>", methods=["GET", "POST"])
@public
def form(token: str):
    """Tell us you are interested: the resident's own form, in their language."""
    partner = _partner_or_404(token)
    if not partner.is_active or partner.data_sharing_agreement_on is None:
        return _page("referrals/closed.html", partner, token), 410
    form = ReferralForm()
    if form.validate_on_submit():
        window = timedelta(minutes=current_app.config["REFERRAL_WINDOW_MINUTES"])
        if not throttle.allow(f"referral:{request.remote_addr}",
                              current_app.config["REFERRAL_LIMIT_PER_ADDRESS"], window):
            db.session.commit()
            return _page("referrals/busy.html", partner, token), 429
        data = {**form.data, "employment_status": EmploymentStatus[form.employment_status.data],
                "preferred_language": languages.NAMES[str(get_locale())]}
        duplicates = find_possible_duplicates(
            first_name=data["first_name"], last_name=data["last_name"],
            date_of_birth=data["date_of_birth"], email=normalise_email(data["email"]),
            phone=normalise_phone(data["phone"]))
        saved, _participant = submit(form, lambda: services.register_self_referral(
            data, partner, possible_duplicate=bool(duplicates)), _("form"))
        if saved:
            return redirect(url_for(".thanks", token=token, lang=request.args.get("lang")))
    return _page("referrals/form.html", partner, token, form=form)


@bp.route("/<token>/thanks")
@public
def thanks(token: str):
    """What happens next, after sending the form."""
    return _page("referrals/thanks.html", _partner_or_404(token), token)
