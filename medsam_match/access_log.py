"""The access logs, with the secrets that travel in paths masked.

A calendar app cannot send a header, so a volunteer's feed address carries
its own credential (`/my/calendar/<key>.ics`). Access logs keep that path
as `/my/calendar/[masked].ics`: gunicorn's through `GunicornLogger`
(config/gunicorn.conf.py sets it as logger_class), the development server's
(werkzeug) through a filter `init_app` puts on its logger. Bearer tokens
travel in headers, which no access log here writes.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask
from gunicorn.glogging import Logger

_SECRET_IN_PATH = re.compile(r"(/my/calendar/)[^/?#\s\"]+(\.ics)")
MASKED = r"\1[masked]\2"


def mask(text: str) -> str:
    """The text with every secret in a path replaced by [masked]."""
    return _SECRET_IN_PATH.sub(MASKED, text)


class MaskSecretsFilter(logging.Filter):
    """Masks the secrets in a log record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(mask(arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


class GunicornLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with every access-log field masked."""

    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask(value) if isinstance(value, str) else value
                for key, value in atoms.items()}


def init_app(app: Flask) -> None:
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, MaskSecretsFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(MaskSecretsFilter())
