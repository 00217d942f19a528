"""/api/v1/hours: volunteers log hours, coordinators approve or reject."""

from __future__ import annotations

import threading
import time
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, text, update

from medsam_match.auth import Principal
from medsam_match.domain_errors import Conflict
from medsam_match.extensions import db
from medsam_match.models import HoursEntry
from medsam_match.services.hours import decide_hours, withdraw_hours
from tests.api.conftest import assert_problem, rows
from tests.api.manual_world import OSLO, ManualWorld, build_manual_world
from tests.conftest import World, auth

URL = "/api/v1/hours"


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


def _yesterday() -> str:
    return (datetime.now(OSLO).date() - timedelta(days=1)).isoformat()


def test_log_approve_and_count(client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    coordinator = auth(mw.world.no.coordinator_token)
    logged = client.post(URL, headers=amira, json={
        "day": _yesterday(), "hours": 2.5, "activity_id": mw.activity_id,
        "note": "Ryddet etter kafeen"})
    assert logged.status_code == 201, logged.json
    assert (logged.json["status"], logged.json["volunteer_id"]) == ("pending", mw.amira)
    summary = client.get(f"{URL}/summary", headers=amira).json
    assert (summary["total"], summary["pending"]) == (0.0, 2.5)  # not counted until approved

    todo = client.get(f"{URL}?status=pending", headers=coordinator).json
    assert [e["id"] for e in todo] == [logged.json["id"]]
    assert todo[0]["volunteer_name"] == "Amira Haddad"
    approved = client.post(f"{URL}/{logged.json['id']}:approve", headers=coordinator)
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    assert approved.json["decided_by"].startswith("token ")
    again = client.post(f"{URL}/{logged.json['id']}:reject", headers=coordinator)
    assert_problem(again, 409)
    summary = client.get(f"{URL}/summary", headers=amira).json
    assert (summary["total"], summary["logged"], summary["pending"]) == (2.5, 2.5, 0.0)
    assert [(a["activity_id"], a["logged"]) for a in summary["by_activity"]] == [
        (mw.activity_id, 2.5)]
    # Once decided, the volunteer can no longer withdraw it.
    assert_problem(client.delete(f"{URL}/{logged.json['id']}", headers=amira), 409)


def test_a_volunteer_withdraws_a_pending_entry_and_cannot_decide(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    entry = client.post(URL, headers=amira, json={"day": _yesterday(), "hours": 1}).json
    assert client.post(f"{URL}/{entry['id']}:approve", headers=amira).status_code == 403
    assert client.delete(f"{URL}/{entry['id']}", headers=amira).status_code == 204
    assert rows(app, HoursEntry) == []


def test_a_coordinator_logs_for_a_volunteer_approved_at_once(
        client: FlaskClient, mw: ManualWorld) -> None:
    coordinator = auth(mw.world.no.coordinator_token)
    made = client.post(URL, headers=coordinator, json={
        "volunteer_id": mw.yusuf, "day": _yesterday(), "hours": 3})
    assert made.status_code == 201 and made.json["status"] == "approved"
    other = auth(mw.world.dk.coordinator_token)
    assert_problem(client.post(URL, headers=other, json={
        "volunteer_id": mw.yusuf, "day": _yesterday(), "hours": 3}), 404)
    assert client.get(f"{URL}/{made.json['id']}", headers=other).status_code == 404
    assert_problem(client.post(f"{URL}/{made.json['id']}:approve", headers=other), 404)


def test_no_one_reads_or_changes_another_volunteers_hours(
        client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    yusuf = auth(make_token("volunteer", volunteer_id=mw.yusuf))
    entry = client.post(URL, headers=amira, json={"day": _yesterday(), "hours": 1}).json
    assert client.get(f"{URL}/{entry['id']}", headers=yusuf).status_code == 404
    assert client.delete(f"{URL}/{entry['id']}", headers=yusuf).status_code == 404
    assert client.get(URL, headers=yusuf).json == []
    assert client.get(f"{URL}/summary?volunteer_id={mw.amira}", headers=yusuf).status_code == 404
    assert_problem(client.post(URL, headers=yusuf, json={
        "volunteer_id": mw.amira, "day": _yesterday(), "hours": 1}), 404)


@pytest.mark.parametrize(("body", "field"), [
    ({"hours": -1}, "hours"),
    ({"hours": 0}, "hours"),
    ({"hours": 24.5}, "hours"),
    ({"hours": "2"}, "hours"),
    ({"day": "2026-02-30"}, "day"),
    ({"day": "in a week"}, "day"),
    ({"note": "x" * 1001}, "note"),
    ({"activity_id": 0}, "activity_id"),
    ({"status": "approved"}, "status"),
])
def test_bad_hours_are_422_naming_the_field(app: Flask, client: FlaskClient, mw: ManualWorld,
                                            make_token, body, field) -> None:  # type: ignore[no-untyped-def]
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    assert_problem(client.post(URL, headers=amira,
                               json={"day": _yesterday(), "hours": 2, **body}), 422, field)
    assert rows(app, HoursEntry) == []


def test_the_day_and_activity_are_checked_and_a_day_holds_24_hours(
        app: Flask, client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    tomorrow = (datetime.now(OSLO).date() + timedelta(days=1)).isoformat()
    assert_problem(client.post(URL, headers=amira, json={"day": tomorrow, "hours": 2}),
                   422, "day")
    with app.app_context():
        from medsam_match.models import Activity

        elsewhere = Activity(centre_id=mw.world.dk.centre_id, title="Andet", roles=[])
        db.session.add(elsewhere)
        db.session.commit()
        elsewhere_id = elsewhere.id
    assert_problem(client.post(URL, headers=amira, json={
        "day": _yesterday(), "hours": 2, "activity_id": elsewhere_id}), 422, "activity_id")
    assert client.post(URL, headers=amira, json={"day": _yesterday(), "hours": 20}
                       ).status_code == 201
    before = rows(app, HoursEntry)
    assert_problem(client.post(URL, headers=amira, json={"day": _yesterday(), "hours": 4.5}),
                   422, "hours")
    assert rows(app, HoursEntry) == before


@pytest.mark.postgres
def test_two_entries_logged_at_once_never_pass_24_hours_a_day(
        app: Flask, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    token = make_token("volunteer", volunteer_id=mw.amira)
    day = _yesterday()
    barrier = threading.Barrier(2)
    answers: list[int] = []

    def log() -> None:
        own = app.test_client()
        barrier.wait()
        answers.append(own.post(URL, headers=auth(token),
                                json={"day": day, "hours": 14}).status_code)

    threads = [threading.Thread(target=log) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers) == [201, 422]
    with app.app_context():
        assert [e.hours for e in db.session.query(HoursEntry).all()] == [14.0]


@pytest.mark.postgres
def test_two_coordinators_deciding_at_once(app: Flask, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    with app.app_context():
        entry = HoursEntry(volunteer_id=mw.amira, day=date.today() - timedelta(days=1), hours=2)
        db.session.add(entry)
        db.session.commit()
        entry_id = entry.id
    token = mw.world.no.coordinator_token
    barrier = threading.Barrier(2)
    answers: dict[str, int] = {}

    def decide(action: str) -> None:
        own = app.test_client()
        barrier.wait()
        answers[action] = own.post(f"{URL}/{entry_id}:{action}",
                                   headers=auth(token)).status_code

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("approve", "reject")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers.values()) == [200, 409]
    winner = next(a for a, code in answers.items() if code == 200)
    with app.app_context():
        assert db.session.get(HoursEntry, entry_id).status == {"approve": "approved",
                                                                "reject": "rejected"}[winner]


def test_staff_name_whose_hours_and_an_erased_volunteer_is_gone(
        app: Flask, client: FlaskClient, mw: ManualWorld) -> None:
    coordinator = auth(mw.world.no.coordinator_token)
    assert_problem(client.post(URL, headers=coordinator,
                               json={"day": _yesterday(), "hours": 2}), 422, "volunteer_id")
    assert_problem(client.get(f"{URL}/summary", headers=coordinator), 422, "volunteer_id")
    assert_problem(client.get("/api/v1/open-slots", headers=coordinator), 422, "volunteer_id")
    assert rows(app, HoursEntry) == []
    assert client.delete(f"/api/v1/volunteers/{mw.amira}", headers=coordinator
                         ).status_code == 204
    # Erased: 404 to everyone here, the admin (who still sees the record) too.
    admin = auth(mw.world.admin_token)
    assert client.get(f"/api/v1/volunteers/{mw.amira}", headers=admin).status_code == 200
    for url in (f"{URL}/summary?volunteer_id={mw.amira}",
                f"/api/v1/open-slots?volunteer_id={mw.amira}"):
        assert_problem(client.get(url, headers=admin), 404)
    assert_problem(client.post(URL, headers=admin, json={
        "volunteer_id": mw.amira, "day": _yesterday(), "hours": 2}), 404)
    assert rows(app, HoursEntry) == []



@pytest.mark.postgres
@pytest.mark.parametrize(("action", "meanwhile", "current"), [
    ("withdraw", "approve", "approved"),
    ("withdraw", "withdraw", "withdrawn"),
    ("approve", "withdraw", "withdrawn"),
])
def test_a_change_waiting_for_another_change_of_the_entry_is_409_naming_it(
        app: Flask, mw: ManualWorld, action: str, meanwhile: str, current: str) -> None:
    """A withdrawal or decision has read the entry pending and waits for the
    row while another request approves or withdraws it: 409 naming what the
    entry is now (not a 500 for a row gone), and nothing else changes."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    amira = Principal(role="volunteer", volunteer_id=mw.amira, centre_id=mw.world.no.centre_id)
    coordinator = Principal(role="coordinator", centre_id=mw.world.no.centre_id,
                            municipality_id=mw.world.no.municipality_id)
    with app.app_context():
        entry = HoursEntry(volunteer_id=mw.amira, day=date.today() - timedelta(days=1), hours=2)
        db.session.add(entry)
        db.session.commit()
        entry_id = entry.id
        other = db.engine.connect()
        other.begin()
        change = (update(HoursEntry).values(status="approved") if meanwhile == "approve"
                  else delete(HoursEntry))
        other.execute(change.where(HoursEntry.id == entry_id))  # holds the row
    outcome: list[BaseException | None] = []

    def act() -> None:
        with app.app_context():
            try:
                if action == "withdraw":
                    withdraw_hours(amira, entry_id)
                else:
                    decide_hours(coordinator, entry_id, "approve")
                outcome.append(None)
            except BaseException as error:  # noqa: BLE001 - asserted below
                outcome.append(error)
            finally:
                db.session.remove()

    thread = threading.Thread(target=act)
    thread.start()
    try:
        with app.app_context():
            for _ in range(200):  # until the change waits for the row
                if db.session.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                        "AND datname = current_database()")):
                    break
                db.session.rollback()
                time.sleep(0.05)
            else:
                pytest.fail("the change never waited for the row")
            db.session.remove()
    finally:
        other.commit()  # the other change lands; the waiting one goes on
        other.close()
        thread.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], Conflict), outcome
    assert outcome[0].current == current
    left = [(e["id"], e["status"]) for e in rows(app, HoursEntry)]
    assert left == ([(entry_id, "approved")] if meanwhile == "approve" else [])


def test_a_period_that_ends_before_it_starts_is_refused_naming_to(
        client: FlaskClient, mw: ManualWorld, make_token) -> None:  # type: ignore[no-untyped-def]
    amira = auth(make_token("volunteer", volunteer_id=mw.amira))
    coordinator = auth(mw.world.no.coordinator_token)
    backwards = "from=2026-03-01&to=2026-02-01"
    body = assert_problem(client.get(f"{URL}/summary?{backwards}", headers=amira), 422, "to")
    assert body["errors"]["to"] == ["to must be after from"]
    assert_problem(client.get(f"{URL}?{backwards}", headers=coordinator), 422, "to")
    same_day = "from=2026-03-01&to=2026-03-01"  # `to` is exclusive: an empty period
    assert_problem(client.get(f"{URL}/summary?{same_day}", headers=amira), 422, "to")
    fine = client.get(f"{URL}/summary?from=2026-02-01&to=2026-03-01", headers=amira)
    assert fine.status_code == 200 and (fine.json["from"], fine.json["to"]) == (
        "2026-02-01", "2026-03-01")
