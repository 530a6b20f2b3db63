"""Bulk writing and small helpers shared by the large demo data (:mod:`recruit.demo.large`).

Rows are plain dicts written with ``COPY`` on PostgreSQL and an executemany elsewhere, inside the
session's transaction; hand-written because neither SQLAlchemy's bulk insert (an executemany on
PostgreSQL: a round trip a row) nor the importers' writer (its own columns) fits.
"""

from __future__ import annotations

import enum
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate

import sqlalchemy as sa

from recruit.demo.population import (
    checksum,
)
from recruit.extensions import db
from recruit.models import (
    EthnicGroup,
    ImportBatch,
    ImportKind,
    ParticipantStatus,
)

SYNTHETIC = "synthetic: flask demo seed --scale (benchmark data)"
GROUPS = tuple(g.value for g in EthnicGroup)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def stamp(row: dict, when: datetime) -> dict:
    """Fill the version and timestamp columns that every versioned model has."""
    row.update(version=1, created_at=when, updated_at=when)
    return row


def cumulative(weights: dict) -> tuple[list, list[float]]:
    keys = list(weights)
    return keys, list(accumulate(weights[k] for k in keys))


def pick(rng: random.Random, table: tuple[list, list[float]]):
    keys, cum = table
    return rng.choices(keys, cum_weights=cum)[0]


# -- Writing in bulk --------------------------------------------------------------------------


class BulkWriter:
    """Insert plain dict rows inside the session's transaction, fast on either database.

    PostgreSQL gets ``COPY … FROM STDIN`` (an executemany is a round trip a row); SQLite an
    executemany of one Core statement. Rows of one call must share their keys. Tables given
    explicit ids have their id sequences moved past them by :meth:`finish`.
    """

    CHUNK = 20_000

    def __init__(self, session) -> None:
        self.connection = session.connection()
        self.postgres = self.connection.dialect.name == "postgresql"
        self.counts: Counter[str] = Counter()
        self._explicit_ids: set[str] = set()

    def insert(self, table: sa.Table, rows: list[dict]) -> None:
        if not rows:
            return
        for start in range(0, len(rows), self.CHUNK):
            chunk = rows[start:start + self.CHUNK]
            if self.postgres:
                self._copy(table, chunk)
            else:
                self.connection.execute(table.insert(), chunk)
        self.counts[table.name] += len(rows)
        if "id" in rows[0]:
            self._explicit_ids.add(table.name)

    def _copy(self, table: sa.Table, rows: list[dict]) -> None:
        from psycopg import sql

        names = list(rows[0])
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names)))
        raw = self.connection.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([_plain(row[name]) for name in names])

    def finish(self) -> None:
        if not self.postgres:
            return
        for name in sorted(self._explicit_ids):
            self.connection.execute(sa.text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {name}))"))


def _plain(value):
    """A value as COPY wants it: enums by name (see ``enum_column``), datetimes naive UTC."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def next_id(model) -> int:
    return (db.session.scalar(sa.select(sa.func.max(model.id))) or 0) + 1


def synthetic_batch(kind: ImportKind, what: str, edition: str | None, scale: float,
                    rows: int) -> ImportBatch:
    batch = ImportBatch(kind=kind, source_filename=SYNTHETIC,
                        checksum=checksum(f"{what} at scale {scale}".encode()), edition=edition,
                        rows_read=rows, rows_inserted=rows)
    db.session.add(batch)
    db.session.flush()
    return batch


# -- The journey's rows -------------------------------------------------------------------------


def random_day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass
class Person:
    row: dict
    la_id: int
    available_on: date
    status: ParticipantStatus | None = None
    last_at: datetime | None = None


@dataclass
class Journey:
    """Everything built, as rows per table, and the history rows in the order they happened."""

    rng: random.Random
    actor_id: int | None
    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    ids: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def new_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def add(self, table: str, row: dict) -> dict:
        self.rows[table].append(row)
        return row

    def history(self, subject_type: str, subject_id: int, participant_id: int | None,
                before, after, when: datetime, reason: str | None = None) -> None:
        self.add("status_changes", dict(
            subject_type=subject_type, subject_id=subject_id, participant_id=participant_id,
            from_status=before.name if before is not None else None, to_status=after.name,
            changed_at=when, changed_by_id=self.actor_id, reason=reason))

    def move(self, person: Person, status: ParticipantStatus, when: datetime,
             reason: str | None = None) -> None:
        self.history("participant", person.row["id"], person.row["id"], person.status, status,
                     when, reason)
        person.status, person.last_at = status, when

