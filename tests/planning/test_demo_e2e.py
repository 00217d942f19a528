"""The planning workflow end to end, over HTTP, on the demo network.

The demo (seven municipalities, about 400 volunteers, four weeks of sessions)
is loaded into the test database; Arendal frivilligsentral's coordinator asks
for a plan of the next two weeks, the worker solves it in a child process,
volunteers answer, and the decline is repaired. Solver time limits are short:
these tests check what the workflow does, not how good a plan is.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

import solver
from medsam_match.demo import load_demo
from medsam_match.extensions import db
from medsam_match.jobs.worker import run_pending
from medsam_match.models import Centre, MatchRun
from tests.conftest import auth

CENTRE_NAME = "Arendal frivilligsentral"
TIME_LIMIT_S = 3
LIVE = ("proposed", "confirmed")

Triple = tuple[int, int, str]


class Demo:
    """The loaded demo, seen by one centre's coordinator."""

    def __init__(self, app: Flask, client: FlaskClient, make_token: Any) -> None:
        self.app = app
        # Repair runs queued by a decline take their limit from the configuration.
        app.config["MEDSAM_REPAIR_TIME_LIMIT_S"] = TIME_LIMIT_S
        self.client = client
        self.make_token = make_token
        with app.app_context():
            summary = load_demo(today=date.today())
            centre = db.session.scalars(select(Centre).where(Centre.name == CENTRE_NAME)).one()
            self.centre_id = centre.id
            zone = ZoneInfo(centre.municipality.timezone)
        self.headers = auth(make_token("coordinator", centre_id=self.centre_id))
        # The next two weeks, from the first demo day's midnight, local time.
        self.window_from = datetime.combine(summary.first_day, time(0), tzinfo=zone)
        self.window_to = self.window_from + timedelta(days=14)

    def volunteer_headers(self, volunteer_id: int) -> dict[str, str]:
        return auth(self.make_token("volunteer", volunteer_id=volunteer_id))

    def post_run(self, **extra: Any) -> dict[str, Any]:
        body = {"centre_id": self.centre_id, "from": self.window_from.isoformat(),
                "to": self.window_to.isoformat(), "time_limit_s": TIME_LIMIT_S, **extra}
        response = self.client.post("/api/v1/match-runs", headers=self.headers, json=body)
        assert response.status_code == 202, response.get_json()
        run = response.get_json()
        assert run["status"] == "queued"
        return run

    def get(self, path: str, **query: Any) -> Any:
        response = self.client.get(f"/api/v1{path}", headers=self.headers, query_string=query)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    def execute_and_poll(self, run_id: int) -> dict[str, Any]:
        """Let the worker execute what is due, then poll the run as a client would."""
        assert run_id in run_pending(self.app)
        for _ in range(50):
            run = self.get(f"/match-runs/{run_id}")
            if run["status"] not in ("queued", "running"):
                break
        assert run["status"] == "succeeded", run["error"]
        return run

    def documents(self, run_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.get(f"/match-runs/{run_id}/scenario"), self.get(f"/match-runs/{run_id}/result")

    def assignments(self) -> list[dict[str, Any]]:
        return self.get("/assignments", centre_id=self.centre_id, page_size=500)


@pytest.fixture
def demo(app: Flask, client: FlaskClient, make_token: Any) -> Demo:
    return Demo(app, client, make_token)


def _live(assignments: list[dict[str, Any]]) -> set[Triple]:
    return {(a["volunteer_id"], a["session_id"], a["role"]) for a in assignments
            if a["status"] in LIVE}


def _planned(result: dict[str, Any]) -> set[Triple]:
    return {(int(a["volunteer"]), int(a["session"]), a["role"]) for a in result["assignments"]}


def _newly_filled(before: set[Triple], after: set[Triple]) -> int:
    """Places in (session, role) crews that grew: people added beyond those that left."""
    grown = Counter((s, r) for _, s, r in after)
    grown.subtract(Counter((s, r) for _, s, r in before))
    return sum(n for n in grown.values() if n > 0)


def test_plan_confirm_decline_and_repair_on_the_demo(demo: Demo) -> None:
    first = demo.post_run()
    assert first["mode"] == "plan" and first["trigger"] == "api"
    assert demo.assignments() == []
    run = demo.execute_and_poll(first["id"])
    assert run["started_at"] and run["finished_at"] and run["published_at"]
    assert run["bound"] >= run["score"] - 1e-6
    assert 0 < run["kpis"]["fill_rate"] <= 1

    # The published plan is exactly the run's result, and that result obeys
    # every hard rule of the scenario the run stored.
    scenario, result = demo.documents(first["id"])
    assert solver.validate(scenario, result) == []
    # Every session of the centre in the two weeks is planned (demo sessions
    # start after the window's first midnight, so "overlaps" means "starts in").
    in_window = demo.get("/sessions", centre_id=demo.centre_id, page_size=500,
                         **{"from": demo.window_from.isoformat(), "to": demo.window_to.isoformat()})
    assert len(in_window) >= 5  # a real centre's fortnight (fewer around Christmas)
    assert {s["id"] for s in scenario["sessions"]} == {str(s["id"]) for s in in_window}
    proposed = demo.assignments()
    assert proposed and {a["status"] for a in proposed} == {"proposed"}
    assert {a["match_run_id"] for a in proposed} == {first["id"]}
    plan = _live(proposed)
    assert plan == _planned(result)
    # Each unfilled slot is explained in words.
    assert all(slot["missing"] >= 1 and slot["reason"] for slot in run["unfilled"])

    # One volunteer confirms, another declines, each with their own token.
    keep = proposed[0]
    drop = next(a for a in proposed if a["volunteer_id"] != keep["volunteer_id"]
                and a["session_id"] != keep["session_id"])
    keeper = demo.volunteer_headers(keep["volunteer_id"])
    decliner = demo.volunteer_headers(drop["volunteer_id"])
    own = demo.client.get(f"/api/v1/volunteers/{keep['volunteer_id']}/assignments", headers=keeper)
    assert keep["id"] in {a["id"] for a in own.get_json()}
    answer = demo.client.post(f"/api/v1/assignments/{keep['id']}:confirm", headers=keeper)
    assert answer.status_code == 200 and answer.get_json()["status"] == "confirmed"
    # Nobody answers for someone else.
    assert demo.client.post(f"/api/v1/assignments/{drop['id']}:decline",
                            headers=keeper).status_code == 404
    answer = demo.client.post(f"/api/v1/assignments/{drop['id']}:decline", headers=decliner,
                              json={"reason": "Away that evening"})
    assert answer.status_code == 200 and answer.get_json()["status"] == "declined"

    repairs = demo.get("/match-runs", trigger="decline")
    assert [(r["mode"], r["status"]) for r in repairs] == [("repair", "queued")]
    repair_id = repairs[0]["id"]
    # Declines are gathered for a minute before the repair starts: nothing runs yet.
    assert run_pending(demo.app) == []
    with demo.app.app_context():
        db.session.execute(update(MatchRun).where(MatchRun.id == repair_id)
                           .values(not_before=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
    before = plan - {(drop["volunteer_id"], drop["session_id"], drop["role"])}
    repair = demo.execute_and_poll(repair_id)

    scenario, result = demo.documents(repair_id)
    assert solver.validate(scenario, result) == []
    assert {"volunteer": str(keep["volunteer_id"]), "session": str(keep["session_id"]),
            "role": keep["role"]} in scenario["fixed"]
    assert {"volunteer": str(drop["volunteer_id"]),
            "session": str(drop["session_id"])} in scenario["forbidden"]

    after_rows = demo.assignments()
    by_id = {a["id"]: a for a in after_rows}
    assert by_id[keep["id"]]["status"] == "confirmed"
    assert by_id[drop["id"]]["status"] == "declined"
    assert repair["time_limit_s"] == TIME_LIMIT_S
    after = _live(after_rows)
    # The decliner never gets that session again, in any role.
    assert not any((v, s) == (drop["volunteer_id"], drop["session_id"]) for v, s, _ in after)
    # Little else changes: a decline may move at most two people (one slides
    # into the opened place, one fills theirs); beyond that only places that
    # were empty get filled.
    added, removed = after - before, before - after
    assert len(added) + len(removed) <= 2 * 1 + _newly_filled(before, after)
    # What the coordinator reads as the run's changes is what happened.
    changes = repair["changes"]
    moved = [(m["volunteer_id"], m["session_id"]) for m in changes["moved"]]
    assert len(changes["added"]) + len(moved) == len(added)
    assert len(changes["removed"]) + len(moved) == len(removed)
    assert {(c["volunteer_id"], c["session_id"], c["role"]) for c in changes["added"]} <= added


def test_a_dry_run_on_the_demo_publishes_nothing_until_asked(demo: Demo) -> None:
    sessions_before = demo.get("/sessions", page_size=500)
    dry = demo.post_run(dry_run=True)
    run = demo.execute_and_poll(dry["id"])
    assert run["dry_run"] is True and run["published_at"] is None
    scenario, result = demo.documents(dry["id"])
    assert solver.validate(scenario, result) == []
    assert result["assignments"]
    # Nothing was written: no assignments, and no session got a time, a place
    # or a status from the plan.
    assert demo.assignments() == []
    assert demo.get("/sessions", page_size=500) == sessions_before

    published = demo.client.post(f"/api/v1/match-runs/{dry['id']}:publish", headers=demo.headers)
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["published_at"]
    rows = demo.assignments()
    assert {a["status"] for a in rows} == {"proposed"}
    assert _live(rows) == _planned(result)
    scheduled = {s["session"] for s in result["schedule"]}
    statuses = {str(s["id"]): s["status"] for s in demo.get("/sessions", page_size=500)}
    assert {statuses[s] for s in scheduled} == {"scheduled"}

    again = demo.client.post(f"/api/v1/match-runs/{dry['id']}:publish", headers=demo.headers)
    assert again.status_code == 409
    assert _live(demo.assignments()) == _planned(result)
