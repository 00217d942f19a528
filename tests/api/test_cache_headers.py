"""Answers with people's data or tokens are never kept by a cache:
Cache-Control: no-store on /api and /my, except static files and the
calendar feed (private, briefly)."""

from __future__ import annotations

from tests.conftest import auth


def test_every_api_answer_says_no_store(client, world):
    headers = auth(world.admin_token)
    answers = [
        client.get("/api/v1/centres", headers=headers),
        client.get(f"/api/v1/centres/{world.no.centre_id}", headers=headers),
        client.get("/api/v1/centres/999999", headers=headers),  # 404
        client.get("/api/v1/centres"),  # 401
        client.post("/api/v1/places", json={}, headers=headers),  # 422
        client.get("/api/v1/health"),
        client.get("/api/v1/openapi.json"),
    ]
    for response in answers:
        assert response.headers.get("Cache-Control") == "no-store", response.request.path


def test_volunteer_pages_say_no_store_but_the_stylesheet_may_be_cached(client):
    assert client.get("/my/").headers["Cache-Control"] == "no-store"
    assert client.get("/my/nothing-here").headers["Cache-Control"] == "no-store"
    stylesheet = client.get("/my/static/my.css")
    assert stylesheet.status_code == 200
    assert "no-store" not in stylesheet.headers.get("Cache-Control", "")
