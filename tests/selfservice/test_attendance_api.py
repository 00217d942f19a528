"""/api/v1/attendance: the coordinator marks who came; hours follow."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Assignment
from medsam_match.models.types import utcnow
from medsam_match.services.attendance import apply_default_attendance
from tests.api.conftest import assert_problem, rows
from tests.api.manual_world import ManualWorld, build_manual_world
from tests.conftest import World, auth
from tests.selfservice.past_world import PastSession, add_past_session

URL = "/api/v1/attendance"


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


@pytest.fixture
def past(app: Flask, mw: ManualWorld) -> PastSession:
    return add_past_session(app, mw)


def test_the_coordinator_marks_a_session_and_the_hours_follow(
        client: FlaskClient, mw: ManualWorld, past: PastSession, make_token) -> None:  # type: ignore[no-untyped-def]
    coordinator = auth(mw.world.no.coordinator_token)
    listed = client.get(f"{URL}?session_id={past.session_id}", headers=coordinator)
    assert listed.status_code == 200
    # Only the confirmed seats are there to mark, none marked yet.
    assert sorted((r["assignment_id"], r["attendance"]) for r in listed.json) == [
        (past.amira_seat, None), (past.yusuf_seat, None)]
    marked = client.post(URL, headers=coordinator, json={
        "session_id": past.session_id,
        "marks": [{"assignment_id": past.amira_seat, "attendance": "attended",
                   "if_attendance": "unmarked"},
                  {"assignment_id": past.yusuf_seat, "attendance": "no_show"}]})
    assert marked.status_code == 200, marked.json
    assert {r["assignment_id"]: r["attendance"] for r in marked.json} == {
        past.amira_seat: "attended", past.yusuf_seat: "no_show"}
    assert all(r["attendance_marked_by"].startswith("token ") for r in marked.json)

    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    summary = client.get("/api/v1/hours/summary", headers=amira).json
    assert (summary["attended"], summary["sessions_attended"], summary["total"]) == (2.0, 1, 2.0)
    yusuf = client.get(f"/api/v1/hours/summary?volunteer_id={mw.yusuf}", headers=coordinator).json
    assert (yusuf["total"], yusuf["no_shows"]) == (0.0, 1)
    # The volunteer reads their own record, not another's.
    own = client.get(URL, headers=amira).json
    assert [r["assignment_id"] for r in own] == [past.amira_seat]
    assert client.get(f"{URL}/{past.yusuf_seat}", headers=amira).status_code == 404
    assert client.put(f"{URL}/{past.amira_seat}", headers=amira,
                      json={"attendance": "no_show"}).status_code == 403


def test_a_correction_and_clearing(client: FlaskClient, mw: ManualWorld,
                                   past: PastSession) -> None:
    coordinator = auth(mw.world.no.coordinator_token)
    url = f"{URL}/{past.amira_seat}"
    assert client.put(url, headers=coordinator, json={"attendance": "attended"}).json[
        "attendance"] == "attended"
    stale = client.put(url, headers=coordinator,
                       json={"attendance": "no_show", "if_attendance": "unmarked"})
    assert_problem(stale, 409)
    assert client.get(url, headers=coordinator).json["attendance"] == "attended"
    fixed = client.put(url, headers=coordinator,
                       json={"attendance": "no_show", "if_attendance": "attended"})
    assert fixed.json["attendance"] == "no_show"
    cleared = client.put(url, headers=coordinator, json={"attendance": None})
    assert cleared.json["attendance"] is None and cleared.json["attendance_marked_at"] is None


def test_what_cannot_be_marked(app: Flask, client: FlaskClient, mw: ManualWorld,
                               past: PastSession) -> None:
    coordinator = auth(mw.world.no.coordinator_token)
    before = rows(app, Assignment)
    # A proposed seat, a future session's seat, another centre, nonsense.
    assert_problem(client.put(f"{URL}/{past.ola_seat}", headers=coordinator,
                              json={"attendance": "attended"}), 409)
    with app.app_context():
        future = Assignment(volunteer_id=mw.amira, session_id=mw.session_id, role="host",
                            status="confirmed")
        db.session.add(future)
        db.session.commit()
        future_id = future.id
    before = rows(app, Assignment)
    assert_problem(client.put(f"{URL}/{future_id}", headers=coordinator,
                              json={"attendance": "attended"}), 409)
    assert_problem(client.put(f"{URL}/{past.amira_seat}", headers=coordinator,
                              json={"attendance": "came"}), 422, "attendance")
    other = auth(mw.world.dk.coordinator_token)
    assert_problem(client.put(f"{URL}/{past.amira_seat}", headers=other,
                              json={"attendance": "attended"}), 404)
    assert client.get(f"{URL}?session_id={past.session_id}", headers=other).json == []
    # All or nothing: one bad seat leaves the others unmarked.
    assert_problem(client.post(URL, headers=coordinator, json={
        "session_id": past.session_id,
        "marks": [{"assignment_id": past.amira_seat, "attendance": "attended"},
                  {"assignment_id": future_id, "attendance": "attended"}]}),
        422, "marks.1.assignment_id")
    assert rows(app, Assignment) == before


def test_attendance_by_default_after_n_days(app: Flask, mw: ManualWorld,
                                            past: PastSession) -> None:
    with app.app_context():
        db.session.get(Assignment, past.yusuf_seat).attendance = "no_show"
        db.session.commit()
        assert apply_default_attendance(0) == 0  # off
        assert apply_default_attendance(3) == 0  # ended two days ago: not yet
        assert apply_default_attendance(2, now=utcnow() + timedelta(days=1)) == 1
        marks = {a.id: (a.attendance, a.attendance_marked_by)
                 for a in db.session.query(Assignment).filter(
                     Assignment.session_id == past.session_id)}
    assert marks == {past.amira_seat: ("attended", "default"),
                     past.yusuf_seat: ("no_show", None),  # a coordinator's mark stays
                     past.ola_seat: (None, None), past.sara_seat: (None, None)}


@pytest.mark.postgres
def test_two_coordinators_marking_one_seat_at_once(app: Flask, mw: ManualWorld,
                                                   past: PastSession, make_token) -> None:  # type: ignore[no-untyped-def]
    """Each saw it unmarked; one wins, the other is told (409), and the seat
    holds the winner's mark."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    tokens = [make_token("coordinator", centre_id=mw.world.no.centre_id) for _ in range(2)]
    values = ["attended", "no_show"]
    def mark(token: str, value: str, barrier: threading.Barrier,
             answers: dict[str, int]) -> None:
        own = app.test_client()
        barrier.wait()
        answers[value] = own.put(f"{URL}/{past.amira_seat}", headers=auth(token), json={
            "attendance": value, "if_attendance": "unmarked"}).status_code

    for _round in range(3):
        with app.app_context():
            db.session.get(Assignment, past.amira_seat).attendance = None
            db.session.commit()
        barrier = threading.Barrier(2)
        answers: dict[str, int] = {}
        threads = [threading.Thread(target=mark, args=(*pair, barrier, answers))
                   for pair in zip(tokens, values, strict=True)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(answers.values()) == [200, 409]
        winner = next(v for v, code in answers.items() if code == 200)
        with app.app_context():
            assert db.session.get(Assignment, past.amira_seat).attendance == winner
