"""What the benchmark measures: pages, commands and the import, each with its floor.

Adding a measured page is one line in ``MEASURES``. A page names its Flask endpoint (so a renamed
URL still works) and is skipped, and reported as not built yet, while the endpoint does not exist.
Arguments written ``"{participant}"`` are filled from ``ids`` (run.py looks them up per database).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Measure:
    name: str
    endpoint: str | None = None  # a page: GET through the Flask test client
    params: dict = field(default_factory=dict)
    command: tuple[str, ...] = ()  # or a flask command, run in-process by click's runner
    role: str = "coordinator"
    floor: str | None = None  # a query in floors.py
    curve: bool = False  # also measured at every size of the scaling curve
    target_ms: float | None = None  # the p95 it must stay under on PostgreSQL at full scale
    target_ratio: float | None = None  # and the most it may take over its floor (medians)


MEASURES = [
    Measure("Dashboard", "dashboard.index", {"quarter": "{quarter}"}, role="board",
            floor="dashboard", curve=True, target_ms=300, target_ratio=3),
    Measure("Representativeness, catchment", "representativeness.index",
            floor="representation catchment", curve=True, target_ms=300, target_ratio=3),
    Measure("Representativeness, all wards", "representativeness.index", {"area_type": "ward"},
            floor="representation wards", curve=True, target_ms=300, target_ratio=3),
    Measure("Representativeness, all wards (board)", "representativeness.index",
            {"area_type": "ward"}, role="board", floor="representation wards", target_ms=300),
    Measure("Participant list, filtered", "participants.index",
            {"status": "completed", "eligible": "yes", "ward_id": "{busy_ward}"},
            floor="participant list"),
    Measure("Participant timeline", "participants.detail", {"participant_id": "{participant}"},
            floor="timeline"),
    Measure("Board pack (PDF)", command=("report", "board", "--quarter", "{quarter}",
                                         "--output", "{pdf}"),
            role="board", floor="board pack", target_ms=5000),
    Measure("flask stats representation --json",
            command=("stats", "representation", "--as-of", "{as_of}", "--json"),
            floor="stats representation"),
]

# Roles tried in turn for a page in the every-page sweep, until one may see it.
SWEEP_ROLES = ("coordinator", "board", "admin", "partner", "ambassador")
SWEEP_SKIP = {"static", "assets", "main.healthz", "auth.login", "auth.logout", "auth.two_factor",
              "auth.two_factor_setup", "referrals.form", "referrals.thanks"}
