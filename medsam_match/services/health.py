"""Whether the service can do its work."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db


def service_version() -> str:
    try:
        return version("medsam-match")
    except PackageNotFoundError:
        return "unknown"


def check_health() -> dict[str, str]:
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except SQLAlchemyError:
        current_app.logger.warning("health: database unavailable", exc_info=True)
        db.session.rollback()
        database = "unavailable"
    return {
        "status": "ok" if database == "ok" else "degraded",
        "database": database,
        "version": service_version(),
    }
