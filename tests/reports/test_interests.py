"""Figures by interest, checked against the history of fixture.py worked
out by hand: the language café carries "language", the walking group
"outdoors" and "language", so "language" is both activities and "outdoors"
the walking group alone (two volunteers: its person figures are "< 5").
The same in JSON, CSV, XLSX and on the dashboard; scope as for the rest."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from medsam_match.extensions import db
from medsam_match.models import Activity
from medsam_match.services.report_interests import _hide_what_subtraction_would_reveal

from .fixture import build_history
from .test_figures_pages import signed_in

FIVE = "< 5"


@pytest.fixture
def history(app, world):
    ids = build_history(app, world)
    with app.app_context():
        db.session.get(Activity, ids["lc"]).interests = ["language"]
        db.session.get(Activity, ids["tg"]).interests = ["outdoors", "language"]
        db.session.commit()
    return ids


def _query(world, **extra):  # type: ignore[no-untyped-def]
    return {"scope": f"municipality:{world.no.municipality_id}", "from": "2025-01-01",
            "to": "2025-12-31", "group_by": "quarter", "by": "interest", **extra}


def test_figures_by_interest_in_json(client, auth, world, history):
    response = client.get("/api/v1/reports", query_string=_query(world),
                          headers=auth(world.no.municipality_token))
    assert response.status_code == 200, response.json
    body = response.json
    assert "activities" not in body
    rows = {r["interest"]: r for r in body["interests"]}
    assert list(rows) == ["language", "outdoors"]
    language = rows["language"]
    assert sorted(language["activity_ids"]) == sorted([history["lc"], history["tg"]])
    # Held: S1 S3 S7 S8 (café) + S4 (walk); S2 cancelled.
    assert (language["sessions_held"], language["sessions_cancelled"]) == (5, 1)
    # Needed: 4 café sessions x 5 hosts + 1 walk x 1 guide; filled: 5+5+4+5 + 2.
    assert (language["slots_needed"], language["slots_filled"]) == (21, 21)
    assert language["fill_rate"] == 1.0
    # Attended: S1 4x2 h, S3 4x3 h, S7 4x2 h, S4 2x2 h; the self-logged hours
    # of the fixture are for no activity, so none here.
    assert language["hours_given"] == 32.0 and language["hours_logged"] == 0.0
    assert language["hours_planned"] == 47.0  # + V7's 3 h at S3 and S8's 5x2 h
    assert language["volunteers_engaged"] == 7  # V1 V2 V3 V4 V6 V7 V8
    assert (language["attended"], language["no_shows"]) == (14, 6)
    assert language["no_show_rate"] == 0.3
    assert language["participants_reached"] == 25
    assert language["new_volunteers"] is None and language["retention"] is None
    outdoors = rows["outdoors"]
    assert (outdoors["sessions_held"], outdoors["slots_needed"]) == (1, 1)
    assert outdoors["participants_reached"] == 8
    for name in ("slots_filled", "fill_rate", "hours_given", "hours_planned",
                 "volunteers_engaged", "attended"):
        assert outdoors[name] == FIVE, name  # V1 and V8 only


def test_figures_by_interest_in_csv_and_xlsx(client, auth, world, history):
    headers = auth(world.no.municipality_token)
    text = client.get("/api/v1/reports.csv", query_string=_query(world), headers=headers).text
    rows = [dict(zip(*pair, strict=True)) for pair in
            [(r0, r) for r0 in [next(csv.reader(io.StringIO(text)))]
             for r in list(csv.reader(io.StringIO(text)))[1:]]]
    by = {r["interest"]: r for r in rows if r["interest"]}
    assert by["language"]["slots_filled"] == "21" and by["language"]["hours_given"] == "32.0"
    assert by["outdoors"]["volunteers_engaged"] == FIVE
    assert by["outdoors"]["participants_reached"] == "8"
    book = load_workbook(io.BytesIO(client.get(
        "/api/v1/reports.xlsx", query_string=_query(world), headers=headers).data))
    values = list(book.active.values)
    header = list(values[1])
    cells = {row[header.index("interest")]: dict(zip(header, row, strict=True))
             for row in values[2:] if row[header.index("interest")]}
    assert cells["outdoors"]["hours_given"] == FIVE and cells["language"]["sessions_held"] == 5


def test_figures_by_interest_on_the_dashboard_and_scope(app, client, auth, world, history):
    ws = signed_in(app, client, "kari@arendal.no", role="municipality",
                   municipality_id=world.no.municipality_id)
    html = ws.client.get("/figures?year=2025").get_data(as_text=True)
    table = html.split('id="figures-interests"')[1].split("</table>")[0]
    outdoors = table.split('data-interest="outdoors"')[1].split("</tr>")[0]
    assert 'data-figure="volunteers_engaged">&lt; 5<' in outdoors
    assert 'data-figure="participants_reached">8<' in outdoors
    language = table.split('data-interest="language"')[1].split("</tr>")[0]
    assert 'data-figure="slots_filled">21<' in language
    # Another municipality's figures by interest: not in scope.
    assert client.get("/api/v1/reports", query_string=_query(world),
                      headers=auth(world.dk.municipality_token)).status_code == 404
    assert client.get("/api/v1/reports", query_string=_query(world, by="colour"),
                      headers=auth(world.no.municipality_token)).status_code == 422


def test_an_interest_row_hides_what_subtracting_its_shown_activities_would_reveal():
    # An interest of two activities: one shows 12 filled seats, the other
    # hides its 3. Shown, the interest's 15 would give 15 - 12 = 3 away.
    shown = {"slots_filled": 12, "_raw": {"slots_filled": 12}}
    hidden = {"slots_filled": FIVE, "_raw": {"slots_filled": 3}}
    row = {"slots_filled": 15, "fill_rate": 0.9}
    _hide_what_subtraction_would_reveal(row, [shown, hidden])
    assert row["slots_filled"] == FIVE and row["fill_rate"] == FIVE
    # Two hidden activities holding 3 + 4 between them: 7 says nothing about fewer than 5.
    other = {"slots_filled": FIVE, "_raw": {"slots_filled": 4}}
    row = {"slots_filled": 19, "fill_rate": 0.95}
    _hide_what_subtraction_would_reveal(row, [shown, hidden, other])
    assert row["slots_filled"] == 19


def _log_hours(app, history, entries):  # type: ignore[no-untyped-def]
    """Self-logged hours: (volunteer name, activity key, day, hours, status)."""
    from datetime import date

    from medsam_match.models import Volunteer
    from medsam_match.models.selfservice import HoursEntry

    with app.app_context():
        ids = dict(db.session.query(Volunteer.name, Volunteer.id)
                   .filter(Volunteer.centre_id == history["centre"]).all())
        db.session.add_all([
            HoursEntry(volunteer_id=ids[name], activity_id=history[key],
                       day=date.fromisoformat(day), hours=hours, status=status)
            for name, key, day, hours, status in entries])
        db.session.commit()


def _interest_rows(client, auth, world):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/reports", query_string=_query(world),
                          headers=auth(world.no.municipality_token))
    assert response.status_code == 200, response.json
    return {r["interest"]: r for r in response.json["interests"]}


def test_hours_logged_for_an_interests_activities_count_in_it(app, client, auth, world, history):
    # The café: V1..V5 log 2 h each; the walk: V4..V8 log 1 h each. Not
    # counted: a pending entry, and one before the period.
    _log_hours(app, history, [
        *[(f"V{i}", "lc", "2025-03-03", 2.0, "approved") for i in range(1, 6)],
        *[(f"V{i}", "tg", "2025-04-21", 1.0, "approved") for i in range(4, 9)],
        ("V6", "lc", "2025-03-03", 4.0, "pending"),
        ("V7", "lc", "2024-12-01", 4.0, "approved"),
    ])
    rows = _interest_rows(client, auth, world)
    language, outdoors = rows["language"], rows["outdoors"]
    assert language["hours_logged"] == 15.0
    assert language["hours_given"] == 32.0 + 15.0  # attended (as above) + logged
    # The walk alone: five loggers, so its hours show, though its two
    # volunteers with seats hide its other person figures.
    assert outdoors["hours_logged"] == 5.0 and outdoors["hours_given"] == FIVE


def test_an_interests_loggers_are_counted_once_across_its_activities(
        app, client, auth, world, history):
    # V1..V3 log hours for both activities: six entries, three people. Each
    # activity hides its hours (3 loggers); two hidden activities would let
    # "language" show them, but it rests on the same three people.
    _log_hours(app, history, [
        *[(f"V{i}", key, "2025-05-06", 1.0, "approved") for i in (1, 2, 3) for key in ("lc", "tg")],
    ])
    rows = _interest_rows(client, auth, world)
    assert rows["language"]["hours_logged"] == FIVE
    assert rows["language"]["hours_given"] == FIVE
    assert rows["outdoors"]["hours_logged"] == FIVE
