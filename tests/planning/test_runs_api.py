"""The planning workflow over HTTP: ask for a plan, see it, answer it, repair it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import solver
from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun
from tests.conftest import auth

from .conftest import WINDOW_FROM, WINDOW_TO, post_run, run_queued


def _assignments(client: Any, centre: Any, **query: Any) -> list[dict[str, Any]]:
    response = client.get("/api/v1/assignments", headers=centre.headers,
                          query_string={"page_size": 500, **query})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _run(client: Any, centre: Any, run_id: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/match-runs/{run_id}", headers=centre.headers)
    assert response.status_code == 200
    return response.get_json()


def test_a_run_is_queued_then_solved_and_published(app, client, centre):
    queued = post_run(client, centre)
    assert queued["status"] == "queued" and queued["trigger"] == "api"
    assert queued["from"] == WINDOW_FROM and queued["mode"] == "plan"
    assert _assignments(client, centre) == []

    assert run_queued(app) == [queued["id"]]
    run = _run(client, centre, queued["id"])
    assert run["status"] == "succeeded", run["error"]
    assert run["started_at"] and run["finished_at"] and run["error"] is None
    assert run["score"] is not None and run["bound"] >= run["score"] - 1e-6
    assert 0 < run["kpis"]["fill_rate"] <= 1

    scenario = client.get(f"/api/v1/match-runs/{run['id']}/scenario", headers=centre.headers).get_json()
    result = client.get(f"/api/v1/match-runs/{run['id']}/result", headers=centre.headers).get_json()
    assert scenario["format"] == "medsam-scenario/1" and result["format"] == "medsam-result/1"
    assert solver.validate(scenario, result) == []
    assert len(scenario["sessions"]) == len(centre.session_ids)

    published = _assignments(client, centre)
    assert published and {a["status"] for a in published} == {"proposed"}
    assert {a["match_run_id"] for a in published} == {run["id"]}
    stored = {(str(a["volunteer_id"]), str(a["session_id"]), a["role"]) for a in published}
    planned = {(a["volunteer"], a["session"], a["role"]) for a in result["assignments"]}
    assert stored == planned
    # Homework help needs a valid police certificate: Samir's expired.
    samir = centre.volunteer_ids[5]
    homework_session = centre.session_ids[-1]
    assert all(not (a["volunteer_id"] == samir and a["session_id"] == homework_session)
               for a in published)
    # Each unfilled slot says why, in words.
    for slot in run["unfilled"]:
        assert slot["missing"] >= 1 and slot["reason"]


def test_confirm_decline_and_repair(app, client, centre):
    first = post_run(client, centre)
    run_queued(app)
    assert _run(client, centre, first["id"])["status"] == "succeeded"
    proposed = _assignments(client, centre)
    keep, drop = proposed[0], next(a for a in proposed[1:] if a["volunteer_id"] != proposed[0]["volunteer_id"])

    keeper_token = centre.volunteer_tokens[keep["volunteer_id"]]
    confirmed = client.post(f"/api/v1/assignments/{keep['id']}:confirm", headers=auth(keeper_token))
    assert confirmed.status_code == 200 and confirmed.get_json()["status"] == "confirmed"

    decliner_token = centre.volunteer_tokens[drop["volunteer_id"]]
    # Nobody answers for someone else: another volunteer's assignment is not found.
    assert client.post(f"/api/v1/assignments/{drop['id']}:decline",
                       headers=auth(keeper_token)).status_code == 404
    declined = client.post(f"/api/v1/assignments/{drop['id']}:decline", headers=auth(decliner_token),
                           json={"reason": "Sick that week"})
    assert declined.status_code == 200
    assert declined.get_json()["status"] == "declined"
    assert declined.get_json()["decline_reason"] == "Sick that week"

    repairs = client.get("/api/v1/match-runs", headers=centre.headers,
                         query_string={"trigger": "decline"}).get_json()
    assert len(repairs) == 1 and repairs[0]["mode"] == "repair" and repairs[0]["status"] == "queued"

    # A second decline within the minute joins the same repair run.
    other = next(a for a in proposed if a["id"] not in (keep["id"], drop["id"])
                 and a["volunteer_id"] != drop["volunteer_id"])
    client.post(f"/api/v1/assignments/{other['id']}:decline", headers=centre.headers)
    repairs = client.get("/api/v1/match-runs", headers=centre.headers,
                         query_string={"trigger": "decline"}).get_json()
    assert len(repairs) == 1

    # The repair waits a minute for more declines; let it start now. Its
    # window (now .. horizon) must cover our sessions: widen it as a
    # coordinator's later run would.
    with app.app_context():
        run = db.session.get(MatchRun, repairs[0]["id"])
        run.not_before = datetime.now(UTC) - timedelta(seconds=1)
        run.window_from = datetime.fromisoformat(WINDOW_FROM)
        run.window_to = datetime.fromisoformat(WINDOW_TO)
        db.session.commit()
    assert run_queued(app) == [repairs[0]["id"]]
    repair = _run(client, centre, repairs[0]["id"])
    assert repair["status"] == "succeeded", repair["error"]

    after = _assignments(client, centre)
    by_id = {a["id"]: a for a in after}
    assert by_id[keep["id"]]["status"] == "confirmed"
    live = [a for a in after if a["status"] in ("proposed", "confirmed")]
    assert not any(a["volunteer_id"] == drop["volunteer_id"] and a["session_id"] == drop["session_id"]
                   for a in live)
    assert not any(a["volunteer_id"] == other["volunteer_id"] and a["session_id"] == other["session_id"]
                   for a in live)
    # Two declines: the repair changes little else (at most twice the declines, plus fills).
    counts = repair["changes"]["counts"]
    assert counts["removed"] <= 2 * 2

    scenario = client.get(f"/api/v1/match-runs/{repair['id']}/scenario", headers=centre.headers).get_json()
    assert {"volunteer": str(drop["volunteer_id"]), "session": str(drop["session_id"])} in scenario["forbidden"]
    assert {"volunteer": str(keep["volunteer_id"]), "session": str(keep["session_id"]),
            "role": keep["role"]} in scenario["fixed"]


def test_a_dry_run_publishes_nothing_until_asked(app, client, centre):
    dry = post_run(client, centre, dry_run=True)
    run_queued(app)
    run = _run(client, centre, dry["id"])
    assert run["status"] == "succeeded" and run["dry_run"] and run["published_at"] is None
    assert _assignments(client, centre) == []

    published = client.post(f"/api/v1/match-runs/{dry['id']}:publish", headers=centre.headers)
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["published_at"]
    result = client.get(f"/api/v1/match-runs/{dry['id']}/result", headers=centre.headers).get_json()
    assert len(_assignments(client, centre)) == len(result["assignments"])

    again = client.post(f"/api/v1/match-runs/{dry['id']}:publish", headers=centre.headers)
    assert again.status_code == 409 and "already published" in again.get_json()["detail"]


def test_publishing_a_stale_dry_run_is_refused(app, client, centre):
    plan = post_run(client, centre)
    run_queued(app)
    dry = post_run(client, centre, dry_run=True)
    run_queued(app)
    some = _assignments(client, centre)[0]
    assert client.post(f"/api/v1/assignments/{some['id']}:confirm", headers=centre.headers).status_code == 200
    response = client.post(f"/api/v1/match-runs/{dry['id']}:publish", headers=centre.headers)
    assert response.status_code == 409
    assert "changed since this run started" in response.get_json()["detail"]
    assert plan["id"] != dry["id"]


def test_a_non_dry_run_cannot_be_published_again(app, client, centre):
    run = post_run(client, centre)
    assert client.post(f"/api/v1/match-runs/{run['id']}:publish", headers=centre.headers).status_code == 409


def test_illegal_transitions_answer_409_naming_the_state(app, client, centre):
    post_run(client, centre)
    run_queued(app)
    first, second = _assignments(client, centre)[:2]
    assert client.post(f"/api/v1/assignments/{first['id']}:decline", headers=centre.headers).status_code == 200
    response = client.post(f"/api/v1/assignments/{first['id']}:confirm", headers=centre.headers)
    assert response.status_code == 409
    assert response.get_json()["detail"].startswith("the assignment is declined")
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert client.post(f"/api/v1/assignments/{first['id']}:decline", headers=centre.headers).status_code == 409
    locked = client.patch(f"/api/v1/assignments/{first['id']}", headers=centre.headers, json={"locked": True})
    assert locked.status_code == 409

    assert client.post(f"/api/v1/assignments/{second['id']}:confirm", headers=centre.headers).status_code == 200
    again = client.post(f"/api/v1/assignments/{second['id']}:confirm", headers=centre.headers)
    assert again.status_code == 409 and "confirmed" in again.get_json()["detail"]


def test_locked_and_confirmed_assignments_survive_a_new_plan(app, client, centre):
    post_run(client, centre)
    run_queued(app)
    first, second = _assignments(client, centre)[:2]
    response = client.patch(f"/api/v1/assignments/{first['id']}", headers=centre.headers, json={"locked": True})
    assert response.status_code == 200 and response.get_json()["locked"] is True
    volunteer = centre.volunteer_tokens[second["volunteer_id"]]
    assert client.patch(f"/api/v1/assignments/{second['id']}", headers=auth(volunteer),
                        json={"locked": True}).status_code == 403
    client.post(f"/api/v1/assignments/{second['id']}:confirm", headers=centre.headers)

    post_run(client, centre)
    run_queued(app)
    after = {a["id"]: a for a in _assignments(client, centre)}
    assert after[first["id"]]["locked"] and after[first["id"]]["status"] == "proposed"
    assert after[second["id"]]["status"] == "confirmed"
    assert after[first["id"]]["match_run_id"] == first["match_run_id"]


def test_bad_run_requests(app, client, centre, world):
    def post(**body: Any) -> Any:
        base = {"centre_id": centre.centre_id, "from": WINDOW_FROM, "to": WINDOW_TO}
        return client.post("/api/v1/match-runs", headers=centre.headers, json={**base, **body})

    too_long = post(to="2027-06-01T00:00:00+02:00")
    assert too_long.status_code == 422 and "to" in too_long.get_json()["errors"]
    backwards = post(to="2027-01-01T00:00:00+01:00")
    assert backwards.status_code == 422 and "to" in backwards.get_json()["errors"]
    naive = post(**{"from": "2027-01-11T00:00:00"})
    assert naive.status_code == 422 and "from" in naive.get_json()["errors"]
    unknown = post(centre_id=999999)
    assert unknown.status_code in (404, 422)
    foreign = post(centre_id=world.dk.centre_id)
    assert foreign.status_code in (404, 422)
    assert post(mode="everything").status_code == 422
    assert post(colour="blue").status_code == 422
    bad_json = client.post("/api/v1/match-runs", headers={**centre.headers, "Content-Type": "application/json"},
                           data="{not json")
    assert bad_json.status_code == 400
    with app.app_context():
        assert db.session.query(MatchRun).count() == 0


def test_runs_are_private_to_their_tenant(app, client, centre, world):
    run = post_run(client, centre)
    other = auth(world.dk.coordinator_token)
    assert client.get(f"/api/v1/match-runs/{run['id']}", headers=other).status_code == 404
    assert client.get(f"/api/v1/match-runs/{run['id']}/scenario", headers=other).status_code == 404
    assert client.get("/api/v1/match-runs", headers=other).get_json() == []
    volunteer = auth(centre.volunteer_tokens[centre.volunteer_ids[0]])
    assert client.get(f"/api/v1/match-runs/{run['id']}", headers=volunteer).status_code == 404
    assert client.post("/api/v1/match-runs", headers=volunteer, json={
        "centre_id": centre.centre_id, "from": WINDOW_FROM, "to": WINDOW_TO}).status_code == 404
    run_queued(app)
    some = _assignments(client, centre)[0]
    assert client.get(f"/api/v1/assignments/{some['id']}", headers=other).status_code == 404
    assert client.post(f"/api/v1/assignments/{some['id']}:confirm", headers=other).status_code == 404


def test_a_volunteer_sees_only_their_own_assignments(app, client, centre):
    post_run(client, centre)
    run_queued(app)
    everyone = _assignments(client, centre)
    volunteer_id = everyone[0]["volunteer_id"]
    token = auth(centre.volunteer_tokens[volunteer_id])
    mine = client.get("/api/v1/assignments", headers=token).get_json()
    assert mine and {a["volunteer_id"] for a in mine} == {volunteer_id}
    own = client.get(f"/api/v1/volunteers/{volunteer_id}/assignments", headers=token)
    assert own.status_code == 200
    starts = [a["start"] for a in own.get_json()]
    assert starts == sorted(starts)




def test_erasing_a_volunteer_frees_their_slots_and_queues_a_repair(app, client, centre):
    post_run(client, centre)
    run_queued(app)
    some = _assignments(client, centre)[0]
    erased = client.delete(f"/api/v1/volunteers/{some['volunteer_id']}", headers=centre.headers)
    assert erased.status_code == 204
    after = client.get(f"/api/v1/assignments/{some['id']}", headers=centre.headers).get_json()
    assert after["status"] == "cancelled"
    repairs = client.get("/api/v1/match-runs", headers=centre.headers,
                         query_string={"mode": "repair"}).get_json()
    assert len(repairs) == 1 and repairs[0]["status"] == "queued"
    assert repairs[0]["to"] >= after["start"]


def test_weekly_limits_count_assignments_just_outside_the_window(app, client, centre):
    """Kari (at most one session a week) is confirmed at Tuesday's café. A plan
    from Wednesday of the same week must not also give her Wednesday's
    homework help, although that week's Tuesday lies outside its window."""
    kari = centre.volunteer_ids[0]
    tuesday, wednesday = centre.session_ids[0], centre.session_ids[-1]
    with app.app_context():
        db.session.add(Assignment(volunteer_id=kari, session_id=tuesday, role="helper",
                                  status="confirmed"))
        db.session.commit()
    run = post_run(client, centre, **{"from": "2027-01-13T00:00:00+01:00",
                                      "to": "2027-01-18T00:00:00+01:00"})
    run_queued(app)
    done = _run(client, centre, run["id"])
    assert done["status"] == "succeeded", done["error"]
    scenario = client.get(f"/api/v1/match-runs/{run['id']}/scenario", headers=centre.headers).get_json()
    assert {"volunteer": str(kari), "session": str(tuesday), "role": "helper"} in scenario["fixed"]
    homework = _assignments(client, centre, session_id=wednesday)
    assert homework, "Amina (valid police certificate) should take the homework help"
    assert kari not in {a["volunteer_id"] for a in homework}
    # The frozen Tuesday is not re-published: Kari's confirmed row is the only one there.
    tuesday_rows = _assignments(client, centre, session_id=tuesday)
    assert [(a["volunteer_id"], a["status"]) for a in tuesday_rows] == [(kari, "confirmed")]
