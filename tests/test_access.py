"""The access matrix: every endpoint, every role, every method the endpoint accepts.

The expectations below are the policy written down independently of the views' decorators. A new
endpoint that is not listed here fails ``test_every_endpoint_has_a_stated_policy``.
"""

from __future__ import annotations

import pytest

from recruit.extensions import db
from recruit.models import Role
from tests import factories
from tests.conftest import url_for_rule

A, C, P, M, B = Role.admin, Role.coordinator, Role.partner, Role.ambassador, Role.board
ALL = {A, C, P, M, B}
PUBLIC = "public"

# endpoint -> roles allowed (or PUBLIC). A partner or ambassador reaching a row of their own is
# "allowed"; other rows are covered by the isolation tests further down.
POLICY: dict[str, set[Role] | str] = {
    "static": PUBLIC,
    "assets": PUBLIC,
    "main.healthz": PUBLIC,
    "auth.login": PUBLIC,
    "main.home": ALL,
    "auth.logout": ALL,
    "auth.change_password": ALL,
    "auth.two_factor": PUBLIC,
    "referrals.form": PUBLIC,
    "referrals.thanks": PUBLIC,
    "auth.two_factor_setup": ALL,
    "auth.two_factor_off": ALL,
    "admin.users": {A},
    "admin.invite": {A},
    "admin.user": {A},
    "admin.toggle_active": {A},
    "partners.index": {A, C},
    "partners.export": {A, C},
    "partners.new": {A, C},
    "partners.detail": {A, C, P},
    "partners.mine": {P},
    "partners.edit": {A, C},
    "ambassadors.index": {A, C},
    "ambassadors.export": {A, C},
    "ambassadors.new": {A, C},
    "ambassadors.detail": {A, C, M},
    "ambassadors.edit": {A, C},
    "outreach.index": {A, C, P, M},
    "outreach.export": {A, C, P, M},
    "outreach.new": {A, C, M},
    "outreach.detail": {A, C, P, M},
    "outreach.edit": {A, C, M},
    "cohorts.index": {A, C, P},
    "cohorts.export": {A, C, P},
    "cohorts.detail": {A, C, P},
    "cohorts.new": {A, C},
    "cohorts.edit": {A, C},
    "cohorts.change_status": {A, C},
    "cohorts.enrol": {A, C},
    "cohorts.withdraw": {A, C},
    "cohorts.confirm_completion": {A, C},
    "cohorts.confirm_all": {A, C},
    "cohorts.new_session": {A, C},
    "cohorts.edit_session": {A, C},
    "cohorts.register": {A, C},
    "cohorts.programmes": {A, C},
    "cohorts.new_programme": {A, C},
    "cohorts.edit_programme": {A, C},
    "placements.index": {A, C},
    "placements.export": {A, C},
    "placements.waiting": {A, C},
    "placements.new": {A, C},
    "placements.detail": {A, C},
    "placements.edit": {A, C},
    "placements.change_status": {A, C},
    "vacancies.index": {A, C},
    "vacancies.export": {A, C},
    "vacancies.new": {A, C},
    "vacancies.detail": {A, C},
    "vacancies.edit": {A, C},
    "vacancies.status": {A, C},
    "applications.index": {A, C},
    "applications.export": {A, C},
    "applications.new": {A, C},
    "applications.detail": {A, C},
    "applications.move": {A, C},
    "applications.edit": {A, C},
    "outcomes.index": {A, C},
    "outcomes.export": {A, C},
    "outcomes.checks_due": {A, C},
    "outcomes.new": {A, C},
    "outcomes.detail": {A, C},
    "outcomes.edit": {A, C},
    "outcomes.check": {A, C},
    "outcomes.progression": {A, C},
    "outcomes.for_participant": {A, C},
    "outcomes.volunteering": {A, C},
    "outcomes.new_volunteering": {A, C},
    "outcomes.edit_volunteering": {A, C},
    "participants.index": {A, C, P},
    "participants.export": {A, C, P},
    "participants.new": {A, C, P},
    "participants.detail": {A, C, P},
    "participants.edit": {A, C, P},
    "participants.withdraw": {A, C, P},
    "participants.equality": {A, C, P},
    "representativeness.index": {A, C, B},
    "representativeness.export": {A, C, B},
    "imports.index": {A},
    "imports.upload": {A},
    "representativeness.standards": {A, C, B},
    "privacy.subject_access": {A},
    "privacy.erase": {A},
    "audit.index": {A},
    "audit.export": {A},
    "dashboard.index": {A, C, B},
    "dashboard.download": {A, C, B},
    "dashboard.diversity_return": {A, C, B},
    "targets.index": {A, C, B},
    "targets.detail": {A, C, B},
    "targets.new": {A},
    "targets.edit": {A},
    "targets.delete": {A},
    "targets.add_milestone": {A},
    "targets.delete_milestone": {A},
    "targets.quarterly": {A},
    "targets.add_reading": {A},
    "targets.delete_reading": {A},
    "reports.index": {A, C, B},
    "reports.new": {A, C},
    "reports.edit": {A, C},
    "reports.preview": {A, C, B},
    "reports.download": {A, C, B},
    "reports.publish": {A},
}


def test_every_endpoint_has_a_stated_policy(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - POLICY.keys() == set(), "add the new endpoints to POLICY"
    assert POLICY.keys() - endpoints == set(), "POLICY lists endpoints that no longer exist"


def _cases():
    for endpoint, allowed in POLICY.items():
        if allowed == PUBLIC:
            continue
        for role in [None, *Role]:
            yield pytest.param(endpoint, role, id=f"{endpoint}-{role.name if role else 'anon'}")


@pytest.mark.parametrize(("endpoint", "role"), list(_cases()))
def test_access_matrix(app, client, world, endpoint, role):
    ids, _user = world(role)
    allowed = POLICY[endpoint]
    for rule in app.url_map.iter_rules(endpoint):
        url = url_for_rule(app, rule, ids)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            where = f"{method} {url} as {role.name if role else 'anonymous'}"
            if role is None:
                assert response.status_code == 302, where
                assert "/login" in response.headers["Location"], where
            elif role in allowed:
                assert response.status_code not in (401, 403, 404), where
                if endpoint != "auth.logout":  # signing out lands on the login page
                    assert "/login" not in response.headers.get("Location", ""), where
            else:
                assert response.status_code == 403, where


@pytest.mark.parametrize("endpoint", [e for e, p in POLICY.items() if p == PUBLIC])
def test_public_endpoints_need_no_login(app, client, endpoint):
    from recruit.referrals.links import token_for

    partner = factories.PartnerFactory()
    db.session.commit()
    with app.test_request_context():
        token = token_for(partner.id)
    urls = {"static": "/static/recruit.css", "assets": "/assets/images/favicon.svg",
            "main.healthz": "/healthz", "auth.login": "/login",
            "auth.two_factor": "/login/two-factor", "referrals.form": f"/refer/{token}",
            "referrals.thanks": f"/refer/{token}/thanks"}
    response = client.get(urls[endpoint])
    # the second step without a first one goes back to the start, never an error
    expected = 302 if endpoint == "auth.two_factor" else 200
    assert response.status_code == expected


def test_unknown_id_is_404_not_500(login_as, client):
    login_as(Role.admin)
    for url in ("/partners/999999", "/partners/999999/edit", "/ambassadors/999999",
                "/outreach/999999", "/admin/users/999999"):
        assert client.get(url).status_code == 404, url


def test_partner_user_cannot_reach_another_organisation(login_as, client):
    mine = factories.PartnerFactory()
    theirs = factories.PartnerFactory()
    their_activity = factories.ActivityFactory(partner=theirs)
    db.session.commit()
    login_as(Role.partner, partner=mine)
    assert client.get(f"/partners/{mine.id}").status_code == 200
    assert client.get(f"/partners/{theirs.id}").status_code == 404
    assert client.get(f"/outreach/{their_activity.id}").status_code == 404
    listing = client.get("/outreach/").get_data(as_text=True)
    assert their_activity.venue not in listing
    export = client.get("/outreach/export.csv").get_data(as_text=True)
    assert their_activity.venue not in export


def test_ambassador_cannot_reach_another_ambassadors_rows(login_as, client):
    me = factories.AmbassadorFactory()
    colleague = factories.AmbassadorFactory()
    theirs = factories.ActivityFactory(ambassadors=[colleague])
    db.session.commit()
    login_as(Role.ambassador, ambassador=me)
    assert client.get(f"/ambassadors/{me.id}").status_code == 200
    assert client.get(f"/ambassadors/{colleague.id}").status_code == 404
    assert client.get(f"/outreach/{theirs.id}").status_code == 404
    assert client.get(f"/outreach/{theirs.id}/edit").status_code == 404
    assert client.post(f"/outreach/{theirs.id}/edit", data={}).status_code == 404
