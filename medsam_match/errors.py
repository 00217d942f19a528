"""The HTTP form of errors, application/problem+json (RFC 9457).

Services raise the domain errors of `domain_errors` (`NotFound`, `Conflict`,
`Invalid`, `Forbidden`, `LimitReached`), which know nothing of HTTP; this edge
gives each its status (`STATUS_OF`) and the handlers
registered by `register_error_handlers` turn those, every HTTP error and the
validation errors of webargs/marshmallow into one shape:
`{"type", "title", "status", "detail", "errors": {"field.path": ["message"]}}`.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, json
from werkzeug.exceptions import HTTPException

from .domain_errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    LimitReached,
    NotFound,
    Stale,
)

__all__ = [
    "Conflict", "DomainError", "Forbidden", "Invalid", "LimitReached", "NotFound", "Stale",
    "PROBLEM_MIMETYPE", "STATUS_OF", "problem", "register_error_handlers", "status_of",
]

PROBLEM_MIMETYPE = "application/problem+json"


#: Each kind of domain error and the HTTP status it answers with.
STATUS_OF: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Invalid: 422,
    LimitReached: 429,
    Stale: 412,
}


def status_of(error: DomainError) -> int:
    """The HTTP status for a domain error (its nearest mapped kind; else 400)."""
    for kind in type(error).__mro__:
        if kind in STATUS_OF:
            return STATUS_OF[kind]  # type: ignore[index]
    return 400


def problem(
    status: int,
    detail: str = "",
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem+json response for an HTTP status."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).description,
    }
    if errors:
        body["errors"] = dict(errors)
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_messages(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"roles.0.max": ["..."]}.

    Schema-level messages ("_schema") belong to the object that holds them;
    at the top they are reported under "body".
    """
    if isinstance(messages, Mapping):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            part = "" if key == "_schema" else str(key)
            path = ".".join(p for p in (prefix, part) if p)
            for field, texts in flatten_messages(value, path).items():
                flat.setdefault(field, []).extend(texts)
        return flat
    if isinstance(messages, list | tuple):
        if all(isinstance(item, str) for item in messages):
            return {prefix or "body": [str(item) for item in messages]}
        flat = {}
        for index, item in enumerate(messages):
            path = f"{prefix}.{index}" if prefix else str(index)
            for field, texts in flatten_messages(item, path).items():
                flat.setdefault(field, []).extend(texts)
        return flat
    return {prefix or "body": [str(messages)]}


def _webargs_errors(messages: Any) -> dict[str, list[str]]:
    """webargs keys messages by location ({"json": {...}, "query": {...}})."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, Mapping):
        for location_messages in messages.values():
            for field, texts in flatten_messages(location_messages).items():
                flat.setdefault(field, []).extend(texts)
        return flat
    return flatten_messages(messages)


def _handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405 and error.get_response().headers.get("Allow"):
        headers["Allow"] = error.get_response().headers["Allow"]
    messages = data.get("messages") or data.get("errors")
    if status == 400 and messages:
        # webargs reports an unparseable body as {"json": ["Invalid JSON body."]}
        return problem(400, "The request body is not valid JSON.", headers=headers)
    if messages:
        errors = _webargs_errors(messages)
        fields_detail = "Invalid fields: " + ", ".join(sorted(errors)) + "."
        return problem(status, fields_detail, errors, headers)
    detail = data.get("message") or (error.description if status < 500 else "")
    return problem(status, str(detail or ""), headers=headers)


def _handle_domain_error(error: DomainError) -> Response:
    return problem(status_of(error), error.detail, error.errors)


def _handle_unexpected(error: Exception) -> Response:
    current_app.logger.exception("unhandled error: %s", error)
    return problem(500, "The server failed to handle the request; the error is logged.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, _handle_http_exception)
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(Exception, _handle_unexpected)
