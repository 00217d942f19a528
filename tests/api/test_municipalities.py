import json

import pytest

PROBLEM = "application/problem+json"


def test_admin_creates_a_municipality_with_country_defaults(client, world, auth):
    response = client.post("/api/v1/municipalities", json={"name": "Voss", "country": "NO"},
                           headers=auth(world.admin_token))
    assert response.status_code == 201
    body = response.json
    assert body["name"] == "Voss"
    assert (body["timezone"], body["locale"]) == ("Europe/Oslo", "nb")
    assert body["created_at"].endswith("+01:00")  # shown in Oslo time (November: CET)

    danish = client.post("/api/v1/municipalities", json={"name": "Sønderborg", "country": "DK"},
                         headers=auth(world.admin_token)).json
    assert (danish["timezone"], danish["locale"]) == ("Europe/Copenhagen", "da")

    listed = client.get("/api/v1/municipalities", headers=auth(world.admin_token))
    assert [m["name"] for m in listed.json] == ["Arendal", "Aarhus", "Voss", "Sønderborg"]
    assert json.loads(listed.headers["X-Pagination"])["total"] == 4


def test_list_filters_by_country_and_paginates(client, world, auth):
    headers = auth(world.admin_token)
    assert [m["name"] for m in client.get("/api/v1/municipalities?country=DK", headers=headers).json] == ["Aarhus"]
    page = client.get("/api/v1/municipalities?page=2&page_size=1", headers=headers)
    assert [m["name"] for m in page.json] == ["Aarhus"]
    meta = json.loads(page.headers["X-Pagination"])
    assert (meta["total"], meta["total_pages"], meta["page"]) == (2, 2, 2)
    too_big = client.get("/api/v1/municipalities?page_size=501", headers=headers)
    assert too_big.status_code == 422
    assert sorted(too_big.json["errors"]) == ["page_size"]


def test_a_municipality_token_sees_and_edits_only_its_own(client, world, auth):
    headers = auth(world.no.municipality_token)
    listed = client.get("/api/v1/municipalities", headers=headers).json
    assert [m["id"] for m in listed] == [world.no.municipality_id]
    assert client.get(f"/api/v1/municipalities/{world.dk.municipality_id}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/municipalities/{world.dk.municipality_id}", json={"name": "X"},
                        headers=headers).status_code == 404

    changed = client.patch(f"/api/v1/municipalities/{world.no.municipality_id}",
                           json={"locale": "nn"}, headers=headers)
    assert changed.status_code == 200
    assert changed.json["locale"] == "nn"
    assert changed.json["name"] == "Arendal"


def test_only_admin_creates_and_deletes_municipalities(client, world, auth):
    for token in (world.no.municipality_token, world.no.coordinator_token):
        created = client.post("/api/v1/municipalities", json={"name": "Voss", "country": "NO"},
                              headers=auth(token))
        assert created.status_code == 403
        assert created.mimetype == PROBLEM
    deleted = client.delete(f"/api/v1/municipalities/{world.no.municipality_id}",
                            headers=auth(world.no.municipality_token))
    assert deleted.status_code == 403


def test_coordinator_reads_its_municipality_but_cannot_change_it(client, world, auth):
    headers = auth(world.no.coordinator_token)
    assert client.get(f"/api/v1/municipalities/{world.no.municipality_id}", headers=headers).status_code == 200
    assert client.patch(f"/api/v1/municipalities/{world.no.municipality_id}", json={"name": "X"},
                        headers=headers).status_code == 403


def test_delete_answers_409_naming_the_children_then_succeeds(client, world, auth):
    headers = auth(world.admin_token)
    refused = client.delete(f"/api/v1/municipalities/{world.dk.municipality_id}", headers=headers)
    assert refused.status_code == 409
    assert "1 centre(s)" in refused.json["detail"] and "1 place(s)" in refused.json["detail"]

    empty = client.post("/api/v1/municipalities", json={"name": "Levanger", "country": "NO"},
                        headers=headers).json
    assert client.delete(f"/api/v1/municipalities/{empty['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/municipalities/{empty['id']}", headers=headers).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Voss", "country": "SE"}, "country"),
        ({"name": "Voss", "country": "NO", "timezone": "Europe/Bergen"}, "timezone"),
        ({"name": "Voss", "country": "NO", "timezone": "../etc/passwd"}, "timezone"),
        ({"name": "Voss", "country": "NO", "locale": "sv"}, "locale"),
        ({"name": "", "country": "NO"}, "name"),
        ({"country": "NO"}, "name"),
        ({"name": "Voss"}, "country"),
        ({"name": 12, "country": "NO"}, "name"),
        ({"name": "Voss", "country": "NO", "id": 7}, "id"),
        ({"name": "Vo\u0000ss", "country": "NO"}, "name"),
    ],
)
def test_bad_municipalities_are_422_naming_the_field(client, world, auth, body, field):
    response = client.post("/api/v1/municipalities", json=body, headers=auth(world.admin_token))
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    assert list(response.json["errors"]) == [field]


def test_patch_validates_like_create(client, world, auth):
    response = client.patch(f"/api/v1/municipalities/{world.no.municipality_id}",
                            json={"timezone": "Mars/Olympus", "name": None},
                            headers=auth(world.admin_token))
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"timezone", "name"}


def test_deleting_a_municipality_ends_its_tokens(client, world, auth, make_token):
    headers = auth(world.admin_token)
    created = client.post("/api/v1/municipalities", json={"name": "Steinkjer", "country": "NO"},
                          headers=headers).json
    token = make_token("municipality", municipality_id=created["id"])
    assert client.get("/api/v1/municipalities", headers=auth(token)).status_code == 200
    assert client.delete(f"/api/v1/municipalities/{created['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/municipalities", headers=auth(token)).status_code == 401
