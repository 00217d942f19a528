"""GET /api/v1/open-slots, POST .../{session}/{role}:take and swaps."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Activity, Assignment
from tests.api.manual_world import ManualWorld, build_manual_world
from tests.conftest import World, auth


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


def _token(make_token, volunteer_id: int) -> str:  # type: ignore[no-untyped-def]
    return make_token("volunteer", volunteer_id=volunteer_id)


def _slots(client: FlaskClient, token: str) -> list[dict]:  # type: ignore[type-arg]
    response = client.get("/api/v1/open-slots", headers=auth(token))
    assert response.status_code == 200, response.json
    return response.json


def test_open_slots_follow_the_solver_rules(client: FlaskClient, mw: ManualWorld,
                                            make_token) -> None:  # type: ignore[no-untyped-def]
    yusuf = _slots(client, _token(make_token, mw.yusuf))
    cafe = [s for s in yusuf if s["session_id"] == mw.session_id]
    assert [(s["role"], s["free"], s["interests"]) for s in cafe] == [("host", 2, ["language"])]
    for who in (mw.ola, mw.sara, mw.farid, mw.hassan):  # each breaks one rule
        assert mw.session_id not in [s["session_id"] for s in
                                     _slots(client, _token(make_token, who))]


def test_take_creates_a_confirmed_locked_assignment_then_the_role_fills(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    for who in (mw.yusuf, mw.amira):
        response = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take",
                               headers=auth(_token(make_token, who)))
        assert response.status_code == 201, response.json
        assert response.json["status"] == "confirmed" and response.json["locked"] is True
    with app.app_context():
        db.session.query(Assignment).filter_by(volunteer_id=mw.hassan).delete()
        db.session.commit()
    hassan = _token(make_token, mw.hassan)
    assert mw.session_id not in [s["session_id"] for s in _slots(client, hassan)]
    full = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take", headers=auth(hassan))
    assert full.status_code == 409
    unknown = client.post(f"/api/v1/open-slots/{mw.session_id}/cook:take", headers=auth(hassan))
    assert unknown.status_code == 422 and "role" in unknown.json["errors"]


def test_self_signup_off_hides_and_refuses(app: Flask, client: FlaskClient, mw: ManualWorld,
                                           make_token) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        db.session.get(Activity, mw.activity_id).self_signup = False
        db.session.commit()
    token = _token(make_token, mw.yusuf)
    assert mw.session_id not in [s["session_id"] for s in _slots(client, token)]
    response = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take", headers=auth(token))
    assert response.status_code == 403


def test_another_centre_cannot_see_or_take(client: FlaskClient, mw: ManualWorld,
                                           make_token) -> None:  # type: ignore[no-untyped-def]
    token = _token(make_token, mw.other_centre_volunteer)
    response = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take", headers=auth(token))
    assert response.status_code == 404
    other = client.get(f"/api/v1/open-slots?volunteer_id={mw.yusuf}", headers=auth(token))
    assert other.status_code == 404


def test_offer_and_take_over(app: Flask, client: FlaskClient, mw: ManualWorld,
                             make_token) -> None:  # type: ignore[no-untyped-def]
    yusuf, amira = _token(make_token, mw.yusuf), _token(make_token, mw.amira)
    made = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take", headers=auth(yusuf)).json
    offered = client.post(f"/api/v1/assignments/{made['id']}:offer", headers=auth(yusuf))
    assert offered.status_code == 200 and offered.json["swap"] is True
    swaps = [s for s in _slots(client, amira) if s["swap"]]
    assert [s["swap_assignment_id"] for s in swaps] == [made["id"]]
    taken = client.post(f"/api/v1/assignments/{made['id']}:take-over", headers=auth(amira))
    assert taken.status_code == 201 and taken.json["volunteer_id"] == mw.amira
    again = client.post(f"/api/v1/assignments/{made['id']}:take-over", headers=auth(amira))
    assert again.status_code == 409  # taken over already (by her, as it happens)
    with app.app_context():
        assert db.session.get(Assignment, made["id"]).status == "cancelled"


@pytest.mark.postgres
def test_two_volunteers_taking_the_last_seat_at_once(app: Flask, mw: ManualWorld,
                                                     make_token) -> None:  # type: ignore[no-untyped-def]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    with app.app_context():
        db.session.query(Assignment).filter_by(volunteer_id=mw.hassan).delete()
        db.session.commit()
    client = app.test_client()
    first = client.post(f"/api/v1/open-slots/{mw.session_id}/host:take",
                        headers=auth(_token(make_token, mw.yusuf)))
    assert first.status_code == 201  # one seat left
    tokens = [_token(make_token, v) for v in (mw.amira, mw.hassan)]
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def attempt(token: str) -> None:
        own = app.test_client()
        barrier.wait()
        answers.append(own.post(f"/api/v1/open-slots/{mw.session_id}/host:take",
                                headers=auth(token)).status_code)

    threads = [threading.Thread(target=attempt, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [201, 409]
    with app.app_context():
        assert db.session.query(Assignment).filter_by(session_id=mw.session_id,
                                                      status="confirmed").count() == 2
