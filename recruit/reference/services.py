"""Running an importer inside the application: the session, the settings, the audit trail.

This is the thin layer over :mod:`recruit.reference.importers` that the ``flask import`` commands,
the upload page and the demo seed call. It flushes but never commits.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from recruit import audit
from recruit.extensions import db
from recruit.models import ImportBatch
from recruit.reference.importers import (
    IMPORTERS,
    ImportOptions,
    ImportSummary,
    Progress,
    SourceFile,
    run_import,
)


def import_file(kind: str, source: SourceFile | str | Path, *, actor=None,
                edition: str | None = None, as_of: date | None = None,
                organisation: str | None = None, table: str | None = None,
                progress: Progress | None = None) -> ImportSummary:
    """Check and import one file of ``kind`` (``"census"``, ``"lsoa-wards"``, …).

    :param source: a path, or a :class:`SourceFile` (uploaded bytes).
    :param actor: the user importing (recorded on the batch and in the audit trail).
    :param organisation: for workforce extracts; defaults to the ``ORGANISATION_NAME`` setting.
    :raises ImportRefused: the file was refused whole; the session is left as it was.
    """
    if not isinstance(source, SourceFile):
        source = SourceFile.from_path(source)
    config = current_app.config
    options = ImportOptions(
        edition=edition, as_of=as_of, table=table,
        organisation=organisation or config["ORGANISATION_NAME"],
        site_localities=config.get("SITE_LOCALITIES", {}),
    )
    summary = run_import(db.session, IMPORTERS[kind], source, options=options,
                         imported_by_id=getattr(actor, "id", None), progress=progress)
    if not summary.already_imported:
        audit.record("import", summary.batch, actor=actor,
                     detail=f"{kind}: {summary.rows_read} read, {summary.rows_inserted} inserted, "
                            f"{summary.rows_updated} updated, {summary.rows_skipped} skipped")
    return summary


def import_census(path, **options) -> ImportSummary:
    return import_file("census", path, **options)


def import_imd(path, **options) -> ImportSummary:
    return import_file("imd", path, **options)


def import_lsoa_wards(path, **options) -> ImportSummary:
    return import_file("lsoa-wards", path, **options)


def import_postcodes(path, **options) -> ImportSummary:
    return import_file("postcodes", path, **options)


def import_workforce(path, *, as_of: date, **options) -> ImportSummary:
    return import_file("workforce", path, as_of=as_of, **options)


def import_diversity_return(path, **options) -> ImportSummary:
    return import_file("diversity-return", path, **options)


def import_recruitment(path, **options) -> ImportSummary:
    return import_file("recruitment", path, **options)


def batches_query() -> sa.Select:
    """Every import, newest first, with who made it."""
    return (sa.select(ImportBatch).options(sa.orm.selectinload(ImportBatch.imported_by))
            .order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc()))
