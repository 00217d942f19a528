import pytest

from medsam_match.extensions import db
from medsam_match.models import Activity, Session
from medsam_match.models.types import utcnow

BUSY = [{"start": "2026-12-08T17:00:00+01:00", "end": "2026-12-08T19:00:00+01:00"}]


def _place(municipality_id, **extra):
    return {"municipality_id": municipality_id, "name": "Kulturhuset", "address": "Torvet 1",
            "lat": 58.46, "lon": 8.77, "capacity": 30, "parallel": 2,
            "features": ["kitchen", "wheelchair"], "busy": BUSY, **extra}


def test_create_read_update_delete_a_place(client, world, auth):
    headers = auth(world.no.municipality_token)
    created = client.post("/api/v1/places", json=_place(world.no.municipality_id), headers=headers)
    assert created.status_code == 201
    place = created.json
    assert place["busy"] == BUSY  # stored in UTC, shown in Oslo time again
    assert place["features"] == ["kitchen", "wheelchair"]

    summer = [{"start": "2027-06-01T14:00:00Z", "end": "2027-06-01T16:00:00Z"}]
    changed = client.patch(f"/api/v1/places/{place['id']}", headers=headers,
                           json={"capacity": None, "busy": summer})
    assert changed.status_code == 200
    assert changed.json["capacity"] is None
    assert changed.json["busy"] == [{"start": "2027-06-01T16:00:00+02:00",
                                     "end": "2027-06-01T18:00:00+02:00"}]

    assert client.delete(f"/api/v1/places/{place['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/places/{place['id']}", headers=headers).status_code == 404


def test_danish_places_show_copenhagen_time(client, world, auth):
    created = client.post("/api/v1/places", headers=auth(world.admin_token), json=_place(
        world.dk.municipality_id, busy=[{"start": "2026-12-08T16:00:00Z", "end": "2026-12-08T18:00:00Z"}]))
    assert created.json["busy"][0]["start"] == "2026-12-08T17:00:00+01:00"


def test_coordinators_read_their_municipality_places_only(client, world, auth):
    headers = auth(world.no.coordinator_token)
    listed = client.get("/api/v1/places", headers=headers).json
    assert [p["id"] for p in listed] == world.no.place_ids
    assert client.get(f"/api/v1/places/{world.dk.place_ids[0]}", headers=headers).status_code == 404
    filtered = client.get(f"/api/v1/places?municipality_id={world.dk.municipality_id}", headers=headers)
    assert filtered.json == []
    assert client.patch(f"/api/v1/places/{world.no.place_ids[0]}", json={"parallel": 3},
                        headers=headers).status_code == 403
    assert client.post("/api/v1/places", json=_place(world.no.municipality_id),
                       headers=headers).status_code == 403


def test_no_place_in_another_municipality(client, world, auth):
    response = client.post("/api/v1/places", json=_place(world.dk.municipality_id),
                           headers=auth(world.no.municipality_token))
    assert response.status_code == 422
    assert response.json["errors"] == {"municipality_id": ["no such municipality"]}


def test_filter_by_feature(client, world, auth):
    headers = auth(world.admin_token)
    with_wifi = client.get("/api/v1/places?feature=wifi", headers=headers).json
    assert sorted(p["id"] for p in with_wifi) == sorted(world.no.place_ids + world.dk.place_ids)
    step_free = client.get("/api/v1/places?feature=step_free", headers=headers).json
    assert [p["id"] for p in step_free] == world.no.place_ids
    assert client.get("/api/v1/places?feature=step", headers=headers).json == []


def test_delete_of_a_place_in_use_is_409(client, world, auth, app):
    place_id = world.no.place_ids[0]
    with app.app_context():
        activity = Activity(centre_id=world.no.centre_id, title="Språkkafé")
        db.session.add(activity)
        db.session.flush()
        now = utcnow()
        db.session.add(Session(activity_id=activity.id, window_start=now, window_end=now,
                               options=[{"start": now.isoformat(), "end": now.isoformat(),
                                         "place_id": place_id, "penalty": 0}]))
        db.session.commit()
    response = client.delete(f"/api/v1/places/{place_id}", headers=auth(world.admin_token))
    assert response.status_code == 409
    assert "1 session(s)" in response.json["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity": -1}, "capacity"),
        ({"capacity": 2**40}, "capacity"),
        ({"parallel": 0}, "parallel"),
        ({"lat": 91}, "lat"),
        ({"lon": -181}, "lon"),
        ({"lat": "north"}, "lat"),
        ({"features": "kitchen"}, "features"),
        ({"features": [""]}, "features.0"),
        ({"busy": [{"start": "2026-12-08T17:00:00", "end": "2026-12-08T19:00:00+01:00"}]}, "busy.0.start"),
        ({"busy": [{"start": "2026-12-08T19:00:00+01:00", "end": "2026-12-08T17:00:00+01:00"}]}, "busy.0.end"),
        ({"busy": [BUSY[0], {"start": "2026-12-09T10:00:00+01:00"}]}, "busy.1.end"),
        ({"busy": [{"start": "tuesday", "end": "2026-12-08T19:00:00+01:00"}]}, "busy.0.start"),
    ],
)
def test_bad_places_are_422_naming_the_field(client, world, auth, change, field):
    response = client.post("/api/v1/places", json=_place(world.no.municipality_id, **change),
                           headers=auth(world.admin_token))
    assert response.status_code == 422, response.json
    assert list(response.json["errors"]) == [field]


def test_time_without_offset_says_so(client, world, auth):
    response = client.patch(f"/api/v1/places/{world.no.place_ids[0]}", headers=auth(world.admin_token),
                            json={"busy": [{"start": "2026-12-08T17:00:00", "end": "2026-12-08T19:00:00"}]})
    assert response.status_code == 422
    assert response.json["errors"]["busy.0.start"] == [
        "time needs a UTC offset, e.g. 2026-12-08T17:00:00+01:00"]
