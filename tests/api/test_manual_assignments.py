"""POST /api/v1/assignments (by hand, every hard rule checked) and
GET /api/v1/sessions/{id}/candidates."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Assignment, AssignmentOverride
from tests.api.manual_world import ManualWorld, build_manual_world
from tests.conftest import World, auth


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


def _assign(client: FlaskClient, token: str, mw: ManualWorld, volunteer: int, **extra):  # type: ignore[no-untyped-def]
    body = {"session_id": mw.session_id, "volunteer_id": volunteer, "role": "host", **extra}
    return client.post("/api/v1/assignments", json=body, headers=auth(token))


def _count(app: Flask, session_id: int) -> int:
    with app.app_context():
        return db.session.query(Assignment).filter_by(session_id=session_id).count()


def test_candidates_are_ranked_and_everyone_else_has_a_rule(client: FlaskClient,
                                                            mw: ManualWorld) -> None:
    response = client.get(f"/api/v1/sessions/{mw.session_id}/candidates",
                          headers=auth(mw.world.no.coordinator_token))
    assert response.status_code == 200, response.json
    (host,) = response.json
    assert host["role"] == "host" and host["filled"] == 0 and host["open"] is True
    names = [c["name"] for c in host["candidates"]]
    assert names == ["Yusuf Karim", "Amira Haddad"]  # shares the activity's interest
    rules = {e["name"]: e["rule"] for e in host["excluded"]}
    assert rules == {
        "Ola Nordmann": "languages",
        "Sara Ali": "availability",
        "Farid Omar": "distance",
        "Hassan Aziz": "overlap",
    }
    assert "Mette Jensen" not in rules  # another centre's volunteer is never listed


def test_a_session_s_own_scenario_holds_it_alone_with_its_week_frozen_around_it(
        app: Flask, mw: ManualWorld) -> None:
    """The candidates' scenario (build_scenario with focus): only the session
    is open, the other session at the same time is frozen with Hassan in it,
    and availability is read at the session's own time only."""
    from datetime import datetime

    from medsam_match.models import Session
    from medsam_match.services.planning_scenario import build_scenario

    with app.app_context():
        session = db.session.get(Session, mw.session_id)
        centre = session.activity.centre
        doc = build_scenario(centre, session.window_start, session.window_end,
                             focus=session.id)
        whole = build_scenario(centre, session.window_start, session.window_end)
    open_ids = [s["id"] for s in doc["sessions"] if s["roles"] and s["roles"][0].get("min")]
    assert open_ids == [str(mw.session_id)]
    frozen = {s["id"]: s for s in doc["sessions"]}[str(mw.other_session_id)]
    assert frozen["roles"] == [{"role": "guide", "min": 0, "max": 1}]
    assert {"volunteer": str(mw.hassan), "session": str(mw.other_session_id),
            "role": "guide"} in doc["fixed"]
    # Both sessions of the window are open in a run's scenario.
    assert sorted(s["id"] for s in whole["sessions"]) == sorted(
        [str(mw.session_id), str(mw.other_session_id)])
    for volunteer in doc["volunteers"]:
        for span in volunteer["availability"]:
            assert datetime.fromisoformat(span["start"]) >= session.window_start
            assert datetime.fromisoformat(span["end"]) <= session.window_end


def test_a_manual_assignment_is_locked_and_proposed(app: Flask, client: FlaskClient,
                                                    mw: ManualWorld) -> None:
    response = _assign(client, mw.world.no.coordinator_token, mw, mw.amira)
    assert response.status_code == 201, response.json
    assert response.json["locked"] is True and response.json["status"] == "proposed"
    assert response.json["overridden"] == []
    again = client.get(f"/api/v1/sessions/{mw.session_id}/candidates",
                       headers=auth(mw.world.no.coordinator_token)).json[0]
    assert again["filled"] == 1
    assert {"name": "Amira Haddad", "rule": "already_assigned"}.items() <= next(
        e for e in again["excluded"] if e["name"] == "Amira Haddad").items()


@pytest.mark.parametrize(("who", "rule"), [
    ("ola", "languages"), ("sara", "availability"), ("farid", "distance"),
    ("hassan", "overlap"),
])
def test_an_ineligible_person_is_refused_naming_the_rule(app: Flask, client: FlaskClient,
                                                         mw: ManualWorld, who: str,
                                                         rule: str) -> None:
    response = _assign(client, mw.world.no.coordinator_token, mw, getattr(mw, who))
    assert response.status_code == 422
    messages = response.json["errors"]["volunteer_id"]
    assert messages[0].startswith(f"breaks rule {rule}:")
    assert _count(app, mw.session_id) == 0


def test_override_with_a_reason_overrules_availability_and_is_recorded(
        app: Flask, client: FlaskClient, mw: ManualWorld) -> None:
    token = mw.world.no.coordinator_token
    no_reason = _assign(client, token, mw, mw.sara, override=True)
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    response = _assign(client, token, mw, mw.sara, override=True,
                       reason="Sara said on the phone she can come this once")
    assert response.status_code == 201, response.json
    assert response.json["overridden"] == ["availability"]
    with app.app_context():
        row = db.session.query(AssignmentOverride).one()
        assert row.rules == ["availability"] and row.reason.startswith("Sara said")
        assert row.made_by.startswith("token ")


def test_override_never_overrules_a_missing_language(app: Flask, client: FlaskClient,
                                                     mw: ManualWorld) -> None:
    response = _assign(client, mw.world.no.coordinator_token, mw, mw.ola, override=True,
                       reason="please")
    assert response.status_code == 422
    assert response.json["errors"]["volunteer_id"][0].startswith("breaks rule languages:")
    assert _count(app, mw.session_id) == 0


def test_the_role_maximum_and_a_missing_role_are_refused(app: Flask, client: FlaskClient,
                                                         mw: ManualWorld) -> None:
    token = mw.world.no.coordinator_token
    assert _assign(client, token, mw, mw.amira).status_code == 201
    assert _assign(client, token, mw, mw.yusuf).status_code == 201
    third = _assign(client, token, mw, mw.farid, override=True, reason="far, but full anyway")
    assert third.status_code == 422 and "role_max" in third.json["errors"]["role"][0]
    no_role = _assign(client, token, mw, mw.amira, role="cook")
    assert no_role.status_code == 422 and "cook" in no_role.json["errors"]["role"][0]


def test_scope_another_centre_sees_nothing(client: FlaskClient, mw: ManualWorld) -> None:
    aarhus = mw.world.dk.coordinator_token
    assert client.get(f"/api/v1/sessions/{mw.session_id}/candidates",
                      headers=auth(aarhus)).status_code == 404
    assert _assign(client, aarhus, mw, mw.amira).status_code == 404
    hisoy = mw.world.no.coordinator_tokens[mw.world.no.centre_ids[1]]
    assert _assign(client, hisoy, mw, mw.amira).status_code == 404
    # A volunteer of another centre cannot be put in this centre's session.
    wrong = _assign(client, mw.world.no.coordinator_token, mw, mw.other_centre_volunteer)
    assert wrong.status_code == 422 and "volunteer_id" in wrong.json["errors"]


def test_remove_cancels_the_assignment(app: Flask, client: FlaskClient, mw: ManualWorld) -> None:
    token = mw.world.no.coordinator_token
    made = _assign(client, token, mw, mw.amira).json
    removed = client.post(f"/api/v1/assignments/{made['id']}:remove", headers=auth(token))
    assert removed.status_code == 200 and removed.json["status"] == "cancelled"
    twice = client.post(f"/api/v1/assignments/{made['id']}:remove", headers=auth(token))
    assert twice.status_code == 409
    # The seat is free again, and Amira a candidate again.
    host = client.get(f"/api/v1/sessions/{mw.session_id}/candidates",
                      headers=auth(token)).json[0]
    assert host["filled"] == 0 and "Amira Haddad" in [c["name"] for c in host["candidates"]]


@pytest.mark.postgres
def test_two_coordinators_filling_the_last_seat_at_once_cannot_both_win(
        app: Flask, mw: ManualWorld, request: pytest.FixtureRequest) -> None:
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    token = mw.world.no.coordinator_token
    client = app.test_client()
    assert _assign(client, token, mw, mw.yusuf).status_code == 201  # one seat left
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def attempt(volunteer: int) -> None:
        own = app.test_client()
        barrier.wait()
        answers.append(_assign(own, token, mw, volunteer).status_code)

    # Hassan is busy in the other session: free him, so both racers are eligible.
    with app.app_context():
        db.session.query(Assignment).filter_by(volunteer_id=mw.hassan).delete()
        db.session.commit()
    threads = [threading.Thread(target=attempt, args=(v,)) for v in (mw.amira, mw.hassan)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [201, 422]
    with app.app_context():
        standing = db.session.query(Assignment).filter_by(session_id=mw.session_id,
                                                          status="proposed").count()
    assert standing == 2


def test_the_candidates_are_written_as_their_schema_says(app: Flask, mw: ManualWorld) -> None:
    """The endpoint writes its JSON directly: it must be what the documented
    schema dumps, field for field."""
    from api.sessions.candidates import RoleCandidatesSchema, as_json
    from medsam_match.auth import Principal
    from medsam_match.models import Volunteer
    from medsam_match.services.candidates import session_candidates

    with app.app_context():
        yusuf = db.session.get(Volunteer, mw.yusuf)
        yusuf.lat, yusuf.lon = 58.47, 8.79  # a distance to write, too
        db.session.commit()
        principal = Principal(role="coordinator", centre_id=mw.world.no.centre_id,
                              municipality_id=mw.world.no.municipality_id)
        roles = session_candidates(principal, mw.session_id)
        assert roles[0].candidates and roles[0].excluded
        assert [as_json(r) for r in roles] == RoleCandidatesSchema(many=True).dump(roles)
