"""POST /api/v1/activities/{id}/sessions:generate: weekly patterns in local
time across daylight-saving changes, limits, bad input, and all-or-nothing."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from medsam_match.extensions import db
from medsam_match.models import Session, Volunteer
from medsam_match.services.session_generation import WeeklySlot, weekly_occurrences
from tests.api.conftest import add_place, auth, new_activity

OSLO = ZoneInfo("Europe/Oslo")


def generate_url(activity_id: int) -> str:
    return f"/api/v1/activities/{activity_id}/sessions:generate"


def session_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Session)) or 0


@pytest.fixture
def arendal(client, world) -> dict[str, Any]:
    token = world.no.coordinator_token
    return {
        "token": token,
        "activity_id": new_activity(client, token, world.no.centre_id),
        "place_id": world.no.place_ids[0],
    }


def generate(client, setup: dict[str, Any], body: dict[str, Any]):
    return client.post(generate_url(setup["activity_id"]), json=body, headers=auth(setup["token"]))


# --- daylight saving ----------------------------------------------------------------


def test_tuesday_evenings_stay_at_17_local_across_the_autumn_change(app, client, arendal):
    response = generate(
        client,
        arendal,
        {
            "from": "2026-10-13T00:00:00+02:00",
            "to": "2026-11-03T00:00:00+01:00",  # the Tuesday 3 November is not included
            "weekly": [{"weekday": 1, "start": "17:00", "end": "19:00"}],
            "place_id": arendal["place_id"],
        },
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()["sessions"]
    assert [(s["start"], s["end"]) for s in created] == [
        ("2026-10-13T17:00:00+02:00", "2026-10-13T19:00:00+02:00"),
        ("2026-10-20T17:00:00+02:00", "2026-10-20T19:00:00+02:00"),
        ("2026-10-27T17:00:00+01:00", "2026-10-27T19:00:00+01:00"),
    ]
    assert all(s["place_id"] == arendal["place_id"] and s["options"] is None for s in created)
    assert {s["activity_id"] for s in created} == {arendal["activity_id"]}
    with app.app_context():
        starts = db.session.scalars(select(Session.start).order_by(Session.start)).all()
    # the UTC instants differ by the hour the clocks went back
    assert starts == [
        datetime(2026, 10, 13, 15, tzinfo=UTC),
        datetime(2026, 10, 20, 15, tzinfo=UTC),
        datetime(2026, 10, 27, 16, tzinfo=UTC),
    ]


def test_tuesday_evenings_stay_at_17_local_across_the_spring_change(client, arendal):
    response = generate(
        client,
        arendal,
        {
            "from": "2027-03-16T00:00:00+01:00",
            "to": "2027-04-05T00:00:00+02:00",
            "weekly": [{"weekday": 1, "start": "17:00", "end": "19:00"}],
        },
    )
    assert response.status_code == 201, response.get_json()
    assert [s["start"] for s in response.get_json()["sessions"]] == [
        "2027-03-16T17:00:00+01:00",
        "2027-03-23T17:00:00+01:00",
        "2027-03-30T17:00:00+02:00",
    ]


def test_sessions_on_the_change_days_themselves(client, arendal):
    """Sunday 10:00-12:00 on the two Sundays the clocks change: two hours each."""
    for window, expected in (
        (
            ("2026-10-24T00:00:00+02:00", "2026-10-26T00:00:00+01:00"),
            ("2026-10-25T10:00:00+01:00", "2026-10-25T12:00:00+01:00"),
        ),
        (
            ("2027-03-27T00:00:00+01:00", "2027-03-29T00:00:00+02:00"),
            ("2027-03-28T10:00:00+02:00", "2027-03-28T12:00:00+02:00"),
        ),
    ):
        response = generate(
            client,
            arendal,
            {
                "from": window[0],
                "to": window[1],
                "weekly": [{"weekday": 6, "start": "10:00", "end": "12:00"}],
                "skip_holidays": False,  # 28 March 2027 is also Easter Sunday
            },
        )
        assert response.status_code == 201, response.get_json()
        assert [(s["start"], s["end"]) for s in response.get_json()["sessions"]] == [expected]


def test_weekly_occurrences_in_the_spring_gap_keep_their_length():
    """02:30 does not exist on 28 March 2027 in Oslo: read as 03:30 summer time."""
    occurrences = weekly_occurrences(
        datetime(2027, 3, 27, tzinfo=UTC),
        datetime(2027, 3, 29, tzinfo=UTC),
        [WeeklySlot(6, time(2, 30), time(3, 30))],
        OSLO,
    )
    assert len(occurrences) == 1
    start, end = occurrences[0].start, occurrences[0].end
    assert start.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert end - start == (datetime(2027, 3, 28, 3, 30) - datetime(2027, 3, 28, 2, 30))


def test_several_weekly_times_and_the_window_edges(client, arendal):
    response = generate(
        client,
        arendal,
        {
            # from Monday 17:30: that Monday's 17:00 is before the window
            "from": "2026-12-07T17:30:00+01:00",
            "to": "2026-12-14T17:00:00+01:00",  # next Monday 17:00 starts at `to`: out
            "weekly": [
                {"weekday": 0, "start": "17:00", "end": "18:00"},
                {"weekday": 3, "start": "10:00", "end": "11:30"},
                {"weekday": 3, "start": "08:15", "end": "09:00"},
            ],
        },
    )
    assert response.status_code == 201, response.get_json()
    assert [s["start"] for s in response.get_json()["sessions"]] == [
        "2026-12-10T08:15:00+01:00",
        "2026-12-10T10:00:00+01:00",
    ]


def test_copenhagen_uses_its_own_zone(client, world):
    token = world.dk.coordinator_token
    activity_id = new_activity(client, token, world.dk.centre_id)
    response = client.post(
        generate_url(activity_id),
        json={
            "from": "2026-10-19T00:00:00Z",
            "to": "2026-10-30T00:00:00Z",
            "weekly": [{"weekday": 2, "start": "09:00", "end": "10:00"}],
            "place_id": world.dk.place_ids[0],
        },
        headers=auth(token),
    )
    assert response.status_code == 201, response.get_json()
    assert [s["start"] for s in response.get_json()["sessions"]] == [
        "2026-10-21T09:00:00+02:00",
        "2026-10-28T09:00:00+01:00",
    ]


def test_open_sessions_with_place_options(app, client, world, arendal):
    second = add_place(app, world.no.municipality_id, "Hisøy skole")
    response = generate(
        client,
        arendal,
        {
            "from": "2026-12-01T00:00:00+01:00",
            "to": "2026-12-15T00:00:00+01:00",
            "weekly": [{"weekday": 3, "start": "18:00", "end": "20:00"}],
            "options": [{"place_id": arendal["place_id"]}, {"place_id": second, "penalty": 5}],
            "optional": True,
        },
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()["sessions"]
    assert len(created) == 2
    first = created[0]
    assert first["start"] is None and first["place_id"] is None and first["optional"] is True
    assert first["options"] == [
        {
            "start": "2026-12-03T18:00:00+01:00",
            "end": "2026-12-03T20:00:00+01:00",
            "place_id": arendal["place_id"],
            "penalty": 0.0,
        },
        {
            "start": "2026-12-03T18:00:00+01:00",
            "end": "2026-12-03T20:00:00+01:00",
            "place_id": second,
            "penalty": 5.0,
        },
    ]
    listed = client.get(
        "/api/v1/sessions",
        query_string={"from": "2026-12-10T00:00:00+01:00", "to": "2026-12-11T00:00:00+01:00"},
        headers=auth(arendal["token"]),
    )
    assert [s["id"] for s in listed.get_json()] == [created[1]["id"]]


def test_an_empty_pattern_window_creates_nothing(client, arendal):
    response = generate(
        client,
        arendal,
        {
            "from": "2026-12-01T00:00:00+01:00",  # a Tuesday
            "to": "2026-12-02T00:00:00+01:00",
            "weekly": [{"weekday": 4, "start": "18:00", "end": "20:00"}],
        },
    )
    assert response.status_code == 201
    assert response.get_json() == {"sessions": [], "skipped": []}


def test_repeating_a_call_creates_no_duplicates(app, client, arendal):
    body = {**GOOD, "to": "2026-12-15T00:00:00+01:00"}  # Tuesdays 1 and 8 December
    first = generate(client, arendal, body)
    assert [s["start"] for s in first.get_json()["sessions"]] == [
        "2026-12-01T17:00:00+01:00",
        "2026-12-08T17:00:00+01:00",
    ]
    cancelled = client.patch(
        f"/api/v1/sessions/{first.get_json()['sessions'][1]['id']}",
        json={"status": "cancelled"},
        headers=auth(arendal["token"]),
    )
    assert cancelled.status_code == 200
    # a longer window adds only the new Tuesdays; the cancelled one stays cancelled
    again = generate(client, arendal, GOOD)
    assert again.status_code == 201
    assert [s["start"] for s in again.get_json()["sessions"]] == [
        "2026-12-15T17:00:00+01:00",
        "2026-12-22T17:00:00+01:00",
    ]
    assert session_count(app) == 4


# --- limits --------------------------------------------------------------------------

TWICE_DAILY = [
    {"weekday": day, "start": start, "end": end}
    for day in range(7)
    for start, end in (("10:00", "11:00"), ("14:00", "15:00"))
]


def test_exactly_the_limit_is_allowed_and_one_more_is_not(app, client, arendal):
    over = generate(
        client,
        arendal,
        {
            "from": "2027-01-04T00:00:00+01:00",
            "to": "2027-09-11T12:00:00+02:00",
            "weekly": TWICE_DAILY,
            "skip_holidays": False,  # every day counts toward the limit
        },
    )
    assert over.status_code == 422
    assert "501" in over.get_json()["errors"]["to"][0]
    assert session_count(app) == 0

    at_limit = generate(
        client,
        arendal,
        {
            "from": "2027-01-04T00:00:00+01:00",
            "to": "2027-09-11T00:00:00+02:00",
            "weekly": TWICE_DAILY,
            "skip_holidays": False,
        },
    )
    assert at_limit.status_code == 201
    assert len(at_limit.get_json()["sessions"]) == 500
    assert session_count(app) == 500


# --- bad input -------------------------------------------------------------------------

GOOD = {
    "from": "2026-12-01T00:00:00+01:00",
    "to": "2026-12-29T00:00:00+01:00",
    "weekly": [{"weekday": 1, "start": "17:00", "end": "19:00"}],
}
SLOT = GOOD["weekly"][0]


def bad_bodies(place_id: int, foreign_place: int) -> list[tuple[str, dict[str, Any], str]]:
    return [
        ("weekday 7", {"weekly": [{**SLOT, "weekday": 7}]}, "weekly.0.weekday"),
        ("weekday -1", {"weekly": [SLOT, {**SLOT, "weekday": -1}]}, "weekly.1.weekday"),
        ("weekday as text", {"weekly": [{**SLOT, "weekday": "tuesday"}]}, "weekly.0.weekday"),
        ("hour 25", {"weekly": [{**SLOT, "start": "25:00"}]}, "weekly.0.start"),
        ("not HH:MM", {"weekly": [{**SLOT, "end": "7pm"}]}, "weekly.0.end"),
        (
            "weekly end before start",
            {"weekly": [{**SLOT, "start": "19:00", "end": "17:00"}]},
            "weekly.0.end",
        ),
        ("unknown weekly field", {"weekly": [{**SLOT, "every": 2}]}, "weekly.0.every"),
        ("empty weekly", {"weekly": []}, "weekly"),
        ("from without offset", {"from": "2026-12-01T00:00:00"}, "from"),
        ("to without offset", {"to": "2026-12-29"}, "to"),
        (
            "to before from",
            {"from": "2026-12-29T00:00:00+01:00", "to": "2026-12-01T00:00:00+01:00"},
            "to",
        ),
        ("to equals from", {"to": GOOD["from"]}, "to"),
        ("window over a year", {"to": "2027-12-03T00:00:00+01:00"}, "to"),
        ("too many sessions", {"to": "2027-12-01T00:00:00+01:00", "weekly": TWICE_DAILY}, "to"),
        ("place of another municipality", {"place_id": foreign_place}, "place_id"),
        (
            "both place and options",
            {"place_id": place_id, "options": [{"place_id": place_id}]},
            "options",
        ),
        (
            "option place of another municipality",
            {"options": [{"place_id": place_id}, {"place_id": foreign_place}]},
            "options.1.place_id",
        ),
        (
            "negative penalty",
            {"options": [{"place_id": place_id, "penalty": -2}]},
            "options.0.penalty",
        ),
        ("empty options", {"options": []}, "options"),
        ("optional without options", {"optional": True}, "optional"),
        ("unknown field", {"colour": "red"}, "colour"),
        (
            "year 9999",
            {"from": "9999-12-30T00:00:00+00:00"},
            "from",
        ),
        ("place id beyond 32 bits", {"place_id": 2**40}, "place_id"),
    ]


def test_bad_input_is_422_naming_the_field_and_writes_nothing(app, client, world, arendal):
    before = session_count(app)
    for case, overrides, field in bad_bodies(arendal["place_id"], world.dk.place_ids[0]):
        response = generate(client, arendal, {**GOOD, **overrides})
        assert response.status_code == 422, (case, response.get_json())
        assert response.mimetype == "application/problem+json"
        assert sorted(response.get_json()["errors"]) == [field], (case, response.get_json())
        assert session_count(app) == before, case


@pytest.mark.parametrize("missing", ["from", "to", "weekly"])
def test_missing_fields_are_named(app, client, arendal, missing):
    body = {key: value for key, value in GOOD.items() if key != missing}
    response = generate(client, arendal, body)
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == [missing]
    assert session_count(app) == 0


def test_malformed_json_is_400(app, client, arendal):
    response = client.post(
        generate_url(arendal["activity_id"]),
        data='{"from": "2026-12-01T00:00:00+01:00", "weekly": [',
        content_type="application/json",
        headers=auth(arendal["token"]),
    )
    assert response.status_code == 400
    assert session_count(app) == 0


def test_a_failing_generate_writes_nothing(app, client, world, arendal):
    """The last of four Tuesdays clashes with a booking of the place: the
    three good ones before it must not be stored either."""
    place = add_place(
        app,
        world.no.municipality_id,
        "Kulturhuset",
        busy=[{"start": "2026-12-22T17:00:00+00:00", "end": "2026-12-22T17:30:00+00:00"}],
    )
    response = generate(client, arendal, {**GOOD, "place_id": place})
    assert response.status_code == 422
    message = response.get_json()["errors"]["place_id"][0]
    assert "busy" in message and "2026-12-22T17:00:00+01:00" in message
    assert session_count(app) == 0
    # a window that stops before the clash stores the other three
    ok = generate(client, arendal, {**GOOD, "to": "2026-12-22T00:00:00+01:00", "place_id": place})
    assert ok.status_code == 201
    assert session_count(app) == 3


# --- who may generate ---------------------------------------------------------------


def test_other_tenants_get_404_and_volunteers_403(app, client, world, make_token, arendal):
    second = world.no.centre_ids[1]
    for token in (
        world.no.coordinator_tokens[second],
        world.dk.coordinator_token,
        world.dk.municipality_token,
    ):
        response = client.post(generate_url(arendal["activity_id"]), json=GOOD, headers=auth(token))
        assert response.status_code == 404
    for missing in (999_999, 2**70):
        response = client.post(generate_url(missing), json=GOOD, headers=auth(arendal["token"]))
        assert response.status_code == 404
    with app.app_context():
        volunteer = Volunteer(centre_id=world.no.centre_id, name="Ahmed")
        db.session.add(volunteer)
        db.session.commit()
        volunteer_token = make_token("volunteer", volunteer_id=volunteer.id)
    response = client.post(
        generate_url(arendal["activity_id"]), json=GOOD, headers=auth(volunteer_token)
    )
    assert response.status_code == 403
    assert session_count(app) == 0
    # the municipality of the activity may
    allowed = client.post(
        generate_url(arendal["activity_id"]), json=GOOD, headers=auth(world.no.municipality_token)
    )
    assert allowed.status_code == 201
    assert len(allowed.get_json()["sessions"]) == 4
