"""The week board and a session's page, as a coordinator uses them; and
the scope rule: another centre's pages answer 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun
from tests.api.manual_world import ManualWorld, build_manual_world, session_day
from tests.conftest import World
from tests.web.staff import Workspace, csrf_of, make_user


@pytest.fixture
def mw(app: Flask, world: World) -> ManualWorld:
    return build_manual_world(app, world)


@pytest.fixture
def coordinator(app: Flask, client: FlaskClient, mw: ManualWorld) -> Workspace:
    make_user(app, "kari@arendal.no", centre_id=mw.world.no.centre_id, )
    ws = Workspace(client)
    assert ws.sign_in("kari@arendal.no").status_code == 303
    return ws


def _week() -> str:
    day = session_day()
    return (day - timedelta(days=day.weekday())).isoformat()


def test_the_board_shows_sessions_by_day_with_slots_in_words(
        app: Flask, coordinator: Workspace, mw: ManualWorld) -> None:
    with app.app_context():
        db.session.add(Assignment(volunteer_id=mw.amira, session_id=mw.session_id, role="host",
                                  status="proposed"))
        db.session.commit()
    response = coordinator.client.get(f"/board?week={_week()}",
                                      headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Språkkafé på arabisk" in html and "Turgruppe" in html
    assert "17:00–19:00" in html or "17.00–19.00" in html
    assert "Amira Haddad" in html and "Hassan Aziz" in html
    # States are written out, not only coloured.
    assert "Proposed, waiting for an answer" in html or "Foreslått, venter på svar" in html
    assert "slot-proposed" in html and "slot-confirmed" in html and "slot-free" in html


def test_an_unfilled_slot_shows_the_last_runs_reason_in_words(
        app: Flask, coordinator: Workspace, mw: ManualWorld) -> None:
    from datetime import UTC, datetime

    with app.app_context():
        day = session_day()
        start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=1)
        db.session.add(MatchRun(
            centre_id=mw.world.no.centre_id, window_from=start, window_to=start + timedelta(days=7),
            status="succeeded", finished_at=datetime.now(UTC),
            unfilled=[{"session": str(mw.session_id), "role": "host",
                       "reason": "Nobody who speaks ar is available.",
                       "why": {"code": "nobody", "params": {"rule": "languages",
                                                             "languages": ["ar"]}}}]))
        db.session.commit()
    html = coordinator.client.get(f"/board?week={_week()}").get_data(as_text=True)
    assert "slot-missing" in html
    # In the municipality's language (Arendal: bokmål), never as a code.
    assert "arabisk" in html.lower() or "snakker" in html.lower(), html[:3000]


def test_previous_and_next_week_links(coordinator: Workspace) -> None:
    html = coordinator.client.get("/board?week=2027-01-13").get_data(as_text=True)
    assert "?week=2027-01-04" in html and "?week=2027-01-18" in html
    bad = coordinator.client.get("/board?week=tomorrow")
    assert bad.status_code == 400 and "week" in bad.get_data(as_text=True)


def test_assign_from_the_session_page(app: Flask, coordinator: Workspace,
                                      mw: ManualWorld) -> None:
    page = coordinator.client.get(f"/sessions/{mw.session_id}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.index("Yusuf Karim") < html.index("Amira Haddad")  # best fit first
    assert "speaks none of the languages the role needs" not in html or "Ola Nordmann" in html
    response = coordinator.client.post(f"/sessions/{mw.session_id}/assign", data={
        "csrf_token": csrf_of(html), "volunteer_id": str(mw.yusuf), "role": "host"})
    assert response.status_code == 303
    html = coordinator.client.get(f"/sessions/{mw.session_id}").get_data(as_text=True)
    assert "låst" in html or "locked" in html
    with app.app_context():
        row = db.session.query(Assignment).filter_by(volunteer_id=mw.yusuf).one()
        assert row.locked and row.status == "proposed"


def test_assigning_an_ineligible_person_from_the_page_names_the_rule(
        app: Flask, coordinator: Workspace, mw: ManualWorld) -> None:
    html = coordinator.client.get(f"/sessions/{mw.session_id}").get_data(as_text=True)
    response = coordinator.client.post(f"/sessions/{mw.session_id}/assign", data={
        "csrf_token": csrf_of(html), "volunteer_id": str(mw.ola), "role": "host"},
        follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "snakker ingen av språkene" in text or "languages the role needs" in text, text[:2000]
    with app.app_context():
        assert db.session.query(Assignment).filter_by(volunteer_id=mw.ola).count() == 0


def test_a_form_without_its_token_changes_nothing(app: Flask, coordinator: Workspace,
                                                  mw: ManualWorld) -> None:
    response = coordinator.client.post(f"/sessions/{mw.session_id}/assign", data={
        "volunteer_id": str(mw.yusuf), "role": "host"})
    assert response.status_code == 400
    response = coordinator.client.post(f"/sessions/{mw.session_id}/cancel")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.query(Assignment).filter_by(volunteer_id=mw.yusuf).count() == 0


def test_unlock_remove_and_cancel(app: Flask, coordinator: Workspace, mw: ManualWorld) -> None:
    html = coordinator.client.get(f"/sessions/{mw.session_id}").get_data(as_text=True)
    token = csrf_of(html)
    coordinator.client.post(f"/sessions/{mw.session_id}/assign", data={
        "csrf_token": token, "volunteer_id": str(mw.amira), "role": "host"})
    with app.app_context():
        assignment_id = db.session.query(Assignment).filter_by(volunteer_id=mw.amira).one().id
    assert coordinator.client.post(f"/assignments/{assignment_id}/unlock",
                                   data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).locked is False
    assert coordinator.client.post(f"/assignments/{assignment_id}/remove",
                                   data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert db.session.get(Assignment, assignment_id).status == "cancelled"
    assert coordinator.client.post(f"/sessions/{mw.other_session_id}/cancel",
                                   data={"csrf_token": token}).status_code == 303
    with app.app_context():
        hassan = db.session.query(Assignment).filter_by(volunteer_id=mw.hassan).one()
        assert hassan.status == "cancelled"


def test_another_centres_pages_answer_404(app: Flask, client: FlaskClient,
                                          mw: ManualWorld) -> None:
    make_user(app, "mette@aarhus.dk", centre_id=mw.world.dk.centre_id)
    ws = Workspace(client)
    ws.sign_in("mette@aarhus.dk")
    assert client.get(f"/sessions/{mw.session_id}").status_code == 404
    assert client.get(f"/centres/{mw.world.no.centre_id}/board").status_code == 404
    token = csrf_of(client.get("/board").get_data(as_text=True))
    assert client.post(f"/sessions/{mw.session_id}/assign", data={
        "csrf_token": token, "volunteer_id": str(mw.amira), "role": "host"}).status_code == 404
    assert client.post(f"/sessions/{mw.session_id}/cancel",
                       data={"csrf_token": token}).status_code == 404
    html = client.get(f"/board?week={_week()}").get_data(as_text=True)
    assert "Språkkafé" not in html and "Amira" not in html
    with app.app_context():
        assert db.session.query(Assignment).filter_by(session_id=mw.session_id).count() == 0


def test_signed_out_pages_send_to_sign_in(client: FlaskClient, mw: ManualWorld) -> None:
    response = client.get(f"/sessions/{mw.session_id}")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_numbers_are_written_the_reader_s_way(app: Flask, coordinator: Workspace,
                                              mw: ManualWorld) -> None:
    """A decimal comma in Norwegian ('1,4 km unna'), a point in English."""
    from medsam_match.models import Volunteer

    with app.app_context():
        yusuf = db.session.get(Volunteer, mw.yusuf)
        yusuf.lat, yusuf.lon = 58.4700, 8.7900  # about 1.4 km from the library
        db.session.commit()
    html = coordinator.client.get(f"/sessions/{mw.session_id}").get_data(as_text=True)
    assert "1,4 km unna" in html and "1.4 km" not in html
    csrf = csrf_of(html)
    coordinator.client.post("/language", data={"csrf_token": csrf, "language": "en"})
    html = coordinator.client.get(f"/sessions/{mw.session_id}").get_data(as_text=True)
    assert "1.4 km away" in html
