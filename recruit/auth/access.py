"""Who may reach which view: default deny, an explicit public list, and roles per view.

Every view states its rule with :func:`public` or :func:`roles`; a view without one is refused to
everybody, and a test walks the URL map to make sure no endpoint was forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from recruit.models.users import Role

STAFF = frozenset({Role.admin, Role.coordinator})
EVERYONE = frozenset(Role)


def public(view: Callable) -> Callable:
    """Mark a view as reachable without signing in."""
    view.is_public = True
    return view


def roles(*allowed: Role | Iterable[Role]) -> Callable[[Callable], Callable]:
    """Allow the given roles (or sets of roles) to reach a view."""
    flat: set[Role] = set()
    for item in allowed:
        flat.update([item] if isinstance(item, Role) else item)

    def decorate(view: Callable) -> Callable:
        view.allowed_roles = frozenset(flat)
        return view

    return decorate


def is_public(view: Callable | None) -> bool:
    return bool(getattr(view, "is_public", False))


def allowed_roles(view: Callable | None) -> frozenset[Role] | None:
    return getattr(view, "allowed_roles", None)
