"""Census 2021 tables TS021, TS008, TS007A, TS030 and TS038, in either layout people download.

* nomis bulk ("wide"): ``date, geography, geography code, <Table>: Total: …, <Table>: <category>…``,
  one row per area, headers matched by normalised label (``; measures: Value`` tolerated);
* tidy ("long", Trafford Data Lab): ``area_code, area_name, geography, period, indicator,
  [<category column>], measure, unit, value``, one row per area and category (the category is in
  the indicator column when there is no category column).

The table is recognised from its categories (or named with ``--table``), the geography level
from the area codes (E01 LSOA, E05 ward, E06–E09 local authority; the Welsh W01/W05/W06 too).
Every area must have every category; group and total columns must agree with their categories
within a small margin (ONS perturbs cells). See :mod:`census_tables` for the stored keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.statistics import AreaType, ImportBatch, PopulationStatistic
from recruit.reference.importers.census_tables import TABLES, TOTAL, CensusTable
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
    ons_code,
    parse_count,
    refuse,
)
from recruit.reference.importers.pipeline import (
    ImportOptions,
    Parsed,
    Written,
    bulk_insert,
    bulk_update,
    chunked,
)

DEFAULT_EDITION = "Census 2021"
AREA_TYPES = {"E01": AreaType.lsoa, "W01": AreaType.lsoa, "E05": AreaType.ward,
              "W05": AreaType.ward, "E06": AreaType.la, "E07": AreaType.la, "E08": AreaType.la,
              "E09": AreaType.la, "W06": AreaType.la}
TABLE_LIST = ", ".join(f"{t.code} ({t.prefix.lower()})" for t in TABLES.values())

WIDE = (Column("code", ("geography code", "geography_code"), required=True),
        Column("name", ("geography",)), Column("date", ("date",)),
        Column("rural_urban", ("Rural Urban",)))
TIDY = (Column("code", ("area_code", "area code"), required=True),
        Column("name", ("area_name", "area name")), Column("geography", ("geography",)),
        Column("period", ("period", "date")), Column("indicator", ("indicator",)),
        Column("measure", ("measure",)), Column("unit", ("unit",)),
        Column("value", ("value", "count", "observation"), required=True))


class CensusRecord(NamedTuple):
    row: int | None  # None for a group or total the file did not give (summed)
    area_code: str
    area_name: str | None
    area_type: AreaType
    category: str
    count: int


@dataclass
class _Area:
    code: str
    name: str | None
    area_type: AreaType
    first_row: int
    counts: dict[str, int] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)  # category -> header or label


def tolerance(total: int) -> int:
    """How far a published total may differ from its categories' sum (ONS cell perturbation)."""
    return max(10, round(total * 0.005))


def parse(table: Table, options: ImportOptions) -> Parsed:
    """Recognise the layout and the Census table, then stream the checked counts."""
    forced = _forced_table(options.table)
    keys = {header_key(cell) for cell in table.header}
    if "value" in keys and ("areacode" in keys):
        return _parse_tidy(table, options, forced)
    if "geographycode" in keys:
        return _parse_wide(table, options, forced)
    raise refuse("This is not a Census table in a layout this service reads: expected the nomis "
                 "bulk columns (date, geography, geography code, …) or the tidy columns "
                 "(area_code, area_name, …, value).", row=1)


def _forced_table(code: str | None) -> CensusTable | None:
    if not code:
        return None
    table = TABLES.get(code.strip().upper())
    if table is None:
        raise refuse(f"“{code}” is not a Census table this service imports ({TABLE_LIST}).")
    return table


def _area(row: Row) -> tuple[str, AreaType] | None:
    code = row.get("code", ons_code(), required=True)
    if code is None:
        if not row.errors:
            row.error("code", row.text("code"), "is a pseudo-code for no area.")
        return None
    area_type = AREA_TYPES.get(code[:3])
    if area_type is None:
        row.error("code", code, "is not an LSOA (E01), ward (E05) or local authority "
                                "(E06–E09) code: import one of these geography levels.")
        return None
    return code, area_type


# -- nomis bulk -------------------------------------------------------------------------------


def _parse_wide(table: Table, options: ImportOptions, forced: CensusTable | None) -> Parsed:
    columns, errors = match_columns(table.header, WIDE)
    identity = set(columns.index.values())
    census = forced or _recognise([(i, h) for i, h in enumerate(table.header)
                                   if i not in identity])
    keys = census.keys()
    categories: dict[int, str] = {}
    for position, cell in enumerate(table.header):
        if position in identity or not cell:
            continue
        key = keys.get(header_key(cell))
        if key is None:
            errors.append(RowError(1, cell, None,
                                   f"is not a category of {census.code} "
                                   f"({census.prefix.lower()})."))
        elif key in categories.values():
            errors.append(RowError(1, cell, None, "repeats another column of the same category."))
        else:
            categories[position] = key
    missing = [c for c in census.categories if c not in categories.values()]
    errors += [RowError(1, None, None, f"The file has no column for “{census.prefix}: {c}”.")
               for c in missing]
    if errors:
        raise ImportRefused(errors)
    meta = {"table": census.code, "characteristic": census.characteristic, "layout": "nomis"}
    return Parsed(_wide_records(table, columns, categories, census), meta=meta,
                  edition=options.edition or DEFAULT_EDITION)


def _recognise(headers: list[tuple[int, str]]) -> CensusTable:
    scores = {code: sum(header_key(h) in t.keys() for _, h in headers)
              for code, t in TABLES.items()}
    best = max(scores, key=scores.get)
    if scores[best] == 0:
        raise refuse(f"The columns are not those of a Census table this service imports "
                     f"({TABLE_LIST}).", row=1)
    return TABLES[best]


def _wide_records(table, columns, categories, census) -> Iterator[CensusRecord | RowError]:
    seen: dict[str, int] = {}
    for number, cells in table.rows():
        if problem := check_width(number, cells, table.header):
            yield problem
            continue
        row = Row(number, cells, columns)
        if "rural_urban" in columns and row.text("rural_urban").lower() not in ("total", ""):
            continue  # nomis splits some tables by rural/urban; the "Total" row is the area
        found = _area(row)
        if found and found[0] in seen:
            row.error("code", found[0], f"repeats the area of row {seen[found[0]]}.")
        area = None
        if found:
            seen[found[0]] = number
            area = _Area(found[0], row.text("name") or None, found[1], number)
        for position, key in categories.items():
            header = table.header[position]
            text = cells[position].strip() if position < len(cells) else ""
            try:
                count = parse_count(text) if text else None
            except CellError as exc:
                row.errors.append(RowError(number, header, text, str(exc)))
                continue
            if count is None:
                row.errors.append(RowError(number, header, text, "is empty: a count is needed."))
            elif area:
                area.counts[key], area.rows[key], area.columns[key] = count, number, header
        if row.errors or area is None:
            yield from row.errors
            continue
        yield from _complete(area, census)


# -- tidy -------------------------------------------------------------------------------------


def _parse_tidy(table: Table, options: ImportOptions, forced: CensusTable | None) -> Parsed:
    columns, errors = match_columns(table.header, TIDY)
    known = set(columns.index.values())
    extra = [i for i, cell in enumerate(table.header) if i not in known and cell]
    if len(extra) > 1:
        errors.append(RowError(1, None, None, "The file has more than one category column ("
                               + ", ".join(table.header[i] for i in extra) + ")."))
    elif extra:
        columns.index["category"] = extra[0]
        columns.header["category"] = table.header[extra[0]]
    elif "indicator" in columns:
        columns.index["category"] = columns.index["indicator"]
        columns.header["category"] = columns.header["indicator"]
    else:
        errors.append(RowError(1, None, None, "The file has no category column."))
    if errors:
        raise ImportRefused(errors)
    meta: dict = {"table": forced.code if forced else None,
                  "characteristic": forced.characteristic if forced else None, "layout": "tidy"}
    return Parsed(_tidy_records(table, columns, forced, meta), meta=meta,
                  edition=options.edition or DEFAULT_EDITION)


def _tidy_records(table, columns, census, meta) -> Iterator[CensusRecord | RowError]:
    areas: dict[str, _Area] = {}
    broken: set[str] = set()  # areas with a refused row: their gaps are not news
    lookup = {code: t.keys() for code, t in TABLES.items()}
    for number, cells in table.rows():
        if problem := check_width(number, cells, table.header):
            yield problem
            continue
        row = Row(number, cells, columns)
        found = _area(row)
        label = row.text("category")
        key = None
        if census is None:
            for code, keys in lookup.items():
                if header_key(label) in keys:
                    census = TABLES[code]
                    meta.update(table=code, characteristic=census.characteristic)
                    break
        if census is not None:
            key = census.keys().get(header_key(label))
        if key is None:
            which = (f"{census.code} ({census.prefix.lower()})" if census
                     else f"any table this service imports ({TABLE_LIST})")
            row.error("category", label, f"is not a category of {which}.")
        measure = row.text("measure")
        if measure and measure.lower() not in ("count", "value"):
            row.error("measure", measure, "is not a count: import the counts, not percentages.")
        count = row.get("value", parse_count, required=True)
        area = areas.get(found[0]) if found else None
        if found and key and area and key in area.counts:
            row.error("category", label,
                      f"repeats row {area.rows[key]} (same area and category).")
        if row.errors:
            if found:
                broken.add(found[0])
            yield from row.errors
            continue
        if area is None:
            area = areas[found[0]] = _Area(found[0], row.text("name") or None, found[1], number)
        area.counts[key], area.rows[key], area.columns[key] = count, number, label
    for code, area in areas.items():
        if code not in broken:
            yield from _complete(area, census)


# -- both -------------------------------------------------------------------------------------


def _complete(area: _Area, census: CensusTable) -> Iterator[CensusRecord | RowError]:
    """Check an area's categories against its groups and total; yield its records."""
    missing = [c for c in census.categories if c not in area.counts]
    if missing:
        more = f" and {len(missing) - 1} other categories" if len(missing) > 1 else ""
        yield RowError(area.first_row, None, area.code,
                       f"has no count for “{missing[0]}”{more}.")
        return
    problems = []
    for group, members in census.groups:
        if group:
            problems += _agree(area, group, sum(area.counts[m] for m in members))
    problems += _agree(area, TOTAL, sum(area.counts[c] for c in census.categories))
    if problems:
        yield from problems
        return
    for key in census.stored_categories:
        yield CensusRecord(area.rows.get(key), area.code, area.name, area.area_type, key,
                           area.counts[key])


def _agree(area: _Area, key: str, summed: int) -> list[RowError]:
    given = area.counts.get(key)
    if given is None:
        area.counts[key] = summed
        return []
    if abs(given - summed) > tolerance(given):
        return [RowError(area.rows[key], area.columns[key], f"{given:,}",
                         f"does not match its categories, which add up to {summed:,} (more "
                         f"than the {tolerance(given):,} that ONS's perturbation explains).")]
    return []


# -- writing ----------------------------------------------------------------------------------


def write(session: Session, records: Iterator[CensusRecord], batch: ImportBatch,
          options: ImportOptions, parsed: Parsed) -> Written:
    """Upsert counts by (area, characteristic, category, edition); identical rows are skipped."""
    edition = batch.edition
    inserted_rows: set[int] = set()
    updated_rows: set[int] = set()
    stat = PopulationStatistic
    for chunk in chunked(records, 5000):
        characteristic = parsed.meta["characteristic"]  # a tidy file's is known once read
        codes = {r.area_code for r in chunk}
        existing = {
            (code, category): (id_, count, name)
            for id_, code, category, count, name in session.execute(
                sa.select(stat.id, stat.area_code, stat.category, stat.count, stat.area_name)
                .where(stat.characteristic == characteristic, stat.edition == edition,
                       stat.area_code.in_(codes)))
        }
        inserts, updates = [], []
        for r in chunk:
            found = existing.get((r.area_code, r.category))
            if found is None:
                inserts.append({"import_batch_id": batch.id, "area_code": r.area_code,
                                "area_name": r.area_name, "area_type": r.area_type,
                                "characteristic": characteristic, "category": r.category,
                                "count": r.count, "edition": edition})
                if r.row:
                    inserted_rows.add(r.row)
            elif found[1:] != (r.count, r.area_name):
                updates.append({"id": found[0], "count": r.count, "area_name": r.area_name,
                                "area_type": r.area_type, "import_batch_id": batch.id})
                if r.row:
                    updated_rows.add(r.row)
        bulk_insert(session, stat, inserts)
        bulk_update(session, stat, updates)
    return Written(len(inserted_rows), len(updated_rows - inserted_rows))
