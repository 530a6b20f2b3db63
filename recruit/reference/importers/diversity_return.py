"""Aggregate workforce returns in the Open Innovations diversity data standard (v1.1).

For organisations that can share only counts (github.com/open-innovations/diversity-data).

One row per return: ``published``, ``organisation``, optional ``organisation_grouping`` and
``organisation_level`` (a sub-division or pay quartile), ``employees``, then counts named
``<section>_<category>`` (``ethnicity_asian_pakistani``, ``disability_prefernottosay``,
``gender_total``…). Each (published date, organisation) becomes a ``WorkforceSnapshot`` of source
"aggregate return"; each non-empty count a ``WorkforceAggregate`` whose category is the standard's
key after the section (``asian_pakistani``, ``prefernottosay``, ``total``). An empty cell is no
figure, 0 is a figure. The standard's sections map to characteristics as: gender → sex,
genderidentitymatchesthatassignedatbirth → gender identity, sexuality → sexual orientation; the
socio-economic background (``seb_*``) columns are accepted but not stored.

Dates are read as the standard says (``2021``, ``2021-10``, ``2021-10-19``; a year or month
counts as its first day) and, because real returns do it, as ``16/05/2022``. ``employees`` is
optional (several published returns leave it blank). Re-importing a return replaces its counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.statistics import (
    Characteristic,
    ImportBatch,
    WorkforceAggregate,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.reference.importers.core import (
    CellError,
    Column,
    ImportRefused,
    Row,
    RowError,
    Table,
    check_width,
    header_key,
    match_columns,
    max_length,
    parse_count,
    parse_date,
)
from recruit.reference.importers.pipeline import (
    ImportOptions,
    Parsed,
    Written,
    bulk_insert,
    bulk_update,
)

EDITION = "Open Innovations diversity standard 1.1"
METADATA = (
    Column("published", ("published",), required=True),
    Column("organisation", ("organisation",), required=True),
    Column("grouping", ("organisation_grouping",)),
    Column("level", ("organisation_level",)),
    Column("employees", ("employees",)),
    Column("link", ("link_to_dei_info",)),
    Column("sic_codes", ("sic_codes",)),
)
_UNKNOWN = ("prefernottosay", "undisclosed", "total")
SECTIONS: dict[str, tuple[Characteristic | None, tuple[str, ...]]] = {
    "age": (Characteristic.age, ("0-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65-69",
                                 "70+", *_UNKNOWN)),
    "carer": (Characteristic.carer, ("yes", "yes_1-19", "yes_20-49", "yes_50", "no", *_UNKNOWN)),
    "disability": (Characteristic.disability, ("yes", "yes_daytodayalot", "yes_daytodayalittle",
                                               "no", *_UNKNOWN)),
    "ethnicity": (Characteristic.ethnicity, (
        "asian", "asian_bangladeshi", "asian_chinese", "asian_indian", "asian_pakistani",
        "asian_other", "black", "black_african", "black_caribbean", "black_other", "mixed",
        "mixed_african", "mixed_asian", "mixed_caribbean", "mixed_other", "other", "other_arab",
        "other_anyother", "white", "white_british", "white_irish", "white_traveller",
        "white_other", *_UNKNOWN)),
    "gender": (Characteristic.sex, ("female", "male", "other", *_UNKNOWN)),
    "genderidentitymatchesthatassignedatbirth": (Characteristic.gender_identity,
                                                 ("no", "yes", *_UNKNOWN)),
    "religion": (Characteristic.religion, ("buddhist", "christian", "hindu", "jewish", "muslim",
                                           "no", "other", "sikh", *_UNKNOWN)),
    "sexuality": (Characteristic.sexual_orientation, ("bisexual", "gaylesbian", "straight",
                                                      "usedifferentterm", *_UNKNOWN)),
    "seb": (None, tuple(f"{question}_{answer}" for question, answers in (
        ("at14", ("lower", "intermediate", "professional")),
        ("school", ("independent", "independent+bursary", "outsideuk", "staterun")),
        ("fsm", ("no", "notapplicable", "yes")), ("parentuni", ("no", "notsure", "yes")),
    ) for answer in (*answers, *_UNKNOWN))),
}
COUNT_COLUMNS = {header_key(f"{section}_{key}"): (section, key)
                 for section, (_, keys) in SECTIONS.items() for key in keys}


class ReturnRecord(NamedTuple):
    row: int
    published: str
    as_of: date
    organisation: str
    grouping: str
    level: str
    employees: int | None
    counts: tuple[tuple[Characteristic, str, int], ...]


def parse_published(text: str) -> date:
    """ISO 8601 at year, month or day precision (the standard), or a UK date (real returns)."""
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        try:
            return date(int(text[:4]), int(text[5:]), 1)
        except ValueError:
            raise CellError("is not a year and month (YYYY-MM).") from None
    return parse_date(text)


def parse(table: Table, options: ImportOptions) -> Parsed:
    columns, errors = match_columns(table.header, METADATA)
    known = set(columns.index.values())
    counts: dict[int, tuple[Characteristic | None, str, str]] = {}
    for position, cell in enumerate(table.header):
        if position in known or not cell:
            continue
        found = COUNT_COLUMNS.get(header_key(cell))
        if found is None:
            errors.append(RowError(1, cell, None, "is not a column of the Open Innovations "
                                                  "diversity standard."))
        else:
            section, key = found
            counts[position] = (SECTIONS[section][0], key, cell)
    if not counts and not errors:
        errors.append(RowError(1, None, None, "The file has no count columns "
                                              "(ethnicity_white, gender_female, …)."))
    if errors:
        raise ImportRefused(errors)
    meta = {"socio_economic": any(c is None for c, _, _ in counts.values()), "returns": set()}
    return Parsed(_records(table, columns, counts, meta["returns"]),
                  edition=options.edition or EDITION, meta=meta)


def _records(table: Table, columns, counts, returns: set) -> Iterator[ReturnRecord | RowError]:
    seen: dict[tuple, int] = {}
    text = max_length(200)
    for number, cells in table.rows():
        if problem := check_width(number, cells, table.header):
            yield problem
            continue
        row = Row(number, cells, columns)
        as_of = row.get("published", parse_published, required=True)
        organisation = row.get("organisation", text, required=True)
        grouping = row.get("grouping", max_length(120)) or ""
        level = row.get("level", max_length(40)) or ""
        employees = row.get("employees", parse_count)
        figures = []
        for position, (characteristic, key, header) in counts.items():
            value = cells[position].strip() if position < len(cells) else ""
            if not value:
                continue
            try:
                count = parse_count(value)
            except CellError as exc:
                row.errors.append(RowError(number, header, value, str(exc)))
                continue
            if characteristic is not None:
                figures.append((characteristic, key, count))
        identity = (as_of, organisation, grouping, level)
        if as_of and organisation and identity in seen:
            row.error("organisation", organisation,
                      f"repeats the return of row {seen[identity]} (same date, organisation, "
                      "grouping and level).")
        if row.errors:
            yield from row.errors
            continue
        seen[identity] = number
        returns.add((as_of, organisation))
        yield ReturnRecord(number, row.text("published"), as_of, organisation, grouping, level,
                           employees, tuple(figures))


def check(session: Session, parsed: Parsed, options: ImportOptions) -> list[RowError]:
    extracts = session.execute(sa.select(WorkforceSnapshot.as_of, WorkforceSnapshot.organisation)
                               .where(WorkforceSnapshot.source_kind
                                      == WorkforceSource.person_extract)).all()
    if not extracts:
        return []
    clash = {(as_of, organisation) for as_of, organisation in extracts}
    return [RowError(None, None, None, f"{organisation} already has a staff extract for "
                     f"{as_of:%d %B %Y}; an aggregate return cannot replace it.")
            for as_of, organisation in sorted(clash & parsed.meta.get("returns", set()))]


def write(session: Session, records: Iterator[ReturnRecord], batch: ImportBatch,
          options: ImportOptions, parsed: Parsed) -> Written:
    """Create or update one snapshot per (date, organisation); replace each return's counts."""
    written = Written()
    snapshots: dict[tuple[date, str], WorkforceSnapshot] = {}
    for record in records:
        key = (record.as_of, record.organisation)
        snapshot = snapshots.get(key) or _snapshot(session, record, batch)
        snapshots[key] = snapshot
        if not record.grouping and not record.level and record.employees is not None:
            snapshot.headcount = record.employees
        status = _replace_counts(session, snapshot, record)
        if status == "inserted":
            written.inserted += 1
        elif status == "updated":
            written.updated += 1
            snapshot.import_batch_id = batch.id
    if parsed.meta.get("socio_economic"):
        written.notes.append("Socio-economic background (seb_*) columns are not stored.")
    return written


def _snapshot(session: Session, record: ReturnRecord, batch: ImportBatch) -> WorkforceSnapshot:
    snapshot = session.scalar(sa.select(WorkforceSnapshot).where(
        WorkforceSnapshot.as_of == record.as_of,
        WorkforceSnapshot.organisation == record.organisation))
    if snapshot is None:
        snapshot = WorkforceSnapshot(
            as_of=record.as_of, organisation=record.organisation,
            label=f"{record.organisation}, published {record.published}"[:120],
            import_batch_id=batch.id, source_kind=WorkforceSource.diversity_return)
        session.add(snapshot)
        session.flush()
    return snapshot


def _replace_counts(session: Session, snapshot: WorkforceSnapshot, record: ReturnRecord) -> str:
    aggregate = WorkforceAggregate
    existing = {(c, cat): (id_, count) for id_, c, cat, count in session.execute(
        sa.select(aggregate.id, aggregate.characteristic, aggregate.category, aggregate.count)
        .where(aggregate.snapshot_id == snapshot.id, aggregate.grouping == record.grouping,
               aggregate.level == record.level))}
    given = {(c, cat): count for c, cat, count in record.counts}
    inserts = [{"snapshot_id": snapshot.id, "grouping": record.grouping, "level": record.level,
                "characteristic": c, "category": cat, "count": count}
               for (c, cat), count in given.items() if (c, cat) not in existing]
    updates = [{"id": existing[k][0], "count": count} for k, count in given.items()
               if k in existing and existing[k][1] != count]
    gone = [id_ for k, (id_, _) in existing.items() if k not in given]
    bulk_insert(session, aggregate, inserts)
    bulk_update(session, aggregate, updates)
    if gone:
        session.execute(sa.delete(aggregate).where(aggregate.id.in_(gone)))
    if not existing:
        return "inserted"
    return "updated" if inserts or updates or gone else "skipped"
