"""Shared fixtures.

`app` runs each test on SQLite and, when MEDSAM_TEST_POSTGRES_URL is set, on
PostgreSQL too (in CI, CI=true, a missing PostgreSQL is a failure, not a skip).
Tables are created once per database and emptied after every test. On
PostgreSQL each test session works in a database of its own, created next to
the one the URL names, so that test runs in parallel do not meet.

Fixtures: app, client, db_session, make_token(role, **scope) -> token,
auth(token) -> headers, world (two municipalities with centres, places and
tokens, see `World`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from medsam_match import create_app
from medsam_match.extensions import db

POSTGRES_URL_ENV = "MEDSAM_TEST_POSTGRES_URL"

# In CI the property tests draw the same examples every run, so a red CI
# always points at a reproducible case; locally they explore new ones.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    _hypothesis_settings.load_profile("ci")

BACKENDS = ["sqlite", "postgres"]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def auth(token: str) -> dict[str, str]:
    """Request headers carrying a bearer token."""
    return {"Authorization": f"Bearer {token}"}


# --- databases, one per backend per test session ---------------------------

class _PrivatePostgres:
    """A throwaway database beside the one MEDSAM_TEST_POSTGRES_URL names."""

    def __init__(self, url: str) -> None:
        self.admin_url = make_url(url)
        self.name = f"medsam_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.url = self.admin_url.set(database=self.name)

    def create(self) -> str:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        engine.dispose()
        return self.url.render_as_string(hide_password=False)

    def drop(self) -> None:
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL URL from the environment (skips, or fails in CI, without it)."""
    url = os.environ.get(POSTGRES_URL_ENV, "")
    if not url:
        message = f"{POSTGRES_URL_ENV} is not set: PostgreSQL tests cannot run"
        if _in_ci():
            pytest.fail(message + " (CI=true requires them)")
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Lazily created database URLs per backend, cleaned up at session end."""
    urls: dict[str, Any] = {"sqlite": f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"}
    private: list[_PrivatePostgres] = []
    urls["_private"] = private
    yield urls
    for database in private:
        database.drop()


def _database_url(backend: str, urls: dict[str, Any], request: pytest.FixtureRequest) -> str:
    if backend not in urls:
        server_url = request.getfixturevalue("postgres_server_url")
        database = _PrivatePostgres(server_url)
        urls[backend] = database.create()
        urls["_private"].append(database)
    return str(urls[backend])


_tables_ready: set[str] = set()

TEST_CONFIG = {
    "TESTING": True,
    "MEDSAM_SCHEDULER": "off",
    "MEDSAM_CHECK_SCHEMA": False,
    "SECRET_KEY": "test",
    # Tests make many requests a minute; tests/api/test_rate_limit.py turns it on.
    "MEDSAM_RATE_LIMIT_PER_MINUTE": 0,
}


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, database_urls: dict[str, Any]) -> Iterator[Flask]:
    """A fresh, empty database on each backend, with the whole schema."""
    url = _database_url(request.param, database_urls, request)
    application = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    with application.app_context():
        if url not in _tables_ready:
            db.drop_all()
            db.create_all()
            _tables_ready.add(url)
    yield application
    with application.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db_session(app: Flask) -> Iterator[Any]:
    """db.session inside an application context, for arranging and checking rows."""
    with app.app_context():
        yield db.session


@pytest.fixture
def make_token(app: Flask) -> Callable[..., str]:
    """make_token("coordinator", centre_id=3) -> a plain bearer token."""
    from medsam_match.auth import create_token

    def make(role: str, **scope: Any) -> str:
        with app.app_context():
            return create_token(role, **scope)

    return make


@pytest.fixture(name="auth")
def auth_fixture() -> Callable[[str], dict[str, str]]:
    return auth


# --- a small world of two tenants -------------------------------------------

@dataclass
class Tenant:
    municipality_id: int
    municipality_token: str
    centre_ids: list[int]
    coordinator_tokens: dict[int, str]  # centre id -> token
    place_ids: list[int]

    @property
    def centre_id(self) -> int:
        return self.centre_ids[0]

    @property
    def coordinator_token(self) -> str:
        return self.coordinator_tokens[self.centre_ids[0]]


@dataclass
class World:
    """Arendal (NO, Europe/Oslo, two centres) and Aarhus (DK, Europe/Copenhagen,
    one centre), one place each, and an admin token."""

    admin_token: str
    no: Tenant
    dk: Tenant
    extra: dict[str, Any] = field(default_factory=dict)


def build_world(app: Flask) -> World:
    from medsam_match.auth import create_token
    from medsam_match.models import Centre, Municipality, Place

    def tenant(name: str, country: str, zone: str, locale: str, centres: list[str],
               place: dict[str, Any]) -> Tenant:
        municipality = Municipality(name=name, country=country, timezone=zone, locale=locale)
        db.session.add(municipality)
        db.session.flush()
        centre_rows = [Centre(municipality_id=municipality.id, name=c) for c in centres]
        place_row = Place(municipality_id=municipality.id, **place)
        db.session.add_all([*centre_rows, place_row])
        db.session.commit()
        return Tenant(
            municipality_id=municipality.id,
            municipality_token=create_token("municipality", municipality_id=municipality.id),
            centre_ids=[c.id for c in centre_rows],
            coordinator_tokens={
                c.id: create_token("coordinator", centre_id=c.id, label=c.name) for c in centre_rows
            },
            place_ids=[place_row.id],
        )

    with app.app_context():
        no = tenant(
            "Arendal", "NO", "Europe/Oslo", "nb",
            ["Arendal frivilligsentral", "Hisøy frivilligsentral"],
            {"name": "Arendal bibliotek", "lat": 58.4615, "lon": 8.7725, "capacity": 40,
             "parallel": 2, "features": ["wifi", "step_free"]},
        )
        dk = tenant(
            "Aarhus", "DK", "Europe/Copenhagen", "da",
            ["Frivilligcenter Aarhus"],
            {"name": "Dokk1", "lat": 56.1534, "lon": 10.2143, "capacity": 60, "parallel": 3,
             "features": ["wifi"]},
        )
        admin = create_token("admin", label="test admin")
    return World(admin_token=admin, no=no, dk=dk)


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)
