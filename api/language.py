"""The language an API caller asked for with Accept-Language, if it is one of ours."""

from __future__ import annotations

from flask import has_request_context, request

LOCALES = ("nb", "nn", "da", "en")
# "no" (Norwegian, no written standard named) is read as bokmål.
_ALIASES = {"no": "nb", "nb": "nb", "nn": "nn", "da": "da", "en": "en"}


def requested_locale() -> str | None:
    """nb, nn, da or en from the request's Accept-Language (best first), else None."""
    if not has_request_context():
        return None
    for tag, _quality in request.accept_languages:
        primary = tag.replace("_", "-").split("-")[0].lower()
        if primary in _ALIASES:
            return _ALIASES[primary]
    return None
