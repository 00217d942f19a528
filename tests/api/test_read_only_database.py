"""A database that refuses writes (a full disk, a read-only file, a
read-only PostgreSQL): reads keep working and /health says so.

The read-only database is real: SQLite opened with mode=ro (as root, chmod
alone would not stop writes), PostgreSQL with default_transaction_read_only.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from medsam_match import create_app
from medsam_match.auth import hash_token
from medsam_match.extensions import db
from medsam_match.models import ApiToken
from medsam_match.models.types import utcnow
from tests.conftest import TEST_CONFIG, auth


def _read_only_app(app: Flask) -> Flask:
    """Another service process on the same database, which refuses writes."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    config = {**TEST_CONFIG}
    if url.get_backend_name() == "sqlite":
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///file:{url.database}?mode=ro&uri=true"
    else:
        config["SQLALCHEMY_DATABASE_URI"] = url.render_as_string(hide_password=False)
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "connect_args": {"options": "-c default_transaction_read_only=on"}}
    return create_app(config)


@pytest.fixture
def read_only(app, world):
    read_only_app = _read_only_app(app)
    yield read_only_app
    with read_only_app.app_context():
        db.session.remove()
        db.engine.dispose()


def _last_used(app: Flask, token: str):
    with app.app_context():
        return db.session.scalars(select(ApiToken.last_used_at).where(
            ApiToken.token_hash == hash_token(token))).one()


def test_reads_work_when_the_database_refuses_writes(app, world, read_only):
    assert _last_used(app, world.admin_token) is None  # so a write would be due
    client = read_only.test_client()
    for token in (world.admin_token, world.no.coordinator_token, world.no.municipality_token):
        response = client.get("/api/v1/centres", headers=auth(token))
        assert response.status_code == 200, response.get_json()
    assert client.get(f"/api/v1/places/{world.no.place_ids[0]}",
                      headers=auth(world.no.municipality_token)).status_code == 200
    assert _last_used(app, world.admin_token) is None  # not written, and no error
    # A change is refused plainly (503, try later), and nothing changes.
    changed = client.patch(f"/api/v1/centres/{world.no.centre_id}", json={"name": "X"},
                           headers=auth(world.admin_token))
    assert changed.status_code == 503
    assert changed.mimetype == "application/problem+json"
    assert "refuses changes" in changed.get_json()["detail"]
    assert changed.headers["Retry-After"] == "60"
    centre = app.test_client().get(f"/api/v1/centres/{world.no.centre_id}",
                                   headers=auth(world.admin_token)).get_json()
    assert centre["name"] != "X"


def test_health_tells_that_the_database_is_read_only(app, read_only):
    assert app.test_client().get("/api/v1/health").get_json()["database"] == "ok"
    response = read_only.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["database"] == "read-only"


def test_last_use_is_written_at_most_once_a_minute(app, world):
    client = app.test_client()
    client.get("/api/v1/centres", headers=auth(world.admin_token))
    first = _last_used(app, world.admin_token)
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    client.get("/api/v1/centres", headers=auth(world.admin_token))
    assert _last_used(app, world.admin_token) == first
    with app.app_context():
        db.session.execute(update(ApiToken).where(ApiToken.token_hash == hash_token(
            world.admin_token)).values(last_used_at=first - timedelta(minutes=2)))
        db.session.commit()
    client.get("/api/v1/centres", headers=auth(world.admin_token))
    assert _last_used(app, world.admin_token) > first
