"""/api/v1/volunteers: CRUD, filters, bad input, tenant isolation, GDPR erasure."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from medsam_match.extensions import db
from medsam_match.models import Activity, ApiToken, Assignment, MatchRun, Session, Volunteer
from tests.api.conftest import ascii_json, assert_problem
from tests.conftest import World, auth

URL = "/api/v1/volunteers"
JSON = "application/json"


def full_body(centre_id: int, **overrides: Any) -> dict[str, Any]:
    body = {
        "centre_id": centre_id,
        "name": "Kari Nordmann",
        "email": "kari@example.no",
        "phone": "+47 912 34 567",
        "lat": 58.46,
        "lon": 8.77,
        "max_travel_km": 12.5,
        "skills": ["driver", "first_aid"],
        "languages": ["nb", "ar"],
        "interests": ["walking", "seniors"],
        "certificates": [{"kind": "police", "valid_until": "2027-06-30"}],
        "max_hours_per_week": 6,
        "max_sessions_per_week": 2,
        "preferred_activity_ids": [],
        "weekly_availability": [
            {"weekday": 1, "start": "17:00", "end": "19:00"},
            {"weekday": 5, "start": "10:00", "end": "14:00"},
        ],
        "unavailable": [
            {"start": "2026-12-21T00:00:00+01:00", "end": "2027-01-04T00:00:00+01:00"}
        ],
        "active": True,
    }
    body.update(overrides)
    return body


def create(client: Any, token: str, centre_id: int, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=full_body(centre_id, **overrides), headers=auth(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def list_ids(client: Any, token: str, query: str = "") -> list[int]:
    response = client.get(f"{URL}?page_size=500{query}", headers=auth(token))
    assert response.status_code == 200, response.get_json()
    return [v["id"] for v in response.get_json()]


def stored(app: Any, volunteer_id: int) -> dict[str, Any]:
    """The row as the database holds it, columns only."""
    with app.app_context():
        row = db.session.get(Volunteer, volunteer_id)
        return {c.name: getattr(row, c.name) for c in Volunteer.__table__.columns}




# --- create, read, update ---------------------------------------------------


def test_created_volunteer_reads_back_with_every_field(client, world: World) -> None:
    token = world.no.coordinator_token
    created = create(client, token, world.no.centre_id)

    fetched = client.get(f"{URL}/{created['id']}", headers=auth(token))
    assert fetched.status_code == 200
    volunteer = fetched.get_json()
    assert volunteer == created
    expected = full_body(world.no.centre_id)
    for name in expected:
        if name not in ("unavailable", "phone"):
            assert volunteer[name] == expected[name], name
    assert volunteer["phone"] == "+4791234567"  # stored in E.164
    # Times come back in the municipality's zone (Oslo, winter: +01:00).
    assert volunteer["unavailable"] == [
        {"start": "2026-12-21T00:00:00+01:00", "end": "2027-01-04T00:00:00+01:00"}
    ]
    assert volunteer["erased_at"] is None


def test_times_are_shown_in_the_danish_zone_for_a_danish_volunteer(client, world: World) -> None:
    created = create(
        client,
        world.dk.coordinator_token,
        world.dk.centre_id,
        unavailable=[{"start": "2027-07-01T08:00:00Z", "end": "2027-07-01T10:00:00Z"}],
    )
    assert created["unavailable"] == [
        {"start": "2027-07-01T10:00:00+02:00", "end": "2027-07-01T12:00:00+02:00"}
    ]


def test_a_minimal_volunteer_gets_the_documented_defaults(client, world: World) -> None:
    response = client.post(
        URL,
        json={"centre_id": world.no.centre_id, "name": "Ola"},
        headers=auth(world.no.coordinator_token),
    )
    assert response.status_code == 201
    volunteer = response.get_json()
    assert volunteer["active"] is True
    for name in ("skills", "languages", "interests", "certificates", "preferred_activity_ids",
                 "weekly_availability", "unavailable"):
        assert volunteer[name] == [], name
    for name in ("email", "phone", "lat", "lon", "max_travel_km", "max_hours_per_week",
                 "max_sessions_per_week"):
        assert volunteer[name] is None, name


def test_patch_changes_only_the_fields_given(client, app, world: World) -> None:
    token = world.no.coordinator_token
    created = create(client, token, world.no.centre_id)
    before = stored(app, created["id"])

    response = client.patch(
        f"{URL}/{created['id']}",
        json={"name": "Kari N.", "skills": ["cooking"], "weekly_availability": []},
        headers=auth(token),
    )
    assert response.status_code == 200, response.get_json()
    after = stored(app, created["id"])
    assert after["name"] == "Kari N."
    assert after["skills"] == ["cooking"]  # a list given replaces the stored one
    assert after["weekly_availability"] == []
    assert after["version"] == before["version"] + 1  # one change, counted once
    assert response.headers["ETag"] == f'"{after["version"]}"'
    unchanged = set(before) - {"name", "skills", "weekly_availability", "updated_at", "version"}
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}


def test_patch_can_clear_the_location_as_a_pair_only(client, app, world: World) -> None:
    token = world.no.coordinator_token
    created = create(client, token, world.no.centre_id)
    half = client.patch(f"{URL}/{created['id']}", json={"lat": None}, headers=auth(token))
    assert assert_problem(half, 422)["errors"] == {
        "lat": ["lat and lon go together: give both or neither"]
    }
    both = client.patch(f"{URL}/{created['id']}", json={"lat": None, "lon": None}, headers=auth(token))
    assert both.status_code == 200
    assert (stored(app, created["id"])["lat"], stored(app, created["id"])["lon"]) == (None, None)


def test_a_coordinator_moves_a_volunteer_only_to_a_centre_it_may_write(
    client, world: World, make_token
) -> None:
    municipality = world.no.municipality_token
    first, second = world.no.centre_ids
    created = create(client, municipality, first)
    moved = client.patch(f"{URL}/{created['id']}", json={"centre_id": second}, headers=auth(municipality))
    assert moved.status_code == 200
    assert moved.get_json()["centre_id"] == second

    coordinator = world.no.coordinator_tokens[second]
    away = client.patch(
        f"{URL}/{created['id']}", json={"centre_id": world.dk.centre_id}, headers=auth(coordinator)
    )
    assert assert_problem(away, 422)["errors"] == {"centre_id": ["no such centre"]}


def test_preferred_activities_must_be_of_the_volunteers_centre(client, app, world: World) -> None:
    with app.app_context():
        own = Activity(centre_id=world.no.centre_id, title="Språkkafé", roles=[])
        other = Activity(centre_id=world.dk.centre_id, title="Sprogcafé", roles=[])
        db.session.add_all([own, other])
        db.session.commit()
        own_id, other_id = own.id, other.id
    token = world.no.coordinator_token

    created = create(client, token, world.no.centre_id, preferred_activity_ids=[own_id])
    assert created["preferred_activity_ids"] == [own_id]

    refused = client.post(
        URL,
        json=full_body(world.no.centre_id, preferred_activity_ids=[own_id, other_id, 999999]),
        headers=auth(token),
    )
    assert assert_problem(refused, 422)["errors"] == {
        "preferred_activity_ids.1": ["no such activity in the volunteer's centre"],
        "preferred_activity_ids.2": ["no such activity in the volunteer's centre"],
    }


# --- lists ------------------------------------------------------------------


def test_lists_are_paginated_with_a_header(client, world: World) -> None:
    token = world.no.coordinator_token
    ids = [create(client, token, world.no.centre_id, name=f"V{i}")["id"] for i in range(5)]

    first = client.get(f"{URL}?page=1&page_size=2", headers=auth(token))
    assert first.status_code == 200
    assert [v["id"] for v in first.get_json()] == ids[:2]
    header = json.loads(first.headers["X-Pagination"])
    assert header["total"] == 5 and header["total_pages"] == 3 and header["page"] == 1

    last = client.get(f"{URL}?page=3&page_size=2", headers=auth(token))
    assert [v["id"] for v in last.get_json()] == ids[4:]

    too_big = client.get(f"{URL}?page_size=501", headers=auth(token))
    assert "page_size" in assert_problem(too_big, 422)["errors"]


def test_list_filters(client, world: World) -> None:
    token = world.no.municipality_token
    first, second = world.no.centre_ids
    kari = create(client, token, first, name="Kari Nordmann", skills=["driver"],
                  languages=["ar"], interests=["walking"])["id"]
    amina = create(client, token, first, name="Amina Yusuf", skills=["cooking"],
                   languages=["so", "nb"], interests=["homework"], active=False)["id"]
    ola = create(client, token, second, name="Ola Karisen", skills=["driver", "cooking"],
                 languages=["nb"], interests=["walking"])["id"]

    assert list_ids(client, token) == [kari, amina, ola]
    assert list_ids(client, token, f"&centre_id={first}") == [kari, amina]
    assert list_ids(client, token, "&skill=driver") == [kari, ola]
    assert list_ids(client, token, "&skill=driv") == []  # a tag matches whole
    assert list_ids(client, token, "&language=nb") == [amina, ola]
    assert list_ids(client, token, "&interest=walking&skill=cooking") == [ola]
    assert list_ids(client, token, "&active=false") == [amina]
    assert list_ids(client, token, "&active=true") == [kari, ola]
    assert list_ids(client, token, "&q=kari") == [kari, ola]  # any case, part of the name
    assert list_ids(client, token, "&q=100%25") == []  # % is a character, not a wildcard
    assert list_ids(client, token, "&q=_") == []


def test_name_search_folds_norwegian_and_danish_letters(client, world: World) -> None:
    token = world.no.coordinator_token
    oystein = create(client, token, world.no.centre_id, name="Øystein Ærø")["id"]
    create(client, token, world.no.centre_id, name="Ola")
    assert list_ids(client, token, "&q=øYST") == [oystein]
    assert list_ids(client, token, "&q=ÆRØ") == [oystein]


def test_list_filter_of_the_wrong_type_is_422(client, world: World) -> None:
    response = client.get(f"{URL}?centre_id=abc", headers=auth(world.admin_token))
    assert "centre_id" in assert_problem(response, 422)["errors"]


# --- bad input --------------------------------------------------------------

BAD_FIELDS = [
    ({"weekly_availability": [{"weekday": 7, "start": "17:00", "end": "19:00"}]},
     "weekly_availability.0.weekday"),
    ({"weekly_availability": [{"weekday": 1, "start": "25:00", "end": "26:00"}]},
     "weekly_availability.0.start"),
    ({"weekly_availability": [{"weekday": 1, "start": "17:00", "end": "7pm"}]},
     "weekly_availability.0.end"),
    ({"weekly_availability": [{"weekday": 1, "start": "17:00", "end": "17:00"}]},
     "weekly_availability.0.end"),
    ({"weekly_availability": [{"weekday": 1, "start": "17:00"}]}, "weekly_availability.0.end"),
    ({"weekly_availability": [{"weekday": "1", "start": "17:00", "end": "19:00"}]},
     "weekly_availability.0.weekday"),
    ({"weekly_availability": [{"weekday": 1, "start": "17:00", "end": "19:00", "x": 1}]},
     "weekly_availability.0.x"),
    ({"unavailable": [{"start": "2026-12-21T00:00:00", "end": "2026-12-22T00:00:00+01:00"}]},
     "unavailable.0.start"),
    ({"unavailable": [{"start": "2026-12-22T00:00:00Z", "end": "2026-12-21T00:00:00Z"}]},
     "unavailable.0.end"),
    ({"unavailable": [{"start": "2026-12-22T00:00:00Z", "end": "2026-12-22T00:00:00Z"}]},
     "unavailable.0.end"),
    ({"unavailable": [{"start": "soon", "end": "2026-12-22T00:00:00Z"}]}, "unavailable.0.start"),
    ({"max_travel_km": -1}, "max_travel_km"),
    ({"lat": 91}, "lat"),
    ({"lon": -180.5}, "lon"),
    ({"lat": "58.4"}, "lat"),
    ({"lat": None}, "lat"),  # lon given without lat
    ({"nickname": "Kari"}, "nickname"),
    ({"name": 42}, "name"),
    ({"name": ""}, "name"),
    ({"centre_id": "1"}, "centre_id"),
    ({"centre_id": 1.5}, "centre_id"),
    ({"skills": "driver"}, "skills"),
    ({"skills": ["driver", 3]}, "skills.1"),
    ({"active": "yes"}, "active"),
    ({"active": 1}, "active"),
    ({"max_hours_per_week": -2}, "max_hours_per_week"),
    ({"max_sessions_per_week": 1.5}, "max_sessions_per_week"),
    ({"preferred_activity_ids": ["a"]}, "preferred_activity_ids.0"),
    ({"email": "not-an-address"}, "email"),
    ({"phone": "call me"}, "phone"),
    ({"certificates": [{"kind": "police", "valid_until": "2027-02-30"}]},
     "certificates.0.valid_until"),
    ({"certificates": [{"kind": "police", "valid_until": "next year"}]},
     "certificates.0.valid_until"),
    ({"certificates": [{"valid_until": "2027-01-01"}]}, "certificates.0.kind"),
    # What a database could not store or compare must not reach it.
    ({"name": "Kari\x00"}, "name"),
    ({"skills": ["driver\x00"]}, "skills.0"),
    ({"name": "Kari\ud800"}, "name"),
    ({"email": "kari\udfff@example.no"}, "email"),
    ({"interests": ["walking\ud83d"]}, "interests.0"),
    ({"centre_id": 10**20}, "centre_id"),
    ({"preferred_activity_ids": [2**31]}, "preferred_activity_ids.0"),
    ({"unavailable": [{"start": "0001-01-01T00:00:00+14:00", "end": "2026-12-22T00:00:00Z"}]},
     "unavailable.0.start"),
]


@pytest.mark.parametrize(("change", "field"), BAD_FIELDS, ids=[f for _, f in BAD_FIELDS])
def test_bad_field_on_create_is_422_naming_it_and_stores_nothing(
    client, world: World, change: dict[str, Any], field: str
) -> None:
    token = world.no.coordinator_token
    body = {**full_body(world.no.centre_id), **change}
    response = client.post(URL, data=ascii_json(body), content_type=JSON, headers=auth(token))
    problem = assert_problem(response, 422)
    assert field in problem["errors"], problem
    assert all(isinstance(m, str) for m in problem["errors"][field])
    assert list_ids(client, world.admin_token) == []


def test_missing_required_fields_are_each_named(client, world: World) -> None:
    response = client.post(URL, json={}, headers=auth(world.no.coordinator_token))
    errors = assert_problem(response, 422)["errors"]
    assert set(errors) == {"centre_id", "name"}


def test_an_offset_message_says_how_to_write_the_time(client, world: World) -> None:
    body = full_body(
        world.no.centre_id,
        unavailable=[{"start": "2026-12-21T00:00:00", "end": "2026-12-22T00:00:00+01:00"}],
    )
    response = client.post(URL, json=body, headers=auth(world.no.coordinator_token))
    assert assert_problem(response, 422)["errors"]["unavailable.0.start"] == [
        "time needs a UTC offset, e.g. 2026-12-08T17:00:00+01:00"
    ]


@pytest.mark.parametrize(("change", "field"), BAD_FIELDS, ids=[f for _, f in BAD_FIELDS])
def test_rejected_patch_changes_nothing(
    client, app, world: World, change: dict[str, Any], field: str
) -> None:
    token = world.no.coordinator_token
    created = create(client, token, world.no.centre_id)
    before = stored(app, created["id"])
    response = client.patch(
        f"{URL}/{created['id']}",
        data=ascii_json({"name": "Changed", **change}),
        content_type=JSON,
        headers=auth(token),
    )
    assert field in assert_problem(response, 422)["errors"]
    assert stored(app, created["id"]) == before


def test_patch_with_a_foreign_preferred_activity_changes_nothing(client, app, world: World) -> None:
    with app.app_context():
        other = Activity(centre_id=world.dk.centre_id, title="Sprogcafé", roles=[])
        db.session.add(other)
        db.session.commit()
        other_id = other.id
    token = world.no.coordinator_token
    created = create(client, token, world.no.centre_id)
    before = stored(app, created["id"])
    response = client.patch(
        f"{URL}/{created['id']}",
        json={"name": "Changed", "preferred_activity_ids": [other_id]},
        headers=auth(token),
    )
    assert "preferred_activity_ids.0" in assert_problem(response, 422)["errors"]
    assert stored(app, created["id"]) == before


@pytest.mark.parametrize("method", ["post", "patch"])
def test_malformed_json_is_400(client, world: World, method: str) -> None:
    token = world.no.coordinator_token
    created = create(client, token, world.no.centre_id)
    url = URL if method == "post" else f"{URL}/{created['id']}"
    response = getattr(client, method)(
        url, data='{"name": "Kari",', content_type="application/json", headers=auth(token)
    )
    assert_problem(response, 400)
    assert list_ids(client, token) == [created["id"]]


def test_a_body_that_is_not_an_object_is_refused(client, world: World) -> None:
    response = client.post(URL, json=["Kari"], headers=auth(world.no.coordinator_token))
    assert_problem(response, 422)


@pytest.mark.parametrize("volunteer_id", [2**31, 10**20])
def test_an_id_too_large_for_the_database_is_404(client, world: World, volunteer_id: int) -> None:
    headers = auth(world.admin_token)
    assert_problem(client.get(f"{URL}/{volunteer_id}", headers=headers), 404)
    assert_problem(client.get(f"{URL}/{volunteer_id}/assignments", headers=headers), 404)
    assert_problem(client.patch(f"{URL}/{volunteer_id}", json={"name": "X"}, headers=headers), 404)
    assert_problem(client.delete(f"{URL}/{volunteer_id}", headers=headers), 404)


def test_without_a_token_is_401(client, world: World) -> None:
    assert_problem(client.get(URL), 401)
    assert_problem(client.get(URL, headers=auth("msm_not-a-token")), 401)


# --- tenant isolation -------------------------------------------------------


def test_a_coordinator_cannot_reach_another_centres_volunteer(client, app, world: World) -> None:
    first, second = world.no.centre_ids
    theirs = create(client, world.no.coordinator_tokens[first], first)
    before = stored(app, theirs["id"])
    outsiders = [world.no.coordinator_tokens[second], world.dk.coordinator_token,
                 world.dk.municipality_token]
    for token in outsiders:
        headers = auth(token)
        assert_problem(client.get(f"{URL}/{theirs['id']}", headers=headers), 404)
        assert_problem(
            client.patch(f"{URL}/{theirs['id']}", json={"name": "X"}, headers=headers), 404
        )
        assert_problem(client.delete(f"{URL}/{theirs['id']}", headers=headers), 404)
        assert_problem(client.get(f"{URL}/{theirs['id']}/assignments", headers=headers), 404)
        assert_problem(client.get(f"{URL}?centre_id={first}", headers=headers), 404)
        assert theirs["id"] not in list_ids(client, token)
        posted = client.post(URL, json=full_body(first), headers=headers)
        assert assert_problem(posted, 422)["errors"] == {"centre_id": ["no such centre"]}
    assert stored(app, theirs["id"]) == before
    assert list_ids(client, world.admin_token) == [theirs["id"]]


def test_a_municipality_sees_all_its_centres_and_no_other(client, world: World) -> None:
    first, second = world.no.centre_ids
    a = create(client, world.admin_token, first)["id"]
    b = create(client, world.admin_token, second)["id"]
    c = create(client, world.admin_token, world.dk.centre_id)["id"]
    assert list_ids(client, world.no.municipality_token) == [a, b]
    assert list_ids(client, world.dk.municipality_token) == [c]
    assert list_ids(client, world.no.coordinator_tokens[second]) == [b]
    assert list_ids(client, world.admin_token) == [a, b, c]


def test_a_volunteer_token_sees_and_edits_only_itself(client, app, world: World, make_token) -> None:
    coordinator = world.no.coordinator_token
    me = create(client, coordinator, world.no.centre_id, name="Me")
    neighbour = create(client, coordinator, world.no.centre_id, name="Neighbour")
    mine = auth(make_token("volunteer", volunteer_id=me["id"]))

    listed = client.get(URL, headers=mine)
    assert [v["id"] for v in listed.get_json()] == [me["id"]]
    assert json.loads(listed.headers["X-Pagination"])["total"] == 1
    assert client.get(f"{URL}/{me['id']}", headers=mine).status_code == 200
    assert client.get(f"{URL}/{me['id']}/assignments", headers=mine).status_code == 200

    # Its own profile and availability: yes.
    edited = client.patch(
        f"{URL}/{me['id']}",
        json={"phone": "+47 400 00 000",
              "weekly_availability": [{"weekday": 2, "start": "18:00", "end": "20:00"}]},
        headers=mine,
    )
    assert edited.status_code == 200
    assert edited.get_json()["weekly_availability"] == [
        {"weekday": 2, "start": "18:00", "end": "20:00"}
    ]
    # Its centre or whether it is active: seen but not changeable.
    before = stored(app, me["id"])
    for change in ({"active": False}, {"centre_id": world.no.centre_ids[1]},
                   {"name": "Me", "active": False}):
        assert_problem(client.patch(f"{URL}/{me['id']}", json=change, headers=mine), 403)
    assert stored(app, me["id"]) == before
    assert_problem(client.delete(f"{URL}/{me['id']}", headers=mine), 403)
    assert_problem(client.post(URL, json=full_body(world.no.centre_id), headers=mine), 403)

    # Anyone else: does not exist.
    assert_problem(client.get(f"{URL}/{neighbour['id']}", headers=mine), 404)
    assert_problem(client.patch(f"{URL}/{neighbour['id']}", json={"name": "X"}, headers=mine), 404)
    assert_problem(client.delete(f"{URL}/{neighbour['id']}", headers=mine), 404)
    assert_problem(client.get(f"{URL}/{neighbour['id']}/assignments", headers=mine), 404)
    assert_problem(client.get(f"{URL}?centre_id={world.no.centre_ids[1]}", headers=mine), 404)
    assert stored(app, neighbour["id"])["name"] == "Neighbour"


# --- assignments and GDPR erasure -------------------------------------------


def _session(activity_id: int, start: datetime, hours: float) -> Session:
    end = start + timedelta(hours=hours)
    return Session(activity_id=activity_id, start=start, end=end, window_start=start, window_end=end)


def _hours_given(volunteer_id: int) -> float:
    """Hours of confirmed assignments at sessions already held."""
    sessions = db.session.scalars(
        select(Session)
        .join(Assignment, Assignment.session_id == Session.id)
        .where(
            Assignment.volunteer_id == volunteer_id,
            Assignment.status == "confirmed",
            Session.end <= datetime.now(UTC),
        )
    ).all()
    return sum((s.end - s.start).total_seconds() / 3600 for s in sessions)


@pytest.fixture
def history(client, app, world: World) -> dict[str, Any]:
    """A volunteer with two past confirmed assignments (3.5 h), a past declined
    one with a reason, and a future proposed, a future confirmed one."""
    volunteer = create(client, world.no.coordinator_token, world.no.centre_id)
    now = datetime.now(UTC).replace(microsecond=0)
    with app.app_context():
        activity = Activity(centre_id=world.no.centre_id, title="Turgruppe", roles=[])
        db.session.add(activity)
        db.session.flush()
        sessions = {
            "past_1": _session(activity.id, now - timedelta(days=20), 2),
            "past_2": _session(activity.id, now - timedelta(days=10), 1.5),
            "past_declined": _session(activity.id, now - timedelta(days=5), 2),
            "next": _session(activity.id, now + timedelta(days=2), 2),
            "later": _session(activity.id, now + timedelta(days=9), 2),
        }
        db.session.add_all(sessions.values())
        db.session.flush()
        statuses = {"past_1": "confirmed", "past_2": "confirmed", "past_declined": "declined",
                    "next": "confirmed", "later": "proposed"}
        assignments = {
            key: Assignment(volunteer_id=volunteer["id"], session_id=sessions[key].id,
                            role="host", status=status,
                            decline_reason="my knee hurts" if status == "declined" else None)
            for key, status in statuses.items()
        }
        # Added in a scrambled order: the list must sort by time, not by id.
        for key in ("later", "past_2", "next", "past_declined", "past_1"):
            db.session.add(assignments[key])
        db.session.commit()
        return {
            "volunteer": volunteer,
            "assignments": {key: a.id for key, a in assignments.items()},
            "hours": _hours_given(volunteer["id"]),
        }


def test_a_volunteers_assignments_come_soonest_first(client, world: World, history, make_token) -> None:
    volunteer_id = history["volunteer"]["id"]
    ids = history["assignments"]
    for token in (world.no.coordinator_token, make_token("volunteer", volunteer_id=volunteer_id)):
        response = client.get(f"{URL}/{volunteer_id}/assignments", headers=auth(token))
        assert response.status_code == 200
        listed = response.get_json()
        assert [a["id"] for a in listed] == [
            ids["past_1"], ids["past_2"], ids["past_declined"], ids["next"], ids["later"]
        ]
        assert all(a["activity_title"] == "Turgruppe" for a in listed)
        assert listed[0]["start"].endswith(("+01:00", "+02:00"))  # Oslo time

    upcoming = client.get(
        f"{URL}/{volunteer_id}/assignments?status=proposed", headers=auth(world.no.coordinator_token)
    )
    assert [a["id"] for a in upcoming.get_json()] == [ids["later"]]
    wrong = client.get(
        f"{URL}/{volunteer_id}/assignments?status=maybe", headers=auth(world.no.coordinator_token)
    )
    assert_problem(wrong, 422, "status")


def test_erasure_wipes_personal_data_and_keeps_the_hours(
    client, app, world: World, history, make_token
) -> None:
    volunteer_id = history["volunteer"]["id"]
    own_token = make_token("volunteer", volunteer_id=volunteer_id)
    assert client.get(URL, headers=auth(own_token)).status_code == 200
    assert history["hours"] == pytest.approx(3.5)

    asked = datetime.now(UTC)
    response = client.delete(f"{URL}/{volunteer_id}", headers=auth(world.no.coordinator_token))
    assert response.status_code == 204

    row = stored(app, volunteer_id)
    assert asked <= row["erased_at"] <= datetime.now(UTC)
    assert row["name"] == ""
    for name in ("email", "phone", "lat", "lon", "max_travel_km", "max_hours_per_week",
                 "max_sessions_per_week"):
        assert row[name] is None, name
    for name in ("skills", "languages", "interests", "certificates", "preferred_activity_ids",
                 "weekly_availability", "unavailable"):
        assert row[name] == [], name
    assert row["active"] is False
    assert row["centre_id"] == world.no.centre_id  # still counted for its centre

    ids = history["assignments"]
    with app.app_context():
        status = {key: db.session.get(Assignment, aid).status for key, aid in ids.items()}
        reasons = db.session.scalars(
            select(Assignment.decline_reason).where(Assignment.volunteer_id == volunteer_id)
        ).all()
        assert _hours_given(volunteer_id) == pytest.approx(history["hours"])
        tokens = db.session.scalars(select(ApiToken).where(ApiToken.volunteer_id == volunteer_id)).all()
        assert len(tokens) == 1 and asked <= tokens[0].revoked_at <= datetime.now(UTC)
    assert status == {"past_1": "confirmed", "past_2": "confirmed", "past_declined": "declined",
                      "next": "cancelled", "later": "cancelled"}
    assert reasons == [None] * 5

    # Gone from every list and every lookup but an admin's explicit question.
    assert_problem(client.get(URL, headers=auth(own_token)), 401)
    coordinator = auth(world.no.coordinator_token)
    assert volunteer_id not in list_ids(client, world.no.coordinator_token)
    assert volunteer_id not in list_ids(client, world.admin_token)
    assert_problem(client.get(f"{URL}/{volunteer_id}", headers=coordinator), 404)
    assert_problem(client.patch(f"{URL}/{volunteer_id}", json={"name": "Back"}, headers=coordinator), 404)
    assert_problem(client.delete(f"{URL}/{volunteer_id}", headers=coordinator), 404)
    assert_problem(client.get(f"{URL}?include_erased=true", headers=coordinator), 403)
    assert volunteer_id in list_ids(client, world.admin_token, "&include_erased=true")
    seen_by_admin = client.get(f"{URL}/{volunteer_id}", headers=auth(world.admin_token)).get_json()
    assert seen_by_admin["name"] == "" and seen_by_admin["email"] is None
    assert_problem(
        client.patch(f"{URL}/{volunteer_id}", json={"name": "Back"}, headers=auth(world.admin_token)),
        409,
    )
    assert client.delete(f"{URL}/{volunteer_id}", headers=auth(world.admin_token)).status_code == 204


def test_erasure_leaves_other_volunteers_alone(client, app, world: World, history) -> None:
    other = create(client, world.no.coordinator_token, world.no.centre_id, name="Other")
    before = stored(app, other["id"])
    client.delete(f"{URL}/{history['volunteer']['id']}", headers=auth(world.no.coordinator_token))
    assert stored(app, other["id"]) == before
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Assignment)) == 5


def test_erasure_wipes_the_volunteer_from_stored_scenarios(client, app, world: World, history) -> None:
    volunteer_id = history["volunteer"]["id"]
    other = create(client, world.no.coordinator_token, world.no.centre_id, name="Other")
    other_doc = {"id": str(other["id"]), "name": "Other", "skills": ["cooking"]}
    now = datetime.now(UTC)
    with app.app_context():
        run = MatchRun(
            centre_id=world.no.centre_id, window_from=now, window_to=now + timedelta(days=14),
            status="succeeded",
            scenario={
                "format": "medsam-scenario/1",
                "volunteers": [
                    {"id": str(volunteer_id), "name": "Kari Nordmann", "lat": 58.46, "lon": 8.77,
                     "skills": ["driver"], "availability": [], "certificates": {"police": "2027-06-30"}},
                    other_doc,
                ],
            },
        )
        db.session.add(run)
        db.session.commit()
        run_id = run.id

    assert client.delete(f"{URL}/{volunteer_id}", headers=auth(world.no.coordinator_token)).status_code == 204
    with app.app_context():
        scenario = db.session.get(MatchRun, run_id).scenario
    assert scenario["format"] == "medsam-scenario/1"
    assert scenario["volunteers"] == [{"id": str(volunteer_id), "name": ""}, other_doc]
    assert "Kari" not in json.dumps(scenario)


# --- what a volunteer may change about itself --------------------------------

COORDINATOR_ONLY = {
    "certificates": [{"kind": "police", "valid_until": "2030-01-01"}],
    "skills": ["first_aid"],
    "centre_id": None,  # filled in below: the other centre
    "active": False,
}


@pytest.mark.parametrize("field", sorted(COORDINATOR_ONLY))
def test_a_volunteer_cannot_give_itself_what_the_coordinator_verifies(
    client, app, world: World, make_token, field: str
) -> None:
    """A police certificate (and skills) are hard qualifications for the
    planner: only the coordinator sets them. 403 naming the field, nothing stored."""
    me = create(client, world.no.coordinator_token, world.no.centre_id, certificates=[],
                skills=["cooking"])
    mine = auth(make_token("volunteer", volunteer_id=me["id"]))
    value = COORDINATOR_ONLY[field] if field != "centre_id" else world.no.centre_ids[1]
    before = stored(app, me["id"])

    for body in ({field: value}, {field: value, "phone": "+47 400 00 000"}):
        body_text = assert_problem(client.patch(f"{URL}/{me['id']}", json=body, headers=mine), 403)
        assert body_text["detail"] == (
            f"a volunteer may not change {field}: the centre's coordinator does"
        )
    assert stored(app, me["id"]) == before

    # The coordinator may.
    done = client.patch(f"{URL}/{me['id']}", json={field: value},
                        headers=auth(world.admin_token))
    assert done.status_code == 200
    assert done.get_json()[field] == value


def test_a_volunteer_may_change_every_field_the_audit_lists(client, app, world: World,
                                                             make_token) -> None:
    """docs/self-editable-fields.md: who it is, how to reach it, where it
    lives, what it likes and when it has time."""
    from medsam_match.services.volunteers import SELF_EDITABLE

    activity = client.post(
        "/api/v1/activities",
        json={"centre_id": world.no.centre_id, "title": "Tur", "roles": [{"role": "host"}],
              "interests": ["chess"]},
        headers=auth(world.admin_token),
    ).get_json()["id"]
    me = create(client, world.no.coordinator_token, world.no.centre_id)
    changes = {
        "name": "Kari Hansen",
        "email": "kari.hansen@example.no",
        "phone": "+4740000000",
        "lat": 58.3,
        "lon": 8.6,
        "max_travel_km": 3.0,
        "languages": ["en"],
        "interests": ["chess"],
        "max_hours_per_week": 2.0,
        "max_sessions_per_week": 1,
        "preferred_activity_ids": [activity],
        "weekly_availability": [{"weekday": 6, "start": "12:00", "end": "14:00"}],
        "unavailable": [{"start": "2027-07-01T00:00:00+02:00", "end": "2027-07-20T00:00:00+02:00"}],
        "notify_channel": "both",
        "reminders": False,
        "language": "nn",
    }
    assert set(changes) == SELF_EDITABLE
    response = client.patch(f"{URL}/{me['id']}", json=changes,
                            headers=auth(make_token("volunteer", volunteer_id=me["id"])))
    assert response.status_code == 200, response.get_json()
    assert {key: response.get_json()[key] for key in changes} == changes


# --- erasure and the response schema, moving between centres -------------------


def test_an_erased_volunteer_fits_its_own_response_schema(client, world: World) -> None:
    """Erasure stores an empty name; the response schema allows it (the body
    schema of POST and PATCH still refuses an empty name)."""
    volunteer = create(client, world.no.coordinator_token, world.no.centre_id)
    assert client.delete(f"{URL}/{volunteer['id']}",
                         headers=auth(world.no.coordinator_token)).status_code == 204
    erased = client.get(f"{URL}/{volunteer['id']}", headers=auth(world.admin_token)).get_json()
    assert erased["name"] == ""

    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    assert "minLength" not in schemas["Volunteer"]["properties"]["name"]
    assert schemas["VolunteerBody"]["properties"]["name"]["minLength"] == 1
    assert_problem(
        client.post(URL, json=full_body(world.no.centre_id, name=""),
                    headers=auth(world.admin_token)), 422, "name")


def test_moving_a_volunteer_releases_its_future_assignments_at_the_old_centre(
    client, app, world: World, history
) -> None:
    """The old centre's future sessions are no business of the new one: they
    are cancelled, and a repair run refills them, in the same request."""
    volunteer_id = history["volunteer"]["id"]
    old, new = world.no.centre_ids
    moved = client.patch(f"{URL}/{volunteer_id}", json={"centre_id": new},
                         headers=auth(world.no.municipality_token))
    assert moved.status_code == 200 and moved.get_json()["centre_id"] == new

    ids = history["assignments"]
    with app.app_context():
        status = {key: db.session.get(Assignment, aid).status for key, aid in ids.items()}
        repairs = db.session.scalars(select(MatchRun)).all()
        assert [(r.centre_id, r.mode, r.status, r.trigger) for r in repairs] == [
            (old, "repair", "queued", "decline")
        ]
    assert status == {"past_1": "confirmed", "past_2": "confirmed",
                      "past_declined": "declined", "next": "cancelled", "later": "cancelled"}
    new_coordinator = auth(world.no.coordinator_tokens[new])
    live = client.get(f"{URL}/{volunteer_id}/assignments?status=proposed",
                      headers=new_coordinator).get_json()
    confirmed_future = [
        a for a in client.get(f"{URL}/{volunteer_id}/assignments?status=confirmed",
                              headers=new_coordinator).get_json()
        if a["id"] not in (ids["past_1"], ids["past_2"])
    ]
    assert live == [] and confirmed_future == []


def test_a_patch_that_keeps_the_centre_releases_nothing(client, app, world: World,
                                                        history) -> None:
    volunteer_id = history["volunteer"]["id"]
    same = client.patch(f"{URL}/{volunteer_id}", json={"centre_id": world.no.centre_id},
                        headers=auth(world.no.coordinator_token))
    assert same.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MatchRun)) == 0
        statuses = sorted(
            db.session.get(Assignment, aid).status for aid in history["assignments"].values()
        )
    assert statuses == ["confirmed", "confirmed", "confirmed", "declined", "proposed"]
