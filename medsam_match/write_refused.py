"""A database that refuses writes answers changes with 503, not 500.

When the disk is full, the SQLite file is read-only, or PostgreSQL is in a
read-only transaction or a standby, reads go on (authentication's
bookkeeping is best-effort) and every change fails. Such a failure is the
database's state, not a bug: the answer is 503 problem+json with
Retry-After, saying that reading still works. /api/v1/health reports the
same state as `database: "read-only"`.
"""

from __future__ import annotations

from flask import Flask, Response, current_app
from sqlalchemy.exc import DBAPIError

from .errors import problem
from .extensions import db

# SQLite's messages and PostgreSQL's SQLSTATEs for "cannot write now".
_SQLITE_MESSAGES = ("attempt to write a readonly database", "database or disk is full",
                    "disk i/o error")
_POSTGRES_STATES = ("25006",  # read_only_sql_transaction
                    "53100",  # disk_full
                    "53200")  # out_of_memory
RETRY_AFTER_SECONDS = 60


def is_write_refused(error: DBAPIError) -> bool:
    state = getattr(error.orig, "sqlstate", None)
    if state in _POSTGRES_STATES:
        return True
    message = str(error.orig).lower()
    return any(text in message for text in _SQLITE_MESSAGES)


def _database_error(error: DBAPIError) -> Response:
    db.session.rollback()
    if is_write_refused(error):
        current_app.logger.warning("a change was refused by the database: %s",
                                   str(error.orig).splitlines()[0])
        return problem(503, "The database refuses changes right now (it is read-only or its "
                            "disk is full); reading still works. Nothing was changed.",
                       headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    current_app.logger.exception("unhandled error: %s", error)
    return problem(500, "The server failed to handle the request; the error is logged.")


def init_app(app: Flask) -> None:
    app.register_error_handler(DBAPIError, _database_error)
