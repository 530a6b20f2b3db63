"""Choosing one record among thousands: a select while the list is short, else a search step.

A select offering every participant was 3 MB of HTML at system scale, and unusable on a phone.
Up to ``PICKER_SELECT_MAX`` candidates a field stays a select. Beyond that the page first asks
for a search (part of a name, or a reference number) and lists at most ``PICKER_MATCHES``
matches as links; the chosen record is then shown fixed with a "Change" link, its ID in a hidden
field. A link from the record's own page (``?participant_id=12``) skips the search. All of it
works without JavaScript.

The candidates and the statement a chosen ID is looked up in come from the caller, scoped to the
user, so a search never finds (nor a tampered ID reveals) a record the user may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

import sqlalchemy as sa
from flask import current_app, request, url_for

from recruit.extensions import db
from recruit.forms.fields import record_id

MAX_QUERY = 100  # characters of a search kept; a longer one is cut, not refused


@dataclass
class Picker:
    """One record-choosing field: how it is shown, what was searched for and what was found."""

    field: Any
    noun: str
    searching: bool  # too many candidates for a select
    chosen: Any | None = None
    chosen_label: str = ""
    query: str = ""
    matches: list[tuple[int, str]] = default(default_factory=list)
    more: bool = False
    missing: str | None = None  # what is wrong with an ID that was given but cannot be chosen
    inline: bool = False  # searched with the form's own Find button (see pick_inline)

    @property
    def search_name(self) -> str:
        return f"{self.field.name}_q"

    @property
    def needs_search(self) -> bool:
        """Whether the page must ask for a search before it can show the rest of the form."""
        return self.searching and self.chosen is None and not self.inline

    def _url(self, **changes) -> str:
        args = {key: value for key, value in request.args.items()
                if key not in (self.field.name, self.search_name, "page")}
        args.update({key: value for key, value in changes.items() if value is not None})
        return url_for(request.endpoint, **{**(request.view_args or {}), **args})

    def choose_url(self, chosen_id: int) -> str:
        return self._url(**{self.field.name: chosen_id})

    @property
    def change_url(self) -> str:
        return self._url()

    @property
    def kept_args(self) -> list[tuple[str, str]]:
        """The other query arguments (another picker's choice), kept by the search form."""
        return [(key, value) for key, value in request.args.items()
                if key not in (self.field.name, self.search_name, "page")]

    @property
    def error_items(self) -> list[dict[str, str]]:
        return [{"text": str(self.field.errors[0]), "href": f"#{self.field.id}"}] \
            if self.field.errors else []


def _given_id(field) -> tuple[int | None, str]:
    """The ID the form was given (posted, or in the query string) and its raw text."""
    if request.method == "POST":
        raw = request.form.get(field.name, "")
    else:
        raw = request.args.get(field.name, "")
    raw = raw.strip()[:20]
    if not raw:
        return None, ""
    try:
        return record_id(raw), raw
    except ValueError:
        return None, raw


def pick(field, *, noun: str, offered: sa.Select, label: Callable[[Any], str],
         search: Callable[[sa.Select, str], sa.Select], blank: str,
         lookup: sa.Select | None = None) -> Picker:
    """Give ``field`` its choices: every candidate, or only the chosen one and a search.

    :param offered: the candidates, ordered as they should be listed.
    :param lookup: where a given ID is looked up (default ``offered``); wider when the service,
        not the list, explains why someone cannot be chosen.
    :param search: narrows a statement to the records matching the user's search text.
    """
    limit = current_app.config["PICKER_SELECT_MAX"]
    model = offered.column_descriptions[0]["entity"]
    rows = db.session.scalars(offered.limit(limit + 1)).all()
    given_id, raw = _given_id(field)
    where = offered if lookup is None else lookup
    chosen = db.session.scalars(where.where(model.id == given_id).limit(1)).first() \
        if given_id else None
    picker = Picker(field=field, noun=noun, searching=len(rows) > limit, chosen=chosen,
                    chosen_label=label(chosen) if chosen is not None else "")
    field.picker = picker
    if request.method == "GET":
        field.data = given_id
    if not picker.searching:
        field.choices = [("", blank), *[(row.id, label(row)) for row in rows]]
        return picker
    field.choices = [("", blank)] + ([(chosen.id, picker.chosen_label)] if chosen else [])
    if raw and chosen is None:
        picker.missing = f"There is no {noun} with reference {raw} to choose"
        field.invalid_choice_message = picker.missing
        if request.method == "GET":
            field.errors = [picker.missing]
    picker.query = request.args.get(picker.search_name, "").strip()[:MAX_QUERY]
    if picker.query:
        size = current_app.config["PICKER_MATCHES"]
        found = db.session.scalars(search(offered, picker.query).limit(size + 1)).all()
        picker.matches = [(row.id, label(row)) for row in found[:size]]
        picker.more = len(found) > size
    return picker


def pick_inline(field, *, noun: str, offered: sa.Select, label: Callable[[Any], str],
                search: Callable[[sa.Select, str], sa.Select], blank: str) -> Picker:
    """Give a field in the middle of a long form a short select, searched by the form itself.

    A search page in front of the form would lose what was typed into it, so here the select
    offers the first ``PICKER_MATCHES`` candidates and the chosen one, and a "Find" button posts
    the form back (nothing is saved, see :func:`finding`) to offer the matches instead.
    """
    limit = current_app.config["PICKER_SELECT_MAX"]
    model = offered.column_descriptions[0]["entity"]
    rows = db.session.scalars(offered.limit(limit + 1)).all()
    picker = Picker(field=field, noun=noun, searching=len(rows) > limit, inline=True)
    field.picker = picker
    if not picker.searching:
        field.choices = [("", blank), *[(row.id, label(row)) for row in rows]]
        return picker
    chosen_id = field.data if isinstance(field.data, int) and field.data else None
    picker.chosen = db.session.scalars(offered.where(model.id == chosen_id).limit(1)).first() \
        if chosen_id else None
    if request.method == "POST":
        picker.query = request.form.get(picker.search_name, "").strip()[:MAX_QUERY]
    size = current_app.config["PICKER_MATCHES"]
    stmt = search(offered, picker.query) if picker.query else offered
    found = db.session.scalars(stmt.limit(size + 1)).all()
    picker.matches = [(row.id, label(row)) for row in found[:size]]
    picker.more = len(found) > size
    chosen = [] if picker.chosen is None or picker.chosen.id in dict(picker.matches) \
        else [(picker.chosen.id, label(picker.chosen))]
    field.choices = [("", blank), *chosen, *picker.matches]
    field.invalid_choice_message = (f"There is no {noun} with reference {chosen_id} to choose"
                                    if chosen_id else f"Choose the {noun} from the list")
    return picker


def finding(form) -> bool:
    """Whether the form was posted by a picker's Find button with something to find.

    Pressing Enter in another field also "clicks" the first Find button on the form, so an
    empty search counts as a normal submission.
    """
    if request.method != "POST" or "find" not in request.form:
        return False
    picker = getattr(getattr(form, request.form["find"], None), "picker", None)
    return picker is not None and picker.inline and bool(picker.query)


def to_search(form) -> Picker | None:
    """The first picker on ``form`` that still needs a search (the template shows it first)."""
    for form_field in form:
        picker = getattr(form_field, "picker", None)
        if picker is not None and picker.needs_search:
            return picker
    return None


def like(text: str) -> str:
    """A case-insensitive ``LIKE`` pattern for ``text`` anywhere, its wildcards taken literally."""
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def reference(text: str) -> int | None:
    """The record ID a search names (``12`` or ``#12``), if it is one."""
    try:
        return record_id(text.lstrip("#"))
    except ValueError:
        return None
