"""The languages of the self-referral form.

English plus the community languages configured in ``COMMUNITY_LANGUAGES``, each with its own name
and writing direction. Punjabi is written in Gurmukhi here.
"""

from __future__ import annotations

from flask import current_app, request

NAMES = {
    "en": "English",
    "ur": "اردو",  # Urdu
    "bn": "বাংলা",  # Bengali
    "pa": "ਪੰਜਾਬੀ",  # Punjabi (Gurmukhi)
    "pl": "Polski",  # Polish
    "ar": "العربية",  # Arabic
}
RIGHT_TO_LEFT = {"ur", "ar"}


def offered() -> list[str]:
    """English first, then each configured community language that has a catalogue."""
    wanted = [code.strip() for code in current_app.config["COMMUNITY_LANGUAGES"].split(",")]
    return ["en", *[code for code in wanted if code in NAMES and code != "en"]]


def select_locale() -> str:
    """The ``lang`` the page was asked in, when offered; English otherwise."""
    wanted = request.args.get("lang", "en") if request else "en"
    return wanted if wanted in offered() else "en"


def direction(code: str) -> str:
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"
