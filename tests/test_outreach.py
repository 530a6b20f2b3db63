"""Outreach activities: logging, validating, who sees what, filtering and exporting."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import ActivityKind, AuditEvent, Barrier, OutreachActivity, Role
from tests import factories


def _form(**overrides):
    data = {"held_on": "2024-09-12", "kind": "faith_venue_session", "venue": "Central Mosque",
            "people_reached": "60", "young_people_reached": "25",
            "expressions_of_interest": "9", "notes": "Asked about band 2 roles"}
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(OutreachActivity))


def test_coordinator_logs_an_activity_with_ambassadors_and_barriers(login_as, client):
    ward = factories.WardFactory(name="Coldhurst")
    partner = factories.PartnerFactory(name="Coldhurst Mosque")
    first, second = factories.AmbassadorFactory(), factories.AmbassadorFactory()
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post("/outreach/new", data=_form(
        ward_id=ward.id, partner_id=partner.id, ambassador_ids=[first.id, second.id],
        barriers=["transport", "application_process"]))
    assert response.status_code == 302
    activity = db.session.scalar(sa.select(OutreachActivity))
    assert activity.kind is ActivityKind.faith_venue_session
    assert {a.id for a in activity.ambassadors} == {first.id, second.id}
    assert set(activity.barriers) == {Barrier.transport, Barrier.application_process}
    assert db.session.scalar(sa.select(AuditEvent.action)
                             .where(AuditEvent.subject_type == "outreach_activities")) == "create"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Central Mosque" in page and "Coldhurst Mosque" in page and "Transport" in page


def test_interest_above_people_reached_is_refused_and_nothing_saved(login_as, client):
    ambassador = factories.AmbassadorFactory()
    db.session.commit()
    login_as(Role.coordinator)
    response = client.post("/outreach/new", data=_form(
        ambassador_ids=[ambassador.id], people_reached="10", young_people_reached="11",
        expressions_of_interest="12"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Expressions of interest must not be more than the number of people reached" in page
    assert "Young people under 25 must not be more than the number of people reached" in page
    assert _count() == 0


def test_each_bad_field_gets_its_own_message(login_as, client):
    login_as(Role.coordinator)
    future = (date.today() + timedelta(days=1)).isoformat()
    page = client.post("/outreach/new", data=_form(
        held_on=future, kind="", venue="", people_reached="-1")).get_data(as_text=True)
    assert "The date of the activity must be today or in the past" in page
    assert "Choose the kind of activity" in page
    assert "Enter the venue" in page
    assert "The number of people reached must be between 0 and 1,000,000" in page
    assert "Choose at least one ambassador" in page
    old = client.post("/outreach/new", data=_form(held_on="2014-12-31")).get_data(as_text=True)
    assert "must be on or after 1 January 2015" in old
    assert _count() == 0


def test_ambassador_logs_their_own_activity_without_choosing_themselves(login_as, client):
    user = login_as(Role.ambassador)
    form = client.get("/outreach/new").get_data(as_text=True)
    assert "ambassador_ids" not in form
    assert client.post("/outreach/new", data=_form()).status_code == 302
    activity = db.session.scalar(sa.select(OutreachActivity))
    assert [a.id for a in activity.ambassadors] == [user.ambassador_id]
    assert activity.logged_by_id == user.id


def test_ambassador_sees_and_edits_only_their_own_activities(login_as, client):
    me, colleague = factories.AmbassadorFactory(), factories.AmbassadorFactory()
    mine = factories.ActivityFactory(venue="My School", ambassadors=[me, colleague])
    theirs = factories.ActivityFactory(venue="Their College", ambassadors=[colleague])
    db.session.commit()
    login_as(Role.ambassador, ambassador=me)
    listing = client.get("/outreach/").get_data(as_text=True)
    assert "My School" in listing and "Their College" not in listing
    export = client.get("/outreach/export.csv").get_data(as_text=True)
    assert "My School" in export and "Their College" not in export
    assert client.get(f"/outreach/{theirs.id}").status_code == 404
    assert client.get(f"/outreach/{theirs.id}/edit").status_code == 404
    response = client.post(f"/outreach/{mine.id}/edit",
                           data=_form(venue="My School hall", version="1"))
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(OutreachActivity, mine.id)
    assert edited.venue == "My School hall"
    assert {a.id for a in edited.ambassadors} == {me.id, colleague.id}  # the colleague stays


def test_partner_user_sees_only_their_organisation_read_only(login_as, client):
    mine, other = factories.PartnerFactory(), factories.PartnerFactory()
    ours = factories.ActivityFactory(venue="Our Hall", partner=mine)
    factories.ActivityFactory(venue="Another Hall", partner=other)
    factories.ActivityFactory(venue="No Partner Hall")
    db.session.commit()
    login_as(Role.partner, partner=mine)
    listing = client.get("/outreach/").get_data(as_text=True)
    assert "Our Hall" in listing
    assert "Another Hall" not in listing and "No Partner Hall" not in listing
    assert "Log an activity" not in listing
    export = client.get("/outreach/export.csv").get_data(as_text=True)
    assert "Our Hall" in export and "Another Hall" not in export and "No Partner" not in export
    # Asking for another organisation's activities in the query string changes nothing.
    other_filter = client.get(f"/outreach/?partner_id={other.id}").get_data(as_text=True)
    assert "Another Hall" not in other_filter
    detail = client.get(f"/outreach/{ours.id}").get_data(as_text=True)
    assert "Our Hall" in detail and "Edit this activity" not in detail
    assert client.get("/outreach/new").status_code == 403
    assert client.post("/outreach/new", data=_form()).status_code == 403
    assert client.post(f"/outreach/{ours.id}/edit", data=_form()).status_code == 403
    assert _count() == 3


def test_board_member_has_no_access(login_as, client):
    login_as(Role.board)
    assert client.get("/outreach/").status_code == 403
    assert client.get("/outreach/export.csv").status_code == 403


def test_stale_edit_is_refused_and_the_newer_save_survives(login_as, client):
    ambassador = factories.AmbassadorFactory()
    activity = factories.ActivityFactory(venue="Before", ambassadors=[ambassador])
    db.session.commit()
    login_as(Role.coordinator)
    edit = client.get(f"/outreach/{activity.id}/edit").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in edit or 'value="1"' in edit
    base = _form(ambassador_ids=[ambassador.id], version="1")
    first = client.post(f"/outreach/{activity.id}/edit", data={**base, "venue": "First"})
    assert first.status_code == 302
    second = client.post(f"/outreach/{activity.id}/edit", data={**base, "venue": "Second"})
    assert second.status_code == 200
    assert "Someone else changed this outreach activity" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(OutreachActivity, activity.id).venue == "First"


def test_filters_by_kind_and_date_range_with_totals(login_as, client):
    factories.ActivityFactory(venue="Spring Talk", held_on=date(2024, 3, 5),
                              kind=ActivityKind.school_talk, people_reached=30,
                              expressions_of_interest=4)
    factories.ActivityFactory(venue="Summer Talk", held_on=date(2024, 7, 5),
                              kind=ActivityKind.school_talk, people_reached=50,
                              expressions_of_interest=7)
    factories.ActivityFactory(venue="Summer Fair", held_on=date(2024, 7, 9),
                              kind=ActivityKind.careers_fair, people_reached=200)
    db.session.commit()
    login_as(Role.coordinator)
    by_kind = client.get("/outreach/?kind=school_talk").get_data(as_text=True)
    assert "Spring Talk" in by_kind and "Summer Talk" in by_kind
    assert "Summer Fair" not in by_kind
    assert "Showing 1 to 2 of 2 activities" in by_kind
    assert ">80<" in by_kind and ">11<" in by_kind  # people reached and interest, filtered
    by_date = client.get("/outreach/?date_from=2024-07-01&date_to=2024-07-31")
    page = by_date.get_data(as_text=True)
    assert "Summer Talk" in page and "Summer Fair" in page and "Spring Talk" not in page
    both = client.get("/outreach/export.csv?kind=school_talk&date_from=2024-07-01")
    body = both.get_data(as_text=True)
    assert "Summer Talk" in body and "Spring Talk" not in body and "Summer Fair" not in body


def test_filter_by_partner_and_ambassador(login_as, client):
    partner = factories.PartnerFactory()
    ambassador = factories.AmbassadorFactory()
    factories.ActivityFactory(venue="Partner Hall", partner=partner)
    factories.ActivityFactory(venue="Ambassador Hall", ambassadors=[ambassador])
    db.session.commit()
    login_as(Role.coordinator)
    by_partner = client.get(f"/outreach/?partner_id={partner.id}").get_data(as_text=True)
    assert "Partner Hall" in by_partner and "Ambassador Hall" not in by_partner
    by_ambassador = client.get(f"/outreach/?ambassador_id={ambassador.id}").get_data(as_text=True)
    assert "Ambassador Hall" in by_ambassador and "Partner Hall" not in by_ambassador


def test_export_columns_and_formula_injection(login_as, client):
    ambassador = factories.AmbassadorFactory(name="Amina Khan")
    colleague = factories.AmbassadorFactory(name="Ben Ali")
    activity = factories.ActivityFactory(venue='=HYPERLINK("http://evil.example")',
                                         ambassadors=[ambassador, colleague])
    activity.barriers = [Barrier.childcare, Barrier.language]
    db.session.commit()
    login_as(Role.coordinator)
    response = client.get("/outreach/export.csv")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    header = body.lstrip("\ufeff").splitlines()[0]
    assert header == ("Date,Kind,Venue,Ward,Partner,Ambassadors,People reached,"
                      "Young people (under 25),Expressions of interest,Barriers raised,Notes")
    assert "'=HYPERLINK" in body
    assert "Amina Khan; Ben Ali" in body
    assert "Childcare; Language" in body


def test_unknown_activity_is_404(login_as, client):
    login_as(Role.coordinator)
    assert client.get("/outreach/424242").status_code == 404
    assert client.get("/outreach/424242/edit").status_code == 404
