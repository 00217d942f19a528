"""Credentials and tenant isolation for the tenancy resources."""

import pytest
from sqlalchemy import select

from medsam_match.auth import create_token, hash_token
from medsam_match.errors import Invalid
from medsam_match.extensions import db
from medsam_match.models import ApiToken
from medsam_match.models.types import utcnow


@pytest.mark.parametrize("header", [
    None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-token", "Token msm_abc",
])
def test_missing_or_bad_credentials_are_401_problem(client, world, header):
    headers = {} if header is None else {"Authorization": header}
    response = client.get("/api/v1/centres", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_public_paths_need_no_token(client):
    assert client.get("/api/v1/health").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_a_revoked_token_stops_working(client, world, auth, app):
    assert client.get("/api/v1/centres", headers=auth(world.no.municipality_token)).status_code == 200
    with app.app_context():
        row = db.session.scalars(select(ApiToken).where(
            ApiToken.token_hash == hash_token(world.no.municipality_token))).one()
        row.revoked_at = utcnow()
        db.session.commit()
    assert client.get("/api/v1/centres", headers=auth(world.no.municipality_token)).status_code == 401


def test_tokens_are_stored_hashed_and_record_their_use(client, world, auth, app):
    client.get("/api/v1/centres", headers=auth(world.admin_token))
    with app.app_context():
        rows = db.session.scalars(select(ApiToken)).all()
        assert all(world.admin_token not in (r.token_hash, r.label) for r in rows)
        admin = next(r for r in rows if r.token_hash == hash_token(world.admin_token))
        assert admin.last_used_at is not None


def test_token_scope_must_fit_the_role_and_exist(app, world):
    with app.app_context():
        with pytest.raises(Invalid) as wrong:
            create_token("coordinator", municipality_id=world.no.municipality_id)
        assert set(wrong.value.errors) == {"centre_id", "municipality_id"}
        with pytest.raises(Invalid) as missing:
            create_token("coordinator", centre_id=999_999)
        assert missing.value.errors == {"centre_id": ["no such centre"]}
        with pytest.raises(Invalid):
            create_token("superuser")
        with pytest.raises(Invalid):
            create_token("admin", centre_id=world.no.centre_id)


@pytest.mark.parametrize("resource", ["municipalities", "centres", "places"])
def test_the_other_tenants_rows_are_404_for_every_verb(client, world, auth, resource):
    ids = {
        "municipalities": world.dk.municipality_id,
        "centres": world.dk.centre_id,
        "places": world.dk.place_ids[0],
    }
    for token in (world.no.municipality_token, world.no.coordinator_token):
        url = f"/api/v1/{resource}/{ids[resource]}"
        assert client.get(url, headers=auth(token)).status_code == 404
        assert client.patch(url, json={"name": "Taken"}, headers=auth(token)).status_code == 404
        assert client.delete(url, headers=auth(token)).status_code == 404
    # ... and the rows are untouched.
    assert client.get(url, headers=auth(world.admin_token)).json["name"] != "Taken"


def test_nonexistent_and_foreign_ids_answer_the_same(client, world, auth):
    headers = auth(world.no.municipality_token)
    foreign = client.get(f"/api/v1/centres/{world.dk.centre_id}", headers=headers)
    missing = client.get("/api/v1/centres/999999", headers=headers)
    assert (foreign.status_code, foreign.json["detail"]) == (missing.status_code, missing.json["detail"])


def test_a_volunteer_token_reads_its_own_centre_and_municipality_only(client, world, auth, app, make_token):
    from medsam_match.models import Volunteer

    with app.app_context():
        volunteer = Volunteer(centre_id=world.no.centre_id, name="Aisha")
        db.session.add(volunteer)
        db.session.commit()
        volunteer_id = volunteer.id
    headers = auth(make_token("volunteer", volunteer_id=volunteer_id))
    assert [c["id"] for c in client.get("/api/v1/centres", headers=headers).json] == [world.no.centre_id]
    assert client.get(f"/api/v1/centres/{world.no.centre_ids[1]}", headers=headers).status_code == 404
    assert client.patch(f"/api/v1/centres/{world.no.centre_id}", json={"name": "X"},
                        headers=headers).status_code == 403
    assert client.post("/api/v1/places", headers=headers, json={
        "municipality_id": world.no.municipality_id, "name": "X"}).status_code == 403
