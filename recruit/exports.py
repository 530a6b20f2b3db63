"""CSV and XLSX downloads, safe against formula injection.

CSV: defusedcsv prefixes cells starting ``= + - @``. XLSX: openpyxl stores a string starting with
``=`` as a formula unless told otherwise, so every string cell is written with ``data_type="s"``
(a plain string, never evaluated).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from defusedcsv import csv
from flask import Response

from recruit import audit
from recruit.extensions import db


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Return ``rows`` as a CSV attachment, recording the export in the audit trail."""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # a BOM so that Excel reads UTF-8
    writer = csv.writer(buffer)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
        count += 1
    audit.record("export", detail=f"{filename}: {count} rows")
    db.session.commit()
    return Response(
        buffer.getvalue(),
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
