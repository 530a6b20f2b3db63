"""Demo board targets (DOMAIN.md §1), over four years from the start of the demo.

1,000 residents employed, 1,000 pre-employment places, 1,000 ambassadors trained and 750 posts
identified, each with quarterly milestones on a straight line. Idempotent: an existing target
(by name) is left as it is.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from recruit.demo.calendar import shift
from recruit.extensions import db
from recruit.models import Target, TargetMetric, TargetMilestone
from recruit.targets.services import straight_line

STARTS_ON, DEADLINE_ON = shift(date(2024, 4, 1)), shift(date(2028, 3, 31))
TARGETS = (
    ("Residents employed in entry-level roles", TargetMetric.residents_employed, 1000,
     "Residents from underserved communities, eligible when they enrolled, who start an "
     "entry-level role (Agenda for Change band 2 or 3) at the trust."),
    ("Pre-employment places filled", TargetMetric.places_filled, 1000,
     "Places on the pre-employment programme taken up by local residents."),
    ("Career ambassadors trained", TargetMetric.ambassadors_trained, 1000,
     "Members of staff trained to talk about NHS careers in schools and community settings."),
    ("Entry-level posts identified", TargetMetric.posts_identified, 750,
     "Entry-level posts added to the ledger for programme completers to apply to."),
)


def seed_targets() -> list[str]:
    """Create the demo targets that are missing; return a report line."""
    existing = set(db.session.scalars(sa.select(Target.name)))
    created = 0
    for name, metric, value, description in TARGETS:
        if name in existing:
            continue
        target = Target(name=name, metric=metric, value=value, starts_on=STARTS_ON,
                        deadline_on=DEADLINE_ON, description=description)
        target.milestones = [TargetMilestone(due_on=due_on, value=planned)
                             for due_on, planned in straight_line(value, STARTS_ON, DEADLINE_ON)]
        db.session.add(target)
        created += 1
    db.session.flush()
    return [f"{created} board targets created ({len(TARGETS) - created} already present)"]
