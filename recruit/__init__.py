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
    from recruit.referrals.languages import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(app.root_path, "..", "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)


def register_blueprints(app: Flask) -> None:
    from recruit.admin.views import bp as admin_bp
    from recruit.ambassadors.views import bp as ambassadors_bp
    from recruit.applications.views import bp as applications_bp
    from recruit.auth.views import bp as auth_bp
    from recruit.cohorts.views import bp as cohorts_bp
    from recruit.main.views import bp as main_bp
    from recruit.outcomes.views import bp as outcomes_bp
    from recruit.outreach.views import bp as outreach_bp
    from recruit.participants.views import bp as participants_bp
    from recruit.partners.views import bp as partners_bp
    from recruit.placements.views import bp as placements_bp
    from recruit.reference.views import bp as imports_bp
    from recruit.representativeness.views import bp as representativeness_bp
    from recruit.vacancies.views import bp as vacancies_bp

    for bp in (main_bp, auth_bp, admin_bp, partners_bp, ambassadors_bp, outreach_bp,
               participants_bp):
        app.register_blueprint(bp)
    for bp in (vacancies_bp, applications_bp, outcomes_bp):
        app.register_blueprint(bp)
    for bp in (cohorts_bp, placements_bp):
        app.register_blueprint(bp)
    app.register_blueprint(representativeness_bp)
    app.register_blueprint(imports_bp)
    from recruit.referrals.views import bp as referrals_bp

    app.register_blueprint(referrals_bp)
    from recruit.participants.privacy_views import bp as privacy_bp

    app.register_blueprint(privacy_bp)
    from recruit.admin.audit import bp as audit_bp

    app.register_blueprint(audit_bp)
    from recruit.dashboard.views import bp as dashboard_bp
    from recruit.reports.views import bp as reports_bp
    from recruit.targets.views import bp as targets_bp

    for bp in (dashboard_bp, targets_bp, reports_bp):
        app.register_blueprint(bp)


def register_errorhandlers(app: Flask) -> None:
    from recruit.main.errors import register

    register(app)


def register_commands(app: Flask) -> None:
    from recruit.commands import register

    register(app)
