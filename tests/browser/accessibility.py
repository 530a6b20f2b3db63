"""axe-core checks for WCAG 2.2 A and AA on the page as it is now."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def assert_accessible(page) -> None:
    """Fail with a readable list when axe finds any WCAG 2.2 A/AA violation."""
    # The page a click led to, fully loaded, its scripts run (the header folds its links into
    # "More" then): axe must not judge a half-built page.
    page.wait_for_load_state()
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                      "resultTypes": ["violations"]})
    violations = results.response["violations"]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in violations
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(report)
