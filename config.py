"""Configuration classes, each reading the environment.

``RECRUIT_CONFIG`` picks the class (``development`` by default, ``production``, ``testing``).
``DATABASE_URL`` selects the database in every configuration.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL") or default
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{BASE_DIR / 'instance' / 'recruit.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Public reference data (Census, IMD, lookups); see README "Data sources".
    RECRUIT_DATA_DIR = os.environ.get("RECRUIT_DATA_DIR", str(BASE_DIR.parent / "shared" / "data"))
    ORGANISATION_NAME = os.environ.get(
        "RECRUIT_ORGANISATION", "Northern Care Alliance NHS Foundation Trust"
    )
    PAGE_SIZE = 25
    # A form offers a record in a select up to this many candidates, else a search (pickers.py).
    PICKER_SELECT_MAX = 200
    PICKER_MATCHES = 20
    AMBASSADOR_TARGET = 1000
    # Workforce imports: the locality (local authority) each site serves, for "where they work".
    SITE_LOCALITIES = {
        "Royal Oldham Hospital": "Oldham", "Fairfield General Hospital": "Bury",
        "Rochdale Infirmary": "Rochdale", "Salford Royal": "Salford",
    }
    IMPORT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024  # larger files: the `flask import` command
    # Completion: the share of a cohort's sessions a participant must attend (DOMAIN.md §3).
    COMPLETION_ATTENDANCE_RATE = float(os.environ.get("RECRUIT_COMPLETION_RATE", "0.8"))
    # A completer is owed a placement offer within this many weeks of completing (DOMAIN.md §3).
    PLACEMENT_GUARANTEE_WEEKS = int(os.environ.get("RECRUIT_PLACEMENT_GUARANTEE_WEEKS", "8"))
    # The ledger of identified entry-level posts the employment target is fed from (DOMAIN.md §1).
    POSTS_PIPELINE_TARGET = 750
    # A sustainment check shows on the "checks due" list this many days before it falls due.
    SUSTAINMENT_DUE_WITHIN_DAYS = 14
    # Who the programme is for (recruit/participants/eligibility.py): catchment AND (IMD decile
    # at most this OR a qualifying employment status). Empty ward codes: every catchment ward.
    ELIGIBILITY_MAX_IMD_DECILE = int(os.environ.get("RECRUIT_ELIGIBILITY_MAX_IMD_DECILE", "3"))
    ELIGIBILITY_CATCHMENT_WARD_CODES: tuple[str, ...] = ()
    ELIGIBILITY_QUALIFYING_EMPLOYMENT = ("unemployed", "economically_inactive")
    ELIGIBILITY_NEEDS_BOTH = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    LOGIN_LOCKOUT_MINUTES = 15
    ADMIN_TWO_FACTOR_REQUIRED = True
    # The self-referral form: its languages (besides English) and its limit against abuse.
    COMMUNITY_LANGUAGES = os.environ.get("RECRUIT_COMMUNITY_LANGUAGES", "ur,bn,pa,pl,ar")
    REFERRAL_LIMIT_PER_ADDRESS = 10
    REFERRAL_WINDOW_MINUTES = 60
    # Behind a load balancer or reverse proxy: how many proxies in front of the app set
    # X-Forwarded-For/-Proto/-Host. The client's address (login and referral throttles, audit
    # trail) is read from them only when this is set; 0 trusts no header (direct connections).
    TRUSTED_PROXY_HOPS = int(os.environ.get("RECRUIT_TRUSTED_PROXY_HOPS", "0"))
    TESTING = False


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-only"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    WTF_CSRF_ENABLED = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def check(cls) -> None:
        """Fail fast on settings production cannot run without."""
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
