"""The vacancy ledger: adding posts, the pipeline total, filters, export, status moves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from recruit.errors import RecruitError
from recruit.extensions import db
from recruit.models import AfcBand, Role, StaffGroup, StatusChange, Vacancy, VacancyStatus
from recruit.vacancies import services
from tests import factories_vacancies as fv

S = VacancyStatus
TODAY = date.today()
DAY = timedelta(days=1)


def _form(**overrides) -> dict:
    data = {"title": "Healthcare support worker", "band": "band_2",
            "staff_group": "additional_clinical", "department": "Acute medicine",
            "site": "Fairfield General Hospital", "locality": "Bury", "posts": "4",
            "is_ring_fenced": "y", "nhs_jobs_reference": "C9123-24-0456",
            "identified_on": (TODAY - 30 * DAY).isoformat(),
            "opens_on": (TODAY - 7 * DAY).isoformat(), "closes_on": (TODAY + 7 * DAY).isoformat()}
    data.update(overrides)
    return data


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Vacancy))


def test_coordinator_adds_a_vacancy_with_its_history(login_as, client):
    login_as(Role.coordinator)
    response = client.post("/vacancies/new", data=_form())
    assert response.status_code == 302
    vacancy = db.session.scalar(sa.select(Vacancy))
    assert (vacancy.band, vacancy.staff_group, vacancy.posts, vacancy.is_ring_fenced) == (
        AfcBand.band_2, StaffGroup.additional_clinical, 4, True)
    assert vacancy.status is S.identified
    assert [(c.from_status, c.to_status) for c in db.session.scalars(
        sa.select(StatusChange).where(StatusChange.subject_type == "vacancy"))] == [
        (None, "identified")]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Healthcare support worker" in page and "C9123-24-0456" in page
    assert "Fairfield General Hospital" in page and "Ring-fenced" in page


def test_closing_date_before_opening_date_is_refused(login_as, client):
    login_as(Role.coordinator)
    page = client.post("/vacancies/new", data=_form(
        opens_on=(TODAY - DAY).isoformat(), closes_on=(TODAY - 2 * DAY).isoformat(),
    )).get_data(as_text=True)
    assert "The closing date must be the same as or after the opening date" in page
    assert _count() == 0
    page = client.post("/vacancies/new", data=_form(title="", band="", posts="0")).get_data(
        as_text=True)
    assert "Enter the job title" in page
    assert "Choose the Agenda for Change band" in page
    assert "The number of posts must be between 1 and 500" in page
    assert _count() == 0


def test_list_shows_posts_identified_against_the_pipeline_target(login_as, client):
    fv.VacancyFactory(posts=30, status=S.open)
    fv.VacancyFactory(posts=15, status=S.filled)
    fv.VacancyFactory(posts=5, status=S.identified)
    fv.VacancyFactory(posts=100, status=S.withdrawn)  # withdrawn posts do not count
    db.session.commit()
    login_as(Role.admin)
    page = client.get("/vacancies/").get_data(as_text=True)
    assert "entry-level posts identified against a pipeline of 750 (7%)" in page
    assert '<span class="recruit-figure">50</span>' in page
    assert "recruit-progress__bar--5" in page


def test_pipeline_target_comes_from_configuration(app, login_as, client):
    fv.VacancyFactory(posts=10)
    db.session.commit()
    app.config["POSTS_PIPELINE_TARGET"] = 20
    try:
        login_as(Role.coordinator)
        page = client.get("/vacancies/").get_data(as_text=True)
        assert "against a pipeline of 20 (50%)" in page
    finally:
        app.config["POSTS_PIPELINE_TARGET"] = 750


def test_filters_and_export(login_as, client):
    fv.VacancyFactory(title="Porter", band=AfcBand.band_2,
                      staff_group=StaffGroup.estates_ancillary, site="Rochdale Infirmary",
                      locality="Rochdale", is_ring_fenced=False, posts=3)
    fv.VacancyFactory(title="Ward clerk", band=AfcBand.band_3,
                      staff_group=StaffGroup.admin_clerical, site="Salford Royal",
                      locality="Salford", is_ring_fenced=True, status=S.closed, posts=2)
    db.session.commit()
    login_as(Role.coordinator)
    for query, shown, hidden in [
        ("band=band_3", "Ward clerk", "Porter"),
        ("staff_group=estates_ancillary", "Porter", "Ward clerk"),
        ("site=Salford+Royal", "Ward clerk", "Porter"),
        ("locality=Rochdale", "Porter", "Ward clerk"),
        ("ring_fenced=yes", "Ward clerk", "Porter"),
        ("ring_fenced=no", "Porter", "Ward clerk"),
        ("status=closed", "Ward clerk", "Porter"),
    ]:
        page = client.get(f"/vacancies/?{query}").get_data(as_text=True)
        assert shown in page and f">{hidden}<" not in page, query
    page = client.get("/vacancies/?band=band_3").get_data(as_text=True)
    assert "2 posts in the vacancies that match" in page
    assert "Showing 1 to 1 of 1 vacancies" in page
    body = client.get("/vacancies/export.csv?locality=Rochdale").get_data(as_text=True)
    assert body.splitlines()[0].lstrip("\ufeff").startswith("Job title,Band,Staff group")
    assert "Porter,Band 2,Estates and Ancillary" in body and "Ward clerk" not in body


def test_list_is_paginated(app, login_as, client):
    for n in range(app.config["PAGE_SIZE"] + 2):
        fv.VacancyFactory(title=f"Post {n:02d}")
    db.session.commit()
    login_as(Role.coordinator)
    first = client.get("/vacancies/").get_data(as_text=True)
    assert "Showing 1 to 25 of 27 vacancies" in first and "page=2" in first
    second = client.get("/vacancies/?page=2").get_data(as_text=True)
    assert "Showing 26 to 27 of 27 vacancies" in second


@pytest.mark.parametrize(("start", "to"), [
    (S.identified, S.open), (S.identified, S.withdrawn), (S.open, S.closed),
    (S.open, S.filled), (S.open, S.withdrawn), (S.closed, S.open), (S.closed, S.filled),
    (S.closed, S.withdrawn),
])
def test_allowed_status_moves(start, to):
    vacancy = fv.VacancyFactory(status=start)
    services.move_vacancy(vacancy, to, actor=None)
    assert vacancy.status is to
    change = db.session.scalar(sa.select(StatusChange).where(
        StatusChange.subject_type == "vacancy"))
    assert (change.from_status, change.to_status) == (start.name, to.name)


@pytest.mark.parametrize(("start", "to"), [
    (S.identified, S.closed), (S.identified, S.filled), (S.open, S.identified),
    (S.filled, S.open), (S.filled, S.withdrawn), (S.withdrawn, S.open),
    (S.withdrawn, S.identified),
])
def test_refused_status_moves(start, to):
    vacancy = fv.VacancyFactory(status=start)
    with pytest.raises(RecruitError, match=f"This vacancy is {start.value.lower()}, so it "
                                           "cannot move"):
        services.move_vacancy(vacancy, to, actor=None)
    assert vacancy.status is start


def test_opening_needs_dates_that_have_not_passed():
    undated = fv.VacancyFactory(status=S.identified, opens_on=None, closes_on=None)
    with pytest.raises(RecruitError, match="Enter the opening and closing dates"):
        services.move_vacancy(undated, S.open, actor=None)
    expired = fv.VacancyFactory(status=S.closed, opens_on=TODAY - 30 * DAY,
                                closes_on=TODAY - DAY)
    with pytest.raises(RecruitError, match="The closing date has passed"):
        services.move_vacancy(expired, S.open, actor=None)


def test_status_buttons_move_the_vacancy_and_refuse_stale_pages(login_as, client):
    vacancy = fv.VacancyFactory(status=S.identified)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.get(f"/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "Open for applications" in page and "Withdraw this vacancy" in page
    assert "Mark as filled" not in page and "Close to applications" not in page
    response = client.post(f"/vacancies/{vacancy.id}/status", data={"to": "open",
                                                                    "version": "1"})
    assert response.status_code == 302
    page = client.get(f"/vacancies/{vacancy.id}").get_data(as_text=True)
    assert "is now open" in page and "Close to applications" in page
    stale = client.post(f"/vacancies/{vacancy.id}/status", data={"to": "withdrawn",
                                                                 "version": "1"})
    page = client.get(stale.headers["Location"]).get_data(as_text=True)
    assert "Someone else changed this vacancy" in page
    refused = client.post(f"/vacancies/{vacancy.id}/status", data={"to": "identified",
                                                                   "version": "2"})
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "This vacancy is open, so it cannot move to “identified, not yet advertised”" in page
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).status is S.open


def test_stale_edit_is_refused_and_the_newer_save_survives(login_as, client):
    vacancy = fv.VacancyFactory(title="Before")
    db.session.commit()
    login_as(Role.coordinator)
    assert 'value="1"' in client.get(f"/vacancies/{vacancy.id}/edit").get_data(as_text=True)
    first = client.post(f"/vacancies/{vacancy.id}/edit", data=_form(title="First", version="1"))
    assert first.status_code == 302
    second = client.post(f"/vacancies/{vacancy.id}/edit",
                         data=_form(title="Second", version="1"))
    assert second.status_code == 200
    assert "Someone else changed this vacancy" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).title == "First"


def test_an_open_vacancy_keeps_its_dates(login_as, client):
    vacancy = fv.VacancyFactory(status=S.open)
    db.session.commit()
    login_as(Role.coordinator)
    page = client.post(f"/vacancies/{vacancy.id}/edit",
                       data=_form(opens_on="", closes_on="", version="1")).get_data(as_text=True)
    assert "An open vacancy needs its opening and closing dates" in page


@pytest.mark.parametrize("role", [Role.partner, Role.ambassador, Role.board])
def test_other_roles_cannot_reach_the_ledger(login_as, client, role):
    vacancy = fv.VacancyFactory()
    db.session.commit()
    login_as(role)
    for url in ("/vacancies/", "/vacancies/export.csv", "/vacancies/new",
                f"/vacancies/{vacancy.id}", f"/vacancies/{vacancy.id}/edit"):
        assert client.get(url).status_code == 403, url
    assert client.post(f"/vacancies/{vacancy.id}/status",
                       data={"to": "closed", "version": "1"}).status_code == 403
    assert client.post("/vacancies/new", data=_form()).status_code == 403
    assert _count() == 1


def test_navigation_shows_vacancies_and_applications_to_staff_only(login_as, client):
    login_as(Role.coordinator)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/vacancies/"' in page and 'href="/applications/"' in page


def test_partner_navigation_has_no_vacancies(login_as, client):
    login_as(Role.partner)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/vacancies/"' not in page and 'href="/applications/"' not in page
