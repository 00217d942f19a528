"""The demo's year of history: deterministic, past only, with attendance,
and figures to show for every municipality in the network."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from medsam_match.demo import load_demo
from medsam_match.demo.history import add_history
from medsam_match.extensions import db
from medsam_match.models import Activity, Assignment, Municipality, Session, Volunteer

TODAY = date(2026, 12, 2)


def _load(app):
    with app.app_context():
        load_demo(seed=2026, today=TODAY)
        summary = add_history(2026, TODAY)
        # Ids differ between loads on PostgreSQL (sequences go on): compare
        # what the rows say instead.
        fingerprint = sorted(db.session.execute(
            select(Activity.title, Session.start, Session.status, Session.participants,
                   Volunteer.name, Assignment.role, Assignment.attendance)
            .select_from(Session).join(Activity, Activity.id == Session.activity_id)
            .outerjoin(Assignment, Assignment.session_id == Session.id)
            .outerjoin(Volunteer, Volunteer.id == Assignment.volunteer_id)
            .where(Session.end <= datetime(2026, 12, 2, tzinfo=UTC))
        ).all(), key=repr)
        return summary, fingerprint


def test_history_is_the_same_for_the_same_seed_and_day(app):
    summary, first = _load(app)
    assert summary.sessions > 1000 and summary.assignments > 3000
    assert summary.templates == 7  # one from each partner municipality
    with app.app_context():
        for table in ("assignment", "session", "volunteer", "activity", "place", "centre",
                      "municipality"):
            db.session.execute(db.metadata.tables[table].delete())
        db.session.commit()
    assert _load(app)[1] == first


def test_history_lies_in_the_past_and_fills_the_figures(app, client, make_token):
    _load(app)
    with app.app_context():
        cutoff = datetime(2026, 12, 2, tzinfo=UTC)
        past = db.session.scalar(select(func.count()).select_from(Session)
                                 .where(Session.end <= cutoff))
        assert past > 1000
        members = list(db.session.scalars(
            select(Municipality.name).where(Municipality.network_opt_in.is_(True))))
        assert sorted(members) == ["Arendal", "Levanger", "Steinkjer", "Sønderborg", "Voss"]
    body = client.get("/api/v1/network", query_string={"from": "2025-12-01", "to": "2026-11-30"},
                      headers={"Authorization": f"Bearer {make_token('admin')}"}).json
    assert [m["name"] for m in body["municipalities"]] == sorted(members)
    for row in body["municipalities"]:
        assert row["sessions_held"] > 50, row["name"]
        assert isinstance(row["hours_given"], float) and row["hours_given"] > 100, row["name"]
        assert row["population"] and isinstance(row["volunteers_per_1000"], float)
    assert body["insights"], "no differences in words"
    for insight in body["insights"]:
        assert insight["municipality"] in members and "% of the places of its" in insight["text"]
        assert 0 < insight["fill_rate"] and insight["sessions_held"] >= 4
    library = client.get("/api/v1/templates",
                         headers={"Authorization": f"Bearer {make_token('admin')}"}).json
    assert len({t["source_municipality"] for t in library}) == 7
    assert all(t["achieved"]["sessions_held"] for t in library)


def test_network_page_explains_differences_in_words(app, client):
    from tests.web.staff import Workspace, make_user

    _load(app)
    with app.app_context():
        levanger = db.session.scalar(select(Municipality.id).where(Municipality.name == "Levanger"))
    make_user(app, "kari@levanger.kommune.no", role="municipality", municipality_id=levanger)
    ws = Workspace(client)
    assert ws.sign_in("kari@levanger.kommune.no").status_code == 303
    html = ws.client.get("/network?year=2026").get_data(as_text=True)
    assert 'id="network-insights"' in html
    assert "Aarhus" not in html and "Oslo" not in html  # not in the network
    assert re.search(r"fyller \d+\s% av plassene i «", html)  # Levanger's language, nb


def test_history_keeps_every_volunteer_within_their_weekly_limits(app):
    """The current week's past seats are fixed in its plan: a seat breaking a
    weekly limit would make that week's plan impossible."""
    _load(app)
    with app.app_context():
        rows = db.session.execute(
            select(Volunteer.id, Volunteer.max_hours_per_week, Volunteer.max_sessions_per_week,
                   Session.start, Session.end)
            .join(Assignment, Assignment.volunteer_id == Volunteer.id)
            .join(Session, Session.id == Assignment.session_id)
            .where(Assignment.status == "confirmed")).all()
    weeks: dict = {}
    for volunteer, max_hours, max_count, start, end in rows:
        held = weeks.setdefault((volunteer, start.isocalendar()[:2]), (max_hours, max_count, []))
        held[2].append((start, end))
    assert len(weeks) > 1000
    for (volunteer, week), (max_hours, max_count, seats) in weeks.items():
        hours = sum((e - s).total_seconds() / 3600 for s, e in seats)
        assert max_count is None or len(seats) <= max_count, (volunteer, week, seats)
        assert max_hours is None or hours <= max_hours + 1e-9, (volunteer, week, seats)
        seats.sort()
        assert all(a[1] <= b[0] for a, b in zip(seats, seats[1:], strict=False)), (volunteer, week, seats)
