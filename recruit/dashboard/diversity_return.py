"""A workforce snapshot as an Open Innovations diversity return (data standard v1.1), suppressed.

The standard (``shared/data/open_innovations_diversity/diversity-definition.json``) has one row
per return: ``published``, ``organisation``, ``employees``, then counts named
``<section>_<category>``. We fill the sections a staff extract supports:

* ethnicity, from the NHS ethnic category code: the five groups and the sub-categories whose
  labels match the standard's (C "Any other White background" is ``white_other``, S "Any other
  ethnic group" is ``other_anyother``, R Chinese is ``asian_chinese`` as in Census 2021); Z (not
  stated) is ``prefernottosay`` and 99 (not known) ``undisclosed``. Gypsy or Irish Traveller and
  Arab cannot be told apart in the NHS codes, so ``white_traveller`` and ``other_arab`` stay empty;
* gender (recorded sex), disability and religion, with no answer as ``undisclosed``.

Age is left empty: ESR's five-year bands (21-25, 26-30…) straddle the standard's (15-24, 25-34…).

Every count goes through the one suppression function (DOMAIN.md §7): 0 stays 0, 8 and more are
rounded to the nearest 5, and 1 to 7 are left blank, because the standard's columns hold whole
numbers only (a blank is "no figure" in the standard; ``*`` would break its readers).
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models import WorkforceRecord, WorkforceSnapshot
from recruit.models.equality import Answer, Religion, Sex
from recruit.statistics.categories import parse_nhs_code
from recruit.statistics.suppression import suppress_count

EDITION = "Open Innovations diversity data standard 1.1"
_SUFFIXES = ("prefernottosay", "undisclosed", "total")
ETHNICITY_COLUMNS = (
    "asian", "asian_bangladeshi", "asian_chinese", "asian_indian", "asian_pakistani",
    "asian_other", "black", "black_african", "black_caribbean", "black_other", "mixed",
    "mixed_african", "mixed_asian", "mixed_caribbean", "mixed_other", "other", "other_arab",
    "other_anyother", "white", "white_british", "white_irish", "white_traveller", "white_other",
    *_SUFFIXES,
)
SECTIONS = {
    "disability": ("yes", "no", *_SUFFIXES),
    "ethnicity": ETHNICITY_COLUMNS,
    "gender": ("female", "male", "other", *_SUFFIXES),
    "religion": ("buddhist", "christian", "hindu", "jewish", "muslim", "no", "other", "sikh",
                 *_SUFFIXES),
}
HEADER = ["published", "organisation", "organisation_grouping", "organisation_level",
          "employees", *[f"{section}_{key}" for section, keys in SECTIONS.items()
                         for key in keys]]
# NHS ethnic category code -> (group, sub-category) in the standard's names.
NHS_CODES = {
    "A": ("white", "white_british"), "B": ("white", "white_irish"),
    "C": ("white", "white_other"), "D": ("mixed", "mixed_caribbean"),
    "E": ("mixed", "mixed_african"), "F": ("mixed", "mixed_asian"),
    "G": ("mixed", "mixed_other"), "H": ("asian", "asian_indian"),
    "J": ("asian", "asian_pakistani"), "K": ("asian", "asian_bangladeshi"),
    "L": ("asian", "asian_other"), "M": ("black", "black_caribbean"),
    "N": ("black", "black_african"), "P": ("black", "black_other"),
    "R": ("asian", "asian_chinese"), "S": ("other", "other_anyother"),
}
SEX = {Sex.female: "female", Sex.male: "male", Sex.prefer_not_to_say: "prefernottosay"}
ANSWER = {Answer.yes: "yes", Answer.no: "no", Answer.prefer_not_to_say: "prefernottosay"}
RELIGION = {Religion.no_religion: "no", Religion.christian: "christian",
            Religion.buddhist: "buddhist", Religion.hindu: "hindu", Religion.jewish: "jewish",
            Religion.muslim: "muslim", Religion.sikh: "sikh", Religion.other: "other",
            Religion.prefer_not_to_say: "prefernottosay"}


def raw_counts(session: Session, snapshot: WorkforceSnapshot) -> dict[str, int]:
    """Unsuppressed counts per column of the standard, from ``GROUP BY`` queries."""
    counts: dict[str, int] = defaultdict(int)
    record = WorkforceRecord
    where = record.snapshot_id == snapshot.id
    employees = 0
    for code, n in session.execute(sa.select(record.ethnic_category, sa.func.count())
                                   .where(where).group_by(record.ethnic_category)).tuples():
        employees += n
        parsed = parse_nhs_code(code)
        if parsed in NHS_CODES:
            group, category = NHS_CODES[parsed]
            counts[f"ethnicity_{group}"] += n
            counts[f"ethnicity_{category}"] += n
        else:
            counts["ethnicity_prefernottosay" if parsed == "Z" else "ethnicity_undisclosed"] += n
    counts["ethnicity_total"] = employees
    for section, column, names in (("gender", record.sex, SEX),
                                   ("disability", record.disability, ANSWER),
                                   ("religion", record.religion, RELIGION)):
        for value, n in session.execute(sa.select(column, sa.func.count())
                                        .where(where).group_by(column)).tuples():
            counts[f"{section}_{names.get(value, 'undisclosed')}"] += n
        counts[f"{section}_total"] = employees
    counts["employees"] = employees
    return dict(counts)


def return_row(session: Session, snapshot: WorkforceSnapshot) -> list[object]:
    """The return for ``snapshot``: one row in :data:`HEADER` order, suppressed.

    Columns the data cannot fill (``white_traveller``, ``other_arab``) are left blank; so is every
    count from 1 to 7.
    """
    counts = raw_counts(session, snapshot)
    unfillable = {"ethnicity_white_traveller", "ethnicity_other_arab"}
    row: list[object] = [snapshot.as_of.isoformat(), snapshot.organisation, "", ""]
    for column in HEADER[4:]:
        if column in unfillable:
            row.append("")
            continue
        published = suppress_count(counts.get(column, 0))
        row.append("" if isinstance(published, str) else published)
    return row
