"""Whether the service can do its work: reach its database, and write to it.

Reads may go on while the database refuses writes (a full disk, a read-only
file, a standby or read-only PostgreSQL), and the service keeps answering
them; health says so (`database: "read-only"`, 503) so that monitoring sees
it. The write probe is a DELETE that matches no row, rolled back: it takes
the write lock a real write would, and changes nothing. It runs at most
every PROBE_INTERVAL_S seconds per process.
"""

from __future__ import annotations

import shutil
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db

# Below this much free space beside the SQLite file, writes are about to fail.
SQLITE_MIN_FREE_BYTES = 1 << 20
# The write probe runs at most this often per process; checks between reuse it.
PROBE_INTERVAL_S = 5.0


def service_version() -> str:
    try:
        return version("medsam-match")
    except PackageNotFoundError:
        return "unknown"


def _sqlite_disk_full() -> bool:
    path = db.engine.url.database or ""
    if path.startswith("file:"):  # a URI filename, e.g. file:/data/medsam.db?mode=ro
        path = path.removeprefix("file:").split("?", 1)[0]
    if not path or path == ":memory:":
        return False
    try:
        return shutil.disk_usage(Path(path).resolve().parent).free < SQLITE_MIN_FREE_BYTES
    except OSError:
        return False


def _writable() -> bool:
    """Whether the database takes writes (the probe is rolled back)."""
    try:
        if db.engine.dialect.name == "postgresql":
            read_only = db.session.execute(
                text("SELECT current_setting('transaction_read_only') = 'on' "
                     "OR pg_is_in_recovery()")
            ).scalar()
            if read_only:
                return False
        elif db.engine.dialect.name == "sqlite" and _sqlite_disk_full():
            current_app.logger.warning("health: the disk of the SQLite file is full")
            return False
        db.session.execute(text("DELETE FROM api_token WHERE 1 = 0"))
        return True
    except SQLAlchemyError as error:
        current_app.logger.warning("health: the database refuses writes: %s",
                                   str(error).splitlines()[0])
        return False
    finally:
        db.session.rollback()


def _writable_recently() -> bool:
    """`_writable()`, probed at most once per PROBE_INTERVAL_S per process (health
    needs no token and no rate limit, so a flood of checks must not turn into
    a flood of write locks)."""
    cache = current_app.extensions.setdefault("medsam_health_probe", {})
    now = time.monotonic()
    if now - cache.get("at", -PROBE_INTERVAL_S) >= PROBE_INTERVAL_S:
        cache["writable"], cache["at"] = _writable(), now
    return bool(cache["writable"])


def database_state() -> str:
    """"ok", "read-only" or "unavailable"."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.warning("health: database unavailable", exc_info=True)
        db.session.rollback()
        return "unavailable"
    return "ok" if _writable_recently() else "read-only"


def check_health() -> dict[str, str]:
    database = database_state()
    return {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "version": service_version(),
    }
