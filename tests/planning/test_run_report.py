"""A run's result told for people: unfilled slots and changes carry the
session's title, local start, place and role (and the volunteer's name), the
reason names languages in the reader's language, and the plan says how close
it is to the best possible one and who carries how many hours."""

from __future__ import annotations

import math
from typing import Any

from .conftest import post_run, run_queued


def _run(client: Any, centre: Any, run_id: int, language: str | None = None) -> dict[str, Any]:
    headers = dict(centre.headers)
    if language:
        headers["Accept-Language"] = language
    response = client.get(f"/api/v1/match-runs/{run_id}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _arabic_cafe(client: Any, centre: Any) -> int:
    """An activity whose one session needs someone speaking Arabic: nobody does."""
    activity = client.post("/api/v1/activities", headers=centre.headers, json={
        "centre_id": centre.centre_id, "title": "Arabisk språkkafé",
        "roles": [{"role": "tolk", "min": 1, "max": 1, "languages": ["ar"]}],
    })
    assert activity.status_code == 201, activity.get_json()
    session = client.post("/api/v1/sessions", headers=centre.headers, json={
        "activity_id": activity.get_json()["id"], "start": "2027-01-14T17:00:00+01:00",
        "end": "2027-01-14T19:00:00+01:00", "place_id": centre.world.no.place_ids[0],
    })
    assert session.status_code == 201, session.get_json()
    return session.get_json()["id"]


def test_unfilled_and_changes_name_sessions_places_and_people(app, client, centre):
    session_id = _arabic_cafe(client, centre)
    queued = post_run(client, centre, dry_run=True)
    run_queued(app)

    norwegian = _run(client, centre, queued["id"])  # Arendal's language: nb
    assert norwegian["status"] == "succeeded", norwegian["error"]
    (slot,) = [u for u in norwegian["unfilled"] if u["session_id"] == session_id]
    assert slot["title"] == "Arabisk språkkafé"
    assert slot["start"] == "2027-01-14T17:00:00+01:00"
    assert slot["place"] == "Arendal bibliotek"
    assert slot["role"] == "tolk" and slot["missing"] == 1
    assert slot["reason"] == "Ingen snakker arabisk."
    assert slot["reason_en"] == "Nobody speaks ar."  # the solver's own words, for bug reports

    english = _run(client, centre, queued["id"], language="en")
    (slot_en,) = [u for u in english["unfilled"] if u["session_id"] == session_id]
    assert slot_en["reason"] == "Nobody speaks Arabic."
    danish = _run(client, centre, queued["id"], language="da-DK,da;q=0.9")
    assert [u["reason"] for u in danish["unfilled"] if u["session_id"] == session_id] == [
        "Ingen taler arabisk."]

    added = norwegian["changes"]["added"]
    assert added and norwegian["changes"]["counts"]["added"] == len(added)
    names = {"Kari Nordmann", "Ola Hansen", "Amina Yusuf", "Per Berg", "Olena Koval",
             "Samir Haddad"}
    for change in added:
        assert change["volunteer"] in names
        assert change["title"] in ("Språkkafé", "Leksehjelp")
        assert change["place"] == "Arendal bibliotek"
        assert change["start"].startswith("2027-01-") and change["start"].endswith("+01:00")
        assert change["role"] in ("host", "helper")

    # who carries how much: every placement's hours, most first, adding up
    hours = norwegian["hours_by_volunteer"]
    assert hours and all(row["name"] in names for row in hours)
    assert [row["hours"] for row in hours] == sorted((row["hours"] for row in hours), reverse=True)
    assert math.isclose(sum(row["hours"] for row in hours), norwegian["kpis"]["hours_total"])
    assert sum(row["sessions"] for row in hours) == norwegian["kpis"]["assignments"]

    quality = norwegian["quality"]
    assert 0.0 <= quality["gap"] <= 1.0
    assert quality["percent_of_best"] == round(100 * (1 - quality["gap"]), 2)
    if quality["proven_best"]:
        assert quality["gap"] == 0.0 and quality["percent_of_best"] == 100.0


def test_a_queued_run_has_nothing_to_tell_yet(client, centre):
    queued = post_run(client, centre)
    run = _run(client, centre, queued["id"])
    assert run["unfilled"] is None and run["changes"] is None and run["quality"] is None
    assert run["hours_by_volunteer"] == []


def test_the_kpis_are_documented_in_plain_words(client):
    document = client.get("/api/v1/openapi.json").get_json()
    kpis = document["components"]["schemas"]["Kpis"]["properties"]
    assert "every needed slot is filled" in kpis["fill_rate"]["description"]
    assert "unevenly" in kpis["hours_gini"]["description"]
    assert all(field.get("description") for field in kpis.values())
