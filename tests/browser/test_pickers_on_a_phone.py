"""Recording an outcome on a phone, the participant found by a search."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import PHONE


def test_coordinator_finds_the_participant_and_records_an_outcome(base_url, page, sign_in):
    sign_in("coordinator")
    page.set_viewport_size(PHONE)
    phone = page
    phone.goto(f"{base_url}/outcomes/new")
    # The demo's 600 participants are too many for a select: the page asks for a search.
    finder = phone.get_by_label("Find the participant")
    expect(finder).to_be_visible()
    assert phone.locator("select#participant_id").count() == 0
    assert_accessible(phone)
    finder.fill("zzzz-nobody")
    phone.get_by_role("button", name="Search").click()
    expect(phone.get_by_text("No participant matches “zzzz-nobody”")).to_be_visible()
    phone.get_by_label("Find the participant").fill("a")
    phone.get_by_role("button", name="Search").click()
    matches = phone.locator("#participant_id-matches + ul a")
    expect(matches.first).to_be_visible()
    assert matches.count() <= 20
    assert_accessible(phone)
    name = matches.first.inner_text()
    matches.first.click()
    expect(phone.locator("dd#participant_id")).to_have_text(name)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(phone)
    phone.get_by_label("Kind of outcome").select_option("apprenticeship")
    phone.get_by_label("Start date").fill((date.today() - timedelta(days=3)).isoformat())
    phone.get_by_role("button", name="Save outcome").click()
    expect(phone.get_by_text("Apprenticeship recorded for")).to_be_visible()
