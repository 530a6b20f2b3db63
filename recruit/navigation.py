"""The header navigation each role sees: only the places that role may go."""

from __future__ import annotations

from flask import url_for

from recruit.models.users import Role

_ITEMS: list[tuple[str, str, frozenset[Role]]] = [
    ("Home", "main.home", frozenset({Role.partner, Role.ambassador})),
    ("Dashboard", "dashboard.index", frozenset({Role.admin, Role.coordinator, Role.board})),
    ("Partners", "partners.index", frozenset({Role.admin, Role.coordinator})),
    ("My organisation", "partners.mine", frozenset({Role.partner})),
    ("Ambassadors", "ambassadors.index", frozenset({Role.admin, Role.coordinator})),
    ("Outreach", "outreach.index",
     frozenset({Role.admin, Role.coordinator, Role.ambassador, Role.partner})),
    ("Participants", "participants.index",
     frozenset({Role.admin, Role.coordinator, Role.partner})),
    ("Cohorts", "cohorts.index", frozenset({Role.admin, Role.coordinator, Role.partner})),
    ("Placements", "placements.index", frozenset({Role.admin, Role.coordinator})),
    ("Vacancies", "vacancies.index", frozenset({Role.admin, Role.coordinator})),
    ("Applications", "applications.index", frozenset({Role.admin, Role.coordinator})),
    ("Representativeness", "representativeness.index",
     frozenset({Role.admin, Role.coordinator, Role.board})),
    ("Targets", "targets.index", frozenset({Role.admin, Role.coordinator, Role.board})),
    ("Reports", "reports.index", frozenset({Role.admin, Role.coordinator, Role.board})),
    ("Users", "admin.users", frozenset({Role.admin})),
    ("Audit", "audit.index", frozenset({Role.admin})),
    ("Data imports", "imports.index", frozenset({Role.admin})),
]


def items_for(user, current_endpoint: str | None) -> list[dict]:
    """Header navigation items for ``user``, marking the current section."""
    if not getattr(user, "is_authenticated", False):
        return []
    section = (current_endpoint or "").split(".")[0]
    items = []
    for text, endpoint, allowed in _ITEMS:
        if user.role in allowed:
            items.append(
                {
                    "text": text,
                    "href": url_for(endpoint),
                    "current": endpoint.split(".")[0] == section and section != "main"
                    or endpoint == current_endpoint,
                }
            )
    return items
