"""Friendly error pages; a database outage answers 503 rather than a stack trace."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, g, render_template

from recruit.extensions import db, login_manager

log = logging.getLogger(__name__)

PAGES = {
    400: ("Bad request", "The request could not be understood. Go back and try again."),
    403: ("You do not have access to this page", "Your role does not allow this. "
          "If you think it should, contact the programme lead."),
    404: ("Page not found", "If you typed the web address, check it is correct. "
          "If you pasted the web address, check you copied the entire address."),
    405: ("Page not found", "This page cannot be used in that way."),
    413: ("File too large", "The file you chose is too large. Choose a smaller file."),
    500: ("Sorry, there is a problem with the service", "Try again later."),
    503: ("Sorry, the service is unavailable", "The database cannot be reached at the moment. "
          "Nothing you entered has been saved. Try again in a few minutes."),
}


def _render(code: int):
    title, body = PAGES[code]
    # The 503 page must not touch the database, so it has no signed-in header.
    template = "errors/unavailable.html" if code == 503 else "errors/error.html"
    return render_template(template, code=code, title=title, body=body), code


def register(app: Flask) -> None:
    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, lambda exc, code=code: _render(code))

    @app.errorhandler(sa.exc.OperationalError)
    def database_unavailable(exc):
        db.session.rollback()
        # Treat the request as anonymous: loading the user would hit the database again.
        g._login_user = login_manager.anonymous_user()
        log.error("database unavailable: %s", type(exc).__name__)
        return _render(503)

    @app.errorhandler(sa.exc.DataError)
    def value_out_of_range(exc):
        # A value the database cannot hold (a number too large, say) that a form let through.
        db.session.rollback()
        log.warning("value refused by the database: %s", type(exc.orig).__name__)
        return _render(400)

    @app.errorhandler(500)
    def server_error(exc):
        db.session.rollback()
        return _render(500)
