"""Pending swaps for the coordinator (GET /api/v1/swaps, :cancel) and a
swap taken over by two volunteers at once."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Assignment, Volunteer
from tests.api.conftest import assert_problem
from tests.api.manual_world import ALL_WEEK, ManualWorld, build_manual_world
from tests.conftest import World, auth


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


def _offered(client: FlaskClient, mw: ManualWorld, make_token) -> int:  # type: ignore[no-untyped-def]
    yusuf = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    seat = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take", headers=yusuf).json
    assert client.post(f"/api/v1/assignments/{seat['id']}:offer",
                       headers=yusuf).status_code == 200
    return int(seat["id"])


def test_the_coordinator_sees_and_cancels_a_pending_swap(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    seat = _offered(client, mw, make_token)
    coordinator = auth(mw.world.no.coordinator_token)
    pending = client.get("/api/v1/swaps", headers=coordinator).json
    assert [(s["assignment_id"], s["volunteer_name"], s["role"]) for s in pending] == [
        (seat, "Yusuf Karim", "host")]
    assert client.get("/api/v1/swaps", headers=auth(mw.world.dk.coordinator_token)).json == []
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    assert client.get("/api/v1/swaps", headers=amira).json == []  # only her own offers
    assert client.post(f"/api/v1/swaps/{seat}:cancel", headers=amira).status_code == 404
    assert client.post(f"/api/v1/swaps/{seat}:cancel",
                       headers=auth(mw.world.dk.coordinator_token)).status_code == 404

    cancelled = client.post(f"/api/v1/swaps/{seat}:cancel", headers=coordinator)
    assert cancelled.status_code == 200 and cancelled.json["swap_offered_at"] is None
    assert client.get("/api/v1/swaps", headers=coordinator).json == []
    assert_problem(client.post(f"/api/v1/swaps/{seat}:cancel", headers=coordinator), 409)
    # Nobody can take it over any more; it stays Yusuf's.
    assert client.post(f"/api/v1/assignments/{seat}:take-over", headers=amira).status_code == 404
    with app.app_context():
        row = db.session.get(Assignment, seat)
        assert (row.volunteer_id, row.status) == (mw.yusuf, "confirmed")


@pytest.mark.postgres
def test_a_swap_taken_over_twice_at_once_goes_to_one(app: Flask, mw: ManualWorld,
                                                      make_token) -> None:  # type: ignore[no-untyped-def]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    client = app.test_client()
    seat = _offered(client, mw, make_token)
    with app.app_context():
        nadia = Volunteer(centre_id=mw.world.no.centre_id, name="Nadia Saleh", languages=["ar"],
                          weekly_availability=ALL_WEEK)
        db.session.add(nadia)
        db.session.commit()
        takers = [mw.amira, nadia.id]
    tokens = [make_token("volunteer", volunteer_id=v) for v in takers]
    barrier = threading.Barrier(2)
    answers: dict[int, int] = {}

    def take(volunteer_id: int, token: str) -> None:
        own = app.test_client()
        barrier.wait()
        answers[volunteer_id] = own.post(f"/api/v1/assignments/{seat}:take-over",
                                         headers=auth(token)).status_code

    threads = [threading.Thread(target=take, args=pair) for pair in zip(takers, tokens, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # The loser is told 409, whether it waited for the winner's lock or came
    # just after the winner had committed.
    assert sorted(answers.values()) == [201, 409]
    winner = next(v for v, code in answers.items() if code == 201)
    with app.app_context():
        standing = db.session.query(Assignment).filter(
            Assignment.session_id == mw.session_id, Assignment.status == "confirmed").all()
        assert [a.volunteer_id for a in standing] == [winner]
        assert db.session.get(Assignment, seat).status == "cancelled"
