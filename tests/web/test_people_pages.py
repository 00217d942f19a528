"""Volunteers' pages: list and search, create and edit through the API's own
checks (errors name the field, nothing stored), languages by name,
certificate warnings 30 days ahead, the sign-in link with its QR code, and
another centre's volunteer: 404."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Volunteer, VolunteerInvite
from tests.conftest import World
from tests.web.staff import Workspace, csrf_of, make_user

EN = {"Accept-Language": "en"}


def speak(ws: Workspace, language: str) -> None:
    """Pick the page language with the switch, as a user does."""
    csrf = csrf_of(ws.client.get("/board").get_data(as_text=True))
    assert ws.client.post("/language", data={"csrf_token": csrf, "language": language}
                          ).status_code == 303


@pytest.fixture
def coordinator(app: Flask, client: FlaskClient, world: World) -> Workspace:
    make_user(app, "kari@arendal.no", centre_id=world.no.centre_id)
    ws = Workspace(client)
    assert ws.sign_in("kari@arendal.no").status_code == 303
    speak(ws, "en")
    return ws


def _form(**fields: Any) -> dict[str, Any]:
    base = {"name": "Amina Yusuf", "email": "amina@example.no", "phone": "+47 912 34 567",
            "languages": ["ar", "no"], "other_language": "ti", "skills": "driver, first aid",
            "interests": "children", "max_hours_per_week": "6", "max_sessions_per_week": "2",
            "avail-1-0-start": "17:00", "avail-1-0-end": "21:00",
            "away-0-first": "2026-12-21", "away-0-last": "2027-01-03",
            "cert-0-kind": "police", "cert-0-until": "2030-06-30", "active": "on"}
    base.update(fields)
    return base


def create(ws: Workspace, **fields: Any) -> Any:
    csrf = csrf_of(ws.client.get("/volunteers/new").get_data(as_text=True))
    return ws.client.post("/volunteers/new", data={"csrf_token": csrf, **_form(**fields)},
                          headers=EN)


def test_create_then_find_by_name_and_language(app: Flask, coordinator: Workspace) -> None:
    response = create(coordinator)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    with app.app_context():
        amina = db.session.scalars(select(Volunteer)).one()
        assert amina.languages == ["ar", "no", "ti"]
        assert amina.skills == ["driver", "first aid"]
        assert amina.weekly_availability == [{"weekday": 1, "start": "17:00", "end": "21:00"}]
        assert amina.unavailable == [{"start": "2026-12-20T23:00:00+00:00",
                                      "end": "2027-01-03T23:00:00+00:00"}]
        assert amina.certificates == [{"kind": "police", "valid_until": "2030-06-30"}]
    listing = coordinator.client.get("/volunteers?q=amin&language=ti", headers=EN)
    html = listing.get_data(as_text=True)
    assert "Amina Yusuf" in html and "Arabic, Norwegian, Tigrinya" in html
    speak(coordinator, "nb")
    norwegian = coordinator.client.get("/volunteers")
    assert "arabisk, norsk, tigrinja" in norwegian.get_data(as_text=True)
    assert "Amina" not in coordinator.client.get("/volunteers?q=zzz").get_data(as_text=True)


def test_a_wrong_field_is_named_and_nothing_is_stored(app: Flask, coordinator: Workspace) -> None:
    response = create(coordinator, email="not-an-address", **{"avail-2-0-start": "25:00",
                                                              "avail-2-0-end": "26:00"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="email-error"' in html and "not an email address" in html
    assert 'aria-invalid="true"' in html and "Nothing was saved" in html
    assert 'value="Amina Yusuf"' in html  # what was typed stays in the form
    with app.app_context():
        assert db.session.scalars(select(Volunteer)).all() == []


def test_certificates_warn_30_days_ahead(app: Flask, coordinator: Workspace) -> None:
    soon = (date.today() + timedelta(days=20)).isoformat()
    create(coordinator, **{"cert-0-until": soon})
    with app.app_context():
        volunteer_id = db.session.scalars(select(Volunteer.id)).one()
    page = coordinator.client.get(f"/volunteers/{volunteer_id}", headers=EN).get_data(as_text=True)
    assert "The certificate police runs out" in page
    listing = coordinator.client.get("/volunteers", headers=EN).get_data(as_text=True)
    assert "runs out" in listing


def test_edit_and_make_a_sign_in_link(app: Flask, coordinator: Workspace) -> None:
    create(coordinator)
    with app.app_context():
        volunteer_id = db.session.scalars(select(Volunteer.id)).one()
    page = coordinator.client.get(f"/volunteers/{volunteer_id}").get_data(as_text=True)
    form = _form(name="Amina Y.", max_hours_per_week="4")
    form["version"] = next(part.split('"')[0] for part in page.split('name="version" value="')[1:])
    saved = coordinator.client.post(f"/volunteers/{volunteer_id}",
                                    data={"csrf_token": csrf_of(page), **form})
    assert saved.status_code == 303
    with app.app_context():
        volunteer = db.session.get(Volunteer, volunteer_id)
        assert volunteer.name == "Amina Y." and volunteer.max_hours_per_week == 4
    invite = coordinator.client.post(f"/volunteers/{volunteer_id}/invite",
                                     data={"csrf_token": csrf_of(page)}, headers=EN)
    html = invite.get_data(as_text=True)
    assert invite.status_code == 200 and 'id="invite-qr"' in html and "<svg" in html
    assert "/my/invite/" in html and "It works once" in html
    with app.app_context():
        assert len(db.session.scalars(select(VolunteerInvite)).all()) == 1


def test_another_centres_volunteer_is_404(app: Flask, client: FlaskClient, world: World,
                                          coordinator: Workspace) -> None:
    create(coordinator)
    with app.app_context():
        volunteer_id = db.session.scalars(select(Volunteer.id)).one()
    other = app.test_client()
    make_user(app, "mette@aarhus.dk", centre_id=world.dk.centre_id)
    ws = Workspace(other)
    assert ws.sign_in("mette@aarhus.dk").status_code == 303
    assert other.get(f"/volunteers/{volunteer_id}").status_code == 404
    csrf = ws.csrf("/volunteers")
    assert other.post(f"/volunteers/{volunteer_id}/invite",
                      data={"csrf_token": csrf}).status_code == 404
    assert other.post(f"/volunteers/{volunteer_id}",
                      data={"csrf_token": csrf, **_form(name="X")}).status_code == 404
    assert "Amina" not in other.get("/volunteers").get_data(as_text=True)
