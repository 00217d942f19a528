"""The workspace's figures, annual report and network pages: the same
figures and suppression as the API, the same scope (404 outside it)."""

from __future__ import annotations

import re

import pytest

from medsam_match.extensions import db
from medsam_match.models import Municipality
from tests.web.staff import Workspace, make_user

from .fixture import build_history

FIVE = "&lt; 5"


@pytest.fixture
def history(app, world):
    return build_history(app, world)


def signed_in(app, client, email, **scope) -> Workspace:
    make_user(app, email, **scope)
    ws = Workspace(client)
    assert ws.sign_in(email).status_code == 303
    return ws


def figure(html: str, key: str) -> str:
    match = re.search(rf'data-figure="{key}">([^<]*(?:&lt;[^<]*)?)</td>', html)
    assert match, key
    return match.group(1)


def test_dashboard_of_the_municipality(app, client, world, history):
    ws = signed_in(app, client, "kari@arendal.no", role="municipality",
                   municipality_id=world.no.municipality_id)
    response = ws.client.get("/figures?year=2025", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert figure(html, "sessions_held") == "5"
    assert figure(html, "hours_given") == "39,5"  # Arendal's language: a decimal comma
    assert figure(html, "fill_rate") == "100\xa0%"
    assert figure(html, "new_volunteers") == FIVE
    assert 'id="trend-chart"' in html and "vendor/chartjs/chart.umd.min.js" in html
    assert "Arendal frivilligsentral" in html  # centres side by side
    assert "https://" not in html.split("<body")[0]  # nothing from another origin
    annual = ws.client.get("/figures/annual?year=2025")
    assert annual.status_code == 200
    text = annual.get_data(as_text=True)
    assert '<html lang="nb">' in text  # Arendal's language
    assert "Årsrapport 2025: Arendal" in text and "Økter holdt" in text
    # a reader who picked English reads English numbers
    assert ws.post("/language", page="/figures?year=2025", language="en").status_code == 303
    english = ws.client.get("/figures?year=2025").get_data(as_text=True)
    assert figure(english, "hours_given") == "39.5"
    assert figure(english, "fill_rate") == "100%"


def test_coordinator_sees_its_centre_and_municipality_only(app, client, world, history):
    ws = signed_in(app, client, "ola@arendal.no", centre_id=world.no.centre_id)
    assert ws.client.get("/figures?year=2025").status_code == 200
    assert ws.client.get(f"/figures?year=2025&scope=municipality:{world.no.municipality_id}"
                         ).status_code == 200
    assert ws.client.get(f"/figures?year=2025&scope=municipality:{world.dk.municipality_id}"
                         ).status_code == 404
    assert ws.client.get(f"/figures?year=2025&scope=centre:{world.dk.centre_id}"
                         ).status_code == 404


def test_network_page(app, client, world, history):
    ws = signed_in(app, client, "kari@arendal.no", role="municipality",
                   municipality_id=world.no.municipality_id)
    closed = ws.client.get("/network?year=2025").get_data(as_text=True)
    assert 'id="network-closed"' in closed
    with app.app_context():
        db.session.get(Municipality, world.no.municipality_id).network_opt_in = True
        db.session.commit()
    html = ws.client.get("/network?year=2025").get_data(as_text=True)
    assert 'id="network-table"' in html and "Arendal" in html
    assert "Aarhus" not in html  # not opted in: nowhere
    assert FIVE in html  # Arendal's two new volunteers


def test_annual_report_as_pdf(app, client, world, history):
    from medsam_match.web.workspace.figures import pdf_available

    if not pdf_available():
        pytest.skip("WeasyPrint or the system's Pango is not installed")
    ws = signed_in(app, client, "kari@arendal.no", role="municipality",
                   municipality_id=world.no.municipality_id)
    page = ws.client.get("/figures/annual?year=2025").get_data(as_text=True)
    assert "/figures/annual.pdf" in page
    response = ws.client.get(f"/figures/annual.pdf?year=2025&scope=municipality:"
                             f"{world.no.municipality_id}")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert ws.client.get(f"/figures/annual.pdf?year=2025&scope=municipality:"
                         f"{world.dk.municipality_id}").status_code == 404
