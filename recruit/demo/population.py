"""Census 2021 ethnic-group estimates for wards and LSOAs, for the demo's map and lenses.

Greater Manchester ward outputs of TS021 are not among the shared files (only Trafford's), so
the demo loads ONS-derived estimates, labelled as such by their edition: the five groups for
every ward (``derived_gm_ward22_...``: output-area percentages summed to 2022 wards through the
best-fit lookup) and for every 2021 LSOA (summed from output areas here). The engine prefers
official Census figures wherever both exist. Each file is loaded once, recognised by checksum.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import (
    AreaType,
    Characteristic,
    EthnicGroup,
    ImportBatch,
    ImportKind,
    PopulationStatistic,
)

OA_FILE = "ons_dot_density/gm_oa21_ethnic_group_5cat_pct_with_pop.csv"
WARD_ESTIMATES = "ons_dot_density/derived_gm_ward22_ethnic_group_5cat_estimates.csv"
WARD_EDITION, LSOA_EDITION = "Census 2021 ward estimate", "Census 2021 LSOA estimate"
GROUP_COLUMNS = {EthnicGroup.asian: "asian", EthnicGroup.black: "black",
                 EthnicGroup.mixed: "mixed", EthnicGroup.white: "white",
                 EthnicGroup.other: "other"}


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def checksum(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()


def batch(kind: ImportKind, checksum: str, filename: str, edition: str | None) -> ImportBatch:
    return ImportBatch(kind=kind, checksum=checksum, source_filename=filename, edition=edition)


def find_batch(kind: ImportKind, checksum: str) -> ImportBatch | None:
    return db.session.scalar(sa.select(ImportBatch).where(
        ImportBatch.kind == kind, ImportBatch.checksum == checksum))


def lsoa_populations(data_dir: Path) -> dict[str, dict[EthnicGroup, float]]:
    """Residents of each GM 2021 LSOA by ethnic group, summed from output areas (estimates)."""
    totals: dict[str, dict[EthnicGroup, float]] = defaultdict(
        lambda: dict.fromkeys(GROUP_COLUMNS, 0.0))
    for row in read_csv(data_dir / OA_FILE):
        people = int(row["usual_residents"])
        for group, column in GROUP_COLUMNS.items():
            totals[row["lsoa21cd"]][group] += people * float(row[f"pct_{column}"]) / 100
    return dict(totals)


def _statistic_rows(batch_id: int, code: str, name: str | None, area_type: AreaType,
                    groups: dict[EthnicGroup, float], total: int, edition: str) -> list[dict]:
    base = dict(import_batch_id=batch_id, area_code=code, area_name=name, area_type=area_type,
                characteristic=Characteristic.ethnicity, edition=edition)
    rows = [dict(base, category=group.value, count=round(count))
            for group, count in groups.items()]
    return [*rows, dict(base, category="Total", count=total)]


def _insert(kind_checksum: str, filename: str, edition: str, rows_for) -> int:
    """Insert the rows of one estimate file unless it is already loaded; the rows inserted."""
    if find_batch(ImportKind.census, kind_checksum) is not None:
        return 0
    loaded = batch(ImportKind.census, kind_checksum, filename, edition)
    db.session.add(loaded)
    db.session.flush()
    rows = rows_for(loaded.id)
    for start in range(0, len(rows), 5000):
        db.session.execute(sa.insert(PopulationStatistic), rows[start:start + 5000])
    loaded.rows_read = loaded.rows_inserted = len(rows)
    return len(rows)


def load_population_estimates(data_dir: Path,
                              lsoas: dict[str, dict[EthnicGroup, float]]) -> list[str]:
    """Load the ward and LSOA ethnic-group estimates once; report what was loaded."""
    ward_path = data_dir / WARD_ESTIMATES

    def ward_rows(batch_id: int) -> list[dict]:
        rows = []
        for ward in read_csv(ward_path):
            groups = {g: float(ward[f"est_{c}"]) for g, c in GROUP_COLUMNS.items()}
            rows += _statistic_rows(batch_id, ward["wd22cd"], ward["wd22nm"], AreaType.ward,
                                    groups, int(ward["usual_residents"]), WARD_EDITION)
        return rows

    def lsoa_rows(batch_id: int) -> list[dict]:
        rows = []
        for code in sorted(lsoas):
            rows += _statistic_rows(batch_id, code, None, AreaType.lsoa, lsoas[code],
                                    round(sum(lsoas[code].values())), LSOA_EDITION)
        return rows

    lines = []
    wards = _insert(checksum(ward_path.read_bytes()), WARD_ESTIMATES, WARD_EDITION, ward_rows)
    if wards:
        lines.append(f"{wards:,} ward population estimates loaded")
    lsoa_count = _insert(checksum((data_dir / OA_FILE).read_bytes(), b"lsoa totals"), OA_FILE,
                         LSOA_EDITION, lsoa_rows)
    if lsoa_count:
        lines.append(f"{lsoa_count:,} LSOA population estimates loaded")
    db.session.flush()
    return lines
