"""A volunteer's own data through the API: bad input is a 422 naming the
field that changes nothing; another volunteer's data is 404, read or write."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.models import Assignment, HoursEntry, Volunteer
from tests.api.conftest import assert_problem, rows
from tests.api.manual_world import OSLO, ManualWorld, build_manual_world
from tests.conftest import World, auth
from tests.selfservice.past_world import add_past_session

YESTERDAY = (datetime.now(OSLO).date() - timedelta(days=1)).isoformat()

BAD_OWN_CHANGES = [
    ({"weekly_availability": [{"weekday": 1, "start": "17:00", "end": "17:00"}]},
     "weekly_availability.0.end"),  # a zero-length window
    ({"weekly_availability": [{"weekday": 1, "start": "25:00", "end": "26:00"}]},
     "weekly_availability.0.start"),  # an hour like 25:00
    ({"weekly_availability": [{"weekday": 1, "start": "17:00", "end": "24:30"}]},
     "weekly_availability.0.end"),
    ({"unavailable": [{"start": "2027-07-14T00:00:00+02:00",
                       "end": "2027-07-01T00:00:00+02:00"}]},
     "unavailable.0.end"),  # an away period that ends before it starts
    ({"interests": ["language", "skydiving"]}, "interests.1"),  # not on the centre's list
    ({"max_hours_per_week": -1}, "max_hours_per_week"),
    ({"skills": ["driver"]}, None),  # coordinator-set: 403, also nothing stored
]


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


@pytest.mark.parametrize(("change", "field"), BAD_OWN_CHANGES,
                         ids=[f or "skills" for _, f in BAD_OWN_CHANGES])
def test_bad_own_changes_are_refused_and_change_nothing(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token,  # type: ignore[no-untyped-def]
        change: dict[str, Any], field: str | None) -> None:
    token = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    before = rows(app, Volunteer)
    # Valid fields beside the bad one are not stored either.
    response = client.patch(f"/api/v1/volunteers/{mw.yusuf}", headers=token,
                            json={"name": "Yusuf K.", **change})
    if field is None:
        assert_problem(response, 403)
    else:
        problem = assert_problem(response, 422)
        assert field in problem["errors"], problem
    assert rows(app, Volunteer) == before


def test_bad_hours_change_nothing(app: Flask, client: FlaskClient, mw: ManualWorld,
                                  make_token) -> None:  # type: ignore[no-untyped-def]
    token = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    for hours in (-0.5, 0, 24.01, 100):
        assert_problem(client.post("/api/v1/hours", headers=token,
                                   json={"day": YESTERDAY, "hours": hours}), 422, "hours")
    assert rows(app, HoursEntry) == []


def test_an_interest_on_the_centres_list_or_held_already_is_accepted(
        client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    token = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    # "language" is the café's interest; a coordinator set "chess" before.
    coordinator = auth(mw.world.no.coordinator_token)
    assert client.patch(f"/api/v1/volunteers/{mw.yusuf}", headers=coordinator,
                        json={"interests": ["chess"]}).status_code == 200
    kept = client.patch(f"/api/v1/volunteers/{mw.yusuf}", headers=token,
                        json={"interests": ["chess", "language"]})
    assert kept.status_code == 200 and kept.json["interests"] == ["chess", "language"]


def test_another_volunteers_data_is_404_to_read_and_to_change(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    past = add_past_session(app, mw)
    amira = make_token("volunteer", volunteer_id=mw.amira)
    entry = client.post("/api/v1/hours", headers=auth(amira),
                        json={"day": YESTERDAY, "hours": 1}).json
    yusuf = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    before = (rows(app, Volunteer), rows(app, Assignment), rows(app, HoursEntry))
    v = f"/api/v1/volunteers/{mw.amira}"
    for method, url, body in (
        ("get", v, None),
        ("patch", v, {"name": "Someone else"}),
        ("delete", v, None),
        ("get", f"{v}/assignments", None),
        ("get", f"{v}/export", None),
        ("post", f"{v}:request-erasure", None),
        ("post", f"{v}:withdraw-erasure-request", None),
        ("get", f"/api/v1/open-slots?volunteer_id={mw.amira}", None),
        ("get", f"/api/v1/hours/{entry['id']}", None),
        ("delete", f"/api/v1/hours/{entry['id']}", None),
        ("get", f"/api/v1/hours/summary?volunteer_id={mw.amira}", None),
        ("post", "/api/v1/hours", {"volunteer_id": mw.amira, "day": YESTERDAY, "hours": 1}),
        ("get", f"/api/v1/attendance/{past.amira_seat}", None),
        ("get", f"/api/v1/assignments/{past.amira_seat}", None),
        ("post", f"/api/v1/assignments/{past.amira_seat}:decline", {}),
        ("post", f"/api/v1/assignments/{past.amira_seat}:offer", None),
    ):
        response = getattr(client, method)(url, headers=yusuf, json=body)
        assert response.status_code == 404, (method, url, response.status_code)
    assert [r["volunteer_id"] for r in client.get("/api/v1/attendance", headers=yusuf).json
            ] == [mw.yusuf]  # his own seat in the same session only
    assert client.get("/api/v1/hours", headers=yusuf).json == []
    assert (rows(app, Volunteer), rows(app, Assignment), rows(app, HoursEntry)) == before
