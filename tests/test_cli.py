"""The flask commands: creating users, and the idempotent demo seed."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    Ambassador,
    Application,
    ApplicationStage,
    Cohort,
    EqualityMonitoring,
    ImportBatch,
    LocalAuthority,
    Lsoa,
    OutreachActivity,
    Participant,
    PartnerKind,
    PartnerOrganisation,
    Placement,
    PopulationStatistic,
    Role,
    StatusChange,
    User,
    Vacancy,
    VacancyStatus,
    Ward,
    WorkforceRecord,
)
from tests import factories
from tests.conftest import sign_in


def test_users_create_reads_password_from_stdin(runner, client):
    result = runner.invoke(args=["users", "create", "Lead@Trust.example", "--role", "admin"],
                           input="a long enough passphrase\n")
    assert result.exit_code == 0, result.output
    assert "Created lead@trust.example (Admin)" in result.output
    assert sign_in(client, "lead@trust.example", "a long enough passphrase").status_code == 302


def test_users_create_partner_needs_an_existing_partner(runner):
    result = runner.invoke(args=["users", "create", "p@x.example", "--role", "partner",
                                 "--partner", "No Such Org"], input="a long enough passphrase\n")
    assert result.exit_code != 0
    assert "No partner organisation is called 'No Such Org'" in result.output
    missing = runner.invoke(args=["users", "create", "p@x.example", "--role", "partner"],
                            input="a long enough passphrase\n")
    assert "Choose the partner organisation" in missing.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_users_create_links_partner_and_ambassador(runner):
    factories.PartnerFactory(name="Rochdale Mosque")
    factories.AmbassadorFactory(work_email="amb@trust.example.nhs.uk")
    db.session.commit()
    for args in (["p@x.example", "--role", "partner", "--partner", "Rochdale Mosque"],
                 ["a@x.example", "--role", "ambassador",
                  "--ambassador", "AMB@trust.example.nhs.uk"]):
        result = runner.invoke(args=["users", "create", *args], input="a long enough passphrase\n")
        assert result.exit_code == 0, result.output
    partner_user = db.session.scalar(sa.select(User).where(User.email == "p@x.example"))
    assert partner_user.partner.name == "Rochdale Mosque"
    ambassador_user = db.session.scalar(sa.select(User).where(User.email == "a@x.example"))
    assert ambassador_user.ambassador.work_email == "amb@trust.example.nhs.uk"


def test_users_create_refuses_short_password_and_duplicate_email(runner):
    short = runner.invoke(args=["users", "create", "x@x.example", "--role", "board"],
                          input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.output
    runner.invoke(args=["users", "create", "x@x.example", "--role", "board"],
                  input="a long enough passphrase\n")
    again = runner.invoke(args=["users", "create", "X@x.example", "--role", "board"],
                          input="a long enough passphrase\n")
    assert again.exit_code != 0 and "already exists" in again.output


def _snapshot():
    counts = {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
              for model in (LocalAuthority, Ward, Lsoa, PartnerOrganisation, Ambassador,
                            OutreachActivity, User, Participant, StatusChange, Cohort, Placement,
                            Application, Vacancy, PopulationStatistic, WorkforceRecord,
                            ImportBatch, EqualityMonitoring)}
    people = db.session.scalar(sa.select(sa.func.sum(OutreachActivity.people_reached)))
    names = tuple(db.session.scalars(sa.select(PartnerOrganisation.name).order_by("name")))
    return counts, people, names


def test_demo_seed_builds_the_four_towns_and_is_idempotent(runner, client):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "admin@recruit.example" in first.output and "demo-password" in first.output
    counts, people, names = _snapshot()
    assert counts["PartnerOrganisation"] == 40 and counts["Ambassador"] == 150
    assert counts["OutreachActivity"] == 300 and counts["User"] == 5
    assert counts["Participant"] == 600 and counts["Cohort"] >= 60
    assert db.session.scalar(sa.select(sa.func.sum(Vacancy.posts)).where(
        Vacancy.status != VacancyStatus.withdrawn)) == 750
    started = db.session.scalar(sa.select(sa.func.count()).select_from(Application).where(
        Application.stage == ApplicationStage.started))
    assert 245 <= started <= 250  # 250 planned; one planned after the demo's last day and
    # before today has not happened yet when that day is recent (demo/calendar.py)
    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(WorkforceRecord.snapshot_id)))) \
        == 8
    catchment = set(db.session.scalars(
        sa.select(LocalAuthority.name).where(LocalAuthority.in_catchment)))
    assert catchment == {"Bury", "Oldham", "Rochdale", "Salford"}
    coldhurst = db.session.scalar(sa.select(Ward).where(Ward.code == "E05000723"))
    assert coldhurst.name == "Coldhurst"  # the real 2022 ward code (DOMAIN.md §8)
    kinds = set(db.session.scalars(sa.select(PartnerOrganisation.kind)))
    assert kinds == set(PartnerKind)
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    assert _snapshot() == (counts, people, names)
    for role in Role:
        assert sign_in(client, f"{role.name}@recruit.example", "demo-password-2024"
                       ).status_code == 302
        client.post("/logout")


def test_demo_seed_explains_missing_data(runner, app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "RECRUIT_DATA_DIR", str(tmp_path))
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert "Set RECRUIT_DATA_DIR" in result.output
