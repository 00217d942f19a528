"""Refuse to run on a database that is not at the latest migration."""

from __future__ import annotations

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from .config import ConfigError
from .extensions import db


class SchemaOutOfDate(SystemExit):
    def __init__(self, message: str) -> None:
        super().__init__(f"medsam-match: {message}")
        self.message = message


def latest_revisions(migrations_dir: str) -> set[str]:
    config = Config()
    config.set_main_option("script_location", migrations_dir)
    return set(ScriptDirectory.from_config(config).get_heads())


def check_schema(app: Flask) -> None:
    """Stop with one line saying what to run when the schema is behind."""
    latest = latest_revisions(app.extensions["migrate"].directory)
    with app.app_context():
        try:
            with db.engine.connect() as connection:
                current = set(MigrationContext.configure(connection).get_current_heads())
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            reason = (str(cause).strip().splitlines() or ["unknown error"])[0]
            raise ConfigError(f"MEDSAM_DATABASE_URL: cannot connect to the database: {reason}") from None
        finally:
            db.engine.dispose()
    if current != latest:
        at = ", ".join(sorted(current)) or "empty"
        raise SchemaOutOfDate(
            f"the database schema is not up to date (at {at}, latest {', '.join(sorted(latest))}): "
            "run `medsam-match db upgrade`"
        )
