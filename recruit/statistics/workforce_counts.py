"""Workforce counts per snapshot, written once at import for the representativeness page.

Every representativeness view counted all staff records of every snapshot for its trend (800,000
at integrated-care-system scale) and of one snapshot for its wards. Snapshots do not change after
import, so :func:`rebuild` counts a snapshot's staff once, by home ward, home local authority and
site locality for each characteristic, in one ``INSERT … SELECT … GROUP BY``; the page then sums a
few thousand of those counts (:mod:`recruit.statistics.queries`).

Counts keep each record's raw value (NHS code, enum name, age band) and the home local authority
beside each ward: the catchment and the way values fold into groups are decided when the page is
read, exactly as they are when the records themselves are counted.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from recruit.models import Characteristic, CountArea, WorkforceCount, WorkforceRecord
from recruit.statistics.queries import WORKFORCE_COLUMNS

COUNTED = {Characteristic[name]: column for name, column in WORKFORCE_COLUMNS.items()}
_AREAS = {
    CountArea.ward: (WorkforceRecord.home_ward_code, WorkforceRecord.home_la_code),
    CountArea.la: (WorkforceRecord.home_la_code, WorkforceRecord.home_la_code),
    CountArea.site: (WorkforceRecord.locality, None),
}


def _grouped(snapshot_id: int, area_type: CountArea, characteristic: Characteristic):
    area, la_code = _AREAS[area_type]
    # Enum columns hold the member's name in a VARCHAR: copy it as it is.
    category = sa.type_coerce(COUNTED[characteristic], sa.String)
    keys = [area, category] if la_code is None else [area, la_code, category]
    return (
        sa.select(
            WorkforceRecord.snapshot_id,
            sa.literal_column(f"'{area_type.name}'"),
            area,
            sa.null() if la_code is None else la_code,
            sa.literal_column(f"'{characteristic.name}'"),
            category,
            sa.func.count(),
        )
        .where(WorkforceRecord.snapshot_id == snapshot_id, area.is_not(None))
        .group_by(WorkforceRecord.snapshot_id, *keys)
    )


def rebuild(session: Session, snapshot_id: int) -> None:
    """Replace the counts of one snapshot with counts of its current records.

    Call it in the transaction that writes the records (the workforce import, the demo seeds),
    after they are flushed: two statements, whatever the size of the snapshot.
    """
    session.execute(sa.delete(WorkforceCount).where(WorkforceCount.snapshot_id == snapshot_id))
    counted = sa.union_all(*(_grouped(snapshot_id, area_type, characteristic)
                             for area_type in CountArea for characteristic in COUNTED))
    session.execute(sa.insert(WorkforceCount).from_select(
        ["snapshot_id", "area_type", "area_code", "la_code", "characteristic", "category",
         "count"], counted))
