"""Helpers every API test uses: bearer headers, problem+json checks, rows as
the database holds them (to show that nothing changed), and the small
objects most tests need (an activity, a place, a volunteer with a token).

The fixtures (`app`, `client`, `world`, `make_token`, ...) come from
tests/conftest.py; these are plain functions, imported by the test modules:
`from tests.api.conftest import assert_problem, auth`.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Place, Volunteer
from tests.conftest import World, auth

__all__ = [
    "PROBLEM",
    "World",
    "add_place",
    "ascii_json",
    "assert_problem",
    "auth",
    "new_activity",
    "rows",
    "volunteer_with_token",
]

PROBLEM = "application/problem+json"


def assert_problem(response: Any, status: int, *fields: str) -> dict[str, Any]:
    """The answer is problem+json with this status, says what went wrong
    without a traceback, and (if `fields` are given) names exactly those fields."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert body["detail"]
    assert "Traceback" not in response.get_data(as_text=True)
    if fields:
        assert sorted(body.get("errors", {})) == sorted(fields), body
    return body


def ascii_json(body: Any) -> str:
    """JSON with escapes for non-ASCII, so that even a lone surrogate can be sent."""
    return json.dumps(body, ensure_ascii=True)


def rows(app: Flask, model: Any) -> list[dict[str, Any]]:
    """Every row of `model` as the database holds it, columns only, by id."""
    with app.app_context():
        found = db.session.scalars(select(model).order_by(model.id)).all()
        return [{c.name: getattr(row, c.name) for c in model.__table__.columns} for row in found]


def new_activity(
    client: FlaskClient, token: str, centre_id: int, title: str = "Turgruppe"
) -> int:
    """An activity with one role, "host"; its id."""
    response = client.post(
        "/api/v1/activities",
        json={"centre_id": centre_id, "title": title, "roles": [{"role": "host"}]},
        headers=auth(token),
    )
    assert response.status_code == 201, response.get_json()
    return int(response.get_json()["id"])


def add_place(
    app: Flask, municipality_id: int, name: str, busy: list[dict[str, str]] | None = None
) -> int:
    """A place stored directly (busy intervals as the JSON column keeps them)."""
    with app.app_context():
        place = Place(municipality_id=municipality_id, name=name, busy=busy or [])
        db.session.add(place)
        db.session.commit()
        return place.id


def volunteer_with_token(app: Flask, make_token: Any, centre_id: int, **fields: Any) -> tuple[int, str]:
    """A volunteer of the centre, stored directly, and a token of its own."""
    with app.app_context():
        volunteer = Volunteer(centre_id=centre_id, name=fields.pop("name", "Amina"), **fields)
        db.session.add(volunteer)
        db.session.commit()
        volunteer_id = volunteer.id
    return volunteer_id, make_token("volunteer", volunteer_id=volunteer_id)
