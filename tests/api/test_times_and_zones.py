"""Times and time zones at the edges: years outside 1900-2200, old offsets
RFC 3339 cannot write, names that are not IANA zones, the spring-forward gap
in sessions:generate, and a nested interval sent without its start."""

from __future__ import annotations

import re

import pytest

from medsam_match.extensions import db
from medsam_match.models import Municipality, Place, Session
from tests.api.conftest import add_place, assert_problem, auth, new_activity, rows

# RFC 3339 date-time: the offset is Z or +hh:mm, never with seconds.
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.mark.parametrize("year", [1051, 1899, 2201, 2418])
def test_times_outside_the_accepted_years_are_422_naming_the_field(client, app, world, year):
    url = f"/api/v1/places/{world.no.place_ids[0]}"
    before = rows(app, Place)
    busy = [{"start": f"{year}-06-01T10:00:00+00:00", "end": f"{year}-06-01T12:00:00+00:00"}]
    body = assert_problem(
        client.patch(url, json={"busy": busy}, headers=auth(world.admin_token)),
        422, "busy.0.start", "busy.0.end",
    )
    assert body["errors"]["busy.0.start"] == ["the year must lie between 1900 and 2200"]
    assert rows(app, Place) == before


@pytest.mark.parametrize("year", [1900, 2200])
def test_the_first_and_last_accepted_years_read_back_as_rfc3339(client, world, year):
    response = client.patch(
        f"/api/v1/places/{world.dk.place_ids[0]}",
        json={"busy": [{"start": f"{year}-06-01T10:00:00+00:00",
                        "end": f"{year}-06-01T12:00:00+00:00"}]},
        headers=auth(world.admin_token),
    )
    assert response.status_code == 200
    interval = response.get_json()["busy"][0]
    assert all(RFC3339.match(value) for value in interval.values()), interval


def test_a_stored_time_with_a_local_mean_time_offset_is_shown_in_utc(client, app, world):
    """Copenhagen's 1850 offset was +00:50:20, which RFC 3339 cannot write:
    such a time (stored before the bound existed) is shown in UTC instead."""
    place_id = add_place(
        app, world.dk.municipality_id, "Gammel",
        busy=[{"start": "1850-06-01T10:00:00+00:00", "end": "1850-06-01T12:00:00+00:00"}],
    )
    response = client.get(f"/api/v1/places/{place_id}", headers=auth(world.admin_token))
    assert response.status_code == 200
    assert response.get_json()["busy"] == [
        {"start": "1850-06-01T10:00:00+00:00", "end": "1850-06-01T12:00:00+00:00"}
    ]


def test_a_busy_interval_without_start_in_a_patch_is_422_not_500(client, app, world):
    url = f"/api/v1/places/{world.no.place_ids[0]}"
    before = rows(app, Place)
    body = assert_problem(
        client.patch(url, json={"busy": [{"end": "2027-01-05T19:00:00+01:00"}]},
                     headers=auth(world.admin_token)),
        422, "busy.0.start",
    )
    assert body["errors"]["busy.0.start"] == ["Missing data for required field."]
    assert rows(app, Place) == before


@pytest.mark.parametrize(
    "zone", ["localtime", "Factory", "posixrules", "posix/Europe/Oslo", "right/UTC", "Mars/Olympus"]
)
def test_only_iana_zone_names_are_time_zones(client, app, world, zone):
    url = f"/api/v1/municipalities/{world.no.municipality_id}"
    before = rows(app, Municipality)
    body = assert_problem(
        client.patch(url, json={"timezone": zone}, headers=auth(world.admin_token)), 422, "timezone"
    )
    assert body["errors"]["timezone"] == ["not an IANA time zone, e.g. Europe/Oslo"]
    assert rows(app, Municipality) == before
    created = client.post(
        "/api/v1/municipalities", json={"name": "Risør", "country": "NO", "timezone": zone},
        headers=auth(world.admin_token),
    )
    assert_problem(created, 422, "timezone")


def test_an_iana_zone_name_is_accepted(client, world):
    response = client.patch(
        f"/api/v1/municipalities/{world.no.municipality_id}", json={"timezone": "Europe/Berlin"},
        headers=auth(world.admin_token),
    )
    assert response.status_code == 200 and response.get_json()["timezone"] == "Europe/Berlin"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # 02:30 does not exist in Oslo on 2027-03-28 (02:00 -> 03:00): the
        # session moves forward as the clocks do and keeps its hour.
        ("02:30", "03:30", ("2027-03-28T03:30:00+02:00", "2027-03-28T04:30:00+02:00")),
        ("02:30", "04:00", ("2027-03-28T03:30:00+02:00", "2027-03-28T04:00:00+02:00")),
        ("01:30", "02:30", ("2027-03-28T01:30:00+01:00", "2027-03-28T03:30:00+02:00")),
    ],
)
def test_generate_across_the_spring_gap_never_makes_an_empty_session(
    client, app, world, start, end, expected
):
    token = world.no.coordinator_token
    activity_id = new_activity(client, token, world.no.centre_id)
    response = client.post(
        f"/api/v1/activities/{activity_id}/sessions:generate",
        json={"from": "2027-03-27T00:00:00+01:00", "to": "2027-03-29T00:00:00+02:00",
              "weekly": [{"weekday": 6, "start": start, "end": end}], "skip_holidays": False},
        headers=auth(token),
    )
    assert response.status_code == 201, response.get_json()
    made = response.get_json()["sessions"]
    assert [(s["start"], s["end"]) for s in made] == [expected]
    with app.app_context():
        (session,) = db.session.query(Session).all()
        assert session.end > session.start
