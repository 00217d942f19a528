"""Every bad request answers problem+json naming what is wrong; never a 500."""

from tests.api.conftest import assert_problem as _assert_problem


def test_malformed_json_is_400(client, world, auth):
    response = client.post("/api/v1/centres", data='{"name": "Hisøy", ', content_type="application/json",
                           headers=auth(world.admin_token))
    body = _assert_problem(response, 400)
    assert "JSON" in body["detail"]


def test_unknown_field_is_422_naming_it(client, world, auth):
    response = client.post("/api/v1/municipalities", headers=auth(world.admin_token),
                           json={"name": "Voss", "country": "NO", "mayor": "Hansen"})
    body = _assert_problem(response, 422)
    assert body["errors"] == {"mayor": ["Unknown field."]}


def test_wrong_type_and_missing_required_are_named_together(client, world, auth):
    response = client.post("/api/v1/places", headers=auth(world.admin_token),
                           json={"capacity": "many", "parallel": 1.5})
    body = _assert_problem(response, 422)
    assert set(body["errors"]) == {"municipality_id", "name", "capacity", "parallel"}
    assert all(isinstance(m, list) and m for m in body["errors"].values())


def test_nested_errors_are_named_by_path(client, world, auth):
    response = client.patch(f"/api/v1/places/{world.no.place_ids[0]}", headers=auth(world.admin_token),
                            json={"busy": [{"start": "2026-12-08T17:00:00+01:00", "end": "2026-12-08T19:00:00+01:00"},
                                           {"start": 5, "end": "2026-12-08T19:00:00+01:00", "room": "A"}]})
    body = _assert_problem(response, 422)
    assert set(body["errors"]) == {"busy.1.start", "busy.1.room"}


def test_a_body_that_is_not_an_object_is_422(client, world, auth):
    response = client.post("/api/v1/centres", json=[1, 2], headers=auth(world.admin_token))
    _assert_problem(response, 422)


def test_bad_query_parameters_are_422(client, world, auth):
    headers = auth(world.admin_token)
    body = _assert_problem(client.get("/api/v1/centres?municipality_id=abc", headers=headers), 422)
    assert set(body["errors"]) == {"municipality_id"}
    body = _assert_problem(client.get("/api/v1/centres?page=0", headers=headers), 422)
    assert set(body["errors"]) == {"page"}


def test_huge_ids_are_404_not_500(client, world, auth):
    for resource in ("municipalities", "centres", "places"):
        response = client.get(f"/api/v1/{resource}/{2**70}", headers=auth(world.admin_token))
        _assert_problem(response, 404)


def test_unknown_path_and_wrong_verb(client, world, auth):
    _assert_problem(client.get("/api/v1/nothing-here", headers=auth(world.admin_token)), 404)
    response = client.put(f"/api/v1/centres/{world.no.centre_id}", json={}, headers=auth(world.admin_token))
    _assert_problem(response, 405)
    assert "PATCH" in response.headers["Allow"]
