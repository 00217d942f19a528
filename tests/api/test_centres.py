import json

import pytest

from medsam_match.extensions import db
from medsam_match.models import Volunteer


def test_municipality_token_manages_its_own_centres(client, world, auth):
    headers = auth(world.no.municipality_token)
    created = client.post("/api/v1/centres", headers=headers, json={
        "municipality_id": world.no.municipality_id, "name": "Moland frivilligsentral",
        "email": "post@moland.example.no"})
    assert created.status_code == 201
    centre = created.json
    assert centre["active"] is True
    assert centre["municipality_id"] == world.no.municipality_id

    changed = client.patch(f"/api/v1/centres/{centre['id']}", headers=headers,
                           json={"active": False, "email": None})
    assert changed.status_code == 200
    assert (changed.json["active"], changed.json["email"]) == (False, None)

    assert client.delete(f"/api/v1/centres/{centre['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/centres/{centre['id']}", headers=headers).status_code == 404


def test_list_is_scoped_and_filtered_by_municipality(client, world, auth):
    everything = client.get("/api/v1/centres", headers=auth(world.admin_token))
    assert json.loads(everything.headers["X-Pagination"])["total"] == 3
    by_filter = client.get(f"/api/v1/centres?municipality_id={world.dk.municipality_id}",
                           headers=auth(world.admin_token)).json
    assert [c["id"] for c in by_filter] == world.dk.centre_ids

    own = client.get("/api/v1/centres", headers=auth(world.no.municipality_token)).json
    assert [c["id"] for c in own] == world.no.centre_ids
    # Asking for the other municipality through the filter finds nothing.
    other = client.get(f"/api/v1/centres?municipality_id={world.dk.municipality_id}",
                       headers=auth(world.no.municipality_token))
    assert other.status_code == 200 and other.json == []

    coordinator = client.get("/api/v1/centres", headers=auth(world.no.coordinator_token)).json
    assert [c["id"] for c in coordinator] == [world.no.centre_id]
    inactive = client.get("/api/v1/centres?active=false", headers=auth(world.admin_token)).json
    assert inactive == []


def test_coordinator_reads_its_centre_only_and_changes_nothing(client, world, auth):
    headers = auth(world.no.coordinator_token)
    sibling = world.no.centre_ids[1]
    assert client.get(f"/api/v1/centres/{world.no.centre_id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/centres/{sibling}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/centres/{world.no.centre_id}", json={"name": "X"},
                        headers=headers).status_code == 403
    assert client.post("/api/v1/centres", headers=headers, json={
        "municipality_id": world.no.municipality_id, "name": "X"}).status_code == 403


def test_a_centre_in_another_municipality_cannot_be_created_or_touched(client, world, auth):
    headers = auth(world.no.municipality_token)
    created = client.post("/api/v1/centres", headers=headers, json={
        "municipality_id": world.dk.municipality_id, "name": "Sneaky"})
    assert created.status_code == 422
    assert created.json["errors"] == {"municipality_id": ["no such municipality"]}
    dk_centre = world.dk.centre_id
    for response in (
        client.get(f"/api/v1/centres/{dk_centre}", headers=headers),
        client.patch(f"/api/v1/centres/{dk_centre}", json={"name": "X"}, headers=headers),
        client.delete(f"/api/v1/centres/{dk_centre}", headers=headers),
    ):
        assert response.status_code == 404


def test_delete_with_volunteers_is_409_naming_them(client, world, auth, app):
    with app.app_context():
        db.session.add(Volunteer(centre_id=world.dk.centre_id, name="Mette"))
        db.session.commit()
    response = client.delete(f"/api/v1/centres/{world.dk.centre_id}", headers=auth(world.admin_token))
    assert response.status_code == 409
    assert "1 volunteer(s)" in response.json["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X"}, "municipality_id"),
        ({"municipality_id": 1}, "name"),
        ({"municipality_id": "one", "name": "X"}, "municipality_id"),
        ({"municipality_id": 1, "name": "X", "email": "not-an-email"}, "email"),
        ({"municipality_id": 1, "name": "X" * 201}, "name"),
        ({"municipality_id": 1, "name": "X", "colour": "red"}, "colour"),
    ],
)
def test_bad_centres_are_422_naming_the_field(client, world, auth, body, field):
    response = client.post("/api/v1/centres", json=body, headers=auth(world.admin_token))
    assert response.status_code == 422
    assert list(response.json["errors"]) == [field]


def test_a_centre_cannot_move_to_another_municipality(client, world, auth):
    response = client.patch(f"/api/v1/centres/{world.no.centre_id}", headers=auth(world.admin_token),
                            json={"municipality_id": world.dk.municipality_id})
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["municipality_id"]
