"""List pages: filters from the query string and pagination."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from flask import abort, current_app, request, url_for

from recruit.extensions import db


def paginate(statement):
    """Paginate ``statement`` by the ``page`` query argument; out-of-range pages are a 404."""
    return db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=True)


@dataclass
class ListPage:
    """One page of rows already in memory, shaped like Flask-SQLAlchemy's ``Pagination``.

    For lists computed in Python (figures, or keys sorted by a date SQL cannot compute portably)
    that the page must still not send whole.
    """

    rows: Sequence
    page: int
    per_page: int
    arg: str = "page"  # the query argument that chooses the page

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def items(self) -> Sequence:
        return self.rows[(self.page - 1) * self.per_page:self.page * self.per_page]

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last(self) -> int:
        return min(self.total, self.page * self.per_page)

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def paginate_list(rows: Sequence, per_page: int | None = None, arg: str = "page") -> ListPage:
    """Paginate a list by the ``arg`` query argument; out-of-range pages are a 404.

    A page with two long tables pages each by its own argument (``page``, ``map_page``).
    """
    page = request.args.get(arg, 1, type=int)
    pagination = ListPage(rows, page, per_page or current_app.config["PAGE_SIZE"], arg)
    if page < 1 or page > pagination.pages:
        abort(404)
    return pagination


def page_links(pagination, anchor: str | None = None) -> dict:
    """Previous/next links for the NHS pagination component, keeping the current filters."""
    args = request.args.to_dict()
    arg = getattr(pagination, "arg", "page")
    links = {}
    if pagination.has_prev:
        links["previous"] = {
            "href": url_for(request.endpoint, **{**request.view_args, **args,
                                                 arg: pagination.prev_num}, _anchor=anchor),
            "labelText": f"Page {pagination.prev_num} of {pagination.pages}",
        }
    if pagination.has_next:
        links["next"] = {
            "href": url_for(request.endpoint, **{**request.view_args, **args,
                                                 arg: pagination.next_num}, _anchor=anchor),
            "labelText": f"Page {pagination.next_num} of {pagination.pages}",
        }
    return links
