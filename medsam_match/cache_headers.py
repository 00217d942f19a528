"""Answers that name people or carry tokens are never stored by a cache.

Every answer under /api/ and /my/ gets `Cache-Control: no-store`, unless
its route set its own (the calendar feed: `private, max-age=300`) or it is
a static file (a stylesheet may be cached).
"""

from __future__ import annotations

from flask import Flask, Response, request

PRIVATE_PREFIXES = ("/api/", "/my/")


def _no_store(response: Response) -> Response:
    if not request.path.startswith(PRIVATE_PREFIXES):
        return response
    endpoint = request.endpoint or ""
    if endpoint == "static" or endpoint.endswith(".static"):
        return response
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_no_store)
