"""List pages: filters from the query string and pagination."""

from __future__ import annotations

from flask import current_app, request, url_for

from recruit.extensions import db


def paginate(statement):
    """Paginate ``statement`` by the ``page`` query argument; out-of-range pages are a 404."""
    return db.paginate(statement, per_page=current_app.config["PAGE_SIZE"], error_out=True)


def page_links(pagination) -> dict:
    """Previous/next links for the NHS pagination component, keeping the current filters."""
    args = request.args.to_dict()
    links = {}
    if pagination.has_prev:
        links["previous"] = {
            "href": url_for(request.endpoint, **{**request.view_args, **args,
                                                 "page": pagination.prev_num}),
            "labelText": f"Page {pagination.prev_num} of {pagination.pages}",
        }
    if pagination.has_next:
        links["next"] = {
            "href": url_for(request.endpoint, **{**request.view_args, **args,
                                                 "page": pagination.next_num}),
            "labelText": f"Page {pagination.next_num} of {pagination.pages}",
        }
    return links
