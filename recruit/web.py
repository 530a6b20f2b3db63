"""Request-level wiring: templates, default-deny access, security headers and the asset route."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

from flask import (
    Flask,
    abort,
    current_app,
    g,
    redirect,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user, logout_user
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from werkzeug.routing import IntegerConverter

from recruit.auth import two_factor
from recruit.auth.access import allowed_roles, is_public, public
from recruit.forms.fields import MAX_ID
from recruit.models.base import utcnow

IDLE_TIMEOUT = timedelta(minutes=30)
# What an admin without a second factor may still reach: setting one up, or leaving.
SETUP_ENDPOINTS = frozenset({"auth.two_factor_setup", "auth.logout"})


def configure_jinja(app: Flask) -> None:
    """Load our templates first, then the NHS.UK macros; autoescape every extension.

    Flask autoescapes only ``.html``-like names, and the NHS macros end in ``.jinja``: without
    ``autoescape=True`` user text passed to a macro would come out raw.
    """
    app.jinja_options = {**app.jinja_options, "autoescape": True, "undefined": ChainableUndefined}
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(Path(app.root_path).parent / "templates")),
            PackageLoader("nhsuk_frontend_jinja"),
        ]
    )
    from recruit import navigation
    from recruit.forms.nhs import error_list, nhs_field_params, with_options
    from recruit.pickers import to_search

    app.jinja_env.globals.update(
        nhs_field=nhs_field_params, form_errors=error_list, navigation_for=navigation.items_for,
        with_options=with_options, picker_to_search=to_search,
    )


class RecordIdConverter(IntegerConverter):
    """``<int:…>`` in every route, bounded to IDs a row can have, so a huge number is a 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def register_converters(app: Flask) -> None:
    app.url_map.converters["int"] = RecordIdConverter


def register_security(app: Flask) -> None:
    assets_dir = Path(app.static_folder) / "nhsuk" / "assets"

    @app.route("/assets/<path:filename>", endpoint="assets")
    @public
    def assets(filename: str):
        return send_from_directory(assets_dir, filename, max_age=86400)

    @app.before_request
    def refuse_nul_characters():
        # No one types a NUL; PostgreSQL cannot store one in text, so refuse it up front.
        if request.method == "POST" and any("\x00" in value
                                            for value in request.form.values()):
            abort(400)

    @app.before_request
    def require_login_and_role():
        g.csp_nonce = secrets.token_urlsafe(16)
        endpoint = request.endpoint
        if endpoint is None:  # unknown URL: let the 404 handler answer
            return None
        view = app.view_functions.get(endpoint)
        if endpoint == "static" or is_public(view):
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if _session_expired():
            logout_user()
            session.clear()
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?"), expired=1))
        if two_factor.setup_required(current_user, app.config["ADMIN_TWO_FACTOR_REQUIRED"]) \
                and endpoint not in SETUP_ENDPOINTS:
            return redirect(url_for("auth.two_factor_setup"))
        roles = allowed_roles(view)
        if roles is None or current_user.role not in roles:
            abort(403)  # default deny: a view without a rule is open to nobody
        return None

    @app.after_request
    def security_headers(response):
        nonce = g.get("csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self' https://assets.nhs.uk; "
            "connect-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; "
            "frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if current_user and current_user.is_authenticated and not request.path.startswith(
            ("/static/", "/assets/")
        ):
            response.headers["Cache-Control"] = "no-store"
        return response


def _session_expired() -> bool:
    """Apply the idle and absolute timeouts; refresh the idle clock on each request."""
    now = utcnow().timestamp()
    started = session.get("started_at", now)
    last_seen = session.get("last_seen_at", now)
    absolute = current_app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    if now - last_seen > IDLE_TIMEOUT.total_seconds() or now - started > absolute:
        return True
    session["last_seen_at"] = now
    return False
