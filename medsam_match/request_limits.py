"""Bounds on what one request may make the service do.

* The body: at most MAX_CONTENT_LENGTH bytes (`max_request_bytes`,
  MEDSAM_MAX_REQUEST_BYTES, 1 MiB by default). Werkzeug refuses a larger
  Content-Length before reading the body; a chunked body (no Content-Length)
  is read up to the limit and refused when it reaches it. The answer is 413
  problem+json naming the limit.
* JSON nesting: at most MAX_JSON_DEPTH levels of arrays and objects. Python's
  parser recurses per level, so thousands of levels would end in a
  RecursionError (a 500); deeper bodies are refused with 400 first, by a
  scan that does not recurse.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import problem

MAX_JSON_DEPTH = 64
# Strings (skipped whole, so brackets inside them do not count) and brackets.
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_OPENING = frozenset(b"[{")


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether the JSON text nests arrays/objects deeper than `limit`."""
    depth = 0
    for match in _JSON_TOKENS.finditer(body):
        first = match.group()[0]
        if first in _OPENING:
            depth += 1
            if depth > limit:
                return True
        elif first != 0x22:  # a closing bracket (0x22 is a string's quote)
            depth -= 1
    return False


def _human(size: int) -> str:
    if size % (1 << 20) == 0:
        return f"{size >> 20} MiB"
    if size % (1 << 10) == 0:
        return f"{size >> 10} KiB"
    return f"{size} bytes"


def _too_large(_: RequestEntityTooLarge) -> Response:
    limit = int(current_app.config.get("MAX_CONTENT_LENGTH") or 0)
    detail = "The request body is too large"
    if limit:
        detail += f": at most {limit} bytes ({_human(limit)}) are accepted"
    return problem(413, detail + ".")


def _refuse_long_streamed_body() -> None:
    """A body sent without Content-Length (chunked) is cut at the limit by
    Werkzeug, silently; a cut body must not be taken for the whole one."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if (not limit or request.environ.get("CONTENT_LENGTH")
            or not request.environ.get("wsgi.input_terminated")
            or request.method in ("GET", "HEAD", "OPTIONS")):
        return
    if len(request.get_data(cache=True)) >= int(limit):
        raise RequestEntityTooLarge()


def _refuse_deep_json() -> Response | None:
    if not request.is_json or request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    body = request.get_data(cache=True)  # bounded by MAX_CONTENT_LENGTH
    if json_depth_exceeds(body):
        return problem(400, f"The JSON body nests arrays and objects deeper than "
                            f"{MAX_JSON_DEPTH} levels.",
                       {"body": [f"nested deeper than {MAX_JSON_DEPTH} levels"]})
    return None


def init_app(app: Flask) -> None:
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.before_request(_refuse_long_streamed_body)
    app.before_request(_refuse_deep_json)
