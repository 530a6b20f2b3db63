"""Recruit: the inclusive recruitment and pre-employment programme tracker."""

from __future__ import annotations

import os

from flask import Flask

from config import CONFIGS


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the application: configuration, extensions, blueprints, error pages, commands."""
    config_name = config_name or os.environ.get("RECRUIT_CONFIG", "development")
    config = CONFIGS[config_name]
    if hasattr(config, "check"):
        config.check()

    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_object(config)
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if hops := app.config.get("TRUSTED_PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from recruit.web import configure_jinja, register_converters, register_security

    register_converters(app)
    configure_jinja(app)
    register_extensions(app)
    register_blueprints(app)
    register_security(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    from recruit import models  # noqa: F401  (every model registered before Alembic looks)
    from recruit.extensions import babel, csrf, db, login_manager, migrate
    from recruit.journey import stages  # noqa: F401  (records journey stages at every flush)
    from recruit.referrals.languages import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)


def register_blueprints(app: Flask) -> None:
    from recruit.admin import audit
    from recruit.admin import views as admin
    from recruit.ambassadors import views as ambassadors
    from recruit.applications import views as applications
    from recruit.auth import views as auth
    from recruit.cohorts import views as cohorts
    from recruit.dashboard import views as dashboard
    from recruit.main import views as main
    from recruit.outcomes import views as outcomes
    from recruit.outreach import views as outreach
    from recruit.participants import privacy_views as privacy
    from recruit.participants import views as participants
    from recruit.partners import views as partners
    from recruit.placements import views as placements
    from recruit.reference import views as imports
    from recruit.referrals import views as referrals
    from recruit.reports import views as reports
    from recruit.representativeness import views as representativeness
    from recruit.targets import views as targets
    from recruit.vacancies import views as vacancies

    for module in (main, auth, admin, audit, partners, ambassadors, outreach, participants,
                   privacy, referrals, cohorts, placements, vacancies, applications, outcomes,
                   representativeness, imports, dashboard, targets, reports):
        app.register_blueprint(module.bp)


def register_errorhandlers(app: Flask) -> None:
    from recruit.main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from recruit.commands import register

    register(app)
