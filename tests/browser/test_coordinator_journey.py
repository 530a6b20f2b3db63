"""A coordinator runs a cohort from plan to completion, then takes a completer to a start.

One journey, as a coordinator lives it: plan the cohort, add its sessions, open it, enrol people,
take the registers (one on a phone), confirm completion, offer a placement, open a vacancy,
record the application and move it through the stages to a start. Every page is checked by axe.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.navigation import open_section
from tests.browser.pickers import choose, chosen

TODAY = date.today()
COHORT = "Browser journey cohort"


def test_coordinator_runs_a_cohort_and_takes_a_completer_to_a_start(page, base_url, sign_in,
                                                                    shoot):
    sign_in("coordinator")
    plan_cohort(page)
    add_session(page, TODAY - timedelta(days=7), "Welcome: careers in the NHS")
    add_session(page, TODAY - timedelta(days=2), "Equality and diversity", equality=True)
    move_cohort(page, "Recruiting")
    move_cohort(page, "Running")
    people = [enrol_someone(page), enrol_someone(page)]
    take_register(page, people)
    page.set_viewport_size(PHONE)
    take_register(page, people, shoot)
    page.set_viewport_size(DESKTOP)
    confirm_completion(page, people, shoot)
    completer = people[0]
    participant_id = offer_placement(page, completer, shoot)
    vacancy = open_vacancy(page)
    take_application_to_a_start(page, completer, participant_id, vacancy, shoot)


def plan_cohort(page) -> None:
    open_section(page, "Cohorts")
    expect(page.get_by_role("heading", name="Cohorts", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Plan a cohort").click()
    page.get_by_role("button", name="Save cohort").click()  # empty: errors first
    expect(page.locator(".nhsuk-error-summary")).to_be_focused()
    expect(page.get_by_role("link", name="Choose a programme")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Programme").select_option(label="Step into the NHS")
    page.get_by_label("Cohort name").fill(COHORT)
    page.get_by_label("Host partner").select_option(label="Norden Islamic Centre")
    page.get_by_label("Community venue").fill("Norden Islamic Centre, community room")
    page.get_by_label("Start date").fill((TODAY - timedelta(days=14)).isoformat())
    page.get_by_label("End date").fill((TODAY + timedelta(days=14)).isoformat())
    page.get_by_label("Capacity").fill("10")
    page.get_by_role("button", name="Save cohort").click()
    expect(page.get_by_text(f"{COHORT} planned.")).to_be_visible()
    expect(page.get_by_role("heading", name=COHORT)).to_contain_text("Planned")
    assert_accessible(page)


def add_session(page, held_on: date, topic: str, equality: bool = False) -> None:
    page.get_by_role("link", name="Add a session").click()
    expect(page.get_by_role("heading", name="Add a session")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Date").fill(held_on.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Topic").fill(topic)
    if equality:
        page.get_by_label("This is the equality and diversity training").check()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text(f"Session on {topic} added.")).to_be_visible()
    sessions = page.get_by_role("table", name="Sessions and registers")
    expect(sessions.get_by_role("row").filter(has_text=topic)).to_contain_text(
        held_on.strftime("%a %-d %b %Y"))


def move_cohort(page, status: str) -> None:
    page.get_by_role("link", name="Change status").click()
    expect(page.get_by_role("heading", name="Change the status")).to_be_visible()
    page.get_by_label(status).check()
    assert_accessible(page)
    page.get_by_role("button", name="Change status").click()
    expect(page.get_by_text(f"{COHORT} is now {status.lower()}.")).to_be_visible()


def enrol_someone(page) -> str:
    """Enrol the first registered participant offered; return their name."""
    page.get_by_role("link", name="Enrol a participant").click()
    expect(page.get_by_role("heading", name="Enrol a participant")).to_be_visible()
    assert_accessible(page)
    name = choose(page).split(",")[0]
    page.get_by_label("Date of enrolment").fill((TODAY - timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text(f"{name} enrolled in {COHORT}.")).to_be_visible()
    return name


def take_register(page, people: list[str], shoot=None) -> None:
    """Mark everyone present at the first session whose register is not taken yet."""
    page.get_by_role("link", name=re.compile(r"^Take register")).first.click()
    expect(page.get_by_role("heading", name=re.compile(r"^Register: "))).to_be_visible()
    for name in people:
        page.get_by_role("group", name=name).get_by_label("Present").check()
    assert_accessible(page)
    if shoot:
        shoot("cohort-register")
    page.get_by_role("button", name="Save register").click()
    expect(page.get_by_text(f"Register saved: {len(people)} present, 0 absent, 0 excused.")
           ).to_be_visible()
    assert_accessible(page)


def confirm_completion(page, people: list[str], shoot) -> None:
    attendance = page.get_by_role("table", name="Participants and attendance")
    for name in people:
        expect(attendance.get_by_role("row").filter(has_text=name)).to_contain_text(
            "2 of 2 (100%)")
    page.get_by_role("button", name="Confirm completion for everyone who meets the rule").click()
    expect(page.get_by_text("Completion confirmed for 2 people.")).to_be_visible()
    for name in people:
        expect(attendance.get_by_role("row").filter(has_text=name)).to_contain_text("Completed")
    assert_accessible(page)
    shoot("cohort-detail")
    move_cohort(page, "Completed")


def offer_placement(page, name: str, shoot) -> str:
    """Offer a placement from the waiting list; return the completer's participant id."""
    open_section(page, "Placements")
    page.get_by_role("link", name=re.compile(r"^Waiting for a placement")).click()
    assert_accessible(page)
    offer = page.get_by_role("link", name=f"Offer a placement to {name}")
    participant_id = offer.get_attribute("href").split("participant_id=")[1]
    offer.click()
    expect(page.get_by_role("heading", name="Offer a placement")).to_be_visible()
    expect(chosen(page)).to_contain_text(name)
    assert_accessible(page)
    page.get_by_label("Role they want").fill("Healthcare assistant")
    page.get_by_label("Department").fill("Ward 6, acute medicine")
    page.get_by_label("Site").fill("Royal Oldham Hospital")
    page.get_by_label("Supervisor").fill("Sister Amina Shah")
    page.get_by_label("Start date").fill((TODAY + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Save placement").click()
    expect(page.get_by_text(f"Placement in Ward 6, acute medicine offered to {name}.")
           ).to_be_visible()
    expect(page.get_by_text("within the 8-week guarantee")).to_be_visible()
    assert_accessible(page)
    shoot("placement")
    return participant_id


def open_vacancy(page) -> str:
    title = "Domestic assistant (browser journey)"
    open_section(page, "Vacancies")
    page.get_by_role("link", name="Add a vacancy").click()
    assert_accessible(page)
    page.get_by_label("Job title").fill(title)
    page.get_by_label("Agenda for Change band").select_option(label="Band 2")
    page.get_by_label("Department", exact=True).fill("Estates and Facilities")
    page.get_by_label("Site", exact=True).fill("Royal Oldham Hospital")
    page.get_by_label("Number of posts").fill("2")
    page.get_by_label("Ring-fenced for programme completers").check()
    page.get_by_label("Opening date").fill((TODAY - timedelta(days=1)).isoformat())
    page.get_by_label("Closing date").fill((TODAY + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Save vacancy").click()
    expect(page.get_by_text(f"{title} added to the vacancy ledger.")).to_be_visible()
    page.get_by_role("button", name="Open for applications").click()
    expect(page.get_by_text(f"{title} is now open.")).to_be_visible()
    assert_accessible(page)
    return title


def take_application_to_a_start(page, name: str, participant_id: str, vacancy: str,
                                shoot) -> None:
    page.get_by_role("link", name="Record an application").click()
    expect(page.locator("#vacancy_id-chosen, select#vacancy_id option:checked")
           ).to_contain_text(vacancy)
    choose(page, value=participant_id)
    expect(chosen(page, "vacancy_id")).to_contain_text(vacancy)  # kept through the search
    expect(chosen(page)).to_contain_text(f"(reference {participant_id})")
    assert_accessible(page)
    page.get_by_role("button", name="Save application").click()
    expect(page.get_by_text(f"Application by {name} for {vacancy} recorded.")).to_be_visible()
    expect(page.locator(".nhsuk-summary-list")).to_contain_text(
        "Waived: programme completer")
    assert_accessible(page)

    for action, done in (("Shortlist", "shortlisted"), ("Record an offer", "offered the post"),
                         ("Start pre-employment checks", "moved to pre-employment checks"),
                         ("Record the start", "recorded as started")):
        page.get_by_role("link", name=action).click()
        expect(page.get_by_role("heading", name=action)).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name=action).click()
        expect(page.get_by_text(f"{name} {done}.")).to_be_visible()
    details = page.locator(".nhsuk-summary-list")
    expect(details.locator(".nhsuk-summary-list__row", has_text="Stage")).to_contain_text(
        "Started")
    expect(details.locator(".nhsuk-summary-list__row", has_text="Started on")).to_contain_text(
        f"{TODAY:%-d %B %Y}")
    expect(page.get_by_text("sustainment checks fall due on")).to_be_visible()
    history = page.get_by_role("table", name="Stage history")
    expect(history.locator("tbody tr")).to_have_count(5)
    assert_accessible(page)
    shoot("application-started")
