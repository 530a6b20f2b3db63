"""Flask extensions, created unbound and initialised in :func:`recruit.create_app`."""

from __future__ import annotations

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from recruit.models.base import Base

# Models subclass our own Base (recruit.models.base), so they carry no Flask import;
# Flask-SQLAlchemy shares its metadata for create_all and Alembic.
db = SQLAlchemy(metadata=Base.metadata)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
