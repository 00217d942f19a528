"""`sessions:generate` leaves out the public holidays of the municipality's
country and says which; `skip_holidays: false` keeps them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from medsam_match.extensions import db
from medsam_match.models import Session
from medsam_match.services.holidays import holiday_on, holidays_between


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def activity(client, token: str, centre_id: int) -> int:
    response = client.post(
        "/api/v1/activities",
        json={"centre_id": centre_id, "title": "Språkkafé", "roles": [{"role": "host"}]},
        headers=auth(token),
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def generate(client, token: str, activity_id: int, body: dict, language: str | None = None):
    headers = auth(token)
    if language:
        headers["Accept-Language"] = language
    return client.post(
        f"/api/v1/activities/{activity_id}/sessions:generate", json=body, headers=headers
    )


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Session)) or 0


EVERY_DAY = [{"weekday": day, "start": "17:00", "end": "19:00"} for day in range(7)]


def test_norway_skips_17_may_and_christmas_and_names_them(app, client, world):
    token = world.no.coordinator_token
    activity_id = activity(client, token, world.no.centre_id)
    body = {"from": "2026-05-15T00:00:00+02:00", "to": "2026-05-19T00:00:00+02:00",
            "weekly": EVERY_DAY}
    response = generate(client, token, activity_id, body)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert [s["start"][:10] for s in answer["sessions"]] == ["2026-05-15", "2026-05-16", "2026-05-18"]
    # in the municipality's language (Arendal: nb) when the caller names none
    assert answer["skipped"] == [{
        "date": "2026-05-17", "start": "2026-05-17T17:00:00+02:00",
        "end": "2026-05-17T19:00:00+02:00", "holiday": "Grunnlovsdag",
    }]

    christmas = generate(client, token, activity_id, {
        "from": "2026-12-21T00:00:00+01:00", "to": "2027-01-03T00:00:00+01:00",
        "weekly": EVERY_DAY,
    }, language="en")
    assert christmas.status_code == 201
    skipped = {entry["date"]: entry["holiday"] for entry in christmas.get_json()["skipped"]}
    assert skipped == {
        "2026-12-24": "Christmas Eve",  # not statutory in Norway; nearly every centre is closed
        "2026-12-25": "Christmas Day",
        "2026-12-26": "Second Day of Christmas",
        "2026-12-31": "New Year's Eve",
        "2027-01-01": "New Year's Day",
    }
    created = [s["start"][:10] for s in christmas.get_json()["sessions"]]
    assert "2026-12-24" not in created and "2026-12-23" in created and "2026-12-27" in created
    assert count(app) == 3 + 13 - 5


def test_denmark_skips_its_own_holidays_not_norways(client, world):
    token = world.dk.coordinator_token
    activity_id = activity(client, token, world.dk.centre_id)
    # 17 May is an ordinary day in Aarhus; 5 June (Grundlovsdag) is not a day off
    # by statute; Whit Monday 2026 is 25 May in both countries
    response = generate(client, token, activity_id, {
        "from": "2026-05-17T00:00:00+02:00", "to": "2026-05-26T00:00:00+02:00",
        "weekly": [{"weekday": 0, "start": "10:00", "end": "12:00"},
                   {"weekday": 6, "start": "10:00", "end": "12:00"}],
    })
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert [s["start"][:10] for s in answer["sessions"]] == ["2026-05-17", "2026-05-18"]
    assert [(e["date"], e["holiday"]) for e in answer["skipped"]] == [
        ("2026-05-24", "Pinsedag"), ("2026-05-25", "Anden pinsedag"),
    ]


def test_skip_holidays_false_keeps_them(client, world):
    token = world.no.coordinator_token
    activity_id = activity(client, token, world.no.centre_id)
    response = generate(client, token, activity_id, {
        "from": "2026-05-17T00:00:00+02:00", "to": "2026-05-18T00:00:00+02:00",
        "weekly": EVERY_DAY, "skip_holidays": False,
    })
    assert response.status_code == 201
    assert [s["start"] for s in response.get_json()["sessions"]] == ["2026-05-17T17:00:00+02:00"]
    assert response.get_json()["skipped"] == []


def test_skip_holidays_must_be_a_boolean(app, client, world):
    token = world.no.coordinator_token
    activity_id = activity(client, token, world.no.centre_id)
    response = generate(client, token, activity_id, {
        "from": "2026-05-17T00:00:00+02:00", "to": "2026-05-18T00:00:00+02:00",
        "weekly": EVERY_DAY, "skip_holidays": "sometimes",
    })
    assert response.status_code == 422
    assert "skip_holidays" in response.get_json()["errors"]
    assert count(app) == 0


def test_holidays_between_for_the_board():
    easter = holidays_between("NO", date(2027, 3, 22), date(2027, 3, 29), "nb")
    assert [(h.day.isoformat(), h.name) for h in easter] == [
        ("2027-03-25", "Skjærtorsdag"), ("2027-03-26", "Langfredag"),
        ("2027-03-28", "Første påskedag"), ("2027-03-29", "Andre påskedag"),
    ]
    assert holiday_on("DK", date(2026, 12, 24), "da").name == "Juleaftensdag"
    assert holiday_on("NO", date(2026, 12, 24), "nn").name == "Julaftan"
    assert holiday_on("NO", date(2026, 12, 23), "nb") is None
    assert holidays_between("SE", date(2026, 12, 24), date(2026, 12, 26)) == []
