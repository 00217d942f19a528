"""Hours given per volunteer and per activity come from attendance and
approved logged hours, never from the plan: marked through the API, then
read back from /api/v1/hours/summary and /api/v1/reports?by=activity."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Flask
from flask.testing import FlaskClient

from medsam_match.extensions import db
from medsam_match.models import Activity, Assignment, Session, Volunteer
from tests.api.manual_world import OSLO
from tests.conftest import World, auth


def test_hours_per_activity_are_attended_plus_approved_logged(
        app: Flask, client: FlaskClient, world: World, make_token) -> None:  # type: ignore[no-untyped-def]
    coordinator = auth(world.no.coordinator_token)
    day = datetime.now(OSLO).date() - timedelta(days=3)
    with app.app_context():
        cafe = Activity(centre_id=world.no.centre_id, title="Språkkafé",
                        roles=[{"role": "host", "min": 1, "max": 8}])
        walk = Activity(centre_id=world.no.centre_id, title="Turgruppe",
                        roles=[{"role": "guide", "min": 1, "max": 8}])
        db.session.add_all([cafe, walk])
        db.session.flush()
        start = datetime.combine(day, time(17), tzinfo=OSLO)
        sessions = {a.id: Session(activity_id=a.id, start=start, end=start + timedelta(hours=2),
                                  window_start=start, window_end=start + timedelta(hours=2))
                    for a in (cafe, walk)}
        db.session.add_all(sessions.values())
        people = [Volunteer(centre_id=world.no.centre_id, name=f"Frivillig {i}")
                  for i in range(6)]
        db.session.add_all(people)
        db.session.flush()
        seats = [Assignment(volunteer_id=p.id, session_id=sessions[cafe.id].id, role="host",
                            status="confirmed") for p in people]
        seats += [Assignment(volunteer_id=p.id, session_id=sessions[walk.id].id, role="guide",
                             status="confirmed") for p in people[:5]]
        db.session.add_all(seats)
        db.session.commit()
        ids = {"cafe": cafe.id, "walk": walk.id, "people": [p.id for p in people],
               "cafe_session": sessions[cafe.id].id, "walk_session": sessions[walk.id].id,
               "cafe_seats": [s.id for s in seats[:6]], "walk_seats": [s.id for s in seats[6:]]}
    # Five of six came to the café; all five to the walk, but the walk is not marked.
    marks = [{"assignment_id": a, "attendance": "attended"} for a in ids["cafe_seats"][:5]]
    marks.append({"assignment_id": ids["cafe_seats"][5], "attendance": "no_show"})
    assert client.post("/api/v1/attendance", headers=coordinator, json={
        "session_id": ids["cafe_session"], "marks": marks}).status_code == 200
    # Each logs 1 h for the café the day before, approved; one more hour without an activity.
    for volunteer_id in ids["people"][:5]:
        token = auth(make_token("volunteer", volunteer_id=volunteer_id))
        entry = client.post("/api/v1/hours", headers=token, json={
            "day": (day - timedelta(days=1)).isoformat(), "hours": 1,
            "activity_id": ids["cafe"]}).json
        assert client.post(f"/api/v1/hours/{entry['id']}:approve",
                           headers=coordinator).status_code == 200
    client.post("/api/v1/hours", headers=coordinator, json={
        "volunteer_id": ids["people"][0], "day": day.isoformat(), "hours": 3})

    first = auth(make_token("volunteer", volunteer_id=ids["people"][0]))
    summary = client.get("/api/v1/hours/summary", headers=first).json
    assert (summary["attended"], summary["logged"], summary["total"]) == (2.0, 4.0, 6.0)
    assert {a["title"]: a["total"] for a in summary["by_activity"]} == {
        "Språkkafé": 3.0, "": 3.0}  # the walk was planned, not marked: no hours

    report = client.get("/api/v1/reports", headers=coordinator, query_string={
        "scope": f"centre:{world.no.centre_id}", "from": (day - timedelta(days=1)).isoformat(),
        "to": day.isoformat(), "group_by": "year", "by": "activity"})
    assert report.status_code == 200, report.json
    body = report.json
    by_title = {a["title"]: a for a in body["activities"]}
    cafe = by_title["Språkkafé"]
    assert (cafe["hours_attended"], cafe["hours_logged"], cafe["hours_given"]) == (10.0, 5.0, 15.0)
    assert cafe["hours_planned"] == 12.0  # six confirmed seats of 2 h, shown apart
    walk = by_title["Turgruppe"]
    assert (walk["hours_given"], walk["hours_planned"]) == (0.0, 10.0)
    assert body["totals"]["hours_logged"] == 8.0  # 5 x 1 h + 3 h without an activity
    assert body["totals"]["hours_given"] == 18.0


def test_recent_hours_per_volunteer_for_planning(app: Flask, world: World) -> None:
    """services/hours.recent_hours: attended seats plus approved entries in
    the period, per volunteer of the centre (docs/planning.md)."""
    from medsam_match.models import HoursEntry
    from medsam_match.services.hours import recent_hours

    with app.app_context():
        walk = Activity(centre_id=world.no.centre_id, title="Tur",
                        roles=[{"role": "guide", "min": 1, "max": 3}])
        db.session.add(walk)
        db.session.flush()
        start = datetime.combine(datetime.now(OSLO).date() - timedelta(days=5), time(10),
                                 tzinfo=OSLO)
        session = Session(activity_id=walk.id, start=start, end=start + timedelta(hours=3),
                          window_start=start, window_end=start + timedelta(hours=3))
        old = Session(activity_id=walk.id, start=start - timedelta(days=60),
                      end=start - timedelta(days=60) + timedelta(hours=2),
                      window_start=start - timedelta(days=60),
                      window_end=start - timedelta(days=60) + timedelta(hours=2))
        ada, bo, cy = (Volunteer(centre_id=world.no.centre_id, name=n) for n in "ABC")
        db.session.add_all([session, old, ada, bo, cy])
        db.session.flush()
        db.session.add_all([
            Assignment(volunteer_id=ada.id, session_id=session.id, role="guide",
                       status="confirmed", attendance="attended"),
            Assignment(volunteer_id=ada.id, session_id=old.id, role="guide",
                       status="confirmed", attendance="attended"),  # too long ago
            Assignment(volunteer_id=bo.id, session_id=session.id, role="guide",
                       status="confirmed", attendance="no_show"),
            Assignment(volunteer_id=cy.id, session_id=session.id, role="guide",
                       status="confirmed"),  # not marked: planned, not given
            HoursEntry(volunteer_id=bo.id, day=start.date(), hours=1.5, status="approved"),
            HoursEntry(volunteer_id=cy.id, day=start.date(), hours=4, status="pending"),
        ])
        db.session.commit()
        given = recent_hours(world.no.centre_id, start - timedelta(days=28),
                             start + timedelta(days=1))
        assert given == {ada.id: 3.0, bo.id: 1.5}
