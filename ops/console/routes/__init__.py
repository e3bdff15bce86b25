"""The console's routes by area, each a Sanic blueprint: the page and the login (page.py), the messages and their
marks, labels, charts and scores (messages.py), the advisors' queue (advisors.py), stories (stories.py).

The API routes are plain functions `(call, query or body) -> response` run by web.api() in a worker thread; the
URLs, status codes and French error messages are those the page (static/console.js) and the tests expect.
"""
from __future__ import annotations

from collections.abc import Iterable

from sanic import Blueprint

from ops.console.web import Route, api


def blueprint(name: str, routes: Iterable[tuple[str, str, Route]]) -> Blueprint:
    """A blueprint of API routes given as (method, path, function)."""
    area = Blueprint(name)
    for method, path, route in routes:
        area.add_route(api(route), path, methods=[method])
    return area
