"""The quarterly pack: the admin publishes it; a board member reads it and finds no person."""

from __future__ import annotations

import html
import re
from collections import deque
from datetime import date
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from recruit.demo.seed import LAST_DAY
from recruit.extensions import db
from recruit.models import BoardReport, ReportStatus
from recruit.reports import services as reports
from recruit.statistics.periods import Quarter
from tests.browser.accessibility import assert_accessible
from tests.browser.navigation import open_section

# Where one person's record can be read: nothing a board member can reach may lead there.
PERSON_LEVEL = ("/participants/", "/applications/", "/placements/", "/outcomes/", "/admin/",
                "/cohorts/", "/ambassadors/", "/partners/")
TYPED = ("/participants/", "/participants/1", "/participants/1/equality",
         "/participants/export.csv", "/applications/1", "/placements/1", "/outcomes/1",
         "/outcomes/participant/1", "/admin/users", "/cohorts/1", "/ambassadors/1",
         "/partners/1")
LINK = re.compile(r"""(?:href|action)="([^"]+)\"""")
NOT_PAGES = (".csv", ".xlsx", ".pdf")
CRAWL_LIMIT = 60


@pytest.fixture(scope="module")
def published_pack(live_app) -> str:
    """A published pack for the demo's last quarter but one; its label.

    Not the last quarter: the admin's journey publishes that one with its own commentary.
    """
    quarter = Quarter.containing(LAST_DAY).previous()
    with live_app.app_context():
        report = db.session.scalar(sa.select(BoardReport)
                                   .where(BoardReport.quarter == str(quarter)))
        if report is None:
            report = reports.create_draft(str(quarter), None)
        if report.status is not ReportStatus.published:
            report.commentary = "Steady progress in Oldham; Rochdale partners need support."
            reports.publish(report, report.version, None, date.today())
        db.session.commit()
        db.session.remove()
    return quarter.label


def test_admin_publishes_the_quarterly_pack_and_downloads_it(page, base_url, sign_in, shoot):
    sign_in("admin")
    open_section(page, "Reports")
    expect(page.get_by_role("heading", name="Board reports")).to_be_visible()
    assert_accessible(page)

    last_quarter = Quarter.containing(date.today()).previous()
    quarter = page.get_by_label("Quarter")
    if quarter.locator(f"option[value='{last_quarter}']").count():
        quarter.select_option(str(last_quarter))
    key, label = quarter.input_value(), quarter.locator("option:checked").inner_text()
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_text(f"Draft report for {label} started.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Board report: {label}")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Commentary from HR").fill(
        "Outreach reached more young people this quarter.\n\nThe placement guarantee held.")
    page.get_by_role("button", name="Save commentary").click()
    expect(page.get_by_text("Commentary saved.")).to_be_visible()
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_text(f"Report for {label} published.")).to_be_visible()
    expect(page.get_by_text("Its figures and PDF are frozen")).to_be_visible()
    expect(page.get_by_text("The placement guarantee held.")).to_be_visible()
    assert_accessible(page)
    shoot("report-published")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"board-pack-{key}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_board_member_reads_the_dashboard_and_the_pack(page, base_url, sign_in, shoot,
                                                       published_pack):
    sign_in("board")
    open_section(page, "Dashboard")
    expect(page.get_by_role("heading", name="Programme overview")).to_be_visible()
    expect(page.get_by_text("You are seeing published figures")).to_be_visible()
    assert_accessible(page)
    shoot("dashboard-board")

    open_section(page, "Reports")
    row = page.get_by_role("row").filter(has_text=published_pack)
    expect(row).to_contain_text("Published")
    assert not row.get_by_role("link", name=published_pack, exact=True).count()  # no editing
    assert_accessible(page)
    shoot("reports-board")

    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("^Download PDF")).click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    row.get_by_role("link", name=re.compile("^Preview")).click()
    expect(page.get_by_text(published_pack).first).to_be_visible()
    expect(page.get_by_text("Rochdale partners need support.")).to_be_visible()
    assert_accessible(page)
    shoot("board-pack-preview")


def test_board_member_finds_no_way_to_a_person(page, base_url, sign_in, published_pack):
    sign_in("board")
    starts = [f"{base_url}{path}" for path in
              ("/dashboard/", "/reports/", "/representativeness/", "/targets/", "/")]
    found, visited = crawl(page, base_url, starts)
    assert len(visited) >= 10, visited  # the crawl did reach the board's pages
    person_level = sorted(url for url in found if urlsplit(url).path.startswith(PERSON_LEVEL))
    assert not person_level, f"A board member can reach person-level pages: {person_level}"

    for path in TYPED:
        response = page.goto(f"{base_url}{path}")
        assert response.status == 403, f"{path} answered {response.status} to a board member"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def crawl(page, base_url: str, starts: list[str]) -> tuple[set[str], list[str]]:
    """Follow every same-origin link and form from ``starts``, breadth first, a page at a time.

    Returns every URL found (visited or not) and the pages fetched, at most ``CRAWL_LIMIT``.
    Downloads are listed but not fetched: they hold no links.
    """
    origin = urlsplit(base_url).netloc
    found, queue, visited = set(starts), deque(starts), []
    while queue and len(visited) < CRAWL_LIMIT:
        url = queue.popleft()
        if urlsplit(url).path.endswith(NOT_PAGES):
            continue
        response = page.request.get(url)
        visited.append(url)
        assert response.ok, f"{url} answered {response.status}"
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        for href in LINK.findall(response.text()):
            target, _fragment = urldefrag(urljoin(url, html.unescape(href)))
            parts = urlsplit(target)
            if parts.netloc != origin or parts.path.startswith(("/static/", "/logout")):
                continue
            if target not in found:
                found.add(target)
                queue.append(target)
    return found, visited
