"""English Indices of Deprivation: an LSOA's IMD rank and decile, and which edition they are from.

Reads File 1 or File 7 of IoD2019 (``LSOA code (2011)``, ``Index of Multiple Deprivation (IMD)
Rank`` with or without ``(where 1 is most deprived)``, quoted thousands), the IoD2025 files
(``LSOA code (2021)``) and plain copies (``lsoa11cd, imd_rank, imd_decile``). The edition comes
from the LSOA column's year (2011 → IoD2019, 2021 → IoD2025) unless given.

IoD2019 is published on 2011 LSOAs: a 2021 LSOA with the same code takes its figures (most kept
their codes); LSOAs not yet known are added with the LSOA edition of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.reference import LocalAuthority, Lsoa
from recruit.models.statistics import ImportBatch
from recruit.reference.importers.core import (
    Column,
    ImportRefused,
    Row,
    RowError,
    Table,
    bounded,
    check_width,
    header_key,
    match_columns,
    max_length,
    ons_code,
)
from recruit.reference.importers.pipeline import (
    ImportOptions,
    Parsed,
    Written,
    bulk_insert,
    bulk_update,
    chunked,
)

IMD = "Index of Multiple Deprivation (IMD)"
COLUMNS = (
    Column("lsoa", ("LSOA code (2021)", "LSOA code (2011)", "lsoa21cd", "lsoa11cd",
                    "LSOA code", "lsoa_code"), required=True),
    Column("lsoa_name", ("LSOA name (2021)", "LSOA name (2011)", "lsoa21nm", "lsoa11nm",
                         "LSOA name", "lsoa_name")),
    Column("la", ("Local Authority District code",), patterns=(
        r"localauthoritydistrictcode(\d{4})", r"lad(\d\d)cd")),
    Column("rank", (f"{IMD} Rank (where 1 is most deprived)", f"{IMD} Rank", "imd_rank"),
           required=True),
    Column("decile", (f"{IMD} Decile (where 1 is most deprived 10% of LSOAs)", f"{IMD} Decile",
                      "imd_decile"), required=True),
)
EDITIONS = {"2011": ("IoD2019", "2011"), "2021": ("IoD2025", "2021")}


class ImdRecord(NamedTuple):
    row: int
    lsoa_code: str
    lsoa_name: str | None
    la_code: str | None
    rank: int
    decile: int


def parse(table: Table, options: ImportOptions) -> Parsed:
    columns, errors = match_columns(table.header, COLUMNS)
    if errors:
        raise ImportRefused(errors)
    lsoa_key = header_key(columns.header["lsoa"])
    year = "2021" if "2021" in lsoa_key or "lsoa21" in lsoa_key else "2011"
    edition, lsoa_edition = EDITIONS[year]
    return Parsed(_records(table, columns), edition=options.edition or edition,
                  meta={"lsoa_edition": lsoa_edition})


def _records(table: Table, columns) -> Iterator[ImdRecord | RowError]:
    seen: dict[str, int] = {}
    rank = bounded(1, 50_000)
    decile = bounded(1, 10)
    for number, cells in table.rows():
        if problem := check_width(number, cells, table.header):
            yield problem
            continue
        row = Row(number, cells, columns)
        code = row.get("lsoa", ons_code("E01", "W01"), required=True)
        if code and code in seen:
            row.error("lsoa", code, f"repeats the LSOA of row {seen[code]}.")
        values = (row.get("lsoa_name", max_length(120)), row.get("la", ons_code()),
                  row.get("rank", rank, required=True), row.get("decile", decile, required=True))
        if row.errors:
            yield from row.errors
            continue
        seen[code] = number
        yield ImdRecord(number, code, *values)


def write(session: Session, records: Iterator[ImdRecord], batch: ImportBatch,
          options: ImportOptions, parsed: Parsed) -> Written:
    """Set rank, decile and edition on LSOAs by code; add LSOAs not yet known."""
    authorities = dict(session.execute(sa.select(LocalAuthority.code, LocalAuthority.id)).all())
    written = Written()
    edition = batch.edition
    for chunk in chunked(records, 5000):
        existing = {
            code: (id_, rank, decile, imd_edition)
            for id_, code, rank, decile, imd_edition in session.execute(
                sa.select(Lsoa.id, Lsoa.code, Lsoa.imd_rank, Lsoa.imd_decile, Lsoa.imd_edition)
                .where(Lsoa.code.in_({r.lsoa_code for r in chunk})))
        }
        inserts, updates = [], []
        for r in chunk:
            found = existing.get(r.lsoa_code)
            if found is None:
                inserts.append({"code": r.lsoa_code, "name": r.lsoa_name,
                                "edition": parsed.meta["lsoa_edition"],
                                "local_authority_id": authorities.get(r.la_code),
                                "imd_rank": r.rank, "imd_decile": r.decile,
                                "imd_edition": edition})
            elif found[1:] != (r.rank, r.decile, edition):
                updates.append({"id": found[0], "imd_rank": r.rank, "imd_decile": r.decile,
                                "imd_edition": edition})
        bulk_insert(session, Lsoa, inserts)
        bulk_update(session, Lsoa, updates)
        written.inserted += len(inserts)
        written.updated += len(updates)
    return written
