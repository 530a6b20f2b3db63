"""Load the reference geography (local authorities, wards, LSOAs with IMD) from ONS/MHCLG files.

Runs the ``lsoa-wards`` importer on the LSOA 2021 → ward 2022 best-fit lookup and the ``imd``
importer on the IoD2019 LSOA file (see README, "Data sources"), then marks the catchment. Both
are recorded as import batches; loading the same files twice changes nothing. IMD 2019 is
published on 2011 LSOAs: a 2021 LSOA takes the figures of the 2011 LSOA with the same code, and
LSOAs that were split or merged in 2021 stay without them rather than take a guess.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import LocalAuthority, Lsoa, Ward
from recruit.reference.services import import_imd, import_lsoa_wards

LSOA_WARD_LOOKUP = "trafford_spatial_data/lookups_2021_lsoa_to_ward_best-fit_lookup.csv"
IMD_2019 = "imd2019/imd2019_lsoa11_greater_manchester.csv"


def load_geography(data_dir: Path, catchment: set[str]) -> dict[str, int]:
    """Import local authorities, 2022 wards and 2021 LSOAs with IMD 2019 deciles.

    :param catchment: local-authority names that form the anchor institution's catchment.
    :returns: counts of rows in each table afterwards.
    """
    import_lsoa_wards(data_dir / LSOA_WARD_LOOKUP)
    import_imd(data_dir / IMD_2019)
    db.session.execute(sa.update(LocalAuthority).values(
        in_catchment=LocalAuthority.name.in_(sorted(catchment))))
    db.session.flush()
    return {
        label: db.session.scalar(sa.select(sa.func.count()).select_from(model))
        for label, model in (("local authorities", LocalAuthority), ("wards", Ward),
                             ("LSOAs", Lsoa))
    }
