"""localize_unfilled, and a run's unfilled slots explained in its
municipality's language (through the API, solved by the real worker)."""

from __future__ import annotations

import copy
import logging
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from medsam_match.jobs.worker import run_pending
from medsam_match.services.explanations import localize_unfilled
from solver.result import build_result
from solver.scenario import Plan
from tests.conftest import World, auth
from tests.solver.helpers import place, role, scenario_of, session, volunteer


def solver_unfilled() -> list[dict[str, Any]]:
    """Two empty slots as the solver explains them: nobody speaks Tigrinya, and
    the only certified volunteer lives too far away."""
    sc = scenario_of(
        places=[place("p1", lat=58.46, lon=8.77)],
        sessions=[session(roles=[role("interpreter", languages=["ti"]),
                                 role("helper", certificate="police")])],
        volunteers=[volunteer("ada", lat=58.46, lon=8.77, max_travel_km=10),
                    volunteer("bo", lat=59.91, lon=10.75, max_travel_km=10,
                              certificates={"police": "2027-01-01"})],
    )
    result = build_result(sc, Plan({"s1": 0}, ()), status="feasible", bound=None,
                          solver_info={"name": "test", "seconds": 0.0})
    return result["unfilled"]


ENGLISH = ["Nobody speaks ti.",
           "Nobody with a valid police certificate lives within their travel limit of the place."]


def test_the_solver_explains_in_english() -> None:
    assert [u["reason"] for u in solver_unfilled()] == ENGLISH


# languages by name in the reader's language; the solver's own words kept as reason_en
NAMED_ENGLISH = ["Nobody speaks Tigrinya.", ENGLISH[1]]


@pytest.mark.parametrize(("locale", "expected"), [
    ("nb", ["Ingen snakker tigrinja.",
            "Ingen med gyldig politiattest bor innenfor reisegrensen sin."]),
    ("nn", ["Ingen snakkar tigrinja.",
            "Ingen med gyldig politiattest bur innanfor reisegrensa si."]),
    ("da", ["Ingen taler tigrinya.",
            "Ingen med gyldig børneattest bor inden for deres rejsegrænse."]),
    ("en", NAMED_ENGLISH),
    ("fi", NAMED_ENGLISH),  # not a locale of ours: English
])
def test_reasons_in_the_locale_with_the_english_kept(locale: str, expected: list[str]) -> None:
    unfilled = solver_unfilled()
    given = copy.deepcopy(unfilled)
    localized = localize_unfilled(unfilled, locale)
    assert [u["reason"] for u in localized] == expected
    assert [u["reason_en"] for u in localized] == ENGLISH
    for before, after in zip(unfilled, localized, strict=True):
        assert {k: v for k, v in after.items() if k not in ("reason", "reason_en")} == {
            k: v for k, v in before.items() if k != "reason"}
    assert unfilled == given  # the solver's entries are left as they were


def test_localizing_again_starts_from_the_english() -> None:
    once = localize_unfilled(solver_unfilled(), "nb")
    assert localize_unfilled(once, "da") == localize_unfilled(solver_unfilled(), "da")
    assert localize_unfilled(once, "en") == localize_unfilled(solver_unfilled(), "en")
    assert localize_unfilled(once, "nb") == once


def test_nothing_to_localize() -> None:
    assert localize_unfilled([], "nb") == []


def test_an_entry_without_why_keeps_its_english() -> None:
    old = {"session": "s1", "role": "host", "missing": 1, "reason": "Nobody speaks ti."}
    assert localize_unfilled([old], "nn") == [dict(old, reason_en="Nobody speaks ti.")]
    bare = {"session": "s1", "role": "host", "missing": 1}
    assert localize_unfilled([bare], "nn") == [bare]


def test_a_damaged_why_keeps_its_english_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    entry = solver_unfilled()[0]
    entry["why"] = {"code": "nobody", "params": {"rule": "languages"}}  # the languages are lost
    with caplog.at_level(logging.WARNING, logger="medsam_match.services.explanations"):
        (kept,) = localize_unfilled([entry], "da")
    assert kept["reason"] == kept["reason_en"] == "Nobody speaks ti."
    assert "s1/interpreter" in caplog.text


def test_a_why_without_an_english_reason_gets_one() -> None:
    entry = solver_unfilled()[0]
    del entry["reason"]
    (localized,) = localize_unfilled([entry], "nb")
    assert (localized["reason"], localized["reason_en"]) == ("Ingen snakker tigrinja.", ENGLISH[0])


# -- a run stores its unfilled slots in the municipality's language ------------------


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _homework_run(client: FlaskClient, token: str, centre_id: int, place_id: int) -> dict[str, Any]:
    """A homework-help session needing a police certificate, one volunteer
    without one, and a dry run over that week, solved by the worker."""
    headers = auth(token)
    homework = _created(client.post("/api/v1/activities", headers=headers, json={
        "centre_id": centre_id, "title": "Leksehjelp",
        "roles": [{"role": "helper", "min": 1, "max": 1, "certificate": "police"}],
    }))
    _created(client.post("/api/v1/sessions", headers=headers, json={
        "activity_id": homework["id"], "start": "2027-01-13T16:00:00+01:00",
        "end": "2027-01-13T18:00:00+01:00", "place_id": place_id,
    }))
    _created(client.post("/api/v1/volunteers", headers=headers, json={
        "centre_id": centre_id, "name": "Ola Hansen",
        "weekly_availability": [{"weekday": 2, "start": "15:00", "end": "20:00"}],
    }))
    queued = client.post("/api/v1/match-runs", headers=headers, json={
        "centre_id": centre_id, "from": "2027-01-11T00:00:00+01:00",
        "to": "2027-01-18T00:00:00+01:00", "time_limit_s": 5, "dry_run": True,
    })
    assert queued.status_code == 202, queued.get_json()
    return queued.get_json()


def _finished(app: Flask, client: FlaskClient, token: str, run_id: int) -> dict[str, Any]:
    assert run_pending(app) == [run_id]
    run = client.get(f"/api/v1/match-runs/{run_id}", headers=auth(token)).get_json()
    assert run["status"] == "succeeded", run["error"]
    return run


def test_a_danish_centre_reads_why_in_danish(app: Flask, client: FlaskClient, world: World) -> None:
    token = world.dk.coordinator_token
    queued = _homework_run(client, token, world.dk.centre_id, world.dk.place_ids[0])
    run = _finished(app, client, token, queued["id"])
    (slot,) = run["unfilled"]
    assert slot["reason"] == "Ingen har en gyldig børneattest den 13. januar 2027."
    assert slot["reason_en"] == "Nobody holds a police certificate valid on 2027-01-13."
    assert slot["why"] == {"code": "nobody", "params": {
        "rule": "certificate", "certificate": "police", "date": "2027-01-13"}}
    # The result document stays as the solver wrote it: English.
    result = client.get(f"/api/v1/match-runs/{queued['id']}/result", headers=auth(token)).get_json()
    assert result["unfilled"][0]["reason"] == slot["reason_en"]
    assert "reason_en" not in result["unfilled"][0]


def test_a_nynorsk_municipality_reads_why_in_nynorsk(
    app: Flask, client: FlaskClient, world: World
) -> None:
    changed = client.patch(f"/api/v1/municipalities/{world.no.municipality_id}",
                           headers=auth(world.admin_token), json={"locale": "nn"})
    assert changed.status_code == 200, changed.get_json()
    token = world.no.coordinator_token
    queued = _homework_run(client, token, world.no.centre_id, world.no.place_ids[0])
    run = _finished(app, client, token, queued["id"])
    assert [slot["reason"] for slot in run["unfilled"]] == [
        "Ingen har gyldig politiattest per 13. januar 2027."]
