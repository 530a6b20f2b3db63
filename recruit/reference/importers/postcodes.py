"""An ONS Postcode Directory or NSPL extract: postcode → 2021 LSOA, 2011 LSOA, ward, authority.

Terminated postcodes are kept so that old addresses still resolve.

Columns go through an alias table: ``pcds`` (or ``postcode``, ``pcd2``, ``pcd``), ``lsoa21`` /
``lsoa21cd``, ``lsoa11`` / ``lsoa11cd``, ``osward`` / ``ward`` / ``wdNNcd``, ``oslaua`` / ``laua`` /
``ladNNcd`` (the newest year wins), ``doterm``; the Trafford Data Lab layout ``postcode,
ward_code, lsoa_code, la_code`` reads ``lsoa_code`` as a 2021 LSOA. The ward stored here is the
directory's own (often newer than the Census outputs); resolving staff to Census wards goes
through the 2021 LSOA instead (DOMAIN.md §8). Pseudo-codes (``E99999999``) are stored as blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.reference import Postcode
from recruit.models.statistics import ImportBatch
from recruit.reference.importers.core import (
    CellError,
    Column,
    ImportRefused,
    Row,
    RowError,
    Table,
    check_width,
    match_columns,
    ons_code,
    parse_date,
    parse_postcode,
)
from recruit.reference.importers.pipeline import (
    ImportOptions,
    Parsed,
    Written,
    bulk_insert,
    bulk_update,
    chunked,
)

COLUMNS = (
    Column("postcode", ("pcds", "postcode", "pcd2", "pcd", "pcd7", "pcd8"), required=True),
    Column("lsoa21", ("lsoa21", "lsoa21cd", "lsoa21_code", "lsoa_code")),
    Column("lsoa11", ("lsoa11", "lsoa11cd", "lsoa11_code")),
    Column("ward", ("osward", "ward", "ward_code"), patterns=(r"wd(\d\d)cd",)),
    Column("la", ("oslaua", "laua", "la_code"), patterns=(r"lad(\d\d)cd",)),
    Column("terminated", ("doterm", "date_of_termination")),
)
FIELDS = ("lsoa21_code", "lsoa11_code", "ward_code", "local_authority_code", "terminated_on")


class PostcodeRecord(NamedTuple):
    row: int
    postcode: str
    lsoa21_code: str | None
    lsoa11_code: str | None
    ward_code: str | None
    local_authority_code: str | None
    terminated_on: date | None


def parse_termination(text: str) -> date:
    """ONSPD's ``doterm`` is ``YYYYMM``; a full date is accepted too."""
    if re.fullmatch(r"\d{6}", text):
        year, month = int(text[:4]), int(text[4:])
        if 1900 < year < 2200 and 1 <= month <= 12:
            return date(year, month, 1)
        raise CellError("is not a year and month (YYYYMM).")
    return parse_date(text)


def parse(table: Table, options: ImportOptions) -> Parsed:
    columns, errors = match_columns(table.header, COLUMNS)
    if not errors and "lsoa21" not in columns and "lsoa11" not in columns:
        errors.append(RowError(1, None, None, "The file has no LSOA column (“lsoa21”, "
                                              "“lsoa21cd”, “lsoa11” or “lsoa_code”)."))
    if errors:
        raise ImportRefused(errors)
    return Parsed(_records(table, columns), edition=options.edition)


def _records(table: Table, columns) -> Iterator[PostcodeRecord | RowError]:
    seen: dict[str, int] = {}
    code = ons_code()
    for number, cells in table.rows():
        if problem := check_width(number, cells, table.header):
            yield problem
            continue
        row = Row(number, cells, columns)
        postcode = row.get("postcode", parse_postcode, required=True)
        if postcode in seen:
            row.error("postcode", postcode, f"repeats the postcode of row {seen[postcode]}.")
        values = (row.get("lsoa21", code), row.get("lsoa11", code), row.get("ward", code),
                  row.get("la", code), row.get("terminated", parse_termination))
        if row.errors:
            yield from row.errors
            continue
        seen[postcode] = number
        yield PostcodeRecord(number, postcode, *values)


def write(session: Session, records: Iterator[PostcodeRecord], batch: ImportBatch,
          options: ImportOptions, parsed: Parsed) -> Written:
    """Upsert postcodes; a postcode is unchanged when its areas and termination are."""
    source = (batch.edition or batch.source_filename)[:120]
    written = Written()
    columns = [getattr(Postcode, name) for name in FIELDS]
    for chunk in chunked(records, 2000):
        existing = {postcode: row for postcode, *row in session.execute(
            sa.select(Postcode.postcode, Postcode.id, *columns)
            .where(Postcode.postcode.in_([r.postcode for r in chunk])))}
        inserts, updates = [], []
        for r in chunk:
            values = dict(zip(FIELDS, r[2:], strict=True))
            found = existing.get(r.postcode)
            if found is None:
                inserts.append({"postcode": r.postcode, "source": source, **values})
            elif tuple(found[1:]) != r[2:]:
                updates.append({"id": found[0], "source": source, **values})
        bulk_insert(session, Postcode, inserts)
        bulk_update(session, Postcode, updates)
        written.inserted += len(inserts)
        written.updated += len(updates)
    return written
