"""Activities and places pages: an activity needing Arabic is created from
the form, its sessions made from a weekly pattern with a holiday left out
and named; a bad language or role is named; places on a map that works
with no tile server; another centre's or municipality's pages answer 404."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Activity, Place, Session
from tests.conftest import World
from tests.web.staff import Workspace, csrf_of, make_user


def speak(ws: Workspace, language: str) -> None:
    csrf = csrf_of(ws.client.get("/board", follow_redirects=True).get_data(as_text=True))
    ws.client.post("/language", data={"csrf_token": csrf, "language": language})


@pytest.fixture
def coordinator(app: Flask, client: FlaskClient, world: World) -> Workspace:
    make_user(app, "kari@arendal.no", centre_id=world.no.centre_id)
    ws = Workspace(client)
    assert ws.sign_in("kari@arendal.no").status_code == 303
    speak(ws, "en")
    return ws


def post(ws: Workspace, path: str, page: str, **form: Any) -> Any:
    csrf = csrf_of(ws.client.get(page).get_data(as_text=True))
    return ws.client.post(path, data={"csrf_token": csrf, **form})


CAFE = {"title": "Arabisk språkkafé", "description": "", "interests": "language",
        "role-0-name": "host", "role-0-min": "1", "role-0-max": "1", "role-0-languages": ["ar"],
        "role-1-name": "helper", "role-1-min": "0", "role-1-max": "2"}


def test_an_activity_needing_arabic_and_four_thursdays_one_a_holiday(
        app: Flask, coordinator: Workspace, world: World) -> None:
    created = post(coordinator, "/activities/new", "/activities/new", **CAFE)
    assert created.status_code == 303, created.get_data(as_text=True)[:3000]
    with app.app_context():
        activity = db.session.scalars(select(Activity)).one()
        assert activity.roles[0]["languages"] == ["ar"]
        activity_id = activity.id
    page = coordinator.client.get(f"/activities/{activity_id}").get_data(as_text=True)
    assert 'value="ar" selected' in page
    listing = coordinator.client.get("/activities").get_data(as_text=True)
    assert "host 1–1 (Arabic)" in listing

    # Four Thursdays, 3 to 24 December 2026: Christmas Eve is left out, and said so
    made = post(coordinator, f"/activities/{activity_id}/sessions", f"/activities/{activity_id}",
                first="2026-12-03", last="2026-12-24", weekday="3", start="17:00", end="19:00",
                place_id=str(world.no.place_ids[0]), skip_holidays="on")
    html = made.get_data(as_text=True)
    assert made.status_code == 200, html[:3000]
    assert "3 sessions made." in html and "Christmas Eve" in html and 'id="skipped-holidays"' in html
    with app.app_context():
        starts = sorted(s.start.date().isoformat() for s in db.session.scalars(select(Session)))
    assert starts == ["2026-12-03", "2026-12-10", "2026-12-17"]


def test_bad_input_is_named_and_nothing_stored(app: Flask, coordinator: Workspace) -> None:
    bad = post(coordinator, "/activities/new", "/activities/new",
               **{**CAFE, "role-0-min": "3", "role-0-max": "1"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="roles-0-max-error"' in html and "must be at least min" in html
    with app.app_context():
        assert db.session.scalars(select(Activity)).all() == []


def test_making_sessions_needs_a_weekday(app: Flask, coordinator: Workspace) -> None:
    post(coordinator, "/activities/new", "/activities/new", **CAFE)
    with app.app_context():
        activity_id = db.session.scalars(select(Activity.id)).one()
    response = post(coordinator, f"/activities/{activity_id}/sessions",
                    f"/activities/{activity_id}", first="2026-12-10", last="2026-12-31",
                    start="17:00", end="19:00", skip_holidays="on")
    assert response.status_code == 422 and 'id="weekday-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Session)).all() == []


def test_places_on_a_map_served_from_the_app(app: Flask, coordinator: Workspace,
                                             world: World) -> None:
    page = coordinator.client.get("/places")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Arendal bibliotek" in html
    assert "/assets/vendor/leaflet/leaflet.js" in html and 'id="place-map"' in html
    assert '"tiles": ""' in html  # no tile server configured: markers on a plain background
    assert "unpkg" not in html and "cdn" not in html.lower()
    assert coordinator.client.get("/assets/vendor/leaflet/leaflet.js").status_code == 200
    assert 'id="new-place"' not in html  # places are the municipality's to add
    assert coordinator.client.get("/places/new").status_code == 404
    staff = Workspace(app.test_client())
    make_user(app, "anne@arendal.kommune.no", role="municipality",
              municipality_id=world.no.municipality_id)
    assert staff.sign_in("anne@arendal.kommune.no").status_code == 303
    speak(staff, "en")
    assert 'id="new-place"' in staff.client.get("/places").get_data(as_text=True)
    created = post(staff, "/places/new", "/places", name="Frivilligsentralen",
                   address="Torvet 1", lat="58.4612", lon="8.7724", capacity="", parallel="1",
                   features="kitchen, wheelchair")
    assert created.status_code == 303, created.get_data(as_text=True)[:2000]
    with app.app_context():
        place = db.session.scalars(select(Place).where(Place.name == "Frivilligsentralen")).one()
        assert (place.lat, place.lon, place.capacity) == (58.4612, 8.7724, None)
        assert place.features == ["kitchen", "wheelchair"]
    wrong = post(staff, "/places/new", "/places", name="X", lat="95", lon="8")
    assert wrong.status_code == 422 and 'id="lat-error"' in wrong.get_data(as_text=True)


def test_the_tile_origin_is_allowed_when_configured(app: Flask, coordinator: Workspace) -> None:
    app.config["MEDSAM_MAP_TILE_URL"] = "https://tile.example.org/{z}/{x}/{y}.png"
    app.config["MEDSAM_MAP_TILE_ORIGIN"] = "https://tile.example.org"
    page = coordinator.client.get("/places")
    assert "https://tile.example.org" in page.headers["Content-Security-Policy"]
    assert "tile.example.org/{z}" in page.get_data(as_text=True)


def test_another_centre_and_municipality_see_404(app: Flask, coordinator: Workspace,
                                                 world: World) -> None:
    post(coordinator, "/activities/new", "/activities/new", **CAFE)
    with app.app_context():
        activity_id = db.session.scalars(select(Activity.id)).one()
    other = app.test_client()
    make_user(app, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    ws = Workspace(other)
    assert ws.sign_in("mette@aarhus.dk").status_code == 303
    assert other.get(f"/activities/{activity_id}").status_code == 404
    assert other.get(f"/places/{world.no.place_ids[0]}").status_code == 404
    assert "Arendal bibliotek" not in other.get("/places").get_data(as_text=True)
    assert other.get(f"/places?municipality={world.no.municipality_id}").status_code in (200, 404)
    assert "Arabisk" not in other.get("/activities").get_data(as_text=True)
