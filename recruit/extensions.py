"""Flask extensions, created unbound and initialised in :func:`recruit.create_app`."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from recruit.models.base import Base

# Models subclass our own Base (recruit.models.base), so they carry no Flask import;
# Flask-SQLAlchemy shares its metadata for create_all and Alembic.
db = SQLAlchemy(metadata=Base.metadata)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


@event.listens_for(Engine, "do_connect")
def _postgresql_settings(dialect, _record, _args, params) -> None:
    """Connect to PostgreSQL with its JIT compiler off.

    The app's reports are aggregates over tens of thousands of rows: large enough in the
    planner's estimate for PostgreSQL to compile each one to machine code, which took 30 of a
    query's 50 ms, and never pays back at this size. Set when connecting, so it holds in every
    transaction on every worker.
    """
    if dialect.name == "postgresql":
        params["options"] = " ".join(filter(None, [params.get("options"), "-c jit=off"]))
