"""Choosing a record on a form the way its picker offers it: a select, or the search step."""

from __future__ import annotations


def chosen(page, field: str = "participant_id"):
    """The chosen record: the selected option, or the fixed choice after a search."""
    return page.locator(f"select#{field} option:checked, dd#{field}")


def choose(page, noun: str = "participant", field: str = "participant_id",
           search: str = "a", value: str | None = None) -> str:
    """Choose ``value`` (a record ID) or else the first record offered; return its label."""
    finder = page.get_by_label(f"Find the {noun}")
    if finder.count():
        finder.fill(value or search)
        page.get_by_role("button", name="Search").click()
        matches = page.locator(f"#{field}-matches + ul a")
        (matches.filter(has_text=f"(reference {value})") if value else matches).first.click()
        return chosen(page, field).inner_text()
    select = page.locator(f"select#{field}")
    value = value or select.locator("option").nth(1).get_attribute("value")
    select.select_option(value)
    return chosen(page, field).inner_text()
