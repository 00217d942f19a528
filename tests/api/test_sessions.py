"""/api/v1/sessions: fixed and open sessions, filters, cancelling, bad input,
tenant isolation."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Assignment, Session, Volunteer
from tests.api.conftest import add_place, auth, new_activity

URL = "/api/v1/sessions"


def fixed(
    activity_id: int, place_id: int | None, start: str, end: str, **extra: Any
) -> dict[str, Any]:
    return {"activity_id": activity_id, "start": start, "end": end, "place_id": place_id, **extra}


def post_session(client, token: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(URL, json=body, headers=auth(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored_sessions(app) -> list[dict[str, Any]]:
    """Every session row as plain values, to show that nothing changed."""
    with app.app_context():
        rows = db.session.scalars(select(Session).order_by(Session.id)).all()
        return [
            {
                "id": row.id,
                "activity_id": row.activity_id,
                "start": row.start,
                "end": row.end,
                "place_id": row.place_id,
                "options": row.options,
                "optional": row.optional,
                "status": row.status,
                "window": (row.window_start, row.window_end),
            }
            for row in rows
        ]


@pytest.fixture
def no_setup(client, world) -> dict[str, Any]:
    """An activity of Arendal's first centre and its token and place."""
    token = world.no.coordinator_token
    return {
        "token": token,
        "activity_id": new_activity(client, token, world.no.centre_id),
        "place_id": world.no.place_ids[0],
    }


# --- fixed and open sessions -----------------------------------------------------


def test_fixed_session_round_trip_in_local_time(app, client, world, no_setup):
    token, activity_id, place_id = no_setup["token"], no_setup["activity_id"], no_setup["place_id"]
    created = post_session(
        client,
        token,
        # given in UTC, shown in Arendal's zone
        fixed(activity_id, place_id, "2026-12-08T16:00:00Z", "2026-12-08T18:00:00+00:00"),
    )
    assert created["start"] == "2026-12-08T17:00:00+01:00"
    assert created["end"] == "2026-12-08T19:00:00+01:00"
    assert created["place_id"] == place_id
    assert created["options"] is None
    assert created["optional"] is False
    assert created["status"] == "planned"
    assert created["centre_id"] == world.no.centre_id
    with app.app_context():
        row = db.session.get(Session, created["id"])
        assert row.start == datetime(2026, 12, 8, 16, tzinfo=UTC)
        assert (row.window_start, row.window_end) == (row.start, row.end)

    fetched = client.get(f"{URL}/{created['id']}", headers=auth(token))
    assert fetched.get_json() == created

    summer = post_session(
        client, token, fixed(activity_id, None, "2027-06-01T15:00:00Z", "2027-06-01T17:00:00Z")
    )
    assert summer["start"] == "2027-06-01T17:00:00+02:00"
    assert summer["place_id"] is None


def test_danish_session_is_shown_in_copenhagen_time(client, world):
    token = world.dk.coordinator_token
    activity_id = new_activity(client, token, world.dk.centre_id, "Sprogcafé")
    created = post_session(
        client,
        token,
        fixed(
            activity_id,
            world.dk.place_ids[0],
            "2026-07-01T10:00:00-04:00",
            "2026-07-01T12:00:00-04:00",
        ),
    )
    assert created["start"] == "2026-07-01T16:00:00+02:00"


def test_open_session_with_options(app, client, world, no_setup):
    token, activity_id, place_id = no_setup["token"], no_setup["activity_id"], no_setup["place_id"]
    second_place = add_place(app, world.no.municipality_id, "Hisøy skole")
    created = post_session(
        client,
        token,
        {
            "activity_id": activity_id,
            "optional": True,
            "options": [
                {
                    "start": "2026-12-10T17:00:00+01:00",
                    "end": "2026-12-10T19:00:00+01:00",
                    "place_id": place_id,
                },
                {
                    "start": "2026-12-09T16:00:00Z",
                    "end": "2026-12-09T18:30:00Z",
                    "place_id": second_place,
                    "penalty": 5,
                },
            ],
        },
    )
    assert created["start"] is None and created["end"] is None and created["place_id"] is None
    assert created["optional"] is True
    assert created["options"] == [
        {
            "start": "2026-12-10T17:00:00+01:00",
            "end": "2026-12-10T19:00:00+01:00",
            "place_id": place_id,
            "penalty": 0.0,
        },
        {
            "start": "2026-12-09T17:00:00+01:00",
            "end": "2026-12-09T19:30:00+01:00",
            "place_id": second_place,
            "penalty": 5.0,
        },
    ]
    with app.app_context():
        row = db.session.get(Session, created["id"])
        # the window spans every option: earliest start, latest end
        assert row.window_start == datetime(2026, 12, 9, 16, tzinfo=UTC)
        assert row.window_end == datetime(2026, 12, 10, 18, tzinfo=UTC)


def test_patch_turns_fixed_into_open_and_back(app, client, no_setup):
    token, activity_id, place_id = no_setup["token"], no_setup["activity_id"], no_setup["place_id"]
    created = post_session(
        client,
        token,
        fixed(activity_id, place_id, "2026-12-08T17:00:00+01:00", "2026-12-08T19:00:00+01:00"),
    )
    path = f"{URL}/{created['id']}"
    opened = client.patch(
        path,
        json={
            "options": [
                {
                    "start": "2026-12-15T17:00:00+01:00",
                    "end": "2026-12-15T19:00:00+01:00",
                    "place_id": place_id,
                }
            ]
        },
        headers=auth(token),
    )
    assert opened.status_code == 200, opened.get_json()
    body = opened.get_json()
    assert body["start"] is None and body["place_id"] is None and len(body["options"]) == 1
    in_window = client.get(
        URL,
        query_string={"from": "2026-12-15T00:00:00+01:00", "to": "2026-12-16T00:00:00+01:00"},
        headers=auth(token),
    )
    assert [s["id"] for s in in_window.get_json()] == [created["id"]]

    assert client.patch(path, json={"optional": True}, headers=auth(token)).status_code == 200
    fixed_again = client.patch(
        path,
        json={"start": "2026-12-20T12:00:00+01:00", "end": "2026-12-20T13:00:00+01:00"},
        headers=auth(token),
    )
    assert fixed_again.status_code == 200, fixed_again.get_json()
    body = fixed_again.get_json()
    assert body["options"] is None
    assert body["optional"] is False
    assert body["start"] == "2026-12-20T12:00:00+01:00"
    with app.app_context():
        row = db.session.get(Session, created["id"])
        assert row.window_start == datetime(2026, 12, 20, 11, tzinfo=UTC)

    only_end = client.patch(path, json={"end": "2026-12-20T14:00:00+01:00"}, headers=auth(token))
    assert only_end.get_json()["end"] == "2026-12-20T14:00:00+01:00"
    assert only_end.get_json()["start"] == "2026-12-20T12:00:00+01:00"


def test_patching_a_scheduled_open_session_keeps_the_chosen_option(app, client, no_setup):
    token, activity_id, place_id = no_setup["token"], no_setup["activity_id"], no_setup["place_id"]
    created = post_session(
        client, token, {"activity_id": activity_id, "options": [{**OPTION, "place_id": place_id}]}
    )
    with app.app_context():  # what a match run writes when it picks the option
        row = db.session.get(Session, created["id"])
        row.start, row.end, row.place_id = row.window_start, row.window_end, place_id
        db.session.commit()
    path = f"{URL}/{created['id']}"
    response = client.patch(
        path, json={"status": "scheduled", "optional": True}, headers=auth(token)
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["start"], body["end"], body["place_id"]) == (START, END, place_id)
    assert body["options"] == [{"start": START, "end": END, "place_id": place_id, "penalty": 0.0}]
    assert body["optional"] is True and body["status"] == "scheduled"
    # an open session's places live in its options
    refused = client.patch(path, json={"place_id": place_id}, headers=auth(token))
    assert refused.status_code == 422
    assert sorted(refused.get_json()["errors"]) == ["place_id"]


# --- filters and pagination ---------------------------------------------------------


def test_filters_and_order(app, client, world, no_setup):
    token, activity_id, place_id = no_setup["token"], no_setup["activity_id"], no_setup["place_id"]
    other_activity = new_activity(client, token, world.no.centre_id, "Leksehjelp")
    other_place = add_place(app, world.no.municipality_id, "Kulturhuset")
    late = post_session(
        client,
        token,
        fixed(activity_id, place_id, "2026-12-15T17:00:00+01:00", "2026-12-15T19:00:00+01:00"),
    )
    early = post_session(
        client,
        token,
        fixed(
            other_activity, other_place, "2026-12-01T17:00:00+01:00", "2026-12-01T19:00:00+01:00"
        ),
    )
    middle = post_session(
        client,
        token,
        fixed(
            activity_id,
            place_id,
            "2026-12-08T17:00:00+01:00",
            "2026-12-08T19:00:00+01:00",
            status="scheduled",
        ),
    )
    open_one = post_session(
        client,
        token,
        {
            "activity_id": other_activity,
            "options": [
                {"start": "2026-12-03T10:00:00+01:00", "end": "2026-12-03T12:00:00+01:00"},
                {"start": "2026-12-20T10:00:00+01:00", "end": "2026-12-20T12:00:00+01:00"},
            ],
        },
    )

    def ids(**query: Any) -> list[int]:
        response = client.get(URL, query_string=query, headers=auth(token))
        assert response.status_code == 200, response.get_json()
        return [item["id"] for item in response.get_json()]

    assert ids() == [early["id"], open_one["id"], middle["id"], late["id"]]
    assert ids(activity_id=activity_id) == [middle["id"], late["id"]]
    assert ids(place_id=other_place) == [early["id"]]
    assert ids(status="scheduled") == [middle["id"]]
    assert ids(centre_id=world.no.centre_id) == [
        early["id"],
        open_one["id"],
        middle["id"],
        late["id"],
    ]
    # overlap with [from, to): a session ending exactly at `from` is out, one
    # starting exactly at `to` is out; the open session's window spans 3-20 Dec
    assert ids(**{"from": "2026-12-08T19:00:00+01:00", "to": "2026-12-15T17:00:00+01:00"}) == [
        open_one["id"]
    ]
    assert ids(**{"from": "2026-12-08T18:59:00+01:00", "to": "2026-12-15T17:01:00+01:00"}) == [
        open_one["id"],
        middle["id"],
        late["id"],
    ]
    assert ids(**{"to": "2026-12-02T00:00:00+01:00"}) == [early["id"]]


def test_bad_filters_are_422(client, no_setup):
    token = no_setup["token"]
    for query, field in (
        ({"from": "2026-12-08T19:00:00"}, "from"),
        ({"status": "done"}, "status"),
        ({"activity_id": "x"}, "activity_id"),
    ):
        response = client.get(URL, query_string=query, headers=auth(token))
        assert response.status_code == 422
        assert sorted(response.get_json()["errors"]) == [field]


def test_pagination(client, no_setup):
    token, activity_id = no_setup["token"], no_setup["activity_id"]
    ids = [
        post_session(
            client,
            token,
            fixed(
                activity_id,
                None,
                f"2026-12-{day:02d}T17:00:00+01:00",
                f"2026-12-{day:02d}T18:00:00+01:00",
            ),
        )["id"]
        for day in (5, 4, 3)
    ]
    first = client.get(URL, query_string={"page_size": 2}, headers=auth(token))
    second = client.get(URL, query_string={"page_size": 2, "page": 2}, headers=auth(token))
    assert json.loads(first.headers["X-Pagination"])["total"] == 3
    assert [s["id"] for s in first.get_json() + second.get_json()] == list(reversed(ids))


# --- cancelling and deleting ---------------------------------------------------------


def _assignments(app, session_id: int, statuses: list[str], centre_id: int) -> list[int]:
    with app.app_context():
        ids = []
        for n, status in enumerate(statuses):
            volunteer = Volunteer(centre_id=centre_id, name=f"V{n}")
            db.session.add(volunteer)
            db.session.flush()
            assignment = Assignment(
                volunteer_id=volunteer.id, session_id=session_id, role="host", status=status
            )
            db.session.add(assignment)
            db.session.flush()
            ids.append(assignment.id)
        db.session.commit()
        return ids


def _statuses(app, ids: list[int]) -> list[str]:
    with app.app_context():
        return [db.session.get(Assignment, i).status for i in ids]


def test_cancelling_a_session_cancels_its_live_assignments(app, client, world, no_setup):
    token, activity_id = no_setup["token"], no_setup["activity_id"]
    session = post_session(
        client,
        token,
        fixed(activity_id, None, "2026-12-08T17:00:00+01:00", "2026-12-08T19:00:00+01:00"),
    )
    other = post_session(
        client,
        token,
        fixed(activity_id, None, "2026-12-09T17:00:00+01:00", "2026-12-09T19:00:00+01:00"),
    )
    ids = _assignments(
        app, session["id"], ["proposed", "confirmed", "declined"], world.no.centre_id
    )
    untouched = _assignments(app, other["id"], ["proposed", "confirmed"], world.no.centre_id)

    response = client.patch(
        f"{URL}/{session['id']}", json={"status": "cancelled"}, headers=auth(token)
    )
    assert response.status_code == 200
    assert response.get_json()["status"] == "cancelled"
    assert _statuses(app, ids) == ["cancelled", "cancelled", "declined"]
    assert _statuses(app, untouched) == ["proposed", "confirmed"]


def test_a_rejected_cancel_changes_no_assignment(app, client, world, no_setup):
    token, activity_id = no_setup["token"], no_setup["activity_id"]
    session = post_session(
        client,
        token,
        fixed(activity_id, None, "2026-12-08T17:00:00+01:00", "2026-12-08T19:00:00+01:00"),
    )
    ids = _assignments(app, session["id"], ["confirmed"], world.no.centre_id)
    response = client.patch(
        f"{URL}/{session['id']}",
        json={"status": "cancelled", "end": "2026-12-08T16:00:00+01:00"},
        headers=auth(token),
    )
    assert response.status_code == 422
    assert _statuses(app, ids) == ["confirmed"]
    assert (
        client.get(f"{URL}/{session['id']}", headers=auth(token)).get_json()["status"] == "planned"
    )


def test_delete(app, client, world, no_setup):
    token, activity_id = no_setup["token"], no_setup["activity_id"]
    free = post_session(
        client,
        token,
        fixed(activity_id, None, "2026-12-08T17:00:00+01:00", "2026-12-08T19:00:00+01:00"),
    )
    staffed = post_session(
        client,
        token,
        fixed(activity_id, None, "2026-12-09T17:00:00+01:00", "2026-12-09T19:00:00+01:00"),
    )
    _assignments(app, staffed["id"], ["declined"], world.no.centre_id)
    assert client.delete(f"{URL}/{free['id']}", headers=auth(token)).status_code == 204
    assert client.get(f"{URL}/{free['id']}", headers=auth(token)).status_code == 404
    refused = client.delete(f"{URL}/{staffed['id']}", headers=auth(token))
    assert refused.status_code == 409
    assert "1 assignment" in refused.get_json()["detail"]
    assert client.get(f"{URL}/{staffed['id']}", headers=auth(token)).status_code == 200


# --- bad input ---------------------------------------------------------------------

START, END = "2026-12-08T17:00:00+01:00", "2026-12-08T19:00:00+01:00"
OPTION = {"start": START, "end": END}


def bad_bodies(
    world, activity_id: int, place_id: int, foreign_place: int
) -> list[tuple[str, dict[str, Any], str | tuple[str, ...]]]:
    return [
        ("time without offset", fixed(activity_id, place_id, "2026-12-08T17:00:00", END), "start"),
        ("not a time", fixed(activity_id, place_id, "next tuesday", END), "start"),
        ("end before start", fixed(activity_id, place_id, END, START), "end"),
        ("end equals start", fixed(activity_id, place_id, START, START), "end"),
        ("start without end", {"activity_id": activity_id, "start": START}, "end"),
        (
            "both start and options",
            {**fixed(activity_id, None, START, END), "options": [OPTION]},
            "options",
        ),
        (
            "neither start nor options",
            {"activity_id": activity_id, "place_id": place_id},
            ("options", "start"),
        ),
        ("empty options", {"activity_id": activity_id, "options": []}, "options"),
        (
            "option end before start",
            {"activity_id": activity_id, "options": [OPTION, {"start": END, "end": START}]},
            "options.1.end",
        ),
        (
            "option without offset",
            {"activity_id": activity_id, "options": [{"start": "2026-12-08T17:00:00", "end": END}]},
            "options.0.start",
        ),
        (
            "negative penalty",
            {"activity_id": activity_id, "options": [{**OPTION, "penalty": -1}]},
            "options.0.penalty",
        ),
        (
            "unknown option field",
            {"activity_id": activity_id, "options": [{**OPTION, "room": 3}]},
            "options.0.room",
        ),
        ("optional fixed session", fixed(activity_id, None, START, END, optional=True), "optional"),
        ("unknown field", fixed(activity_id, None, START, END, colour="red"), "colour"),
        ("unknown status", fixed(activity_id, None, START, END, status="done"), "status"),
        (
            "place of another municipality",
            fixed(activity_id, foreign_place, START, END),
            "place_id",
        ),
        ("no such place", fixed(activity_id, 999_999, START, END), "place_id"),
        (
            "option place of another municipality",
            {
                "activity_id": activity_id,
                "options": [
                    {**OPTION, "place_id": place_id},
                    {**OPTION, "place_id": foreign_place},
                ],
            },
            "options.1.place_id",
        ),
        ("activity as text", fixed("one", None, START, END), "activity_id"),
        ("place id beyond 32 bits", fixed(activity_id, 2**40, START, END), "place_id"),
        ("year 9999", fixed(activity_id, None, START, "9999-12-31T23:30:00+00:00"), "end"),
        (
            "start null, no options",
            {"activity_id": activity_id, "start": None, "end": END},
            "start",
        ),
        ("missing activity", {"start": START, "end": END}, "activity_id"),
    ]


def test_bad_create_is_422_naming_the_field_and_stores_nothing(app, client, world, no_setup):
    token, activity_id, place_id = no_setup["token"], no_setup["activity_id"], no_setup["place_id"]
    post_session(client, token, fixed(activity_id, place_id, START, END))
    before = stored_sessions(app)
    for case, body, field in bad_bodies(world, activity_id, place_id, world.dk.place_ids[0]):
        response = client.post(URL, json=body, headers=auth(token))
        assert response.status_code == 422, case
        assert response.mimetype == "application/problem+json"
        expected = [field] if isinstance(field, str) else sorted(field)
        assert sorted(response.get_json()["errors"]) == expected, (case, response.get_json())
        assert stored_sessions(app) == before, case


def test_bad_patch_is_422_and_changes_nothing(app, client, world, no_setup):
    token, activity_id, place_id = no_setup["token"], no_setup["activity_id"], no_setup["place_id"]
    session = post_session(client, token, fixed(activity_id, place_id, START, END))
    path = f"{URL}/{session['id']}"
    before = stored_sessions(app)
    for patch, field in (
        ({"end": "2026-12-08T16:00:00+01:00"}, "end"),
        ({"start": "2026-12-08T20:00:00+01:00"}, "end"),  # now after the kept end
        ({"start": "2026-12-08T17:00:00"}, "start"),
        ({"start": START, "options": [OPTION]}, "options"),
        ({"place_id": world.dk.place_ids[0]}, "place_id"),
        (
            {"activity_id": new_activity(client, world.dk.coordinator_token, world.dk.centre_id)},
            "activity_id",
        ),
        ({"optional": True}, "optional"),
        ({"status": "gone"}, "status"),
        ({"colour": "red"}, "colour"),
        ({"options": [{**OPTION, "place_id": world.dk.place_ids[0]}]}, "options.0.place_id"),
    ):
        response = client.patch(path, json={**patch}, headers=auth(token))
        assert response.status_code == 422, patch
        assert sorted(response.get_json()["errors"]) == [field], (patch, response.get_json())
        assert stored_sessions(app) == before, patch


def test_malformed_json_is_400(app, client, no_setup):
    response = client.post(
        URL,
        data="{'activity_id': 1}",
        content_type="application/json",
        headers=auth(no_setup["token"]),
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert stored_sessions(app) == []


def test_null_times_with_options_make_an_open_session(client, no_setup):
    """Clients that send every field: start/end/options null count as not given."""
    body = {"activity_id": no_setup["activity_id"], "start": None, "end": None, "options": [OPTION]}
    created = post_session(client, no_setup["token"], body)
    assert created["start"] is None
    assert created["options"][0]["start"] == START


def test_huge_session_id_is_404(client, no_setup):
    path = f"{URL}/{2**70}"
    assert client.get(path, headers=auth(no_setup["token"])).status_code == 404
    assert (
        client.patch(
            path, json={"status": "cancelled"}, headers=auth(no_setup["token"])
        ).status_code
        == 404
    )


def test_busy_place_is_422(app, client, world, no_setup):
    token, activity_id = no_setup["token"], no_setup["activity_id"]
    busy_place = add_place(
        app,
        world.no.municipality_id,
        "Gymsal",
        busy=[{"start": "2026-12-08T17:30:00+00:00", "end": "2026-12-08T20:00:00+00:00"}],
    )
    response = client.post(
        URL, json=fixed(activity_id, busy_place, START, END), headers=auth(token)
    )
    assert response.status_code == 422
    assert response.get_json()["errors"] == {
        "place_id": ["the place is busy from 2026-12-08T18:30:00+01:00 to 2026-12-08T21:00:00+01:00"]
    }
    assert stored_sessions(app) == []
    # the hour before the booking is free
    post_session(
        client,
        token,
        fixed(activity_id, busy_place, "2026-12-08T17:30:00+01:00", "2026-12-08T18:30:00+01:00"),
    )


# --- tenant isolation ------------------------------------------------------------------


def test_coordinator_gets_404_for_another_centres_sessions(app, client, world):
    first, second = world.no.centre_ids
    own_token, other_token = world.no.coordinator_tokens[first], world.no.coordinator_tokens[second]
    own_activity = new_activity(client, own_token, first)
    other_activity = new_activity(client, other_token, second)
    other = post_session(client, other_token, fixed(other_activity, None, START, END))
    dk_activity = new_activity(client, world.dk.coordinator_token, world.dk.centre_id)
    foreign = post_session(client, world.dk.coordinator_token, fixed(dk_activity, None, START, END))
    before = stored_sessions(app)

    for session in (other, foreign):
        path = f"{URL}/{session['id']}"
        assert client.get(path, headers=auth(own_token)).status_code == 404
        assert (
            client.patch(path, json={"status": "cancelled"}, headers=auth(own_token)).status_code
            == 404
        )
        assert client.delete(path, headers=auth(own_token)).status_code == 404
    assert client.get(URL, headers=auth(own_token)).get_json() == []
    for query in (
        {"centre_id": second},
        {"activity_id": other_activity},
        {"place_id": world.dk.place_ids[0]},
    ):
        assert client.get(URL, query_string=query, headers=auth(own_token)).status_code == 404, (
            query
        )
    # an activity id in a body
    created = client.post(
        URL, json=fixed(other_activity, None, START, END), headers=auth(own_token)
    )
    assert created.status_code == 422
    assert created.get_json()["errors"] == {"activity_id": ["no such activity"]}
    own = post_session(client, own_token, fixed(own_activity, None, START, END))
    moved = client.patch(
        f"{URL}/{own['id']}", json={"activity_id": dk_activity}, headers=auth(own_token)
    )
    assert moved.status_code == 422
    assert sorted(moved.get_json()["errors"]) == ["activity_id"]
    assert stored_sessions(app)[: len(before)] == before


def test_volunteer_reads_its_centres_sessions_but_cannot_change_them(
    app, client, world, make_token
):
    first, second = world.no.centre_ids
    own_activity = new_activity(client, world.no.coordinator_tokens[first], first)
    other_activity = new_activity(client, world.no.coordinator_tokens[second], second)
    own = post_session(
        client, world.no.coordinator_tokens[first], fixed(own_activity, None, START, END)
    )
    other = post_session(
        client, world.no.coordinator_tokens[second], fixed(other_activity, None, START, END)
    )
    with app.app_context():
        volunteer = Volunteer(centre_id=first, name="Olena")
        db.session.add(volunteer)
        db.session.commit()
        token = make_token("volunteer", volunteer_id=volunteer.id)
    before = stored_sessions(app)

    assert [s["id"] for s in client.get(URL, headers=auth(token)).get_json()] == [own["id"]]
    assert client.get(f"{URL}/{other['id']}", headers=auth(token)).status_code == 404
    assert (
        client.patch(
            f"{URL}/{own['id']}", json={"status": "cancelled"}, headers=auth(token)
        ).status_code
        == 403
    )
    assert client.delete(f"{URL}/{own['id']}", headers=auth(token)).status_code == 403
    assert (
        client.post(
            URL, json=fixed(own_activity, None, START, END), headers=auth(token)
        ).status_code
        == 403
    )
    assert stored_sessions(app) == before
