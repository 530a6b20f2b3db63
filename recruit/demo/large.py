"""``flask demo seed --scale``: an integrated care system's worth of data, for benchmarks.

``--scale large`` builds what an integrated care system that adopts the tracker across its trusts
holds after two years: 100,000 staff in each of eight quarterly workforce snapshots, 50,000
participants at every stage of the journey, 2,000 partner organisations, 20,000 outreach
activities, 5,000 cohorts and 1,000 wards with their population statistics. ``--scale N`` builds
N times a base of one eighth of that (``large`` is 8), so that a benchmark can draw a scaling
curve at 1, 2, 4 and 8 times the data.

Geography is real as far as it goes: Greater Manchester's 215 wards and their LSOAs (ONS lookup,
IMD 2019), the Census 2021 TS021 counts of its local authorities and the ONS-derived ward and
LSOA estimates (:mod:`recruit.demo.population`). Whole local authorities are taken until there are
enough wards; beyond GM's 215 the local authorities, wards, LSOAs, populations and postcodes are
synthetic, with codes no real area has (``E089…``, ``E059…``, ``E019…``; postcodes ``ZZ…``, as
NHS pseudo-postcodes) and import batches that say so. People and organisations are invented.

Rows are written in bulk (``COPY`` on PostgreSQL, ``executemany`` elsewhere) with explicit ids,
not through the services the screens use: two million rows one ORM object at a time would take
an hour. The journey still follows the application's rules: every status change has its dated
history row, in order. Deterministic (fixed seeds; dates on the demo calendar, ending with the
last complete quarter as the small demo does), so two builds at one scale on one day are
identical. Because it writes explicit ids it needs an empty, freshly
upgraded database, and refuses any other; it runs ``ANALYZE`` at the end so that the query
planner knows the new table sizes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from recruit.demo import large_journey
from recruit.demo.large_bulk import BulkWriter
from recruit.demo.large_geography import build_geography
from recruit.demo.large_workforce import build_workforce
from recruit.demo.seed import DemoDataMissing
from recruit.extensions import db
from recruit.journey import stages
from recruit.models import (
    Participant,
    PartnerOrganisation,
    Ward,
    WorkforceSnapshot,
)

LARGE = 8  # ``--scale large`` is eight times the base
MAX_SCALE = 64  # synthetic area codes run out beyond this


class DatabaseNotEmpty(Exception):
    """The large dataset writes explicit ids, so it needs an empty database."""


@dataclass(frozen=True)
class Sizes:
    """How many of each thing one build makes."""

    staff: int  # in each of the eight snapshots
    participants: int
    partners: int
    activities: int
    cohorts: int
    wards: int
    ambassadors: int
    vacancies: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        """The sizes at ``scale`` times the base (an eighth of ``large``)."""
        return cls(**{name: max(1, round(value * scale)) for name, value in BASE.items()})


BASE = dict(staff=12_500, participants=6_250, partners=250, activities=2_500, cohorts=625,
            wards=125, ambassadors=125, vacancies=750)


def parse_scale(text: str) -> float | None:
    """``small`` (the ordinary demo) is ``None``; ``large`` is 8; a number is itself.

    :raises ValueError: for anything else, or a number outside (0, 64].
    """
    text = text.strip().lower()
    if text == "small":
        return None
    if text == "large":
        return float(LARGE)
    try:
        scale = float(text)
    except ValueError:
        raise ValueError("give small, large or a number such as 0.5, 1, 2, 4 or 8") from None
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"the scale must be above 0 and at most {MAX_SCALE}")
    return scale


# -- Entry point ------------------------------------------------------------------------------


def require_empty() -> None:
    """Refuse a database that holds people, partners, areas or workforce already."""
    for model in (Participant, PartnerOrganisation, WorkforceSnapshot, Ward):
        if db.session.scalar(sa.select(sa.func.count()).select_from(model)):
            raise DatabaseNotEmpty(
                "The large demo data needs an empty database: it writes rows with explicit ids. "
                "Create a new database, run `flask db upgrade`, then `flask demo seed --scale "
                f"…` (found {model.__tablename__} already).")


def seed_large(scale: float, echo: Callable[[str], None] = print) -> list[str]:
    """Build the dataset at ``scale`` times the base (8 is ``large``) and commit it.

    :raises DatabaseNotEmpty: when the database already holds data.
    :raises recruit.demo.seed.DemoDataMissing: when the reference files are missing.
    :returns: report lines (counts and the demo logins).
    """
    data_dir = Path(current_app.config["RECRUIT_DATA_DIR"])
    if not (data_dir / "trafford_spatial_data").is_dir():
        raise DemoDataMissing(f"Reference data not found in {data_dir}: set RECRUIT_DATA_DIR.")
    require_empty()
    sizes = Sizes.at(scale)
    writer = BulkWriter(db.session)
    echo(f"Building the scale-{scale:g} dataset: geography and populations…")
    geography, lines = build_geography(writer, data_dir, sizes, scale,
                                       random.Random("large geography"))  # noqa: S311
    echo("Workforce snapshots…")
    lines += build_workforce(writer, geography, sizes, scale,
                             random.Random("large workforce"),  # noqa: S311
                             current_app.config["ORGANISATION_NAME"])
    echo("Partners, outreach and the participant journey…")
    lines += large_journey.build_journey(writer, geography, sizes,
                                         random.Random("large journey"))  # noqa: S311
    writer.finish()
    echo("Journey stages from the status history…")
    writer.counts["participant_stages"] = stages.rebuild(db.session)
    db.session.commit()
    analyse()
    counts = ", ".join(f"{n:,} {table}" for table, n in sorted(writer.counts.items()))
    return [*lines, f"Rows written in bulk: {counts}", *large_journey.LOGIN_LINES]


def analyse() -> None:
    """Refresh the planner's statistics after a bulk load (and PostgreSQL's visibility map)."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(sa.text("ANALYZE"))
