"""An LSOA → ward → local authority lookup (ONS best-fit, e.g. LSOA 2021 → ward May 2022).

It is the bridge from a home postcode's 2021 LSOA to the ward edition of the Census outputs.

Columns by ONS name with any year (``lsoa21cd``, ``wd22cd``, ``lad22cd`` and their ``…nm``
names, in either case), or ``lsoa_code, ward_code, la_code``. The ward edition is the year in the
ward column's name (``wd22cd`` → "2022") unless given; an existing ward keeps its edition.
Local authorities and wards are added or renamed as the file says; an LSOA gets its ward and
local authority (and becomes a 2021 LSOA if it was only known from IoD2019).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.reference import LocalAuthority, Lsoa, Ward
from recruit.models.statistics import ImportBatch
from recruit.reference.importers.core import (
    Column,
    ImportRefused,
    Row,
    RowError,
    Table,
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

COLUMNS = (
    Column("lsoa", ("LSOA code", "lsoa_code"), required=True, patterns=(r"lsoa(\d\d)cd",),
           name="lsoa21cd"),
    Column("lsoa_name", ("LSOA name", "lsoa_name"), patterns=(r"lsoa(\d\d)nm",)),
    Column("ward", ("ward code", "ward_code"), required=True, patterns=(r"wd(\d\d)cd",),
           name="wd22cd"),
    Column("ward_name", ("ward name", "ward_name"), required=True, patterns=(r"wd(\d\d)nm",),
           name="wd22nm"),
    Column("la", ("local authority code", "la_code"), required=True,
           patterns=(r"lad(\d\d)cd", r"ltla(\d\d)cd"), name="lad22cd"),
    Column("la_name", ("local authority name", "la_name"), required=True,
           patterns=(r"lad(\d\d)nm", r"ltla(\d\d)nm"), name="lad22nm"),
)


class LookupRecord(NamedTuple):
    row: int
    lsoa_code: str
    lsoa_name: str | None
    ward_code: str
    ward_name: str
    la_code: str
    la_name: str


def parse(table: Table, options: ImportOptions) -> Parsed:
    columns, errors = match_columns(table.header, COLUMNS)
    if errors:
        raise ImportRefused(errors)
    ward_year = re.search(r"wd(\d\d)cd", header_key(columns.header["ward"]))
    edition = f"20{ward_year.group(1)}" if ward_year else None
    lsoa_year = re.search(r"lsoa(\d\d)cd", header_key(columns.header["lsoa"]))
    return Parsed(_records(table, columns), edition=options.edition or edition,
                  meta={"lsoa_edition": f"20{lsoa_year.group(1)}" if lsoa_year else "2021"})


def _records(table: Table, columns) -> Iterator[LookupRecord | RowError]:
    lsoas: dict[str, int] = {}
    wards: dict[str, tuple[str, str, int]] = {}
    authorities: dict[str, tuple[str, int]] = {}
    name = max_length(120)
    for number, cells in table.rows():
        if problem := check_width(number, cells, table.header):
            yield problem
            continue
        row = Row(number, cells, columns)
        lsoa = row.get("lsoa", ons_code("E01", "W01"), required=True)
        values = (row.get("lsoa_name", name),
                  row.get("ward", ons_code("E05", "W05"), required=True),
                  row.get("ward_name", name, required=True),
                  row.get("la", ons_code("E06", "E07", "E08", "E09", "W06"), required=True),
                  row.get("la_name", name, required=True))
        _, ward, ward_name, la, la_name = values
        if lsoa in lsoas:
            row.error("lsoa", lsoa, f"repeats the LSOA of row {lsoas[lsoa]}: a best-fit lookup "
                                    "has one ward per LSOA.")
        if ward in wards and wards[ward][:2] != (ward_name, la):
            row.error("ward", ward, f"is given a different name or local authority than in row "
                                    f"{wards[ward][2]}.")
        if la in authorities and authorities[la][0] != la_name:
            row.error("la_name", la_name, f"differs from the name given to {la} in row "
                                          f"{authorities[la][1]}.")
        if row.errors:
            yield from row.errors
            continue
        lsoas[lsoa] = number
        wards.setdefault(ward, (ward_name, la, number))
        authorities.setdefault(la, (la_name, number))
        yield LookupRecord(number, lsoa, *values)


def write(session: Session, records: Iterator[LookupRecord], batch: ImportBatch,
          options: ImportOptions, parsed: Parsed) -> Written:
    """Upsert local authorities, wards and LSOAs by code; counts are of LSOA rows."""
    ward_edition = (batch.edition or "")[:10] or "unknown"
    authorities = {code: (id_, name) for id_, code, name in session.execute(
        sa.select(LocalAuthority.id, LocalAuthority.code, LocalAuthority.name))}
    wards = {code: (id_, name, la_id) for id_, code, name, la_id in session.execute(
        sa.select(Ward.id, Ward.code, Ward.name, Ward.local_authority_id))}
    written = Written()
    added_las = added_wards = 0
    for chunk in chunked(records, 5000):
        added_las += _upsert_authorities(session, chunk, authorities)
        added_wards += _upsert_wards(session, chunk, wards, authorities, ward_edition)
        existing = {code: row for code, *row in session.execute(
            sa.select(Lsoa.code, Lsoa.id, Lsoa.name, Lsoa.edition, Lsoa.ward_id,
                      Lsoa.local_authority_id)
            .where(Lsoa.code.in_({r.lsoa_code for r in chunk})))}
        inserts, updates = [], []
        for r in chunk:
            values = {"name": r.lsoa_name, "edition": parsed.meta["lsoa_edition"],
                      "ward_id": wards[r.ward_code][0],
                      "local_authority_id": authorities[r.la_code][0]}
            found = existing.get(r.lsoa_code)
            if found is None:
                inserts.append({"code": r.lsoa_code, **values})
            elif tuple(found[1:]) != tuple(values.values()):
                updates.append({"id": found[0], **values})
        bulk_insert(session, Lsoa, inserts)
        bulk_update(session, Lsoa, updates)
        written.inserted += len(inserts)
        written.updated += len(updates)
    if added_las or added_wards:
        written.notes.append(f"{added_las:,} local authorities and {added_wards:,} wards added.")
    return written


def _upsert_authorities(session, chunk, authorities) -> int:
    names = {r.la_code: r.la_name for r in chunk}
    new = [{"code": code, "name": name} for code, name in names.items()
           if code not in authorities]
    renamed = [{"id": authorities[code][0], "name": name} for code, name in names.items()
               if code in authorities and authorities[code][1] != name]
    bulk_insert(session, LocalAuthority, new)
    bulk_update(session, LocalAuthority, renamed)
    if new or renamed:
        authorities.update({code: (id_, name) for id_, code, name in session.execute(
            sa.select(LocalAuthority.id, LocalAuthority.code, LocalAuthority.name)
            .where(LocalAuthority.code.in_(names)))})
    return len(new)


def _upsert_wards(session, chunk, wards, authorities, edition) -> int:
    given = {r.ward_code: (r.ward_name, authorities[r.la_code][0]) for r in chunk}
    new = [{"code": code, "name": name, "local_authority_id": la_id, "edition": edition}
           for code, (name, la_id) in given.items() if code not in wards]
    changed = [{"id": wards[code][0], "name": name, "local_authority_id": la_id}
               for code, (name, la_id) in given.items()
               if code in wards and wards[code][1:] != (name, la_id)]
    bulk_insert(session, Ward, new)
    bulk_update(session, Ward, changed)
    if new or changed:
        wards.update({code: (id_, name, la_id) for id_, code, name, la_id in session.execute(
            sa.select(Ward.id, Ward.code, Ward.name, Ward.local_authority_id)
            .where(Ward.code.in_(given)))})
    return len(new)
