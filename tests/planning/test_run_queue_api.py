"""The queued-runs limit and cancelling, as a coordinator meets them."""

from __future__ import annotations

from tests.conftest import auth

BODY = {"from": "2030-01-07T00:00:00+01:00", "to": "2030-01-21T00:00:00+01:00",
        "time_limit_s": 5}


def test_the_fourth_queued_run_answers_429_naming_the_limit(client, world):
    headers = auth(world.no.coordinator_token)
    body = {**BODY, "centre_id": world.no.centre_id}
    ids = [client.post("/api/v1/match-runs", headers=headers, json=body).get_json()["id"]
           for _ in range(3)]
    refused = client.post("/api/v1/match-runs", headers=headers, json=body)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json() == {
        "type": "about:blank", "title": "Too Many Requests", "status": 429,
        "detail": "the centre already has 3 queued runs, the most allowed "
                  "(max_queued_runs_per_centre = 3); wait for one to finish or cancel one",
    }
    # Cancelling one makes room; a cancelled run cannot be cancelled again.
    cancelled = client.post(f"/api/v1/match-runs/{ids[0]}:cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    again = client.post(f"/api/v1/match-runs/{ids[0]}:cancel", headers=headers)
    assert again.status_code == 409
    assert again.get_json()["detail"] == "the run is cancelled; only a queued run can be cancelled"
    assert client.post("/api/v1/match-runs", headers=headers, json=body).status_code == 202


def test_another_centres_runs_cannot_be_cancelled(client, world):
    body = {**BODY, "centre_id": world.no.centre_id}
    run = client.post("/api/v1/match-runs", headers=auth(world.no.coordinator_token),
                      json=body).get_json()
    other = client.post(f"/api/v1/match-runs/{run['id']}:cancel",
                        headers=auth(world.dk.coordinator_token))
    assert other.status_code == 404
