"""The data imports page in a real browser: a refused upload, then an accepted one."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible

HEADER = "staff_ref,pay_band,ethnic_category,home_postcode\n"
# Before the demo's eight snapshots: an extract for one of their dates would replace its 18,500
# staff with these two, and the pages other tests read would change under them.
AS_OF = "2023-03-31"


def test_admin_uploads_a_staff_extract(page, base_url, sign_in, shoot, tmp_path):
    sign_in("admin")
    page.goto(f"{base_url}/admin/imports/")  # the header folds later items under "More"
    expect(page.get_by_role("heading", name="Data imports")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Import Workforce extract").click()
    bad = tmp_path / "staff.csv"
    bad.write_text(HEADER + "S1,Band 5,A,OL1 1AA\nS2,,White,OL1 1AA\nS1,Band 3,J,\n")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_label("Date the extract describes").fill(AS_OF)
    page.get_by_role("button", name="Check and import").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    table = page.get_by_role("table", name="Problems found in the file")
    expect(table.get_by_role("row")).to_have_count(4)  # header and three problems
    expect(table).to_contain_text("repeats the staff reference of row 2")
    assert_accessible(page)
    shoot("imports-refused")

    good = tmp_path / "staff-fixed.csv"
    good.write_text(HEADER + "S1,Band 5,A,OL1 1AA\nS2,Band 2,H,\n")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_label("Date the extract describes").fill(AS_OF)
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("2 rows read: 2 inserted")).to_be_visible()
    expect(page.get_by_role("cell", name="staff-fixed.csv")).to_be_visible()
    assert_accessible(page)
    shoot("imports-list")
