"""CSV and XLSX downloads, safe against formula injection.

CSV: a cell starting ``= + - @ | %`` (and not a plain number) is prefixed with ``'`` and its
``|`` escaped, the rule of defusedcsv. It is applied here by hand, not through defusedcsv's
writer, because that writer escapes every cell through an ``isinstance(value, Number)`` check and
an uncompiled regular expression, a large share of an export's time; here only a string
that starts with one of those characters is looked at again (tests check the output against
defusedcsv's). A CSV is streamed in batches of rows, so an export of the whole programme is
written in constant memory as the database cursor is read (``yield_per``: a server-side cursor on
PostgreSQL), and the export is recorded in the audit trail with the number of rows written once
the last row is written, or when the download stops early.

XLSX: openpyxl stores a string starting with ``=`` as a formula unless told otherwise, so every
string cell is written with ``data_type="s"`` (a plain string, never evaluated).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import islice
from numbers import Number

import sqlalchemy as sa
from flask import Response, stream_with_context

from recruit import audit
from recruit.extensions import db

BATCH_ROWS = 1000  # rows fetched from the cursor, and written out, at a time
_FORMULA_STARTS = frozenset("=+-@|%")
_PLAIN_NUMBER = re.compile(r"-?[0-9,.]+")
_NUMBERS = (int, float, Decimal, bool)
# Written as they are: numbers, nothing, and dates (whose text starts with a digit).
_SAFE_TYPES = frozenset({*_NUMBERS, type(None), date, datetime})


def defuse(value: object) -> object:
    """``value`` as it may be written to a CSV cell: never read as a formula by a spreadsheet.

    The rule of ``defusedcsv``: numbers pass unchanged, anything else is text, and text starting
    with ``= + - @ | %`` that is not a plain number gets a leading ``'`` and its ``|`` escaped.
    ``None`` stays ``None`` (the CSV writer writes an empty cell).
    """
    if value is None or isinstance(value, Number):
        return value
    text = value if type(value) is str else str(value)
    if text[:1] in _FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text.replace("|", "\\|")
    return text


class ListLabels(dict):
    """Stored lists of enum names (``"childcare,language"``) to their labels joined by ``; ``.

    Each distinct stored list is worked out once, however many rows repeat it.
    """

    def __init__(self, enum: type[Enum]) -> None:
        super().__init__()
        self.enum = enum

    def __missing__(self, names: str) -> str:
        label = "; ".join(self.enum[name].value for name in names.split(",") if name)
        self[names] = label
        return label


def defuse_row(row: Iterable) -> list:
    """:func:`defuse` on every cell, calling it only for a cell that may need it (it is hot)."""
    return [value if (kind := type(value)) in _SAFE_TYPES
            or (kind is str and value[:1] not in _FORMULA_STARTS) else defuse(value)
            for value in row]


def rows_of(stmt: sa.Select) -> Iterator[sa.Row]:
    """The rows of a column (Core) select, fetched from the cursor a batch at a time.

    Run on the session's connection (its transaction) but not through the ORM, whose result
    handling costs more per row than the rows' own formatting, and buys nothing without entities.
    """
    connection = db.session.connection()
    return iter(connection.execute(stmt.execution_options(yield_per=BATCH_ROWS)))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Stream ``rows`` as a CSV attachment, recording the export in the audit trail at the end."""

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # a BOM so that Excel reads UTF-8
        writer = csv.writer(buffer)
        writer.writerow(header)
        count, complete = 0, False
        try:
            remaining = iter(rows)
            while batch := list(islice(remaining, BATCH_ROWS)):
                writer.writerows([defuse_row(row) for row in batch])
                count += len(batch)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
            complete = True
        finally:
            # Audited however the download ends: a client that stops reading part-way (the
            # server closes this generator) or a failing query has still sent those rows.
            if not complete:
                db.session.rollback()
            stopped = "" if complete else ", stopped before the end"
            audit.record("export", detail=f"{filename}: {count} rows{stopped}")
            db.session.commit()
        yield buffer.getvalue()

    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A one-sheet workbook; strings are stored as strings, numbers and dates as themselves."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in sheet_title if c not in "[]:*?/\\")[:31] or "Sheet"
    for row_number, row in enumerate([list(header), *rows], start=1):
        for column_number, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            if value is None:
                continue
            if isinstance(value, str):
                cell.value = value
                cell.data_type = "s"  # never a formula, whatever the text starts with
            else:
                cell.value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, header: Sequence[str], rows: Iterable[Sequence],
                  sheet_title: str = "Data") -> Response:
    """Return ``rows`` as an XLSX attachment, recording the export in the audit trail."""
    rows = list(rows)
    content = xlsx_bytes(sheet_title, header, rows)
    audit.record("export", detail=f"{filename}: {len(rows)} rows")
    db.session.commit()
    return Response(
        content, mimetype=XLSX_MIMETYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
