"""GET /api/v1/network: only municipalities that opted in, suppressed."""

from __future__ import annotations

import json

import pytest

from medsam_match.extensions import db
from medsam_match.models import Municipality

from .fixture import build_history

FIVE = "< 5"
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture
def history(app, world):
    return build_history(app, world)


def opt_in(app, municipality_id, value=True):
    with app.app_context():
        db.session.get(Municipality, municipality_id).network_opt_in = value
        db.session.commit()


def test_a_municipality_not_opted_in_appears_nowhere(app, client, auth, world, history):
    opt_in(app, world.no.municipality_id)
    response = client.get("/api/v1/network", query_string=YEAR,
                          headers=auth(world.no.municipality_token))
    assert response.status_code == 200, response.json
    body = response.json
    assert [m["name"] for m in body["municipalities"]] == ["Arendal"]
    assert "Aarhus" not in json.dumps(body) and "_raw" not in json.dumps(body)
    arendal = body["municipalities"][0]
    assert arendal["own"] is True
    assert arendal["sessions_held"] == 5 and arendal["volunteers_engaged"] == 7
    assert arendal["new_volunteers"] == FIVE
    # The network's total holds Arendal alone: Aarhus's one session is not in it.
    assert body["network"]["sessions_held"] == 5
    assert body["network"]["participants_reached"] == 25
    # No words about Arendal: its café's fill rate is suppressed (the
    # walking group's two guides would follow from it), the walking group
    # has one session.
    assert body["insights"] == []
    # Aarhus has not opted in: it cannot open the network, not in the reports either.
    assert client.get("/api/v1/network", query_string=YEAR,
                      headers=auth(world.dk.municipality_token)).status_code == 403
    assert client.get("/api/v1/reports", query_string={"scope": "network", **YEAR},
                      headers=auth(world.dk.coordinator_token)).status_code == 404


def test_both_opted_in_side_by_side_and_suppressed(app, client, auth, world, history):
    opt_in(app, world.no.municipality_id)
    opt_in(app, world.dk.municipality_id)
    body = client.get("/api/v1/network", query_string=YEAR,
                      headers=auth(world.dk.coordinator_token)).json
    by_name = {m["name"]: m for m in body["municipalities"]}
    assert set(by_name) == {"Arendal", "Aarhus"}
    aarhus = by_name["Aarhus"]
    assert aarhus["own"] is True and by_name["Arendal"]["own"] is False
    # Aarhus rests on one volunteer: every figure about people is "< 5" ...
    for name in ("volunteers_engaged", "slots_filled", "hours_attended", "hours_given"):
        assert aarhus[name] == FIVE, name
    # ... and so is Arendal's, where the network's total minus Arendal's
    # would give Aarhus's (slots: 22 - 21 = 1).
    assert body["network"]["slots_filled"] == 22
    assert by_name["Arendal"]["slots_filled"] == FIVE
    assert aarhus["sessions_held"] == 1  # sessions rest on no one
    totals = client.get("/api/v1/reports", query_string={"scope": "network", **YEAR},
                        headers=auth(world.dk.coordinator_token)).json["totals"]
    assert totals["sessions_held"] == 6 and totals["slots_needed"] == 22


def test_opting_in_is_off_by_default_and_set_by_the_municipality(app, client, auth, world):
    url = f"/api/v1/municipalities/{world.no.municipality_id}"
    body = client.get(url, headers=auth(world.no.municipality_token)).json
    assert body["network_opt_in"] is False and body["population"] is None
    response = client.patch(url, json={"network_opt_in": True, "population": 45000},
                            headers=auth(world.no.municipality_token))
    assert response.status_code == 200, response.json
    assert response.json["network_opt_in"] is True and response.json["population"] == 45000
    response = client.patch(url, json={"network_opt_in": "yes"},
                            headers=auth(world.no.municipality_token))
    assert response.status_code == 422 and "network_opt_in" in response.json["errors"]
