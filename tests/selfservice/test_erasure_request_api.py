"""A volunteer asks to be erased; a coordinator confirms (or, configured,
the request erases at once). The hours stay, anonymous."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Assignment, HoursEntry, Volunteer
from tests.api.conftest import assert_problem, rows
from tests.api.manual_world import ManualWorld, build_manual_world
from tests.conftest import World, auth
from tests.selfservice.past_world import add_past_session

V = "/api/v1/volunteers"


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


def test_request_then_confirm_keeps_the_hours_anonymous(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    past = add_past_session(app, mw)
    with app.app_context():
        db.session.get(Assignment, past.amira_seat).attendance = "attended"
        db.session.add(HoursEntry(volunteer_id=mw.amira, day=date.today() - timedelta(days=1),
                                  hours=2, note="Min egen tekst", status="approved"))
        db.session.commit()
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    coordinator = auth(mw.world.no.coordinator_token)
    asked = client.post(f"{V}/{mw.amira}:request-erasure", headers=amira)
    assert asked.status_code == 200 and asked.json["erasure_requested_at"]
    assert asked.json["erased_at"] is None
    again = client.post(f"{V}/{mw.amira}:request-erasure", headers=amira)
    assert again.json["erasure_requested_at"] == asked.json["erasure_requested_at"]
    listed = client.get(f"{V}/erasure-requests", headers=coordinator).json
    assert [v["id"] for v in listed] == [mw.amira]
    assert client.get(f"{V}/erasure-requests", headers=auth(mw.world.dk.coordinator_token)
                      ).json == []
    # Another volunteer cannot ask for Amira, nor confirm.
    yusuf = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    assert client.post(f"{V}/{mw.amira}:request-erasure", headers=yusuf).status_code == 404
    assert client.post(f"{V}/{mw.amira}:erase", headers=amira).status_code == 403

    assert client.post(f"{V}/{mw.amira}:erase", headers=coordinator).status_code == 204
    with app.app_context():
        erased = db.session.get(Volunteer, mw.amira)
        assert erased.erased_at is not None and erased.name == "" and erased.email is None
        entry = db.session.query(HoursEntry).one()
        assert (entry.hours, entry.note, entry.volunteer_id) == (2.0, "", mw.amira)
        assert db.session.get(Assignment, past.amira_seat).attendance == "attended"
    assert client.get(f"{V}/erasure-requests", headers=coordinator).json == []
    # Her token stops working once she is erased.
    assert client.get(f"{V}/{mw.amira}", headers=amira).status_code == 401


def test_withdraw_and_confirm_without_request(app: Flask, client: FlaskClient,
                                              mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    coordinator = auth(mw.world.no.coordinator_token)
    before = rows(app, Volunteer)
    assert_problem(client.post(f"{V}/{mw.amira}:erase", headers=coordinator), 409)
    assert_problem(client.post(f"{V}/{mw.amira}:withdraw-erasure-request", headers=amira), 409)
    assert rows(app, Volunteer) == before
    client.post(f"{V}/{mw.amira}:request-erasure", headers=amira)
    taken_back = client.post(f"{V}/{mw.amira}:withdraw-erasure-request", headers=amira)
    assert taken_back.status_code == 200 and taken_back.json["erasure_requested_at"] is None
    assert_problem(client.post(f"{V}/{mw.amira}:erase", headers=coordinator), 409)
    assert client.get(f"{V}/{mw.amira}", headers=coordinator).json["name"] == "Amira Haddad"


def test_erasure_at_once_where_configured(app: Flask, client: FlaskClient, mw: ManualWorld,
                                          make_token) -> None:  # type: ignore[no-untyped-def]
    app.config["MEDSAM_ERASURE_WITHOUT_CONFIRMATION"] = True
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    answer = client.post(f"{V}/{mw.amira}:request-erasure", headers=amira)
    assert answer.status_code == 200 and answer.json["erased_at"] and answer.json["name"] == ""
    with app.app_context():
        assert db.session.get(Volunteer, mw.amira).erased_at is not None


@pytest.mark.postgres
def test_a_request_confirmed_twice_at_once_erases_once(app: Flask, mw: ManualWorld,
                                                       make_token) -> None:  # type: ignore[no-untyped-def]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    client = app.test_client()
    client.post(f"{V}/{mw.amira}:request-erasure",
                headers=auth(make_token("volunteer", volunteer_id=mw.amira)))
    tokens = [make_token("coordinator", centre_id=mw.world.no.centre_id) for _ in range(2)]
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def confirm(token: str) -> None:
        own = app.test_client()
        barrier.wait()
        answers.append(own.post(f"{V}/{mw.amira}:erase", headers=auth(token)).status_code)

    threads = [threading.Thread(target=confirm, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # The second finds it done: 204 if it read the volunteer before the
    # first committed, 404 (an erased volunteer is hidden) after.
    assert sorted(answers)[0] == 204 and set(answers) <= {204, 404}
    with app.app_context():
        erased = db.session.get(Volunteer, mw.amira)
        assert erased.erased_at is not None and erased.version == 3  # request, one erasure


@pytest.mark.postgres
def test_a_pending_request_asked_again_twice_at_once_with_erasure_at_once_erases_once(
        app: Flask, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    own_token = make_token("volunteer", volunteer_id=mw.amira)
    app.test_client().post(f"{V}/{mw.amira}:request-erasure", headers=auth(own_token))
    app.config["MEDSAM_ERASURE_WITHOUT_CONFIRMATION"] = True  # switched on since
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def ask() -> None:
        own = app.test_client()
        barrier.wait()
        answers.append(own.post(f"{V}/{mw.amira}:request-erasure",
                                headers=auth(own_token)).status_code)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # the first wipes; the second finds it erased (200) or its token gone with it (401)
    assert 200 in answers and set(answers) <= {200, 401}
    with app.app_context():
        erased = db.session.get(Volunteer, mw.amira)
        assert erased.erased_at is not None and erased.version == 3  # request, one erasure
