"""/api/v1/activities: CRUD, roles, bad input, pagination and tenant isolation."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from medsam_match.extensions import db
from medsam_match.models import Activity, Assignment, Session
from tests.api.conftest import auth, volunteer_with_token

URL = "/api/v1/activities"


def activity_body(centre_id: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "centre_id": centre_id,
        "title": "Språkkafé",
        "description": "Norwegian practice over coffee",
        "interests": ["language", "social"],
        "needs": ["wifi"],
        "participants": 12,
        "roles": [
            {"role": "host", "min": 1, "max": 1, "skills": ["hosting"]},
            {"role": "helper", "min": 0, "languages": ["ar", "ti"]},
        ],
    }
    body.update(overrides)
    return body


def create_activity(client, token: str, centre_id: int, **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=activity_body(centre_id, **overrides), headers=auth(token))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def stored_activities(app) -> list[dict[str, Any]]:
    """Every activity row as plain values, to show that nothing changed."""
    with app.app_context():
        rows = db.session.scalars(select(Activity).order_by(Activity.id)).all()
        return [
            {
                "id": row.id,
                "centre_id": row.centre_id,
                "title": row.title,
                "description": row.description,
                "roles": row.roles,
                "participants": row.participants,
            }
            for row in rows
        ]


def volunteer_token(app, make_token, centre_id: int) -> tuple[int, str]:
    return volunteer_with_token(app, make_token, centre_id)


# --- the normal path ---------------------------------------------------------


def test_coordinator_creates_reads_updates_and_deletes(client, world):
    token, centre_id = world.no.coordinator_token, world.no.centre_id
    created = create_activity(client, token, centre_id)
    assert created["centre_id"] == centre_id
    assert created["title"] == "Språkkafé"
    assert created["interests"] == ["language", "social"]
    assert created["participants"] == 12
    host, helper = created["roles"]
    assert host == {
        "role": "host",
        "min": 1,
        "max": 1,
        "skills": ["hosting"],
        "languages": [],
        "certificate": None,
    }
    # max defaults to max(min, 1): room for one helper even with min 0
    assert helper["min"] == 0 and helper["max"] == 1
    assert created["created_at"].endswith("+01:00")  # Arendal, in winter

    fetched = client.get(f"{URL}/{created['id']}", headers=auth(token))
    assert fetched.status_code == 200
    assert fetched.get_json() == created

    patched = client.patch(
        f"{URL}/{created['id']}",
        json={"title": "Språkkafé på biblioteket", "participants": 20},
        headers=auth(token),
    )
    assert patched.status_code == 200
    body = patched.get_json()
    assert body["title"] == "Språkkafé på biblioteket"
    assert body["participants"] == 20
    # fields left out of a PATCH keep their values
    assert body["description"] == "Norwegian practice over coffee"
    assert body["roles"] == created["roles"]

    deleted = client.delete(f"{URL}/{created['id']}", headers=auth(token))
    assert deleted.status_code == 204
    assert client.get(f"{URL}/{created['id']}", headers=auth(token)).status_code == 404


def test_role_defaults_when_only_a_name_is_given(client, world):
    created = create_activity(
        client, world.no.coordinator_token, world.no.centre_id, roles=[{"role": "driver"}]
    )
    assert created["roles"] == [
        {"role": "driver", "min": 1, "max": 1, "skills": [], "languages": [], "certificate": None}
    ]


def test_patch_roles_replaces_the_whole_list(client, world):
    token = world.no.coordinator_token
    created = create_activity(client, token, world.no.centre_id)
    response = client.patch(
        f"{URL}/{created['id']}",
        json={"roles": [{"role": "driver", "min": 2, "certificate": "police"}]},
        headers=auth(token),
    )
    assert response.status_code == 200
    assert response.get_json()["roles"] == [
        {
            "role": "driver",
            "min": 2,
            "max": 2,
            "skills": [],
            "languages": [],
            "certificate": "police",
        }
    ]


def test_municipality_token_works_across_its_centres(client, world):
    first, second = world.no.centre_ids
    token = world.no.municipality_token
    a = create_activity(client, token, first, title="Turgruppe")
    b = create_activity(client, token, second, title="Leksehjelp")
    create_activity(client, world.dk.municipality_token, world.dk.centre_id, title="Sprogcafé")

    listed = client.get(URL, headers=auth(token)).get_json()
    assert [item["id"] for item in listed] == [a["id"], b["id"]]
    only_second = client.get(URL, query_string={"centre_id": second}, headers=auth(token))
    assert [item["id"] for item in only_second.get_json()] == [b["id"]]


def test_admin_filters_by_municipality(client, world):
    no = create_activity(client, world.admin_token, world.no.centre_id)
    dk = create_activity(client, world.admin_token, world.dk.centre_id)
    response = client.get(
        URL,
        query_string={"municipality_id": world.dk.municipality_id},
        headers=auth(world.admin_token),
    )
    assert [item["id"] for item in response.get_json()] == [dk["id"]]
    assert dk["created_at"].endswith("+01:00")  # Copenhagen
    assert no["id"] != dk["id"]


def test_pagination(client, world):
    token = world.no.coordinator_token
    ids = [
        create_activity(client, token, world.no.centre_id, title=f"A{n}")["id"] for n in range(5)
    ]
    seen = []
    for page in (1, 2, 3):
        response = client.get(URL, query_string={"page": page, "page_size": 2}, headers=auth(token))
        assert response.status_code == 200
        meta = json.loads(response.headers["X-Pagination"])
        assert meta["total"] == 5 and meta["total_pages"] == 3 and meta["page"] == page
        seen += [item["id"] for item in response.get_json()]
    assert seen == ids
    too_big = client.get(URL, query_string={"page_size": 501}, headers=auth(token))
    assert too_big.status_code == 422
    assert sorted(too_big.get_json()["errors"]) == ["page_size"]


# --- bad input ----------------------------------------------------------------

BAD_BODIES = [
    ("max below min", {"roles": [{"role": "host", "min": 2, "max": 1}]}, "roles.0.max"),
    ("max zero", {"roles": [{"role": "host", "min": 0, "max": 0}]}, "roles.0.max"),
    ("negative min", {"roles": [{"role": "host", "min": -1}]}, "roles.0.min"),
    ("duplicate role", {"roles": [{"role": "host"}, {"role": "host"}]}, "roles.1.role"),
    ("no roles", {"roles": []}, "roles"),
    ("role without name", {"roles": [{"min": 1}]}, "roles.0.role"),
    ("unknown role field", {"roles": [{"role": "host", "colour": "red"}]}, "roles.0.colour"),
    ("unknown field", {"colour": "red"}, "colour"),
    ("empty title", {"title": ""}, "title"),
    ("participants not a number", {"participants": "many"}, "participants"),
    ("negative participants", {"participants": -3}, "participants"),
    ("interests not a list", {"interests": "language"}, "interests"),
    ("centre as text", {"centre_id": "one"}, "centre_id"),
    ("centre id beyond 32 bits", {"centre_id": 2**40}, "centre_id"),
    ("min not whole", {"roles": [{"role": "host", "min": 1.5}]}, "roles.0.min"),
    ("max as text", {"roles": [{"role": "host", "max": "2"}]}, "roles.0.max"),
    ("title with NUL", {"title": "caf\x00e"}, "title"),
]


@pytest.mark.parametrize(("case", "overrides", "field"), BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_bad_create_is_422_naming_the_field_and_stores_nothing(
    app, client, world, case, overrides, field
):
    before = stored_activities(app)
    body = {**activity_body(world.no.centre_id), **overrides}
    response = client.post(URL, json=body, headers=auth(world.no.coordinator_token))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert field in problem["errors"], problem
    assert problem["status"] == 422
    assert stored_activities(app) == before


@pytest.mark.parametrize("missing", ["centre_id", "title", "roles"])
def test_missing_required_field_is_named(client, world, missing):
    body = activity_body(world.no.centre_id)
    del body[missing]
    response = client.post(URL, json=body, headers=auth(world.no.coordinator_token))
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == [missing]


@pytest.mark.parametrize(
    ("case", "overrides", "field"), BAD_BODIES[:9], ids=[c[0] for c in BAD_BODIES[:9]]
)
def test_bad_patch_is_422_and_changes_nothing(app, client, world, case, overrides, field):
    token = world.no.coordinator_token
    created = create_activity(client, token, world.no.centre_id)
    before = stored_activities(app)
    patch = {**overrides, "description": "changed"}
    response = client.patch(f"{URL}/{created['id']}", json=patch, headers=auth(token))
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == [field]
    assert stored_activities(app) == before


def test_malformed_json_is_400(app, client, world):
    response = client.post(
        URL,
        data='{"title": "x",',
        content_type="application/json",
        headers=auth(world.no.coordinator_token),
    )
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert stored_activities(app) == []


def test_ids_beyond_32_bits_are_not_found(client, world):
    token = world.admin_token
    assert client.get(f"{URL}/{2**70}", headers=auth(token)).status_code == 404
    assert client.delete(f"{URL}/{2**40}", headers=auth(token)).status_code == 404
    response = client.get(URL, query_string={"centre_id": 2**40}, headers=auth(token))
    assert response.status_code == 422
    assert sorted(response.get_json()["errors"]) == ["centre_id"]


def test_no_token_is_401(client, world):
    assert client.get(URL).status_code == 401
    assert client.post(URL, json=activity_body(world.no.centre_id)).status_code == 401


# --- deleting what has sessions or assignments ---------------------------------


def _add_session(app, activity_id: int) -> int:
    from datetime import UTC, datetime

    with app.app_context():
        start = datetime(2026, 12, 8, 16, tzinfo=UTC)
        end = datetime(2026, 12, 8, 18, tzinfo=UTC)
        session = Session(
            activity_id=activity_id, start=start, end=end, window_start=start, window_end=end
        )
        db.session.add(session)
        db.session.commit()
        return session.id


def test_delete_with_sessions_is_409_naming_how_many(app, client, world):
    token = world.no.coordinator_token
    created = create_activity(client, token, world.no.centre_id)
    _add_session(app, created["id"])
    _add_session(app, created["id"])
    response = client.delete(f"{URL}/{created['id']}", headers=auth(token))
    assert response.status_code == 409
    assert "2 sessions" in response.get_json()["detail"]
    assert client.get(f"{URL}/{created['id']}", headers=auth(token)).status_code == 200


def test_dropping_a_role_held_by_an_assignment_is_409(app, client, world, make_token):
    token = world.no.coordinator_token
    created = create_activity(client, token, world.no.centre_id)
    session_id = _add_session(app, created["id"])
    volunteer_id, _ = volunteer_token(app, make_token, world.no.centre_id)
    with app.app_context():
        db.session.add(
            Assignment(
                volunteer_id=volunteer_id, session_id=session_id, role="helper", status="confirmed"
            )
        )
        db.session.commit()
    before = stored_activities(app)
    response = client.patch(
        f"{URL}/{created['id']}", json={"roles": [{"role": "host"}]}, headers=auth(token)
    )
    assert response.status_code == 409
    assert "helper (1)" in response.get_json()["detail"]
    assert stored_activities(app) == before
    # keeping the role and changing its numbers is fine
    kept = client.patch(
        f"{URL}/{created['id']}",
        json={"roles": [{"role": "host"}, {"role": "helper", "min": 1, "max": 3}]},
        headers=auth(token),
    )
    assert kept.status_code == 200


# --- tenant isolation ----------------------------------------------------------


def test_coordinator_cannot_see_or_touch_another_centres_activity(app, client, world):
    first, second = world.no.centre_ids
    own_token = world.no.coordinator_tokens[first]
    other = create_activity(client, world.no.coordinator_tokens[second], second)
    foreign = create_activity(client, world.dk.coordinator_token, world.dk.centre_id)
    before = stored_activities(app)

    for activity in (other, foreign):
        path = f"{URL}/{activity['id']}"
        assert client.get(path, headers=auth(own_token)).status_code == 404
        assert client.patch(path, json={"title": "x"}, headers=auth(own_token)).status_code == 404
        assert client.delete(path, headers=auth(own_token)).status_code == 404
    assert client.get(URL, headers=auth(own_token)).get_json() == []
    # the other centre through a filter
    filtered = client.get(URL, query_string={"centre_id": second}, headers=auth(own_token))
    assert filtered.status_code == 404
    by_municipality = client.get(
        URL, query_string={"municipality_id": world.dk.municipality_id}, headers=auth(own_token)
    )
    assert by_municipality.status_code == 404
    # ... and through an id in a body
    created = client.post(URL, json=activity_body(second), headers=auth(own_token))
    assert created.status_code == 422
    assert created.get_json()["errors"] == {"centre_id": ["no such centre"]}
    own = create_activity(client, own_token, first)
    moved = client.patch(
        f"{URL}/{own['id']}", json={"centre_id": world.dk.centre_id}, headers=auth(own_token)
    )
    assert moved.status_code == 422
    assert sorted(moved.get_json()["errors"]) == ["centre_id"]
    assert stored_activities(app)[: len(before)] == before


def test_other_municipality_gets_404(client, world):
    activity = create_activity(client, world.no.coordinator_token, world.no.centre_id)
    token = world.dk.municipality_token
    assert client.get(f"{URL}/{activity['id']}", headers=auth(token)).status_code == 404
    assert client.get(URL, headers=auth(token)).get_json() == []


def test_volunteer_reads_its_centres_activities_only(app, client, world, make_token):
    first, second = world.no.centre_ids
    own = create_activity(client, world.no.coordinator_tokens[first], first)
    other = create_activity(client, world.no.coordinator_tokens[second], second)
    _, token = volunteer_token(app, make_token, first)
    before = stored_activities(app)

    assert [item["id"] for item in client.get(URL, headers=auth(token)).get_json()] == [own["id"]]
    assert client.get(f"{URL}/{own['id']}", headers=auth(token)).status_code == 200
    assert client.get(f"{URL}/{other['id']}", headers=auth(token)).status_code == 404
    # sees it but may not change it: 403; cannot see it: 404
    assert (
        client.patch(f"{URL}/{own['id']}", json={"title": "x"}, headers=auth(token)).status_code
        == 403
    )
    assert client.delete(f"{URL}/{own['id']}", headers=auth(token)).status_code == 403
    assert (
        client.patch(f"{URL}/{other['id']}", json={"title": "x"}, headers=auth(token)).status_code
        == 404
    )
    assert client.post(URL, json=activity_body(first), headers=auth(token)).status_code == 403
    assert stored_activities(app) == before


def test_stored_activities_helper_sees_created_rows(app, client, world):
    """Guards the helpers above: a created activity is visible to them."""
    create_activity(client, world.no.coordinator_token, world.no.centre_id)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Activity)) == 1
    assert len(stored_activities(app)) == 1
