"""Settings every database connection starts with, whichever worker opens it."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from recruit.extensions import db

ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.skipif(not ON_POSTGRES, reason="a PostgreSQL setting")
def test_postgresql_connections_have_the_jit_compiler_off(app):
    """Compiling each report query to machine code cost more than running it (bench/RESULTS.md)."""
    db.engine.dispose()  # a new connection, as a new worker would open
    with db.engine.connect() as connection:
        assert connection.execute(sa.text("SHOW jit")).scalar() == "off"
        connection.rollback()
    assert db.session.execute(sa.text("SHOW jit")).scalar() == "off"
