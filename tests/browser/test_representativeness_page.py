"""The representativeness pages in a real browser: accessible with charts, map and tables."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from playwright.sync_api import expect

from recruit.demo.workforce import LA_TS021, seed_workforce
from recruit.extensions import db
from recruit.reference.services import import_census
from tests.browser.accessibility import assert_accessible


@pytest.fixture(scope="module", autouse=True)
def demo_workforce(live_app):
    """The demo workforce, in case the demo seed does not create it (idempotent when it does)."""
    with live_app.app_context():
        data_dir = Path(live_app.config["RECRUIT_DATA_DIR"])
        import_census(data_dir / LA_TS021)
        seed_workforce(random.Random(2021), data_dir)
        db.session.commit()
        db.session.remove()


def test_coordinator_explores_representativeness(page, base_url, sign_in, shoot):
    sign_in("coordinator")
    page.goto(f"{base_url}/representativeness/")
    expect(page.get_by_role("heading", name="Representativeness", exact=True)).to_be_visible()
    page.get_by_label("Geography").select_option(label="Ward (where staff live)")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("img", name="Catchment wards shaded by the gap")).to_be_visible()
    expect(page.locator("#flagged-table")).to_be_visible()
    assert_accessible(page)
    shoot("representativeness-wards")
    page.get_by_text("The map as a table").click()
    expect(page.locator("#map-table")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="WRES and WDES").click()
    expect(page.locator("#wres2")).to_be_visible()
    assert_accessible(page)
    shoot("equality-standards")


def test_board_member_sees_published_figures(page, base_url, sign_in, shoot):
    sign_in("board")
    page.get_by_role("link", name="Representativeness").first.click()
    expect(page.get_by_text("You are seeing published figures")).to_be_visible()
    assert_accessible(page)
    shoot("representativeness-board")
