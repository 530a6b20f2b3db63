"""The enrolment form completed with the keyboard alone, and focus visible wherever it lands."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.keyboard import (
    assert_visible_focus,
    assert_visible_focus_on_page,
    tab_to,
    type_date,
)

# Once in the form, each next field is only a few Tab presses away: the tab order follows the
# order on screen (a field reached by wrapping round the page would take far more).
NEXT = 12


def test_coordinator_enrols_a_participant_by_keyboard_only(page, base_url, sign_in):
    sign_in("coordinator")
    page.goto(f"{base_url}/participants/new")
    expect(page.get_by_role("heading", name="Enrol a participant")).to_be_visible()

    # From the top of the page: the skip link comes first and leads to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert_visible_focus(page, ".nhsuk-skip-link")

    tab_to(page, "#first_name")
    page.keyboard.type("Keyboard")
    tab_to(page, "#last_name", NEXT)
    page.keyboard.type("Onlyson")
    tab_to(page, "#date_of_birth", NEXT)
    type_date(page, date(1998, 5, 17))
    expect(page.locator("#date_of_birth")).to_have_value("1998-05-17")
    tab_to(page, "#email", NEXT)
    page.keyboard.type("keyboard.onlyson@example.com")
    tab_to(page, "#postcode", NEXT)
    page.keyboard.type("M33 0AG")
    tab_to(page, "#needs_interpreter", NEXT)
    page.keyboard.press("Space")
    expect(page.locator("#needs_interpreter")).to_be_checked()
    tab_to(page, "#employment_status", NEXT)
    page.keyboard.type("Unemp")  # type-ahead picks the option without a mouse
    expect(page.locator("#employment_status")).to_have_value("unemployed")
    tab_to(page, "#barriers-7", NEXT)  # Transport
    page.keyboard.press("Space")
    expect(page.locator("#barriers-7")).to_be_checked()
    tab_to(page, "#source", NEXT)  # the first of the radios: Partner referral
    page.keyboard.press("Space")
    expect(page.get_by_role("radio", name="Partner referral")).to_be_checked()
    page.keyboard.press("ArrowDown")  # arrows move through a radio group and choose as they go
    expect(page.get_by_role("radio", name="Outreach activity")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_role("radio", name="Partner referral")).to_be_checked()
    tab_to(page, "#referring_partner_id", NEXT)
    page.keyboard.type("Norden I")
    expect(page.locator("#referring_partner_id option:checked")).to_have_text(
        "Norden Islamic Centre")
    tab_to(page, "#consent_to_contact", NEXT)
    page.keyboard.press("Space")
    tab_to(page, "#consent_to_share_with_partner", NEXT)
    page.keyboard.press("Space")
    tab_to(page, "#main-form button[type=submit]:not([name=find])", NEXT)
    page.keyboard.press("Enter")

    expect(page.get_by_text("Keyboard Onlyson is registered.")).to_be_visible()
    expect(page.get_by_role("heading", name="Equality monitoring")).to_be_visible()
    assert_visible_focus_on_page(page)

    page.goto(f"{base_url}/participants/?q=Onlyson")
    row = page.get_by_role("row").filter(has_text="Keyboard Onlyson")
    expect(row).to_contain_text("Norden Islamic Centre")
    assert_visible_focus_on_page(page)
    row.get_by_role("link", name="Keyboard Onlyson").click()
    details = page.locator("main")
    for answer in ("17 May 1998", "M33 0AG", "Unemployed", "Transport", "Norden Islamic Centre"):
        expect(details.locator(".nhsuk-summary-list__value", has_text=answer).first).to_be_visible()
    assert_visible_focus_on_page(page)


def test_a_failed_submit_by_keyboard_moves_focus_to_the_errors(page, base_url, sign_in, shoot):
    sign_in("partner")
    page.goto(f"{base_url}/participants/new")
    tab_to(page, "#main-form button[type=submit]", 120)
    page.keyboard.press("Enter")

    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    assert_visible_focus(page, ".nhsuk-error-summary")
    # The first error link is the next stop, and following it puts the cursor in the field.
    page.keyboard.press("Tab")
    first_error = summary.get_by_role("link", name="Enter their first name")
    expect(first_error).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#first_name")).to_be_focused()
    assert_accessible(page)
    assert_visible_focus_on_page(page, sample=20)
