"""What municipality staff set for the figures, on pages: the population
(volunteers per 1,000 inhabitants) and the learning-network opt-in; and the
participants of a session, on the session's page. Bad input is refused
naming the field and changes nothing; a change made meanwhile is not
overwritten; coordinators cannot change the municipality; outside the
scope: 404."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from medsam_match.extensions import db
from medsam_match.models import Activity, Municipality, Session
from tests.web.staff import csrf_of

from .fixture import build_history
from .test_figures_pages import figure
from .test_templates_pages import signed_in


@pytest.fixture
def history(app, world):
    return build_history(app, world)


def _stored(app, municipality_id: int) -> tuple[int | None, bool, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        m = db.session.get(Municipality, municipality_id)
        return m.population, m.network_opt_in, m.version


def test_municipality_staff_set_the_population_and_the_figure_follows(app, client, world, history):
    ws = signed_in(app, client, "kari@arendal.no", role="municipality",
                   municipality_id=world.no.municipality_id)
    page = ws.client.get("/municipality").get_data(as_text=True)
    assert 'value="20000"' in page and 'id="save-municipality"' in page
    # Seven volunteers engaged in 2025 (fixture.py): 7 / 3.5 thousand = 2.
    saved = ws.client.post("/municipality", data={"csrf_token": csrf_of(page), "population": "3 500",
                                                  "version": re.search(r'name="version" value="(\d+)"', page).group(1)})
    assert saved.status_code == 303
    assert _stored(app, world.no.municipality_id)[:2] == (3500, False)
    figures = ws.client.get("/figures?year=2025").get_data(as_text=True)
    assert figure(figures, "volunteers_engaged") == "7"
    assert figure(figures, "volunteers_per_1000") == "2"


def test_a_bad_population_is_refused_naming_the_field_and_nothing_changes(app, client, world, history):
    ws = signed_in(app, client, "kari@arendal.no", role="municipality",
                   municipality_id=world.no.municipality_id)
    page = ws.client.get("/municipality").get_data(as_text=True)
    before = _stored(app, world.no.municipality_id)
    for bad in ("many", "-5", "0", "1.5", "99999999999", "²"):  # "²" is a digit, no number
        refused = ws.client.post("/municipality", data={
            "csrf_token": csrf_of(page), "population": bad, "network_opt_in": "on"})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 422, bad
        assert 'id="population-error"' in html and 'aria-invalid="true"' in html
        assert f'value="{bad}"' in html  # what was typed stays for correcting
    assert _stored(app, world.no.municipality_id) == before


def test_the_network_opt_in_on_the_page_decides_who_is_seen(app, client, world, history):
    ws = signed_in(app, client, "kari@arendal.no", role="municipality",
                   municipality_id=world.no.municipality_id)
    assert 'id="network-closed"' in ws.client.get("/network?year=2025").get_data(as_text=True)
    page = ws.client.get("/municipality").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    ws.client.post("/municipality", data={"csrf_token": csrf_of(page), "population": "20000",
                                          "network_opt_in": "on", "version": version})
    assert _stored(app, world.no.municipality_id)[:2] == (20000, True)
    shared = ws.client.get("/network?year=2025").get_data(as_text=True)
    assert 'id="network-table"' in shared and "Arendal" in shared
    # The form read before that change is stale now: refused, not overwritten.
    late = ws.client.post("/municipality", data={"csrf_token": csrf_of(page), "population": "1",
                                                 "version": version})
    assert late.status_code == 303
    assert _stored(app, world.no.municipality_id)[:2] == (20000, True)
    again = ws.client.get("/municipality").get_data(as_text=True)
    assert "Someone else changed these settings meanwhile" in again
    version = re.search(r'name="version" value="(\d+)"', again).group(1)
    ws.client.post("/municipality", data={"csrf_token": csrf_of(again), "population": "20000",
                                          "version": version})  # the box unticked: off
    assert _stored(app, world.no.municipality_id)[:2] == (20000, False)
    assert 'id="network-closed"' in ws.client.get("/network?year=2025").get_data(as_text=True)


def test_a_coordinator_sees_the_settings_but_cannot_change_them(app, client, world, history):
    ws = signed_in(app, client, "ola@arendal.no", centre_id=world.no.centre_id)
    page = ws.client.get("/municipality").get_data(as_text=True)
    assert 'value="20000"' in page and " readonly" in page
    assert 'id="save-municipality"' not in page
    before = _stored(app, world.no.municipality_id)
    assert ws.client.post("/municipality", data={"csrf_token": csrf_of(page),
                                                 "population": "5"}).status_code == 404
    assert ws.client.get(f"/municipality?id={world.dk.municipality_id}").status_code == 404
    assert _stored(app, world.no.municipality_id) == before


def _session(app, centre_id: int, days: int) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        activity = Activity(centre_id=centre_id, title="Strikkekafé",
                            roles=[{"role": "host", "min": 1, "max": 2}])
        db.session.add(activity)
        db.session.flush()
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)
        row = Session(activity_id=activity.id, start=start, end=start + timedelta(hours=2),
                      window_start=start, window_end=start + timedelta(hours=2), status="scheduled")
        db.session.add(row)
        db.session.commit()
        return row.id


def _participants(app, session_id: int) -> int | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.get(Session, session_id).participants


def test_a_coordinator_records_the_participants_of_a_past_session(app, client, world):
    past = _session(app, world.no.centre_id, -2)
    coming = _session(app, world.no.centre_id, 5)
    foreign = _session(app, world.dk.centre_id, -2)
    ws = signed_in(app, client, "ola@arendal.no", centre_id=world.no.centre_id)
    page = ws.client.get(f"/sessions/{past}").get_data(as_text=True)
    assert 'id="participants-count"' in page
    assert 'id="participants-count"' not in ws.client.get(f"/sessions/{coming}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    done = ws.client.post(f"/sessions/{past}/participants",
                          data={"csrf_token": csrf_of(page), "participants": "12", "version": version})
    assert done.status_code == 303 and _participants(app, past) == 12
    refused = ws.client.post(f"/sessions/{past}/participants",
                             data={"csrf_token": csrf_of(page), "participants": "a dozen"})
    assert refused.status_code == 303 and _participants(app, past) == 12
    superscript = ws.client.post(f"/sessions/{past}/participants",
                                 data={"csrf_token": csrf_of(page), "participants": "²"})
    assert superscript.status_code == 303 and _participants(app, past) == 12
    assert "whole number" in ws.client.get(f"/sessions/{past}").get_data(as_text=True)
    assert ws.client.post(f"/sessions/{foreign}/participants",
                          data={"csrf_token": csrf_of(page), "participants": "3"}).status_code == 404
    assert _participants(app, foreign) is None
