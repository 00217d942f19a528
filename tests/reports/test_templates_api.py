"""Activity templates: publish with last year's figures (suppressed), browse,
import into another centre (a new activity; the template unchanged), and
roles that need skills the centre lacks: refused by name, or adapted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from medsam_match.extensions import db
from medsam_match.models import Activity, Assignment, Session, Volunteer

FIVE = "< 5"


@pytest.fixture
def published(app, client, auth, world):
    with app.app_context():
        activity = Activity(centre_id=world.no.centre_id, title="Språkkafé",
                            description="Norsk over en kopp kaffe", interests=["language"],
                            needs=["wifi"],
                            roles=[{"role": "host", "min": 2, "max": 3, "skills": ["norsk"]},
                                   {"role": "barista", "min": 1, "max": 1}])
        db.session.add(activity)
        db.session.flush()
        volunteers = [Volunteer(centre_id=world.no.centre_id, name=f"V{i}") for i in range(3)]
        db.session.add_all(volunteers)
        db.session.flush()
        start = (datetime.now(UTC) - timedelta(days=14)).replace(minute=0, second=0,
                                                                 microsecond=0)
        session = Session(activity_id=activity.id, start=start, end=start + timedelta(hours=2),
                          window_start=start, window_end=start + timedelta(hours=2),
                          status="scheduled", participants=9)
        db.session.add(session)
        db.session.flush()
        for v in volunteers:
            db.session.add(Assignment(session_id=session.id, volunteer_id=v.id, role="host",
                                      status="confirmed", attendance="attended"))
        db.session.commit()
        activity_id = activity.id
    response = client.post("/api/v1/templates", json={"activity_id": activity_id},
                           headers=auth(world.no.coordinator_token))
    assert response.status_code == 201, response.json
    return response.json


def test_publish_carries_the_design_and_suppressed_figures(published):
    assert published["source_municipality"] == "Arendal"
    assert (published["country"], published["language"]) == ("NO", "nb")
    assert published["roles"][0]["skills"] == ["norsk"]
    assert published["pattern"]["minutes"] == 120
    assert published["achieved"]["sessions_held"] == 1
    assert published["achieved"]["participants_reached"] == 9
    # Three volunteers: hours and people are "< 5".
    assert published["achieved"]["hours_given"] == FIVE
    assert published["achieved"]["volunteers_engaged"] == FIVE


def test_browse_and_search(client, auth, world, published):
    headers = auth(world.dk.coordinator_token)
    assert [t["id"] for t in client.get("/api/v1/templates", headers=headers).json] == [
        published["id"]]
    for query, hits in [({"interest": "language"}, 1), ({"interest": "sport"}, 0),
                        ({"country": "DK"}, 0), ({"q": "kaffe"}, 1), ({"size": "small"}, 1),
                        ({"size": "large"}, 0)]:
        found = client.get("/api/v1/templates", query_string=query, headers=headers).json
        assert len(found) == hits, query
    assert client.get("/api/v1/templates", query_string={"size": "huge"},
                      headers=headers).status_code == 422


def test_import_refuses_unknown_skills_then_adapts(app, client, auth, world, published):
    url = f"/api/v1/templates/{published['id']}:import"
    headers = auth(world.dk.coordinator_token)
    refused = client.post(url, json={"centre_id": world.dk.centre_id}, headers=headers)
    assert refused.status_code == 422
    assert "roles.0.skills" in refused.json["errors"]
    assert "'norsk'" in refused.json["errors"]["roles.0.skills"][0]
    with app.app_context():
        assert db.session.query(Activity).filter_by(centre_id=world.dk.centre_id).count() == 0
    adapted = client.post(url, json={"centre_id": world.dk.centre_id, "adapt": True,
                                     "place_ids": world.dk.place_ids}, headers=headers)
    assert adapted.status_code == 201, adapted.json
    body = adapted.json
    assert body["adapted"] == [{"role": "host", "dropped_skills": ["norsk"]}]
    assert body["roles"][0]["skills"] == [] and body["centre_id"] == world.dk.centre_id
    assert body["notes"] == []  # Dokk1 has wifi
    # A valid activity: the API shows it and a session can be made for it.
    activity = client.get(f"/api/v1/activities/{body['activity_id']}", headers=headers)
    assert activity.status_code == 200 and activity.json["title"] == "Språkkafé"
    # The template is unchanged.
    again = client.get(f"/api/v1/templates/{published['id']}", headers=headers).json
    assert again["roles"][0]["skills"] == ["norsk"]


def test_import_where_the_centre_has_the_skill(app, client, auth, world, published):
    with app.app_context():
        db.session.add(Volunteer(centre_id=world.dk.centre_id, name="W", skills=["norsk"]))
        db.session.commit()
    response = client.post(f"/api/v1/templates/{published['id']}:import",
                           json={"centre_id": world.dk.centre_id},
                           headers=auth(world.dk.coordinator_token))
    assert response.status_code == 201 and response.json["adapted"] == []
    assert response.json["roles"][0]["skills"] == ["norsk"]


def test_import_scope(client, auth, world, published):
    url = f"/api/v1/templates/{published['id']}:import"
    other = client.post(url, json={"centre_id": world.no.centre_id},
                        headers=auth(world.dk.coordinator_token))
    assert other.status_code == 422 and "centre_id" in other.json["errors"]
    missing = client.post("/api/v1/templates/999999:import", json={"centre_id": 1},
                          headers=auth(world.dk.coordinator_token))
    assert missing.status_code == 404


def test_import_refuses_a_place_outside_the_centres_municipality_and_makes_nothing(
        app, client, auth, world, published):
    url = f"/api/v1/templates/{published['id']}:import"
    refused = client.post(url, json={"centre_id": world.dk.centre_id, "adapt": True,
                                     "place_ids": [world.dk.place_ids[0], world.no.place_ids[0]]},
                          headers=auth(world.dk.coordinator_token))
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert str(world.no.place_ids[0]) in refused.json["errors"]["place_ids"][0]
    with app.app_context():
        assert db.session.query(Activity).filter_by(centre_id=world.dk.centre_id).count() == 0
