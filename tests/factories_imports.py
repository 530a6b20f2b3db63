"""Files for the importer tests: the real shared data, slices of it, and small hand-made CSVs."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from recruit.extensions import db
from recruit.models import ImportBatch

TRAFFORD = "trafford_open_data"
ETHNICITY_LA = f"{TRAFFORD}/census2021_ethnicity_2021_population_ethnic_group_la_gm.csv"
ETHNICITY_WARD = f"{TRAFFORD}/census2021_ethnicity_2021_population_ethnic_group_ward_trafford.csv"
ETHNICITY_LSOA = f"{TRAFFORD}/census2021_ethnicity_2021_population_ethnic_group_lsoa_trafford.csv"
SEX_LA = f"{TRAFFORD}/census2021_population_2021_population_by_sex_la_gm.csv"
AGE_LA = f"{TRAFFORD}/census2021_population_2021_population_by_5_year_age_bands_la_gm.csv"
RELIGION_LA = f"{TRAFFORD}/census2021_religion_2021_population_religion_la_gm.csv"
DISABILITY_LA = f"{TRAFFORD}/census2021_health_disability_unpaid_care_2021_disability_la_gm.csv"
IMD_FILE_1 = "imd2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv.gz"
IMD_GM = "imd2019/imd2019_lsoa11_greater_manchester.csv"
LSOA_WARDS = "trafford_spatial_data/lookups_2021_lsoa_to_ward_best-fit_lookup.csv"
POSTCODES = "trafford_spatial_data/postcodes_trafford_postcodes_onspd_feb2025.csv"
DIVERSITY = "open_innovations_diversity/leeds-city-region_combined.csv"


def real(relative: str) -> Path:
    """A file of the shared public data (``RECRUIT_DATA_DIR``)."""
    return Path(current_app.config["RECRUIT_DATA_DIR"]) / relative


def real_rows(relative: str) -> tuple[list[str], list[list[str]]]:
    opener = gzip.open if relative.endswith(".gz") else open
    with opener(real(relative), "rt", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def csv_text(header: Sequence[str], rows: Iterable[Sequence], *, crlf: bool = False) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows([header, *rows])
    return buffer.getvalue()


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence], *, bom: bool = False,
              crlf: bool = False) -> Path:
    text = csv_text(header, rows, crlf=crlf)
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def slice_of(relative: str, tmp_path: Path, keep, name: str | None = None) -> Path:
    """The real file's header and the rows for which ``keep(row)`` is true."""
    header, rows = real_rows(relative)
    return write_csv(tmp_path / (name or Path(relative).name.removesuffix(".gz")), header,
                     [r for r in rows if keep(r)])


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def batches() -> int:
    return count(ImportBatch)


def stored_counts() -> dict[str, int]:
    """Rows in every table an import can write to (and the audit trail)."""
    from recruit.models import (
        AuditEvent,
        LocalAuthority,
        Lsoa,
        PopulationStatistic,
        Postcode,
        RecruitmentOutcome,
        Ward,
        WorkforceAggregate,
        WorkforceCount,
        WorkforceRecord,
        WorkforceSnapshot,
    )

    return {model.__name__: count(model) for model in (
        ImportBatch, PopulationStatistic, LocalAuthority, Ward, Lsoa, Postcode,
        WorkforceSnapshot, WorkforceRecord, WorkforceCount, WorkforceAggregate, RecruitmentOutcome,
        AuditEvent)}


def nomis_wide(relative: str, code: str, path: Path, *, suffix: bool = True,
               bom: bool = False, crlf: bool = False, quoted_thousands: bool = False) -> Path:
    """Pivot a real tidy Census file into the nomis bulk layout (one row per area).

    Headers follow nomis: ``<Prefix>: <label>`` with ``; measures: Value`` when ``suffix``;
    group and total columns are the sums of their categories, as nomis publishes them.
    """
    from recruit.reference.importers.census_tables import TABLES, TOTAL
    from recruit.reference.importers.core import header_key

    table = TABLES[code]
    keys = table.keys()
    header, rows = real_rows(relative)
    value_at, code_at, name_at = header.index("value"), header.index("area_code"), 1
    category_at = len(header) - 4 if len(header) == 9 else header.index("indicator")
    areas: dict[str, dict] = {}
    for row in rows:
        area = areas.setdefault(row[code_at], {"name": row[name_at]})
        area[keys[header_key(row[category_at])]] = int(row[value_at])
    labels = {TOTAL: table.total_labels[0]}
    columns = []
    for key in table.stored_categories:
        columns.append(key)
    tail = "; measures: Value" if suffix else ""
    out_header = ["date", "geography", "geography code",
                  *[f"{table.prefix}: {labels.get(key, key)}{tail}" for key in columns]]
    out_rows = []
    for area_code, area in areas.items():
        for group, members in table.groups:
            if group:
                area[group] = sum(area[m] for m in members)
        area.setdefault(TOTAL, sum(area[c] for c in table.categories))
        values = [area[key] for key in columns]
        if quoted_thousands:
            values = [f"{v:,}" for v in values]
        out_rows.append(["2021", area["name"], area_code, *values])
    return write_csv(path, out_header, out_rows, bom=bom, crlf=crlf)
