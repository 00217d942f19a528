"""The access logs, with the secrets that travel in paths masked.

Some addresses are their own credential: a calendar feed
(`/my/calendar/<key>.ics`, a calendar app cannot send a header), a
message's answer and settings links (`/my/answer/<token>`,
`/my/notifications/<token>`) an invitation (`/my/invite/<code>`) and a staff sign-in link
(`/signin/link/<code>`).
Access logs keep them as `/my/calendar/[masked].ics` and so on, and mask
`token=`, `key=` and `code=` in query strings: gunicorn's log through
`GunicornLogger` (config/gunicorn.conf.py sets it as logger_class), the
development server's (werkzeug) through a filter `init_app` puts on its
logger. Bearer tokens travel in headers, which no access log here writes.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask
from gunicorn.glogging import Logger

#: Paths whose next segment is a credential.
SECRET_PATHS = ("/my/calendar/", "/my/answer/", "/my/notifications/", "/my/invite/",
                "/signin/link/")
_SECRET_IN_PATH = re.compile(
    "(" + "|".join(re.escape(path) for path in SECRET_PATHS) + r")[^/?#\s\"]+?(\.ics)?(?=[/?#\s\"]|$)"
)
_SECRET_IN_QUERY = re.compile(r"([?&](?:token|key|code)=)[^&#\s\"]+", re.IGNORECASE)


def mask(text: str) -> str:
    """The text with every credential in a path or query replaced by [masked]."""
    text = _SECRET_IN_PATH.sub(lambda m: f"{m[1]}[masked]{m[2] or ''}", text)
    return _SECRET_IN_QUERY.sub(r"\1[masked]", text)


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
