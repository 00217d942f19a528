"""Optimistic concurrency: every editable resource answers with an ETag and
takes If-Match on PATCH and DELETE (412 when stale; without If-Match the
write goes ahead, as before). Two PATCHes racing with the same If-Match: one
wins, the other is 412, on PostgreSQL and SQLite alike."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from medsam_match.extensions import db
from medsam_match.models import Place, Volunteer
from tests.api.conftest import assert_problem, auth, new_activity, rows
from tests.conftest import World

RESOURCES = ("municipalities", "centres", "places", "volunteers", "activities", "sessions")


def _week(weekday: int) -> list[dict[str, Any]]:
    return [{"weekday": weekday, "start": "17:00", "end": "19:00"}]


@pytest.fixture
def targets(client, world: World) -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """Per resource: the URL of one row, and two different changes to it."""
    admin = auth(world.admin_token)
    activity_id = new_activity(client, world.admin_token, world.no.centre_id)
    volunteer = client.post(
        "/api/v1/volunteers", json={"centre_id": world.no.centre_id, "name": "Kari"}, headers=admin
    )
    session = client.post(
        "/api/v1/sessions",
        json={
            "activity_id": activity_id,
            "start": "2027-01-05T17:00:00+01:00",
            "end": "2027-01-05T19:00:00+01:00",
        },
        headers=admin,
    )
    assert volunteer.status_code == 201 and session.status_code == 201
    return {
        "municipalities": (
            f"/api/v1/municipalities/{world.no.municipality_id}",
            {"name": "Arendal kommune"},
            {"name": "Arendal by"},
        ),
        "centres": (
            f"/api/v1/centres/{world.no.centre_id}", {"name": "Sentrum"}, {"name": "Stintahaven"}
        ),
        "places": (f"/api/v1/places/{world.no.place_ids[0]}", {"capacity": 41}, {"capacity": 42}),
        "volunteers": (
            f"/api/v1/volunteers/{volunteer.get_json()['id']}",
            {"weekly_availability": _week(1)},
            {"weekly_availability": _week(3)},
        ),
        "activities": (f"/api/v1/activities/{activity_id}", {"title": "Kafé"}, {"title": "Tur"}),
        "sessions": (
            f"/api/v1/sessions/{session.get_json()['id']}",
            {"end": "2027-01-05T19:30:00+01:00"},
            {"end": "2027-01-05T20:00:00+01:00"},
        ),
    }


@pytest.mark.parametrize("resource", RESOURCES)
def test_answers_carry_the_rows_version_as_etag(client, world, targets, resource) -> None:
    url, first, _ = targets[resource]
    admin = auth(world.admin_token)
    read = client.get(url, headers=admin)
    assert read.status_code == 200
    assert read.headers["ETag"] == '"1"'

    changed = client.patch(url, json=first, headers={**admin, "If-Match": '"1"'})
    assert changed.status_code == 200, changed.get_json()
    assert changed.headers["ETag"] == '"2"'
    assert client.get(url, headers=admin).headers["ETag"] == '"2"'

    # A change that changes nothing is no new version.
    again = client.patch(url, json=first, headers={**admin, "If-Match": '"2"'})
    assert again.status_code == 200 and again.headers["ETag"] == '"2"'


@pytest.mark.parametrize("resource", RESOURCES)
def test_a_stale_if_match_is_412_and_changes_nothing(client, world, targets, resource) -> None:
    url, first, second = targets[resource]
    admin = auth(world.admin_token)
    read = client.get(url, headers=admin)

    won = client.patch(url, json=first, headers={**admin, "If-Match": read.headers["ETag"]})
    assert won.status_code == 200
    lost = client.patch(url, json=second, headers={**admin, "If-Match": read.headers["ETag"]})
    body = assert_problem(lost, 412)
    assert "changed since you read it" in body["detail"]

    now = client.get(url, headers=admin)
    assert now.get_json() == won.get_json()  # the first change stands, the second is not made
    assert now.headers["ETag"] == '"2"'


@pytest.mark.parametrize("resource", RESOURCES)
def test_without_if_match_the_write_goes_ahead(client, world, targets, resource) -> None:
    """Backward compatible: clients that never send If-Match work as before."""
    url, first, second = targets[resource]
    admin = auth(world.admin_token)
    assert client.patch(url, json=first, headers=admin).status_code == 200
    last = client.patch(url, json=second, headers=admin)
    assert last.status_code == 200
    assert last.headers["ETag"] == '"3"'
    assert client.get(url, headers=admin).get_json() == last.get_json()


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ("*", 200),  # any version of a row that exists
        ('"7", "1"', 200),  # one of a list
        ('W/"1"', 412),  # weak tags never match (RFC 9110 compares strongly)
        ('"7"', 412),
        ('"99999999999999999999"', 412),
    ],
)
def test_if_match_forms(client, world, targets, if_match, status) -> None:
    url, first, _ = targets["places"]
    response = client.patch(url, json=first, headers={**auth(world.admin_token), "If-Match": if_match})
    assert response.status_code == status
    capacity = {place["id"]: place["capacity"] for place in rows(client.application, Place)}
    assert capacity[world.no.place_ids[0]] == (41 if status == 200 else 40)


def test_a_stale_delete_is_412_and_deletes_nothing(client, world) -> None:
    admin = auth(world.admin_token)
    created = client.post(
        "/api/v1/places", json={"municipality_id": world.no.municipality_id, "name": "Kulturhuset"},
        headers=admin,
    )
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'
    url = f"/api/v1/places/{created.get_json()['id']}"
    assert client.patch(url, json={"capacity": 80}, headers=admin).headers["ETag"] == '"2"'

    assert_problem(client.delete(url, headers={**admin, "If-Match": '"1"'}), 412)
    assert client.get(url, headers=admin).status_code == 200
    assert client.delete(url, headers={**admin, "If-Match": '"2"'}).status_code == 204
    assert client.get(url, headers=admin).status_code == 404


def test_a_volunteers_own_two_availability_patches_lose_nothing_silently(
    client, world, make_token
) -> None:
    """The reported case: two edits of one volunteer's availability from the
    same version; the second is refused instead of overwriting the first."""
    admin = auth(world.admin_token)
    volunteer = client.post(
        "/api/v1/volunteers", json={"centre_id": world.no.centre_id, "name": "Ola"}, headers=admin
    ).get_json()
    own = auth(make_token("volunteer", volunteer_id=volunteer["id"]))
    url = f"/api/v1/volunteers/{volunteer['id']}"
    tag = client.get(url, headers=own).headers["ETag"]

    phone = client.patch(url, json={"weekly_availability": _week(0)}, headers={**own, "If-Match": tag})
    laptop = client.patch(url, json={"weekly_availability": _week(4)}, headers={**own, "If-Match": tag})
    assert (phone.status_code, laptop.status_code) == (200, 412)
    stored = {row["id"]: row for row in rows(client.application, Volunteer)}[volunteer["id"]]
    assert stored["weekly_availability"] == _week(0)
    assert stored["version"] == 2


@pytest.mark.timeout(120)
def test_two_racing_patches_with_the_same_if_match_one_wins(app, world, targets) -> None:
    """Threads, each with its own connection, PATCH the same volunteer at the
    same moment with the same If-Match: exactly one 200 and one 412, every
    round, and the stored row is the winner's."""
    url, _, _ = targets["volunteers"]
    admin = auth(world.admin_token)
    for round_number in range(8):
        tag = app.test_client().get(url, headers=admin).headers["ETag"]
        # Both differ from what is stored (a change that changes nothing makes no version).
        bodies = [
            {"weekly_availability": _week((2 * round_number) % 7)},
            {"weekly_availability": _week((2 * round_number + 1) % 7)},
        ]
        start = threading.Barrier(2)
        answers: list[Any] = [None, None]

        def patch(
            index: int,
            tag: str = tag,
            start: threading.Barrier = start,
            bodies: list[dict[str, Any]] = bodies,
            answers: list[Any] = answers,
        ) -> None:
            client = app.test_client()
            start.wait()
            answers[index] = client.patch(
                url, json=bodies[index], headers={**admin, "If-Match": tag}
            )

        threads = [threading.Thread(target=patch, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200, 412], (round_number, [a.get_json() for a in answers])
        winner = next(i for i, answer in enumerate(answers) if answer.status_code == 200)
        with app.app_context():
            volunteer_id = int(url.rsplit("/", 1)[1])
            row = db.session.get(Volunteer, volunteer_id)
            assert row.weekly_availability == bodies[winner]["weekly_availability"]
            assert row.version == int(tag.strip('"')) + 1
            db.session.remove()


def test_the_openapi_document_shows_etag_and_if_match(client) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    for resource in RESOURCES:
        item = next(
            ops for path, ops in spec["paths"].items()
            if path.startswith(f"/api/v1/{resource}/{{") and path.count("/") == 4
        )
        assert "ETag" in item["get"]["responses"]["200"]["headers"]
        assert "ETag" in item["patch"]["responses"]["200"]["headers"]
        for method in ("patch", "delete"):
            names = [p.get("name") for p in item[method].get("parameters", [])]
            assert "If-Match" in names, (resource, method)
            assert "412" in item[method]["responses"], (resource, method)
