"""An anonymised staff extract for one date: one row per person (or assignment).

Columns ``staff_ref, site, staff_group, pay_band, ethnic_category, sex, age_band, disability,
religion, home_postcode, start_date, entry_route``, or the ESR export names (Assignment Number,
Organisation, Staff Group, Pay Band or Grade, Ethnic Origin, Gender, Age Band, Disability Flag,
Religious Belief, Postcode, Date of Hire). Only ``staff_ref``, ``pay_band`` and
``ethnic_category`` are required.

* Ethnic category: the NHS code (A–S, Z, 99) or an ESR value starting with it and a space
  ("A White - British"); ESR's two-character local codes ("CA White English") roll up to their
  first letter, as the NHS Data Dictionary defines (DOMAIN.md §5).
* Pay band: "5", "Band 5", "AfC Band 8A" become "Band 5" / "Band 8a"; "VSM" stays; anything else
  (a medical grade) is kept as written.
* Entry route: "programme" (or "Pre-employment programme") marks the programme route; any other
  value, or none, is "other".
* Home postcode: resolved while importing to its 2021 LSOA, that LSOA's Census-edition ward (the
  LSOA → ward lookup, never the postcode directory's newer ward: DOMAIN.md §8), local authority
  and IMD decile, then discarded. It is never stored. An unknown or malformed postcode leaves the
  areas blank and is counted in the summary.
* Site: mapped to a locality (a local-authority name) through the ``SITE_LOCALITIES`` setting.

Re-importing for the same date replaces the snapshot's rows: changed people are updated, new
ones added, and people no longer in the extract removed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from enum import Enum
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.reference import LocalAuthority, Lsoa, Postcode, Ward
from recruit.models.statistics import (
    EntryRoute,
    ImportBatch,
    WorkforceRecord,
    WorkforceSnapshot,
    WorkforceSource,
)
from recruit.reference.importers import vocabulary as vocab
from recruit.reference.importers.core import (
    INVALID,
    Column,
    ImportRefused,
    Memo,
    Row,
    RowError,
    Table,
    check_width,
    header_key,
    match_columns,
    max_length,
    normalise_postcode,
    parse_date,
    refuse,
)
from recruit.reference.importers.pipeline import (
    ImportOptions,
    Parsed,
    Written,
    bulk_update,
    chunked,
    insert_rows,
)
from recruit.statistics import workforce_counts

COLUMNS = (
    Column("staff_ref", ("staff_ref", "Assignment Number", "Employee Number", "Staff reference"),
           required=True),
    Column("site", ("site", "Organisation", "Location")),
    Column("staff_group", ("staff_group", "Staff Group")),
    Column("pay_band", ("pay_band", "Pay Band or Grade", "Pay Band", "Grade"), required=True),
    Column("ethnic_category", ("ethnic_category", "Ethnic Origin", "Ethnicity"), required=True),
    Column("sex", ("sex", "Gender")),
    Column("age_band", ("age_band", "Age Band")),
    Column("disability", ("disability", "Disability Flag")),
    Column("religion", ("religion", "Religious Belief")),
    Column("home_postcode", ("home_postcode", "Postcode", "Home Postcode")),
    Column("start_date", ("start_date", "Date of Hire", "Start Date")),
    Column("entry_route", ("entry_route", "Entry Route", "route")),
)
FIELDS = ("site", "locality", "staff_group", "pay_band", "ethnic_category", "sex", "age_band",
          "disability", "religion", "home_lsoa_code", "home_ward_code", "home_la_code",
          "home_imd_decile", "started_on", "entry_route")

class StaffRecord(NamedTuple):
    """One checked row, its values as stored (an enum as its member's name)."""

    row: int
    staff_ref: str
    site: str | None
    staff_group: str | None  # a StaffGroup name
    pay_band: str
    ethnic_category: str
    sex: str | None  # a Sex name
    age_band: str | None
    disability: str | None  # an Answer name
    religion: str | None  # a Religion name
    home_postcode: str | None  # normalised; None when missing or not a postcode
    postcode_given: bool
    started_on: date | None
    entry_route: str  # an EntryRoute name


def _by_name(parse: Callable[[str], Enum | None]) -> Callable[[str], str | None]:
    """An enum parser that gives the member's name, as enum columns store it."""

    def parse_name(text: str) -> str | None:
        member = parse(text)
        return None if member is None else member.name

    return parse_name


def _home(text: str) -> tuple[str | None, bool]:
    return normalise_postcode(text), True


def _entry_route(text: str) -> str:
    return vocab.entry_route(text).name


# Each field from ``site`` to ``religion``, in StaffRecord order: (column, parse, required).
_PARSERS = (
    ("site", max_length(120), False), ("staff_group", _by_name(vocab.staff_group), False),
    ("pay_band", vocab.pay_band, True), ("ethnic_category", vocab.ethnic_code, True),
    ("sex", _by_name(vocab.sex), False), ("age_band", max_length(20), False),
    ("disability", _by_name(vocab.answer), False), ("religion", _by_name(vocab.religion), False),
)


def parse(table: Table, options: ImportOptions) -> Parsed:
    if options.as_of is None:
        raise refuse("Give the date the extract describes (as of).")
    if not options.organisation:
        raise refuse("Give the organisation the extract is from.")
    columns, errors = match_columns(table.header, COLUMNS)
    if errors:
        raise ImportRefused(errors)
    postcodes: set[str] = set()  # every home postcode in the file, normalised, once read
    return Parsed(_records(table, columns, postcodes),
                  edition=f"as of {options.as_of.isoformat()}", meta={"postcodes": postcodes})


_UNSEEN = object()  # not in a memo yet


def _readers() -> tuple[tuple[str, Memo], ...]:
    """Each field after ``staff_ref``, in :class:`StaffRecord` order, read through a memo."""
    return (
        *((name, Memo(parse, required=required)) for name, parse, required in _PARSERS),
        ("home_postcode", Memo(_home, blank=(None, False))),
        ("start_date", Memo(parse_date)),
        ("entry_route", Memo(_entry_route, blank=EntryRoute.other.name)),
    )


def _records(table: Table, columns, postcodes: set[str]) -> Iterator[StaffRecord | RowError]:
    """Each row as a record, or its problems; ``postcodes`` gathers the home postcodes.

    The fast path looks each cell up in its field's memo (``dict.get`` mapped over the row, so
    a row of values already seen costs no Python call per cell); a cell not seen before goes
    through its memo, and a row not acceptable whole is read again by :func:`_read_row`, which
    says what is wrong (the two agree on every value).
    """
    seen: dict[str, int] = {}
    width = len(table.header)
    absent = width  # every row is padded with blanks to one cell past the header
    fields = _readers()
    memos = [memo for _, memo in fields]
    knowns = [memo.known for memo in memos]
    pick = itemgetter(columns.index["staff_ref"],
                      *(columns.index.get(name, absent) for name, _ in fields))
    pad = [""] * (width + 1)
    unseen = repeat(_UNSEEN)
    for number, cells in table.rows():
        if len(cells) > width:  # maybe an unquoted comma: let the careful reader say
            yield from _read_row(number, cells, table.header, columns, seen, postcodes)
            continue
        cells += pad[len(cells):]
        ref, *picked = pick(cells)
        values = list(map(dict.get, knowns, picked, unseen))
        if _UNSEEN in values:
            values = [memo(cell) for memo, cell in zip(memos, picked, strict=True)]
        ref = ref.strip()
        if not ref or len(ref) > 40 or ref in seen or INVALID in values:
            yield from _read_row(number, cells, table.header, columns, seen, postcodes)
            continue
        seen[ref] = number
        site, group, band, ethnic, sex, age, disability, religion, home, started, route = values
        if home[0]:
            postcodes.add(home[0])
        yield StaffRecord(number, ref, site, group, band, ethnic, sex, age, disability, religion,
                          *home, started, route)


def _read_row(number: int, cells: list[str], header: list[str], columns, seen: dict[str, int],
              postcodes: set[str]) -> Iterator[StaffRecord | RowError]:
    """One row read field by field, every problem in it reported."""
    if problem := check_width(number, cells, header):
        yield problem
        return
    row = Row(number, cells, columns)
    ref = row.get("staff_ref", max_length(40), required=True)
    if ref and ref in seen:
        row.error("staff_ref", ref, f"repeats the staff reference of row {seen[ref]}.")
    postcode_text = row.text("home_postcode")
    values = (
        *(row.get(name, parse, required=required) for name, parse, required in _PARSERS),
        *(_home(postcode_text) if postcode_text else (None, False)),
        row.get("start_date", parse_date), _entry_route(row.text("entry_route")),
    )
    if row.errors:
        yield from row.errors
        return
    seen[ref] = number
    record = StaffRecord(number, ref, *values)
    if record.home_postcode:
        postcodes.add(record.home_postcode)
    yield record


def check(session: Session, parsed: Parsed, options: ImportOptions) -> list[RowError]:
    kind = session.scalar(sa.select(WorkforceSnapshot.source_kind).where(
        WorkforceSnapshot.as_of == options.as_of,
        WorkforceSnapshot.organisation == options.organisation))
    if kind is not None and kind is not WorkforceSource.person_extract:
        return [RowError(None, None, None, f"{options.organisation} already has an aggregate "
                         f"return for {options.as_of:%d %B %Y}; a staff extract cannot replace "
                         "it.")]
    return []


class _Resolver:
    """Home postcodes to areas: each distinct postcode looked up once, many per query."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.areas: dict[str, tuple[str | None, str | None, str | None, int | None]] = {}

    def resolve(self, postcodes: set[str]) -> dict[str, tuple]:
        """``(lsoa, ward, la, imd_decile)`` of each postcode asked for so far (these included).

        A postcode not in the directory has no areas (all ``None``).
        """
        wanted = [pc for pc in postcodes if pc not in self.areas]
        for some in chunked(wanted, 2000):
            found = dict.fromkeys(some, _NO_AREAS)
            for postcode, lsoa21, lsoa11, postcode_la, ward, la, decile in self.session.execute(
                sa.select(Postcode.postcode, Postcode.lsoa21_code, Postcode.lsoa11_code,
                          Postcode.local_authority_code, Ward.code, LocalAuthority.code,
                          Lsoa.imd_decile)
                .outerjoin(Lsoa, Lsoa.code == sa.func.coalesce(Postcode.lsoa21_code,
                                                               Postcode.lsoa11_code))
                .outerjoin(Lsoa.ward).outerjoin(Lsoa.local_authority)
                .where(Postcode.postcode.in_(some))
            ):
                lsoa = lsoa21 or lsoa11
                found[postcode] = (lsoa, ward, la or postcode_la, decile) if lsoa else (
                    None, None, postcode_la, None)
            self.areas.update(found)
        return self.areas


_NO_AREAS = (None, None, None, None)
# The record's columns as stored, an enum as its member's name (recruit.models.base.enum_column):
# records carry names, so they compare with what is stored and go to COPY as plain strings.
_STORED = tuple(sa.type_coerce(column, sa.String) if isinstance(column.type, sa.Enum) else column
                for column in (getattr(WorkforceRecord, f) for f in FIELDS))
NAMES = ("snapshot_id", "staff_ref", *FIELDS)  # the columns each inserted row gives


def write(session: Session, records: Iterator[StaffRecord], batch: ImportBatch,
          options: ImportOptions, parsed: Parsed) -> Written:
    """Insert or update the snapshot's staff in bulk; remove staff no longer in the extract."""
    snapshot = _snapshot(session, batch, options)
    existing = {ref: row for ref, *row in session.execute(
        sa.select(WorkforceRecord.staff_ref, WorkforceRecord.id, *_STORED)
        .where(WorkforceRecord.snapshot_id == snapshot.id))}
    named = {header_key(site): town for site, town in options.site_localities.items()}
    localities: dict[str, str | None] = {}  # site as written -> locality
    # Every postcode first (pass one gathered them), so the rows can stream into one COPY.
    areas = _Resolver(session).resolve(parsed.meta["postcodes"])
    written = Written()
    seen: set[str] = set()
    updates: list[tuple] = []
    unresolved = 0
    snapshot_id = snapshot.id

    def inserts() -> Iterator[tuple]:
        nonlocal unresolved
        for r in records:
            seen.add(r.staff_ref)
            home = areas.get(r.home_postcode, _NO_AREAS) if r.home_postcode else _NO_AREAS
            if r.postcode_given and home[0] is None:
                unresolved += 1
            if r.site is None:
                locality = None
            elif (locality := localities.get(r.site, "")) == "":
                locality = localities[r.site] = named.get(header_key(r.site))
            values = (r.site, locality, r.staff_group, r.pay_band, r.ethnic_category, r.sex,
                      r.age_band, r.disability, r.religion, *home, r.started_on, r.entry_route)
            found = existing.get(r.staff_ref)
            if found is None:
                written.inserted += 1
                yield (snapshot_id, r.staff_ref, *values)
            elif tuple(found[1:]) != values:
                updates.append((found[0], *values))

    insert_rows(session, WorkforceRecord, NAMES, inserts())
    for chunk in chunked(updates, 2000):
        bulk_update(session, WorkforceRecord,
                    [dict(zip(("id", *FIELDS), row, strict=True)) for row in chunk])
    written.updated = len(updates)
    gone = [found[0] for ref, found in existing.items() if ref not in seen]
    for ids in chunked(gone, 2000):
        session.execute(sa.delete(WorkforceRecord).where(WorkforceRecord.id.in_(ids)))
    snapshot.headcount = len(seen)
    workforce_counts.rebuild(session, snapshot.id)
    if written.inserted or written.updated or gone:
        snapshot.import_batch_id = batch.id
    unmapped = {site for site, locality in localities.items() if locality is None}
    written.notes += _notes(len(gone), unresolved, unmapped, snapshot)
    return written


def _snapshot(session: Session, batch: ImportBatch, options: ImportOptions) -> WorkforceSnapshot:
    snapshot = session.scalar(sa.select(WorkforceSnapshot).where(
        WorkforceSnapshot.as_of == options.as_of,
        WorkforceSnapshot.organisation == options.organisation))
    if snapshot is None:
        snapshot = WorkforceSnapshot(
            as_of=options.as_of, organisation=options.organisation[:200],
            label=f"Workforce at {options.as_of.day} {options.as_of:%B %Y}",
            import_batch_id=batch.id,
            source_kind=WorkforceSource.person_extract)
        session.add(snapshot)
        session.flush()
    return snapshot


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _notes(removed: int, unresolved: int, unmapped: set[str], snapshot) -> list[str]:
    notes = [f"Snapshot “{snapshot.label}” now holds {snapshot.headcount:,} staff."]
    if removed:
        notes.append(f"{removed:,} staff no longer in the extract were removed.")
    if unresolved:
        notes.append(f"{_count(unresolved, 'home postcode')} did not resolve to an area (not in "
                     "the postcode directory, or not a postcode): those areas are blank.")
    if unmapped:
        shown = ", ".join(sorted(unmapped)[:5]) + (" …" if len(unmapped) > 5 else "")
        notes.append(f"{_count(len(unmapped), 'site')} with no locality in SITE_LOCALITIES: "
                     f"{shown}.")
    return notes
