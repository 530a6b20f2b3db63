"""A partner organisation's user, on a phone: enrols a participant, reads a cohort schedule."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.keyboard import assert_visible_focus_on_page
from tests.browser.navigation import open_section

SESSION_DAY = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2} \d{4}$")


def test_partner_enrols_a_participant_on_a_phone(page, base_url, sign_in, shoot):
    page.set_viewport_size(PHONE)
    sign_in("partner")
    expect(page.get_by_role("heading", name="Norden Islamic Centre")).to_be_visible()
    assert_accessible(page)  # their own organisation's page, where they land
    shoot("partner-home")
    open_section(page, "Participants")
    expect(page.get_by_role("heading", name="Your organisation's participants")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Enrol a participant").click()
    expect(page.get_by_role("heading", name="Enrol a participant")).to_be_visible()
    expect(page.get_by_text("as a referral from Norden Islamic Centre")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Enrol participant").click()  # empty: errors first
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    for message in ("Enter their first name", "Enter their last name",
                    "Enter their date of birth", "Enter their home postcode",
                    "Choose their employment status"):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    assert_accessible(page)
    assert_visible_focus_on_page(page)
    shoot("participant-form-errors")

    page.get_by_label("First name").fill("Zainab")
    page.get_by_label("Last name").fill("Phonewright")
    page.get_by_label("Date of birth").fill(date(1998, 5, 17).isoformat())
    page.get_by_label("Email address").fill("zainab.phonewright@example.com")
    page.get_by_label("Home postcode").fill("m33 0af")
    page.get_by_label("Preferred language").fill("Urdu")
    page.get_by_label("They need an interpreter").check()
    page.get_by_label("Employment status").select_option(label="Unemployed")
    page.get_by_label("Childcare").check()
    page.get_by_label("They agree to be contacted").check()
    page.get_by_label("They agree that their progress may be shared").check()
    page.get_by_role("button", name="Enrol participant").click()

    expect(page.get_by_text("Zainab Phonewright is registered.")).to_be_visible()
    expect(page.get_by_role("heading", name="Equality monitoring")).to_be_visible()
    assert_accessible(page)

    open_section(page, "Participants")
    row = page.get_by_role("row").filter(has_text="Zainab Phonewright")
    expect(row).to_be_visible()
    expect(row).to_contain_text("Registered")
    assert_accessible(page)
    shoot("partner-participants")

    row.get_by_role("link", name="Zainab Phonewright").click()
    expect(page.get_by_role("heading", name="Zainab Phonewright")).to_be_visible()
    assert_accessible(page)


def test_partner_reads_a_cohort_schedule_on_a_phone(page, base_url, sign_in, shoot):
    page.set_viewport_size(PHONE)
    sign_in("partner")
    open_section(page, "Cohorts")
    expect(page.get_by_role("heading", name="Cohort schedules")).to_be_visible()
    assert_accessible(page)
    shoot("partner-cohorts")

    page.locator("table").get_by_role("link").first.click()
    summary = page.locator(".nhsuk-summary-list")
    expect(summary.get_by_text("Venue")).to_be_visible()
    expect(summary.get_by_text("Dates")).to_be_visible()
    sessions = page.get_by_role("table", name="Sessions")
    expect(sessions.get_by_role("columnheader", name="Date")).to_be_visible()
    assert sessions.locator("tbody tr").count() >= 1
    # Dates read like "Mon 29 Dec 2025" and every session has a topic.
    expect(sessions.locator("tbody tr").first.locator("td").first).to_have_text(SESSION_DAY)
    assert_accessible(page)
    shoot("partner-cohort-schedule")

