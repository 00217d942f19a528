"""The coordinator's side of issue 10 in the workspace: attendance on the
session page, pending swaps on the board and the session page, and the
requests page (hours to approve, swaps, erasure requests)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Assignment, HoursEntry, User, Volunteer
from medsam_match.models.types import utcnow
from tests.api.manual_world import ManualWorld, build_manual_world, session_day
from tests.conftest import World
from tests.selfservice.past_world import PastSession, add_past_session
from tests.web.staff import Workspace, csrf_of, make_user

EN = {"Accept-Language": "en"}


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


@pytest.fixture
def past(app: Flask, mw: ManualWorld) -> PastSession:
    return add_past_session(app, mw)


@pytest.fixture
def coordinator(app: Flask, client: FlaskClient, mw: ManualWorld) -> Workspace:
    user_id = make_user(app, "kari@arendal.no", centre_id=mw.world.no.centre_id)
    with app.app_context():
        db.session.get(User, user_id).language = "en"
        db.session.commit()
    ws = Workspace(client)
    assert ws.sign_in("kari@arendal.no").status_code == 303
    return ws


def test_marking_attendance_on_the_session_page(app: Flask, coordinator: Workspace,
                                                past: PastSession) -> None:
    html = coordinator.client.get(f"/sessions/{past.session_id}", headers=EN).get_data(
        as_text=True)
    assert "Who came" in html
    # The confirmed two are there to mark; the proposed and declined are not.
    assert f'name="attendance-{past.amira_seat}"' in html
    assert f'name="attendance-{past.yusuf_seat}"' in html
    assert f'name="attendance-{past.ola_seat}"' not in html
    answer = coordinator.client.post(f"/sessions/{past.session_id}/attendance", data={
        "csrf_token": csrf_of(html),
        f"attendance-{past.amira_seat}": "attended", f"seen-{past.amira_seat}": "unmarked",
        f"attendance-{past.yusuf_seat}": "no_show", f"seen-{past.yusuf_seat}": "unmarked"})
    assert answer.status_code == 303
    page = coordinator.client.get(f"/sessions/{past.session_id}").get_data(as_text=True)
    assert "Attendance saved" in page
    with app.app_context():
        marks = {a.id: a.attendance for a in db.session.query(Assignment).filter(
            Assignment.session_id == past.session_id)}
    assert (marks[past.amira_seat], marks[past.yusuf_seat]) == ("attended", "no_show")
    # A field no seat could have ("²" is a digit, but no number) changes nothing.
    odd = coordinator.client.post(f"/sessions/{past.session_id}/attendance", data={
        "csrf_token": csrf_of(html), "attendance-²": "no_show", "seen-²": "unmarked"})
    assert odd.status_code == 303

    # A form from before someone else changed it: told, and nothing overwritten.
    with app.app_context():
        db.session.get(Assignment, past.amira_seat).attendance = "no_show"
        db.session.commit()
    stale = coordinator.client.post(f"/sessions/{past.session_id}/attendance", data={
        "csrf_token": csrf_of(page),
        f"attendance-{past.amira_seat}": "unmarked", f"seen-{past.amira_seat}": "attended"})
    assert stale.status_code == 303
    assert "Someone else marked attendance" in coordinator.client.get(
        f"/sessions/{past.session_id}").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Assignment, past.amira_seat).attendance == "no_show"


def test_a_future_session_has_no_attendance_form(coordinator: Workspace,
                                                 mw: ManualWorld) -> None:
    html = coordinator.client.get(f"/sessions/{mw.session_id}", headers=EN).get_data(
        as_text=True)
    assert "Who came" not in html


def test_pending_swaps_on_the_board_and_the_session_page_and_cancelling_one(
        app: Flask, coordinator: Workspace, mw: ManualWorld) -> None:
    with app.app_context():
        seat = Assignment(volunteer_id=mw.yusuf, session_id=mw.session_id, role="host",
                          status="confirmed", locked=True, swap_offered_at=utcnow())
        db.session.add(seat)
        db.session.commit()
        seat_id = seat.id
    day = session_day()
    board = coordinator.client.get(
        f"/centres/{mw.world.no.centre_id}/board?week={day - timedelta(days=day.weekday())}",
        headers=EN).get_data(as_text=True)
    assert "1 seat is offered for a swap" in board and "Yusuf Karim" in board
    html = coordinator.client.get(f"/sessions/{mw.session_id}").get_data(as_text=True)
    assert "Offered for a swap" in html
    answer = coordinator.client.post(f"/assignments/{seat_id}/cancel-swap",
                                     data={"csrf_token": csrf_of(html)})
    assert answer.status_code == 303
    with app.app_context():
        row = db.session.get(Assignment, seat_id)
        assert (row.swap_offered_at, row.status, row.volunteer_id) == (
            None, "confirmed", mw.yusuf)
    assert "offered for a swap" not in coordinator.client.get(
        f"/centres/{mw.world.no.centre_id}/board?week={day - timedelta(days=day.weekday())}"
    ).get_data(as_text=True)


def test_the_requests_page_approves_hours_and_confirms_an_erasure(
        app: Flask, coordinator: Workspace, mw: ManualWorld) -> None:
    with app.app_context():
        entry = HoursEntry(volunteer_id=mw.amira, day=date.today() - timedelta(days=1),
                           hours=2.5, note="Ryddet lageret", activity_id=mw.activity_id)
        db.session.add(entry)
        db.session.get(Volunteer, mw.sara).erasure_requested_at = utcnow()
        db.session.commit()
        entry_id = entry.id
    html = coordinator.client.get("/requests", headers=EN).get_data(as_text=True)
    assert "Amira Haddad" in html and "Ryddet lageret" in html and "2.5 hours" in html
    assert "Sara Ali" in html
    assert coordinator.client.post(f"/hours/{entry_id}/approve",
                                   data={"csrf_token": csrf_of(html)}).status_code == 303
    assert coordinator.client.post(f"/volunteers/{mw.sara}/erase-on-request",
                                   data={"csrf_token": csrf_of(html)}).status_code == 303
    with app.app_context():
        assert db.session.get(HoursEntry, entry_id).status == "approved"
        assert db.session.get(Volunteer, mw.sara).erased_at is not None
    after = coordinator.client.get("/requests").get_data(as_text=True)
    assert "No hours wait for approval." in after and "No one has asked to be erased." in after


def test_another_centres_coordinator_gets_404(app: Flask, client: FlaskClient,
                                              mw: ManualWorld, past: PastSession) -> None:
    make_user(app, "mette@aarhus.dk", centre_id=mw.world.dk.centre_id)
    ws = Workspace(client)
    ws.sign_in("mette@aarhus.dk")
    with app.app_context():
        entry = HoursEntry(volunteer_id=mw.amira, day=date.today(), hours=1)
        db.session.add(entry)
        db.session.get(Volunteer, mw.sara).erasure_requested_at = utcnow()
        db.session.commit()
        entry_id = entry.id
    html = ws.client.get("/requests").get_data(as_text=True)
    assert "Amira" not in html and "Sara" not in html
    token = csrf_of(html)
    for path in (f"/sessions/{past.session_id}/attendance", f"/hours/{entry_id}/approve",
                 f"/volunteers/{mw.sara}/erase-on-request",
                 f"/assignments/{past.amira_seat}/cancel-swap"):
        assert ws.client.post(path, data={"csrf_token": token}).status_code == 404, path
    with app.app_context():
        assert db.session.get(HoursEntry, entry_id).status == "pending"
        assert db.session.get(Volunteer, mw.sara).erased_at is None


def test_the_volunteers_page_shows_hours_given_from_attendance(
        app: Flask, coordinator: Workspace, mw: ManualWorld, past: PastSession) -> None:
    with app.app_context():
        db.session.get(Assignment, past.amira_seat).attendance = "attended"
        db.session.add_all([
            HoursEntry(volunteer_id=mw.amira, day=date.today() - timedelta(days=1), hours=1.5,
                       status="approved"),
            HoursEntry(volunteer_id=mw.amira, day=date.today() - timedelta(days=1), hours=4)])
        db.session.commit()
    html = coordinator.client.get(f"/volunteers/{mw.amira}", headers=EN).get_data(as_text=True)
    assert "Hours given: 3.5" in html  # 2 h attended + 1.5 h approved; 4 h pending apart
    assert "2 hours in 1 session they came to, 1.5 hours logged and approved." in html
    assert "4 hours wait for approval." in html
    yusuf = coordinator.client.get(f"/volunteers/{mw.yusuf}", headers=EN).get_data(as_text=True)
    assert "Hours given: 0" in yusuf  # confirmed in the same session, not marked: planned only
