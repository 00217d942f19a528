"""Languages are ISO 639-1 codes: checked on input (422 naming the bad value,
nothing stored), stored in lower case, named in the reader's language."""

from __future__ import annotations

from sqlalchemy import func, select

from medsam_match.extensions import db
from medsam_match.models import Activity, Volunteer
from medsam_match.services.languages import language_choices, language_name


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_volunteer_speaking_norsk_is_refused_naming_the_value(app, client, world):
    response = client.post(
        "/api/v1/volunteers",
        json={"centre_id": world.no.centre_id, "name": "Kari", "languages": ["ar", "norsk"]},
        headers=auth(world.no.coordinator_token),
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == ["languages.1"]  # the second entry, only
    assert "'norsk' is not an ISO 639-1 language code" in errors["languages.1"][0]
    assert count(app, Volunteer) == 0


def test_codes_in_any_case_are_stored_in_lower_case(client, world):
    response = client.post(
        "/api/v1/volunteers",
        json={"centre_id": world.no.centre_id, "name": "Amina", "languages": ["AR", " so"]},
        headers=auth(world.no.coordinator_token),
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["languages"] == ["ar", "so"]


def test_a_patch_with_a_bad_code_changes_nothing(app, client, world):
    token = world.no.coordinator_token
    created = client.post(
        "/api/v1/volunteers",
        json={"centre_id": world.no.centre_id, "name": "Olena", "languages": ["uk"]},
        headers=auth(token),
    ).get_json()
    response = client.patch(
        f"/api/v1/volunteers/{created['id']}", json={"languages": ["ukrainian"]},
        headers={**auth(token), "If-Match": client.get(
            f"/api/v1/volunteers/{created['id']}", headers=auth(token)).headers.get("ETag", "*")},
    )
    assert response.status_code == 422
    assert "'ukrainian'" in response.get_json()["errors"]["languages.0"][0]
    again = client.get(f"/api/v1/volunteers/{created['id']}", headers=auth(token)).get_json()
    assert again["languages"] == ["uk"]


def test_an_activity_role_needing_arabic_must_say_ar(app, client, world):
    body = {"centre_id": world.no.centre_id, "title": "Språkkafé",
            "roles": [{"role": "host", "languages": ["arabic"]}]}
    response = client.post("/api/v1/activities", json=body,
                           headers=auth(world.no.coordinator_token))
    assert response.status_code == 422
    message = response.get_json()["errors"]["roles.0.languages.0"][0]
    assert "'arabic'" in message and '"ar" for Arabic' in message
    assert count(app, Activity) == 0

    body["roles"][0]["languages"] = ["ar"]
    created = client.post("/api/v1/activities", json=body,
                          headers=auth(world.no.coordinator_token))
    assert created.status_code == 201
    assert created.get_json()["roles"][0]["languages"] == ["ar"]


def test_the_language_filter_takes_codes_only(client, world):
    response = client.get("/api/v1/volunteers?language=norsk",
                          headers=auth(world.no.coordinator_token))
    assert response.status_code == 422
    assert "not an ISO 639-1" in str(response.get_json()["errors"])
    assert "language" in str(list(response.get_json()["errors"]))


def test_names_in_the_readers_language():
    assert language_name("ar", "nb") == "arabisk"
    assert language_name("ar", "nn") == "arabisk"
    assert language_name("ti", "da") == "tigrinya"
    assert language_name("uk", "en") == "Ukrainian"
    assert language_name("xx", "nb") == "xx"  # an old, unchecked value stays readable
    names = dict(language_choices("nb"))
    assert names["no"] == "norsk" and len(names) >= 183
