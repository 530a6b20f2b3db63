"""Keyboard helpers: reach a field with Tab alone, and check that focus can be seen."""

from __future__ import annotations

from datetime import date

# Everything a keyboard user can land on, in the order the browser tabs through it.
FOCUSABLE = ("a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), "
             "select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])")

# The computed look of an element, its ::before/::after and, for a checkbox or radio (which the
# NHS styles hide behind a drawn box), its label's drawn box: what a sighted user sees change.
_LOOK = """
(el) => {
  const props = ["outline-style", "outline-width", "outline-color", "box-shadow",
                 "background-color", "color", "text-decoration-line", "border-color"];
  const parts = [[el, null], [el, "::before"], [el, "::after"]];
  if (el.matches("input[type=checkbox], input[type=radio]") && el.labels.length) {
    parts.push([el.labels[0], "::before"], [el.labels[0], "::after"]);
  }
  const look = (target, pseudo) => {
    const style = getComputedStyle(target, pseudo);
    return props.map((p) => style.getPropertyValue(p)).join("|");
  };
  const snapshot = () => parts.map(([target, pseudo]) => look(target, pseudo)).join("\\n");
  const settle = () => document.getAnimations().forEach((a) => a.finish());
  let before, after, focused;
  if (document.activeElement === el) {
    // Already focused (an error summary the page focused itself may not take focus twice).
    settle(); after = snapshot(); focused = true;
    el.blur(); settle(); before = snapshot();
  } else {
    if (document.activeElement) document.activeElement.blur();
    settle(); before = snapshot();
    el.focus(); settle();
    focused = document.activeElement === el;
    after = snapshot();
    el.blur();
  }
  return {focused, changed: before !== after, name: el.outerHTML.slice(0, 120)};
}
"""


def tab_to(page, selector: str, max_presses: int = 80) -> int:
    """Press Tab until the element matching ``selector`` has focus; return the presses taken.

    Fails after ``max_presses``: the element cannot be reached by keyboard in a sensible number
    of steps (or at all).
    """
    target = page.locator(selector).first.element_handle()
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", target):
            return presses
    active = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{selector} not reached after {max_presses} Tab presses; "
                         f"focus is on {active[:200] if active else None}")


def type_date(page, day: date) -> None:
    """Type ``day`` into the focused date field, its parts in the order this browser shows them.

    Chromium lays the field out for its own locale (month first in the en-US build Debian ships,
    day first in en-GB), so the order is found once on a scratch page.
    """
    global _DAY_FIRST
    if _DAY_FIRST is None:
        scratch = page.context.new_page()
        scratch.set_content("<input type=date id=d>")
        scratch.locator("#d").focus()
        scratch.keyboard.type("01022000")
        _DAY_FIRST = scratch.locator("#d").input_value() == "2000-02-01"
        scratch.close()
    first, second = (day.day, day.month) if _DAY_FIRST else (day.month, day.day)
    page.keyboard.type(f"{first:02d}{second:02d}{day.year:04d}")


_DAY_FIRST: bool | None = None


def assert_visible_focus(page, selector: str) -> None:
    """Fail unless focusing the element matching ``selector`` changes how it looks."""
    page.mouse.move(0, 0)  # a hover style must not stand in for the focus style
    result = page.locator(selector).first.evaluate(_LOOK)
    assert result["focused"], f"{selector} cannot take focus: {result['name']}"
    assert result["changed"], f"No visible focus style on {selector}: {result['name']}"


def assert_visible_focus_on_page(page, sample: int = 12) -> int:
    """Check visible focus on a spread of the page's focusable elements; return how many.

    The sample is spread evenly through the page in tab order, so the header, the content and
    the footer are all looked at.
    """
    page.mouse.move(0, 0)
    handles = [h for h in page.query_selector_all(FOCUSABLE) if h.is_visible()]
    assert handles, f"{page.url}: nothing on the page can take focus"
    step = max(1, len(handles) // sample)
    checked = handles[::step][:sample]
    failures = []
    for handle in checked:
        result = handle.evaluate(_LOOK)
        if not (result["focused"] and result["changed"]):
            failures.append(result["name"])
    assert not failures, f"{page.url}: no visible focus style on:\n" + "\n".join(failures)
    return len(checked)
