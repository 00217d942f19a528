"""A small centre to plan: built through the API, as a coordinator would.

Arendal frivilligsentral (from the `world` fixture) gets a language café on
three Tuesdays and a homework-help session needing a police certificate,
and six volunteers with weekly availability. Runs are executed by the real
worker code, solving in a real child process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import World, auth

# Tuesdays 2027-01-12, -19, -26; the planning window is those three weeks.
WINDOW_FROM = "2027-01-11T00:00:00+01:00"
WINDOW_TO = "2027-02-01T00:00:00+01:00"


@dataclass
class Centre:
    world: World
    centre_id: int
    token: str
    activity_id: int
    homework_id: int
    session_ids: list[int]
    volunteer_ids: list[int]
    volunteer_tokens: dict[int, str]

    @property
    def headers(self) -> dict[str, str]:
        return auth(self.token)


def _ok(response: Any, status: int = 201) -> Any:
    assert response.status_code == status, response.get_json()
    return response.get_json()


def build_centre(client: FlaskClient, world: World, make_token: Any) -> Centre:
    token = world.no.coordinator_token
    centre_id = world.no.centre_id
    place_id = world.no.place_ids[0]
    headers = auth(token)
    cafe = _ok(client.post("/api/v1/activities", headers=headers, json={
        "centre_id": centre_id, "title": "Språkkafé", "interests": ["language", "culture"],
        "participants": 12,
        "roles": [{"role": "host", "min": 1, "max": 1},
                  {"role": "helper", "min": 2, "max": 3}],
    }))
    homework = _ok(client.post("/api/v1/activities", headers=headers, json={
        "centre_id": centre_id, "title": "Leksehjelp", "interests": ["children"],
        "roles": [{"role": "helper", "min": 1, "max": 2, "certificate": "police"}],
    }))
    sessions = _ok(client.post(
        f"/api/v1/activities/{cafe['id']}/sessions:generate", headers=headers, json={
            "from": WINDOW_FROM, "to": WINDOW_TO, "place_id": place_id,
            "weekly": [{"weekday": 1, "start": "17:00", "end": "19:00"}],
        }))
    extra = _ok(client.post("/api/v1/sessions", headers=headers, json={
        "activity_id": homework["id"], "start": "2027-01-13T16:00:00+01:00",
        "end": "2027-01-13T18:00:00+01:00", "place_id": place_id,
    }))
    evenings = [{"weekday": d, "start": "16:00", "end": "21:00"} for d in range(5)]
    people = [
        ("Kari Nordmann", ["language"], {"kind": "police", "valid_until": "2028-01-01"}),
        ("Ola Hansen", ["culture"], None),
        ("Amina Yusuf", ["language", "children"], {"kind": "police", "valid_until": "2028-06-30"}),
        ("Per Berg", [], None),
        ("Olena Koval", ["language"], None),
        ("Samir Haddad", ["children"], {"kind": "police", "valid_until": "2026-01-01"}),
    ]
    volunteer_ids = []
    for name, interests, certificate in people:
        body = {"centre_id": centre_id, "name": name, "interests": interests,
                "weekly_availability": evenings, "max_sessions_per_week": 1,
                "lat": 58.46, "lon": 8.77, "max_travel_km": 10}
        if certificate:
            body["certificates"] = [certificate]
        volunteer_ids.append(_ok(client.post("/api/v1/volunteers", headers=headers, json=body))["id"])
    volunteer_tokens = {vid: make_token("volunteer", volunteer_id=vid) for vid in volunteer_ids}
    return Centre(world, centre_id, token, cafe["id"], homework["id"],
                  [s["id"] for s in sessions["sessions"]] + [extra["id"]], volunteer_ids, volunteer_tokens)


@pytest.fixture
def centre(client: FlaskClient, world: World, make_token: Any) -> Centre:
    return build_centre(client, world, make_token)


def run_queued(app: Any) -> list[int]:
    """Execute every queued run now, the way the background worker does."""
    from medsam_match.jobs.worker import run_pending

    return run_pending(app)


def post_run(client: FlaskClient, centre: Centre, **extra: Any) -> dict[str, Any]:
    body = {"centre_id": centre.centre_id, "from": WINDOW_FROM, "to": WINDOW_TO,
            "time_limit_s": 5, **extra}
    response = client.post("/api/v1/match-runs", headers=centre.headers, json=body)
    assert response.status_code == 202, response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/match-runs/{response.get_json()['id']}")
    return response.get_json()
