"""GET /api/v1/reports (JSON, CSV, XLSX) against the hand-worked history in
fixture.py: every expected number below is worked out by hand from that
docstring, not taken from the code."""

from __future__ import annotations

import csv
import io

import pytest

from .fixture import build_history

FIVE = "< 5"


@pytest.fixture
def history(app, world):
    return build_history(app, world)


def get(client, auth, token, **query):
    return client.get("/api/v1/reports", query_string=query, headers=auth(token))


def test_year_totals_worked_by_hand(client, auth, world, history):
    response = get(client, auth, world.no.municipality_token,
                   scope=f"municipality:{world.no.municipality_id}",
                   **{"from": "2025-01-01", "to": "2025-12-31"}, group_by="year")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["population"] == 20000
    t = body["totals"]
    assert t["sessions_held"] == 5  # S1 S3 S4 S7 S8
    assert t["sessions_cancelled"] == 1  # S2
    assert t["slots_needed"] == 21  # 5 + 5 + 1 + 5 + 5
    assert t["slots_filled"] == 21  # 5 + 5 (V4 declined) + 2 + 4 + 5; S2's seat not counted
    assert t["fill_rate"] == 1.0
    assert t["hours_planned"] == 47.0  # 5x2 + 5x3 + 2x2 + 4x2 + 5x2
    assert t["hours_attended"] == 32.0  # 4x2 + 4x3 + 2x2 + 4x2 (V7 not recorded, S8 no-shows)
    assert t["hours_logged"] == 7.5  # 5 x 1.5 approved; the pending 4 h left out
    assert t["hours_given"] == 39.5
    assert t["attended"] == 14
    assert t["no_shows"] == 6  # V5 in S1, five in S8
    assert t["no_show_rate"] == 0.3  # 6 / 20
    assert t["volunteers_engaged"] == 7  # V1 V2 V3 V4 V6 V7 V8 (V5 only ever a no-show)
    assert t["volunteers_per_1000"] == 0.35  # 7 / 20000 x 1000
    assert t["new_volunteers"] == FIVE  # V7 and V8: 2
    assert t["retained"] == 5  # 2024: V1 V2 V3 V4 V6, all back in 2025
    assert t["retention"] == 1.0
    assert t["participants_reached"] == 25  # 12 + 8 + 5
    assert [p["period"] for p in body["periods"]] == ["2025"]


def test_quarters_and_suppression(client, auth, world, history):
    body = get(client, auth, world.no.coordinator_token,
               scope=f"municipality:{world.no.municipality_id}",
               **{"from": "2025-01-01", "to": "2025-12-31"}, group_by="quarter").json
    q1, q2, q3, q4 = body["periods"]
    assert [q1["period"], q4["period"]] == ["2025-Q1", "2025-Q4"]
    assert (q1["from"], q1["to"]) == ("2025-01-01", "2025-03-31")
    # Q1: S1 held, S2 cancelled; five volunteers with a seat (V1..V5).
    assert (q1["sessions_held"], q1["sessions_cancelled"]) == (1, 1)
    assert (q1["slots_needed"], q1["slots_filled"], q1["fill_rate"]) == (5, 5, 1.0)
    assert (q1["hours_planned"], q1["hours_attended"], q1["hours_given"]) == (10.0, 8.0, 15.5)
    assert q1["volunteers_engaged"] == FIVE  # V1..V4
    assert q1["no_shows"] == FIVE and q1["no_show_rate"] == FIVE  # 1
    assert q1["retained"] == FIVE and q1["retention"] == FIVE  # 4 of Q4 2024's five
    assert q1["volunteers_per_1000"] == FIVE
    assert q1["new_volunteers"] == 0
    # Q2: S3 S4 S7 S8.
    assert q2["sessions_held"] == 4
    assert (q2["slots_needed"], q2["slots_filled"]) == (16, 16)
    assert (q2["hours_planned"], q2["hours_attended"]) == (37.0, 24.0)
    assert q2["volunteers_engaged"] == 6  # V1 V2 V3 V6 V7 V8
    assert q2["participants_reached"] == 25
    # Q2's five no-shows are shown in no quarter: the year's 6 minus them
    # would give Q1's suppressed 1.
    assert q2["no_shows"] == FIVE and q2["no_show_rate"] == FIVE
    assert q2["new_volunteers"] == FIVE  # V7, V8
    assert q3["sessions_held"] == 0 and q3["fill_rate"] is None


def test_first_engagements_in_the_year_before(client, auth, world, history):
    t = get(client, auth, world.admin_token, scope=f"centre:{history['centre']}",
            **{"from": "2024-10-01", "to": "2024-12-31"}, group_by="year").json["totals"]
    assert (t["sessions_held"], t["slots_filled"], t["hours_attended"]) == (1, 5, 10.0)
    assert t["new_volunteers"] == 5 and t["volunteers_engaged"] == 5
    assert t["volunteers_per_1000"] is None  # a centre has no population


def test_by_activity_suppresses_a_second_figure(client, auth, world, history):
    body = get(client, auth, world.no.municipality_token, scope=f"centre:{history['centre']}",
               **{"from": "2025-01-01", "to": "2025-12-31"}, group_by="year", by="activity").json
    by_id = {a["activity_id"]: a for a in body["activities"]}
    lc, tg = by_id[history["lc"]], by_id[history["tg"]]
    assert (lc["sessions_held"], lc["sessions_cancelled"], lc["slots_needed"]) == (4, 1, 20)
    assert lc["volunteers_engaged"] == 6  # V1 V2 V3 V4 V6 V7
    assert (tg["sessions_held"], tg["slots_needed"], tg["participants_reached"]) == (1, 1, 8)
    assert tg["slots_filled"] == FIVE and tg["hours_attended"] == FIVE  # two guides
    # The year's 21 filled slots minus the café's 19 would give the walking
    # group's 2, the year's 47 planned hours minus the café's 43 its 4: the
    # café's are suppressed too, and the rates built on them.
    for name in ("slots_filled", "fill_rate", "hours_planned", "hours_attended", "attended"):
        assert lc[name] == FIVE, name


def test_csv_and_xlsx_carry_the_suppression(client, auth, world, history):
    query = {"scope": f"municipality:{world.no.municipality_id}", "from": "2025-01-01",
             "to": "2025-12-31", "group_by": "quarter"}
    response = client.get("/api/v1/reports.csv", query_string=query,
                          headers=auth(world.no.municipality_token))
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["period"] for r in rows] == ["total", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert rows[0]["sessions_held"] == "5" and rows[0]["new_volunteers"] == FIVE
    assert rows[1]["volunteers_engaged"] == FIVE and rows[1]["slots_filled"] == "5"

    from openpyxl import load_workbook

    response = client.get("/api/v1/reports.xlsx", query_string=query,
                          headers=auth(world.no.municipality_token))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[1])
    q1 = dict(zip(header, values[3], strict=True))
    assert q1["period"] == "2025-Q1"
    assert q1["volunteers_engaged"] == FIVE and q1["no_show_rate"] == FIVE
    assert q1["slots_needed"] == 5


def test_scope(client, auth, world, history):
    no, dk = world.no, world.dk
    year = {"from": "2025-01-01", "to": "2025-12-31"}
    coordinator = no.coordinator_token
    assert get(client, auth, coordinator, scope=f"centre:{no.centre_id}", **year).status_code == 200
    assert get(client, auth, coordinator, scope=f"municipality:{no.municipality_id}",
               **year).status_code == 200
    # Another centre of the same municipality, another municipality: not found.
    assert get(client, auth, coordinator, scope=f"centre:{no.centre_ids[1]}",
               **year).status_code == 404
    assert get(client, auth, coordinator, scope=f"municipality:{dk.municipality_id}",
               **year).status_code == 404
    assert get(client, auth, no.municipality_token, scope=f"centre:{dk.centre_id}",
               **year).status_code == 404
    assert get(client, auth, no.municipality_token, scope="centre:999999",
               **year).status_code == 404
    # The network is closed to a municipality that has not opted in.
    assert get(client, auth, coordinator, scope="network", **year).status_code == 404
    # Aarhus's own figures hold only its own session.
    t = get(client, auth, dk.municipality_token, scope=f"municipality:{dk.municipality_id}",
            **year).json["totals"]
    assert t["sessions_held"] == 1 and t["participants_reached"] == 30
    assert t["volunteers_engaged"] == FIVE


@pytest.mark.parametrize("query, field", [
    ({"scope": "county:1"}, "scope"),
    ({}, "scope"),
    ({"scope": "network", "group_by": "day"}, "group_by"),
    ({"scope": "network", "from": "2025-13-01"}, "from"),
    ({"scope": "network", "from": "2025-05-01", "to": "2025-04-01"}, "to"),
])
def test_bad_input_names_the_field(client, auth, world, query, field):
    response = client.get("/api/v1/reports", query_string=query, headers=auth(world.admin_token))
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]


def test_participants_set_by_the_coordinator_count_as_reached(app, client, auth, world):
    from medsam_match.extensions import db
    from medsam_match.models import Activity

    with app.app_context():
        activity = Activity(centre_id=world.no.centre_id, title="Leksehjelp",
                            roles=[{"role": "helper", "min": 1, "max": 2}])
        db.session.add(activity)
        db.session.commit()
        activity_id = activity.id
    token = world.no.coordinator_token
    created = client.post("/api/v1/sessions", headers=auth(token), json={
        "activity_id": activity_id, "start": "2025-03-04T16:00:00+01:00",
        "end": "2025-03-04T18:00:00+01:00"})
    assert created.status_code == 201, created.json
    assert created.json["participants"] is None
    url = f"/api/v1/sessions/{created.json['id']}"
    assert client.patch(url, headers=auth(token), json={"participants": -1}).status_code == 422
    patched = client.patch(url, headers=auth(token), json={"participants": 17})
    assert patched.status_code == 200 and patched.json["participants"] == 17
    totals = get(client, auth, token, scope=f"centre:{world.no.centre_id}",
                 **{"from": "2025-01-01", "to": "2025-12-31"}).json["totals"]
    assert totals["participants_reached"] == 17 and totals["sessions_held"] == 1


def test_hidden_cells_together_hide_at_least_five(client, auth, world, history):
    response = get(client, auth, world.no.municipality_token,
                   scope=f"municipality:{world.no.municipality_id}",
                   **{"from": "2025-01-01", "to": "2025-12-31"}, group_by="month")
    months = {p["period"]: p for p in response.json["periods"]}
    # January's one no-show is hidden (a count under 5), May's rests on four
    # volunteers (S7) and is hidden too, but its true value is 0: the year's
    # 6 minus June's 5 would still give January's 1. So June's is hidden as well.
    assert months["2025-01"]["no_shows"] == FIVE and months["2025-05"]["no_shows"] == FIVE
    assert months["2025-06"]["no_shows"] == FIVE and months["2025-06"]["no_show_rate"] == FIVE
    assert response.json["totals"]["no_shows"] == 6
    assert "_raw" not in response.get_data(as_text=True)  # the hidden values stay on the server
