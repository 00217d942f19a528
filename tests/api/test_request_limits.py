"""Request bodies: a size limit (413) and a nesting limit (400), each
answered as problem+json naming the limit, never a 500."""

from __future__ import annotations

import json

import pytest

from medsam_match import create_app
from medsam_match.request_limits import MAX_JSON_DEPTH, json_depth_exceeds
from tests.conftest import TEST_CONFIG, auth


def test_a_body_over_the_limit_is_413_before_it_is_read(client, world):
    body = json.dumps({"name": "x" * (2 << 20)})
    response = client.post("/api/v1/places", data=body, content_type="application/json",
                           headers=auth(world.no.municipality_token))
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert "1048576 bytes (1 MiB)" in response.get_json()["detail"]


def test_a_chunked_body_over_the_limit_is_413_not_cut_short(client, world):
    """Without Content-Length (chunked, as gunicorn passes it on) the body is
    read up to the limit only, and refused rather than taken cut short."""
    import io

    headers = auth(world.no.municipality_token)
    streamed = {"content_type": "application/json", "headers": headers,
                "environ_overrides": {"wsgi.input_terminated": True, "CONTENT_LENGTH": ""}}
    big = json.dumps({"municipality_id": world.no.municipality_id, "name": "Bibliotek",
                      "address": "x" * (2 << 20)}).encode()
    response = client.post("/api/v1/places", input_stream=io.BytesIO(big), **streamed)
    assert response.status_code == 413
    assert "1048576 bytes (1 MiB)" in response.get_json()["detail"]
    small = json.dumps({"municipality_id": world.no.municipality_id, "name": "Bibliotek"}).encode()
    response = client.post("/api/v1/places", input_stream=io.BytesIO(small), **streamed)
    assert response.status_code == 201, response.get_json()


def test_the_limit_is_a_setting(app, world):
    small = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "MAX_CONTENT_LENGTH": 2048})
    client = small.test_client()
    headers = auth(world.no.municipality_token)
    place = {"municipality_id": world.no.municipality_id, "name": "Bibliotek"}
    assert client.post("/api/v1/places", json=place, headers=headers).status_code == 201
    too_big = client.post("/api/v1/places", json={**place, "address": "x" * 4000},
                          headers=headers)
    assert too_big.status_code == 413
    assert "2048 bytes (2 KiB)" in too_big.get_json()["detail"]


def test_the_setting_is_read_from_the_environment():
    from medsam_match.config import flask_config, load_settings

    settings = load_settings({"MEDSAM_MAX_REQUEST_BYTES": "65536"})
    assert flask_config(settings)["MAX_CONTENT_LENGTH"] == 65536
    assert flask_config(load_settings({}))["MAX_CONTENT_LENGTH"] == 1 << 20


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5000, 100_000])
def test_deeply_nested_json_is_400_naming_the_problem(client, world, depth):
    body = '{"name": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/places", data=body, content_type="application/json",
                           headers=auth(world.no.municipality_token))
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in response.get_json()["detail"]


def test_deep_json_is_refused_on_every_route(client, world):
    body = "[" * 5000 + "]" * 5000
    headers = auth(world.no.coordinator_token)
    for method, path in (("patch", f"/api/v1/centres/{world.no.centre_id}"),
                         ("post", "/api/v1/volunteers"), ("post", "/api/v1/activities")):
        response = getattr(client, method)(path, data=body, content_type="application/json",
                                           headers=headers)
        assert response.status_code == 400, (path, response.status_code)


def test_ordinary_nesting_is_fine(client, world):
    place = {"municipality_id": world.no.municipality_id, "name": "Bibliotek",
             "busy": [{"start": "2027-01-12T10:00:00+01:00", "end": "2027-01-12T12:00:00+01:00"}]}
    response = client.post("/api/v1/places", json=place, headers=auth(world.no.municipality_token))
    assert response.status_code == 201


def test_the_depth_scan_ignores_brackets_inside_strings():
    assert not json_depth_exceeds(json.dumps({"text": "[" * 500}).encode(), 3)
    assert not json_depth_exceeds(json.dumps({"text": 'a\\"[[[[' * 50}).encode(), 3)
    assert json_depth_exceeds(b"[[[[]]]]", 3)
    assert not json_depth_exceeds(b"[[[]]]", 3)
