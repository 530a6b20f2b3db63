"""Moving around the app as a person does: through the header navigation."""

from __future__ import annotations


def open_section(page, name: str) -> None:
    """Follow a header navigation link; when the header is narrow it sits under "More"."""
    page.wait_for_load_state()  # the header script has sorted the links into the menu
    nav = page.locator(".nhsuk-header__navigation")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        nav.get_by_role("button", name="Browse More").click()
    link.click()
