"""The import pipeline: check the whole file, then write it; the same for every kind of file.

Pass one streams the file through the kind's parser and collects every problem; if there is one,
the file is refused whole before anything is written. Then the (now known good) records go to
the kind's writer as a stream: kept from pass one when they fit in memory, otherwise read again;
either way the writer also gets what pass one learnt about the file (``Parsed.meta``).
A file whose SHA-256 matches an earlier import of the same kind is recognised and changes
nothing. Uses a SQLAlchemy session passed in; no Flask.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.statistics import ImportBatch, ImportKind
from recruit.reference.importers.core import (
    MAX_ERRORS_KEPT,
    ImportRefused,
    RowError,
    SourceFile,
    Table,
    refuse,
)

KEEP_RECORDS = 250_000  # checked records kept for writing; beyond this the file is read twice


@dataclass(frozen=True)
class ImportOptions:
    """What the person importing says about the file (not all apply to every kind).

    :param edition: overrides the edition read from the file (``"Census 2021"``, ``"IoD2019"``).
    :param as_of: the date a workforce extract describes.
    :param organisation: whose workforce it is (the workforce importer's snapshot).
    :param table: force a Census table code (``"TS021"``) instead of recognising it.
    :param site_localities: workforce site name -> locality (a local authority name).
    """

    edition: str | None = None
    as_of: date | None = None
    organisation: str | None = None
    table: str | None = None
    site_localities: dict[str, str] = field(default_factory=dict)


@dataclass
class Parsed:
    """A parser's answer: its records (or problems), streamed, and what the header told it."""

    records: Iterator[Any]
    edition: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Written:
    """What a writer did, counted in file rows; ``notes`` are extra lines for the summary."""

    inserted: int = 0
    updated: int = 0
    notes: list[str] = field(default_factory=list)


class Progress(Protocol):
    def start(self, label: str, total: int) -> None: ...
    def advance(self, amount: int) -> None: ...
    def finish(self) -> None: ...


class NoProgress:
    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, amount: int) -> None:
        pass

    def finish(self) -> None:
        pass


Parser = Callable[[Table, ImportOptions], Parsed]
Writer = Callable[[Session, Iterator[Any], ImportBatch, ImportOptions, Parsed], Written]
Checker = Callable[[Session, Parsed, ImportOptions], list[RowError]]


@dataclass(frozen=True)
class Importer:
    """One kind of file: how to parse it, how to write it, and what the person must say."""

    kind: ImportKind
    name: str  # the command and URL name, "lsoa-wards"
    parse: Parser
    write: Writer
    check: Checker | None = None  # database-dependent refusals, before anything is written
    options: tuple[str, ...] = ("edition",)
    columns: str = ""  # the expected columns, for help text


@dataclass
class ImportSummary:
    batch: ImportBatch
    rows_read: int
    rows_inserted: int
    rows_updated: int
    rows_skipped: int
    already_imported: bool = False
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.already_imported:
            return [f"{self.batch.source_filename} was already imported (batch {self.batch.id}, "
                    f"{self.batch.imported_at:%d %B %Y %H:%M}): nothing changed."]
        return [f"{self.rows_read:,} rows read: {self.rows_inserted:,} inserted, "
                f"{self.rows_updated:,} updated, {self.rows_skipped:,} unchanged or skipped.",
                *self.notes]


COPY_FROM = 500  # rows: from here on PostgreSQL gets a COPY rather than an executemany


def bulk_insert(session: Session, model, rows: list[dict]) -> None:
    """Insert many rows (dicts with the same keys) in bulk, inside the session's transaction.

    On PostgreSQL a large batch is sent with ``COPY … FROM STDIN``: an executemany costs a round
    trip per row. Elsewhere (SQLite, in-process) an executemany; ``render_nulls`` stops the ORM
    from splitting rows into one statement per pattern of blank values.
    """
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name == "postgresql" and len(rows) >= COPY_FROM:
        _copy(connection, model.__table__, list(rows[0]), [
            tuple(v.name if isinstance(v, enum.Enum) else v for v in row.values()) for row in rows])
    else:
        session.execute(sa.insert(model).execution_options(render_nulls=True), rows)


def insert_rows(session: Session, model, names: Sequence[str], rows: Iterable[tuple]) -> None:
    """Insert rows given as tuples of ``names``' values, streamed, in the session's transaction.

    Values are as stored: an enum column's value is the member's name
    (recruit.models.base.enum_column).

    On PostgreSQL one ``COPY`` takes them all as they come, so the server stores rows while the
    next ones are made. Elsewhere an executemany per 2,000 rows, through the table (SQLAlchemy
    Core) rather than the ORM: the rows are plain values.
    """
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        _copy(connection, model.__table__, names, rows)
    else:
        for chunk in chunked(rows, 2000):
            connection.execute(model.__table__.insert(),
                               [dict(zip(names, row, strict=True)) for row in chunk])


def _copy(connection, table: sa.Table, names: Sequence[str], rows: Iterable[Iterable]) -> None:
    """``COPY`` the rows into ``table`` on the connection's own transaction (psycopg)."""
    from psycopg import sql

    defaults = {c.name: c.default.arg for c in table.columns
                if c.name not in names and c.default is not None and c.default.is_scalar}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, [*names, *defaults])))
    extra = tuple(defaults.values())
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        if extra:
            for row in rows:
                copy.write_row((*row, *extra))
        else:
            for row in rows:
                copy.write_row(row)


def bulk_update(session: Session, model, rows: list[dict]) -> None:
    """Update many rows by primary key (each dict has ``id`` and the same keys)."""
    if rows:
        session.execute(sa.update(model), rows)


def chunked(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def run_import(session: Session, importer: Importer, source: SourceFile, *,
               options: ImportOptions | None = None, imported_by_id: int | None = None,
               progress: Progress | None = None) -> ImportSummary:
    """Check ``source`` whole, then write it; refuse it whole with every problem found.

    Flushes but does not commit. If writing fails part-way the session is rolled back, so a
    caller never commits half an import.

    :raises ImportRefused: listing each problem (row, column, value, what is wrong).
    """
    options = options or ImportOptions()
    progress = progress or NoProgress()
    earlier = session.scalar(sa.select(ImportBatch).where(
        ImportBatch.kind == importer.kind, ImportBatch.checksum == source.checksum))
    if earlier is not None:
        return ImportSummary(earlier, earlier.rows_read, 0, 0, earlier.rows_read,
                             already_imported=True)

    parsed, rows_read, kept = _check(session, importer, source, options, progress)

    batch = ImportBatch(kind=importer.kind, source_filename=source.name[:255],
                        checksum=source.checksum,
                        edition=(options.edition or parsed.edition or None),
                        imported_by_id=imported_by_id, rows_read=rows_read)
    try:
        session.add(batch)
        session.flush()
        if kept is not None:  # checked records still in memory: no second read
            progress.start(f"Importing {source.name}", len(kept))
            records = _advancing(kept, progress)
        else:
            table = Table(source)
            again = importer.parse(table, options)
            progress.start(f"Importing {source.name}", rows_read)
            records = _records(again.records, table, progress)
        # The writer gets what pass one learnt about the whole file (``parsed.meta``).
        written = importer.write(session, records, batch, options, parsed)
        progress.finish()
        batch.rows_inserted, batch.rows_updated = written.inserted, written.updated
        batch.rows_skipped = max(rows_read - written.inserted - written.updated, 0)
        session.flush()
    except BaseException:
        session.rollback()
        raise
    return ImportSummary(batch, rows_read, batch.rows_inserted, batch.rows_updated,
                         batch.rows_skipped, notes=written.notes)


def _check(session, importer, source, options, progress) -> tuple[Parsed, int, list | None]:
    """Pass one: every problem in the file; the records too, while they fit in memory."""
    progress.start(f"Checking {source.name}", source.size)
    table = Table(source, advance=progress.advance)
    parsed = importer.parse(table, options)
    errors: list[RowError] = []
    count = 0
    kept: list | None = []
    for item in parsed.records:
        if isinstance(item, RowError):
            count += 1
            if len(errors) < MAX_ERRORS_KEPT:
                errors.append(item)
        elif kept is not None and not count:
            kept.append(item)
            if len(kept) > KEEP_RECORDS:
                kept = None  # a big file: stream it again when writing
    progress.finish()
    if count:
        raise ImportRefused(errors, error_count=count, rows_read=table.rows_read)
    if table.rows_read == 0:
        raise refuse("The file has a header row but no data rows.", row=2)
    if importer.check is not None:
        problems = importer.check(session, parsed, options)
        if problems:
            raise ImportRefused(problems, rows_read=table.rows_read)
    return parsed, table.rows_read, kept


def _advancing(records: list, progress: Progress) -> Iterator[Any]:
    for start in range(0, len(records), 500):
        yield from records[start:start + 500]
        progress.advance(min(500, len(records) - start))


def _records(items: Iterator[Any], table: Table, progress: Progress) -> Iterator[Any]:
    reported = 0
    for item in items:
        if isinstance(item, RowError):  # the file changed between the two passes
            raise refuse("The file changed while it was being imported; import it again.")
        yield item
        if table.rows_read - reported >= 500:
            progress.advance(table.rows_read - reported)
            reported = table.rows_read
    progress.advance(table.rows_read - reported)
