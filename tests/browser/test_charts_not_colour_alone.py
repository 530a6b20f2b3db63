"""No information carried by colour alone: every chart is named, labelled and has its table."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible

# Every chart or map in the main content, with what a person who cannot see colour relies on:
# its accessible name (<title>), description, text labels, and a table of the same figures that
# follows it in the same section (or inside it, as the map's "as a table").
CHARTS = """
() => [...document.querySelectorAll("main svg[role=img]")]
  .filter((svg) => !svg.closest("header, footer") && !svg.classList.contains("nhsuk-icon"))
  .map((svg) => {
    const labelledby = (svg.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
    const title = svg.querySelector(":scope > title");
    let block = svg.closest("figure") || svg;
    if (block.parentElement.matches(".recruit-chart-grid")) block = block.parentElement;
    let table = false;
    for (let next = block.nextElementSibling; next; next = next.nextElementSibling) {
      if (/^H[12]$/.test(next.tagName)) break;
      if (next.matches("table") || next.querySelector("table")) { table = true; break; }
    }
    return {
      id: svg.id,
      title: title ? title.textContent.trim() : "",
      named: labelledby.length > 0 && labelledby[0] === (title && title.id),
      described: !!svg.querySelector(":scope > desc"),
      labels: [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim()).length,
      table,
    };
  })
"""


@pytest.mark.parametrize(("role", "path", "expected"), [
    ("board", "/dashboard/?year=2025", 3),
    ("coordinator", "/dashboard/?year=2025", 3),
    ("board", "/representativeness/", 2),
    ("coordinator", "/representativeness/?geography=ward", 3),
])
def test_every_chart_has_a_title_labels_and_a_table(page, base_url, sign_in, role, path,
                                                   expected):
    sign_in(role)
    page.goto(f"{base_url}{path}")
    charts = page.evaluate(CHARTS)
    assert len(charts) >= expected, charts
    for chart in charts:
        assert chart["title"], f"{chart['id']} has no <title>"
        assert chart["named"], f"{chart['id']} is not named by its <title>"
        assert chart["described"], f"{chart['id']} has no <desc>"
        assert chart["labels"] >= 2, f"{chart['id']} has no text labels: colour alone"
        assert chart["table"], f"{chart['id']} has no table of its figures beside it"
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/dashboard/?year=2025", "/representativeness/"])
def test_suppressed_figures_are_shown_as_a_starred_text(page, base_url, sign_in, path):
    sign_in("board")
    page.goto(f"{base_url}{path}")
    starred = page.locator("main td, main th").filter(has_text="*")
    assert starred.count() > 0
    expect(starred.first).to_have_text("*")
    expect(page.get_by_text("counts from 1 to 7 are shown as *").first).to_be_visible()
