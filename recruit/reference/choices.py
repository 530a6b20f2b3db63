"""Select-box choices drawn from the reference geography."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.extensions import db
from recruit.models import LocalAuthority, Ward


def local_authority_choices(blank: str = "Choose a local authority") -> list[tuple]:
    rows = db.session.execute(
        sa.select(LocalAuthority.id, LocalAuthority.name)
        .order_by(LocalAuthority.in_catchment.desc(), LocalAuthority.name)
    )
    return [("", blank), *[(id_, name) for id_, name in rows]]


def ward_choices(blank: str = "Choose a ward") -> list[tuple]:
    """Catchment wards first, labelled with their town so that same-named wards differ."""
    rows = db.session.execute(
        sa.select(Ward.id, Ward.name, LocalAuthority.name)
        .join(Ward.local_authority)
        .order_by(LocalAuthority.in_catchment.desc(), LocalAuthority.name, Ward.name)
    )
    return [("", blank), *[(id_, f"{ward} ({town})") for id_, ward, town in rows]]
