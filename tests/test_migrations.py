"""The migrations build exactly the models' schema, on SQLite and PostgreSQL,
and the service refuses to start on a schema that is behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from medsam_match import create_app
from medsam_match.extensions import db
from medsam_match.schema_check import SchemaOutOfDate
from tests.conftest import _PrivatePostgres


@pytest.fixture(params=["sqlite", "postgres"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    database = _PrivatePostgres(request.getfixturevalue("postgres_server_url"))
    url = database.create()
    try:
        yield url
    finally:
        database.drop()


def _app(url: str, **extra):
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "MEDSAM_SCHEDULER": "off", **extra},
                      check_schema=False)


def test_upgrade_builds_exactly_the_models_schema(empty_database_url: str) -> None:
    app = _app(empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_service_refuses_an_out_of_date_schema_naming_the_command(empty_database_url: str) -> None:
    config = {"SQLALCHEMY_DATABASE_URI": empty_database_url, "MEDSAM_SCHEDULER": "off"}
    with pytest.raises(SchemaOutOfDate) as refused:
        create_app(config)
    message = str(refused.value)
    assert "\n" not in message
    assert "run `medsam-match db upgrade`" in message

    app = _app(empty_database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    started = create_app(config)  # now at the latest revision: starts
    assert started.test_client().get("/api/v1/health").json["database"] == "ok"
    with started.app_context():
        db.engine.dispose()
