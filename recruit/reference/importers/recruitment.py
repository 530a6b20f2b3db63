"""Shortlisting and appointment outcomes from the recruitment system (WRES 2, WDES 2).

They feed WRES indicator 2 and WDES metric 2 (DOMAIN.md §6).

Columns ``applicant_ref, vacancy_ref, date, ethnic_category, disability, shortlisted, appointed,
declined_offer, route``; the first three are required. Flags read yes/no, y/n, true/false or
1/0, and a blank flag is "no". The ethnic category is an NHS code or an ESR value beginning with
it (blank: not known); the route is "programme" for the pre-employment programme, otherwise
"other". An appointment must come from the shortlist. One row per applicant and vacancy;
re-importing updates changed outcomes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models.equality import Answer
from recruit.models.statistics import EntryRoute, ImportBatch, RecruitmentOutcome
from recruit.reference.importers import vocabulary as vocab
from recruit.reference.importers.core import (
    Column,
    ImportRefused,
    Row,
    RowError,
    Table,
    check_width,
    match_columns,
    max_length,
    parse_date,
    parse_flag,
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
    Column("applicant_ref", ("applicant_ref", "Applicant Reference", "Applicant ID"),
           required=True),
    Column("vacancy_ref", ("vacancy_ref", "Vacancy Reference", "Vacancy ID"), required=True),
    Column("date", ("date", "decided_on", "decision_date"), required=True),
    Column("ethnic_category", ("ethnic_category", "Ethnic Origin", "Ethnicity")),
    Column("disability", ("disability", "Disability Flag")),
    Column("shortlisted", ("shortlisted",)),
    Column("appointed", ("appointed",)),
    Column("declined_offer", ("declined_offer", "declined offer", "offer declined")),
    Column("route", ("route", "entry_route")),
)
FIELDS = ("decided_on", "ethnic_category", "disability", "shortlisted", "appointed",
          "declined_offer", "route")


class OutcomeRecord(NamedTuple):
    row: int
    applicant_ref: str
    vacancy_ref: str
    decided_on: date
    ethnic_category: str | None
    disability: Answer | None
    shortlisted: bool
    appointed: bool
    declined_offer: bool
    route: EntryRoute


def parse(table: Table, options: ImportOptions) -> Parsed:
    columns, errors = match_columns(table.header, COLUMNS)
    if errors:
        raise ImportRefused(errors)
    return Parsed(_records(table, columns), edition=options.edition)


def _records(table: Table, columns) -> Iterator[OutcomeRecord | RowError]:
    seen: dict[tuple[str, str], int] = {}
    ref = max_length(60)
    for number, cells in table.rows():
        if problem := check_width(number, cells, table.header):
            yield problem
            continue
        row = Row(number, cells, columns)
        applicant = row.get("applicant_ref", ref, required=True)
        vacancy = row.get("vacancy_ref", ref, required=True)
        decided_on = row.get("date", parse_date, required=True)
        ethnic = row.get("ethnic_category", vocab.ethnic_code)
        disability = row.get("disability", vocab.answer)
        shortlisted, appointed, declined = (bool(row.get(name, parse_flag))
                                            for name in ("shortlisted", "appointed",
                                                         "declined_offer"))
        if appointed and not shortlisted:
            row.error("appointed", row.text("appointed"),
                      "says appointed but the applicant was not shortlisted: WRES counts "
                      "appointments from the shortlist.")
        key = (applicant, vacancy)
        if applicant and vacancy and key in seen:
            row.error("vacancy_ref", vacancy, f"repeats the applicant and vacancy of row "
                                              f"{seen[key]}.")
        if row.errors:
            yield from row.errors
            continue
        seen[key] = number
        yield OutcomeRecord(number, applicant, vacancy, decided_on, ethnic, disability,
                            shortlisted, appointed, declined, vocab.entry_route(row.text("route")))


def write(session: Session, records: Iterator[OutcomeRecord], batch: ImportBatch,
          options: ImportOptions, parsed: Parsed) -> Written:
    """Upsert outcomes by (applicant, vacancy)."""
    written = Written()
    outcome = RecruitmentOutcome
    for chunk in chunked(records, 2000):
        existing = {(a, v): row for a, v, *row in session.execute(
            sa.select(outcome.applicant_ref, outcome.vacancy_ref, outcome.id,
                      *(getattr(outcome, f) for f in FIELDS))
            .where(outcome.applicant_ref.in_({r.applicant_ref for r in chunk})))}
        inserts, updates = [], []
        for r in chunk:
            values = dict(zip(FIELDS, r[3:], strict=True))
            found = existing.get((r.applicant_ref, r.vacancy_ref))
            if found is None:
                inserts.append({"import_batch_id": batch.id, "applicant_ref": r.applicant_ref,
                                "vacancy_ref": r.vacancy_ref, **values})
            elif tuple(found[1:]) != r[3:]:
                updates.append({"id": found[0], "import_batch_id": batch.id, **values})
        bulk_insert(session, outcome, inserts)
        bulk_update(session, outcome, updates)
        written.inserted += len(inserts)
        written.updated += len(updates)
    return written
