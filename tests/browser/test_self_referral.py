"""The self-referral form a partner hands to a resident: on a phone, in Urdu, without JavaScript."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import PHONE, take_screenshots
from tests.browser.navigation import open_section

# How far the drawn circle or box of a radio or checkbox sits from the real (invisible) control
# that takes the tap: a few pixels when it is drawn on the right side for right-to-left text.
DRAWN_BOX_OFFSET = """(input) => {
  const item = input.parentElement.getBoundingClientRect();
  const box = parseFloat(getComputedStyle(input.labels[0], "::before").left);
  return Math.abs(item.left + box - input.getBoundingClientRect().left);
}"""


def partner_form_link(page, sign_in) -> str:
    """The link on the partner's own organisation page, as a partner user finds it."""
    sign_in("partner")
    open_section(page, "My organisation")
    expect(page.get_by_role("heading", name="Self-referral form")).to_be_visible()
    return page.locator(".recruit-link a").get_attribute("href")


def test_resident_fills_in_the_form_in_urdu_on_a_phone(page, browser, base_url, sign_in):
    link = partner_form_link(page, sign_in)
    assert link.startswith(f"{base_url}/refer/")

    resident = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = resident.new_page()
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Tell us you would like to work for the NHS")
           ).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("dir", "ltr")
    assert_accessible(phone)

    phone.get_by_role("link", name="اردو").click()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.locator("html")).to_have_attribute("lang", "ur")
    expect(phone.get_by_role("heading", name="ہمیں بتائیں کہ آپ NHS کے لیے کام کرنا چاہتے ہیں")
           ).to_be_visible()
    # Right to left: the heading starts at the right-hand edge of the screen.
    heading = phone.get_by_role("heading", level=1).bounding_box()
    assert heading["x"] + heading["width"] > PHONE["width"] - 40
    assert_accessible(phone)

    phone.get_by_role("button", name="بھیجیں").click()  # Send, empty: errors first
    summary = phone.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("ایک مسئلہ ہے")  # There is a problem
    expect(summary.get_by_role("link", name="اپنا پہلا نام لکھیں")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(phone)
    take_screenshots(phone, "self-referral-urdu-errors")

    phone.get_by_label("آپ کا پہلا نام").fill("Imran")
    phone.get_by_label("آپ کا خاندانی نام").fill("Urduwala")
    phone.get_by_label("آپ کا فون نمبر").fill("07700 900982")
    phone.get_by_label("آپ کا پوسٹ کوڈ").fill("M33 0AJ")
    phone.get_by_label("آپ کی تاریخ پیدائش").fill("1990-03-04")
    phone.get_by_label("نہیں، میں کام ڈھونڈ رہا/رہی ہوں").check()
    phone.get_by_label("مجھے ترجمان چاہیے").check()  # I would like an interpreter
    phone.locator("#consent_to_contact").check()
    phone.locator("#consent_to_share_with_partner").check()
    for control in ("#employment_status", "#needs_interpreter", "#consent_to_contact"):
        assert phone.locator(control).evaluate(DRAWN_BOX_OFFSET) <= 4, control
    # Big enough to tap: the send button and the checkboxes are at least 44 pixels high.
    for target in (phone.get_by_role("button", name="بھیجیں"),
                   phone.locator("label[for=consent_to_contact]")):
        assert target.bounding_box()["height"] >= 44
    phone.get_by_role("button", name="بھیجیں").click()

    expect(phone.get_by_role("heading", name="شکریہ")).to_be_visible()  # Thank you
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    assert_accessible(phone)
    take_screenshots(phone, "self-referral-urdu-thanks")
    resident.close()

    # Back with the partner: the resident is on their list, registered, interpreter noted.
    page.goto(f"{base_url}/participants/?q=Urduwala")
    row = page.get_by_role("row").filter(has_text="Imran Urduwala")
    expect(row).to_contain_text("Registered")
    row.get_by_role("link", name="Imran Urduwala").click()
    record = page.locator("main")
    expect(record).to_contain_text("Self-referral")
    expect(record).to_contain_text("اردو")


def test_the_form_works_without_javascript(page, browser, base_url, sign_in):
    link = partner_form_link(page, sign_in)
    resident = browser.new_context(viewport=PHONE, java_script_enabled=False)
    phone = resident.new_page()
    phone.goto(link)  # axe needs script, so the English page is checked in the test above
    expect(phone.locator("html")).to_have_attribute("dir", "ltr")

    phone.get_by_role("button", name="Send").click()  # the server answers with the errors
    summary = phone.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("link", name="Enter your first name")).to_be_visible()
    expect(summary.get_by_role("link", name="Tell us if you are working at the moment")
           ).to_be_visible()

    phone.get_by_label("Your first name").fill("Nadia")
    phone.get_by_label("Your last name").fill("Noscript")
    phone.get_by_label("Your email address").fill("nadia.noscript@example.com")
    phone.get_by_label("Your postcode").fill("M33 0AF")
    phone.get_by_label("Your date of birth").fill("1985-11-30")
    phone.get_by_label("Yes, part-time").check()
    phone.get_by_label("Yes, you can contact me about NHS jobs and training").check()
    phone.get_by_role("button", name="Send").click()
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(phone.get_by_text("Someone from the NHS will contact you within 2 weeks.")
           ).to_be_visible()
    resident.close()

    page.goto(f"{base_url}/participants/?q=Noscript")
    expect(page.get_by_role("row").filter(has_text="Nadia Noscript")).to_contain_text(
        "Not shared")  # she did not agree to share her progress with the partner
