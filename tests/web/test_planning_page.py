"""Planning from the page: make a plan (a dry run), follow it, read the
result in words with the hours chart and the changes, publish it; the run
history; bad dates, CSRF and another centre's runs refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun
from tests.planning.conftest import Centre, build_centre, run_queued
from tests.web.staff import Workspace, csrf_of, make_user

EN = {"Accept-Language": "en"}


def speak(ws: Workspace, language: str) -> None:
    """Pick the page language with the switch, as a user does."""
    csrf = csrf_of(ws.client.get("/board").get_data(as_text=True))
    assert ws.client.post("/language", data={"csrf_token": csrf, "language": language}
                          ).status_code == 303


@pytest.fixture
def centre(client: FlaskClient, world: Any, make_token: Any) -> Centre:
    return build_centre(client, world, make_token)


@pytest.fixture
def coordinator(app: Flask, client: FlaskClient, centre: Centre) -> Workspace:
    make_user(app, "kari@arendal.no", centre_id=centre.centre_id)
    ws = Workspace(client)
    assert ws.sign_in("kari@arendal.no").status_code == 303
    speak(ws, "en")
    return ws


def make_plan(ws: Workspace, first: str = "2027-01-11", last: str = "2027-01-31") -> Any:
    csrf = csrf_of(ws.client.get("/plan").get_data(as_text=True))
    return ws.client.post("/plan", data={"csrf_token": csrf, "first": first, "last": last},
                          headers=EN)


def test_make_follow_read_and_publish_a_plan(app: Flask, coordinator: Workspace,
                                             centre: Centre) -> None:
    page = coordinator.client.get("/plan", headers=EN).get_data(as_text=True)
    assert 'name="first"' in page and 'name="last"' in page and "No plans yet." in page

    made = make_plan(coordinator)
    assert made.status_code == 303
    run_url = made.headers["Location"]
    run_id = int(re.search(r"/plan/runs/(\d+)$", run_url).group(1))
    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        assert run.dry_run and run.status == "queued" and run.centre_id == centre.centre_id

    waiting = coordinator.client.get(run_url, headers=EN).get_data(as_text=True)
    assert "Making the plan" in waiting and "run-progress.js" in waiting
    progress = coordinator.client.get(f"{run_url}/progress").get_json()
    assert progress["status"] == "queued" and progress["done"] is False

    run_queued(app)
    assert coordinator.client.get(f"{run_url}/progress").get_json()["done"] is True
    result = coordinator.client.get(run_url, headers=EN).get_data(as_text=True)
    assert re.search(r"\d+ of \d+ places filled", result)
    assert "as good as the best possible plan" in result or "The best possible plan" in result
    assert 'id="hours-chart"' in result and "chart.umd.min.js" in result
    assert "Kari Nordmann" in result or "Amina Yusuf" in result  # in the chart's table
    assert "Changes against today&#39;s plan" in result or "Changes against today's plan" in result
    assert "new assignments" in result and "Språkkafé" in result
    with app.app_context():
        assert db.session.scalars(select(Assignment)).all() == []  # a draft changes nothing

    csrf = csrf_of(result)
    published = coordinator.client.post(f"{run_url}/publish", data={"csrf_token": csrf},
                                        headers=EN)
    assert published.status_code == 303
    after = coordinator.client.get(run_url, headers=EN).get_data(as_text=True)
    assert "The plan is published" in after and 'id="publish"' not in after
    with app.app_context():
        assert db.session.scalars(select(Assignment)).all()

    history = coordinator.client.get("/plan", headers=EN).get_data(as_text=True)
    assert "By hand" in history and "published" in history and f"/plan/runs/{run_id}" in history


def test_the_nb_page_speaks_norwegian(app: Flask, coordinator: Workspace) -> None:
    run_url = make_plan(coordinator).headers["Location"]
    run_queued(app)
    speak(coordinator, "nb")
    html = coordinator.client.get(run_url).get_data(as_text=True)
    assert "plasser fylt" in html and "Publiser" in html


def test_bad_dates_name_the_field(app: Flask, coordinator: Workspace) -> None:
    response = make_plan(coordinator, first="2027-01-20", last="2027-01-10")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="last-error"' in html and "must not be before" in html
    bad = make_plan(coordinator, first="soon", last="2027-01-10")
    assert bad.status_code == 422 and 'id="first-error"' in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(MatchRun)).all() == []


def test_a_plan_needs_the_forms_token(app: Flask, coordinator: Workspace) -> None:
    response = coordinator.client.post("/plan", data={"first": "2027-01-11", "last": "2027-01-31"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(MatchRun)).all() == []


def test_another_centres_coordinator_sees_no_run(app: Flask, client: FlaskClient,
                                                 coordinator: Workspace, centre: Centre) -> None:
    run_url = make_plan(coordinator).headers["Location"]
    other = app.test_client()
    make_user(app, "per@hisoy.no", centre_id=centre.world.no.centre_ids[1])
    ws = Workspace(other)
    assert ws.sign_in("per@hisoy.no").status_code == 303
    assert other.get(run_url).status_code == 404
    assert other.get(f"{run_url}/progress").status_code == 404
    assert other.post(f"{run_url}/publish", data={"csrf_token": ws.csrf("/plan")}).status_code == 404
    assert run_url not in other.get("/plan").get_data(as_text=True)
