"""Browser tests: Debian's Chromium driven by Playwright against a live server on 127.0.0.1.

The server runs in a thread of the test process on a fresh SQLite database built by the
migrations and the demo seed, exactly as ``make run`` builds it. Screenshots of key pages are
written to ``test-artifacts/screenshots`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import pyotp
import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from recruit import create_app
from recruit.demo import seed
from recruit.extensions import db
from tests.conftest import unused_code

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # No host but the test server resolves: the NHS.UK stylesheet asks assets.nhs.uk for its
    # Frutiger fonts, and a DNS lookup that times out held each page's load event for 5 s.
    offline = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", offline]}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("browser") / "recruit.db"
    app = create_app("development", SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}",
                     WTF_CSRF_ENABLED=True)
    with app.app_context():
        upgrade()
        seed.run(echo=lambda line: None)
        db.session.remove()
    return app


@pytest.fixture(scope="session")
def base_url(live_app):
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request in a failure
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def sign_in(page, base_url, live_app):
    """Sign the page in as a demo user; admins complete their second-factor set-up."""

    def sign_in_as(role: str):
        page.goto(f"{base_url}/login")
        page.get_by_label("Email address").fill(f"{role}@recruit.example")
        page.get_by_label("Password").fill(seed.DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        if page.url.endswith("/login/two-factor"):
            page.get_by_label("Security code").fill(unused_code(*_second_factor(live_app, role)))
            page.get_by_role("button", name="Continue").click()
        elif page.url.endswith("/account/two-factor"):
            key = page.get_by_text("Key:").inner_text().split("Key:")[1].strip()
            page.get_by_label("Security code").fill(pyotp.TOTP(key).now())
            page.get_by_role("button", name="Turn on two-factor authentication").click()
            page.get_by_role("link", name="I have saved my codes").click()

    return sign_in_as


def _second_factor(app, role: str) -> tuple[str, int | None]:
    """The demo user's authenticator secret and the time step of the code it last used."""
    from recruit.models import User

    with app.app_context():
        user = db.session.query(User).filter_by(email=f"{role}@recruit.example").one()
        found = user.totp_secret, user.totp_last_step
        db.session.remove()
    return found


def take_screenshots(page, name: str) -> None:
    """Save ``name``-desktop.png and ``name``-phone.png of the page as it is now."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    before = page.viewport_size or DESKTOP
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(before)  # a journey on a phone carries on on a phone


@pytest.fixture
def shoot(page):
    """Save a screenshot of the current page at desktop and phone widths."""
    return lambda name: take_screenshots(page, name)
