"""Scrolling regions in every template can be reached and scrolled by keyboard (WCAG 2.1.1).

A wide table on a phone scrolls sideways inside its wrapper; without ``tabindex`` a keyboard
user cannot scroll it, and without a name a screen reader announces an unnamed region. The
browser suite checks the pages it visits with axe; this covers every template.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SCROLLERS = re.compile(
    r'<div class="(?:recruit-table-wrapper|recruit-figure-block__scroll)"([^>]*)>')


def _scrollers():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in SCROLLERS.finditer(line):
                yield pytest.param(match.group(1), id=f"{path.relative_to(TEMPLATES)}:{number}")


@pytest.mark.parametrize("attributes", list(_scrollers()))
def test_every_scrolling_region_is_focusable_and_named(attributes):
    assert 'tabindex="0"' in attributes
    assert 'role="region"' in attributes
    assert re.search(r'aria-label(?:ledby)?="[^"]+"', attributes)
