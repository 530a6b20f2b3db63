"""Journeys through outreach, partners and users, in a real browser."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible


def test_ambassador_logs_an_outreach_activity(page, base_url, sign_in, shoot):
    sign_in("ambassador")
    expect(page.get_by_role("heading", name="Your outreach")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Log an activity").click()
    assert_accessible(page)

    page.get_by_role("button", name="Save activity").click()  # empty: errors first
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert_accessible(page)
    shoot("outreach-form-errors")

    page.get_by_label("Date of the activity").fill(date.today().isoformat())
    page.get_by_label("Kind of activity").select_option(label="School talk")
    page.get_by_label("Venue").fill("Oldham Academy North, sports hall")
    page.get_by_label("People reached", exact=True).fill("60")
    page.get_by_label("Of whom young people (under 25)").fill("55")
    page.get_by_label("Expressions of interest").fill("12")
    page.get_by_label("Transport").check()
    page.get_by_role("button", name="Save activity").click()

    expect(page.get_by_text("Oldham Academy North, sports hall").first).to_be_visible()
    assert_accessible(page)
    shoot("outreach-activity")


def test_coordinator_lists_and_filters_partners_on_a_phone(page, base_url, sign_in, shoot):
    sign_in("coordinator")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base_url}/partners/")
    page.get_by_label("Kind").select_option(label="Mosque")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("Showing 1 to")).to_be_visible()
    assert_accessible(page)
    shoot("partners-list")


def test_admin_sets_up_two_factor_and_reaches_users(page, base_url, sign_in):
    sign_in("admin")
    page.goto(f"{base_url}/admin/users")
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    assert_accessible(page)
