"""docs/scenario.schema.json and docs/result.schema.json kept in step with the
code: good scenarios pass the schema AND the parser, bad ones are rejected by
both, and what the solver and the greedy baseline write passes the result
schema (and the validator)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

jsonschema = pytest.importorskip("jsonschema")

import solver  # noqa: E402
from solver.errors import ScenarioError  # noqa: E402
from solver.parse import parse_scenario  # noqa: E402
from solver.scenario import WEIGHT_NAMES, Weights  # noqa: E402
from solver.validator import DEFAULT_WEIGHTS  # noqa: E402

from .helpers import (  # noqa: E402
    activity,
    assignment,
    at,
    interval,
    minimal_scenario,
    option,
    place,
    role,
    session,
    volunteer,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _validator(name: str) -> Any:
    schema = json.loads((DOCS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


SCENARIO_SCHEMA = _validator("scenario.schema.json")
RESULT_SCHEMA = _validator("result.schema.json")


def _everything() -> dict[str, Any]:
    """Every field of the format, set."""
    return minimal_scenario(
        name="Arendal frivilligsentral, week 50",
        weights={"cover_min": 1000, "cover_extra": 40, "interest": 20, "preferred": 30,
                 "travel_km": 2.5, "fairness": 1, "volunteer_used": -1, "continuity": 10,
                 "stability": 200},
        places=[
            place("library", name="Biblioteket", lat=58.4615, lon=8.7725, capacity=20,
                  parallel=2, features=["wheelchair", "projector"],
                  busy=[interval(at("09:00"), at("12:00"))]),
            place("cafe", name="Kafeen", lat=58.46, lon=8.76, capacity=0),
        ],
        activities=[activity("lang", title="Språkkafé", interests=["language", "people"]),
                    activity("walk", title="Gågruppe")],
        sessions=[
            session("s1", activity="lang", place="library", participants=12,
                    needs=["wheelchair"], optional=False,
                    roles=[role("host", min=1, max=2, skills=["host"], languages=["ar", "ti"],
                                certificate="police"),
                           role("helper", min=0)]),
            session("s2", activity="walk", optional=True, roles=[role("guide", min=2, max=3)],
                    options=[option(at("10:00", "2026-12-12"), at("12:00", "2026-12-12"), None),
                             option(at("13:00", "2026-12-12"), at("15:00", "2026-12-12"),
                                    "cafe", penalty=5.5)]),
            session("s3", activity="walk", start=at("17:00", "2026-12-09"),
                    end=at("19:00", "2026-12-09"), place=None),
        ],
        volunteers=[
            volunteer("ann", name="Ann", lat=58.47, lon=8.77, max_travel_km=10.5,
                      skills=["host"], languages=["ar", "nb"], interests=["language"],
                      certificates={"police": "2027-06-30"},
                      availability=[interval(at("16:00"), at("20:00"))],
                      max_hours_per_week=6, max_sessions_per_week=2,
                      preferred_activities=["lang"]),
            volunteer("bo", availability=None),
            volunteer("cy", availability=[]),
        ],
        fixed=[assignment("ann", "s1", "host")],
        forbidden=[{"volunteer": "bo", "session": "s1"}],
        previous=[assignment("cy", "s3", "host")],
    )


def _nulls() -> dict[str, Any]:
    """null wherever it means the field's default."""
    return minimal_scenario(
        places=[place("p1", lat=None, lon=None, capacity=None, parallel=None)],
        sessions=[session("s1", place=None, participants=None,
                          roles=[role("host", min=None, max=None, certificate=None)]),
                  session("s2", options=[option(at("10:00"), at("11:00"), None, penalty=None)])],
        volunteers=[volunteer("v1", lat=None, lon=None, max_travel_km=None, availability=None,
                              max_hours_per_week=None, max_sessions_per_week=None)],
    )


GOOD: dict[str, dict[str, Any]] = {
    "minimal": minimal_scenario(),
    "only the format": {"format": "medsam-scenario/1"},
    "every field": _everything(),
    "nulls as defaults": _nulls(),
    "Z times without seconds": minimal_scenario(
        sessions=[session("s1", start="2026-12-08T16:00Z", end="2026-12-08T18:00Z")]),
    "integers written as 2.0": minimal_scenario(
        places=[place("p1", capacity=10.0, parallel=1.0)],
        sessions=[session("s1", roles=[role("host", min=2.0, max=3.0)])]),
}


def _set(path: str, value: Any) -> dict[str, Any]:
    """A copy of the `every field` scenario with the value at a dotted path
    replaced (or removed when value is DROP)."""
    doc = copy.deepcopy(GOOD["every field"])
    *parents, last = path.split(".")
    target: Any = doc
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is DROP:
        del target[int(last) if last.isdigit() else last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return doc


DROP = object()


def _edit(change: Any) -> dict[str, Any]:
    """A copy of the `every field` scenario after `change(doc)`."""
    doc = copy.deepcopy(GOOD["every field"])
    change(doc)
    return doc

BAD: dict[str, dict[str, Any]] = {
    # unknown fields
    "unknown top-level field": _set("weight", {"fairness": 2}),
    "unknown place field": _set("places.0.capcity", 10),
    "unknown weight": _set("weights.fairnes", 2),
    "unknown role field": _set("sessions.0.roles.0.minimum", 1),
    "unknown option field": _set("sessions.1.options.0.cost", 1),
    "unknown volunteer field": _set("volunteers.0.email", "ann@example.org"),
    "unknown fixed field": _set("fixed.0.locked", True),
    # wrong types
    "capacity as a string": _set("places.0.capacity", "20"),
    "parallel as a boolean": _set("places.0.parallel", True),
    "lat as a string": _set("volunteers.0.lat", "58.47"),
    "skills as a string": _set("volunteers.0.skills", "host"),
    "a number among strings": _set("places.0.features", ["wheelchair", 3]),
    "optional as a string": _set("sessions.1.optional", "yes"),
    "name as a number": _set("name", 5),
    "weight as a string": _set("weights.fairness", "1"),
    "min with a fraction": _set("sessions.0.roles.0.min", 1.5),
    "availability as a word": _set("volunteers.0.availability", "always"),
    "certificates as a list": _set("volunteers.0.certificates", ["police"]),
    "sessions as an object": _set("sessions", {"s1": {}}),
    "scenario as a list": [],  # type: ignore[dict-item]  (not even an object)
    # missing required fields
    "no format": _set("format", DROP),
    "session without roles": _set("sessions.0.roles", DROP),
    "session without activity": _set("sessions.0.activity", DROP),
    "role without a name": _set("sessions.0.roles.0.role", DROP),
    "volunteer without id": _set("volunteers.0.id", DROP),
    "fixed triple without role": _set("fixed.0.role", DROP),
    "option without end": _set("sessions.1.options.0.end", DROP),
    "fixed session without end": _set("sessions.0.end", DROP),
    "busy interval without start": _set("places.0.busy.0.start", DROP),
    # bad enum / const
    "another format": _set("format", "medsam-scenario/2"),
    # bad values
    "empty id": _set("volunteers.0.id", ""),
    "time without offset": _set("sessions.0.start", "2026-12-08T17:00:00"),
    "time with fractions of a second": _set("sessions.0.end", "2026-12-08T19:00:00.5+01:00"),
    "date-only time": _set("sessions.0.start", "2026-12-08"),
    "certificate date in another format": _set("volunteers.0.certificates.police", "30.06.2027"),
    "negative capacity": _set("places.0.capacity", -1),
    "parallel 0": _set("places.0.parallel", 0),
    "negative min": _set("sessions.0.roles.0.min", -1),
    "max 0": _set("sessions.0.roles.1.max", 0),
    "negative penalty": _set("sessions.1.options.1.penalty", -1),
    "negative participants": _set("sessions.0.participants", -3),
    "latitude beyond the pole": _set("places.0.lat", 91),
    "negative travel limit": _set("volunteers.0.max_travel_km", -1),
    "empty certificate kind": _set("sessions.0.roles.0.certificate", ""),
    # the shape of a session
    "both options and start": _set("sessions.1.start", at("10:00")),
    "open session with a place": _set("sessions.1.place", "cafe"),
    "neither options nor start": _edit(
        lambda d: [d["sessions"][2].pop(key, None) for key in ("start", "end", "place")]),
    "optional fixed session": _set("sessions.0.optional", True),
    "no options": _set("sessions.1.options", []),
    "no roles": _set("sessions.0.roles", []),
}

# What JSON Schema cannot say: the parser alone rejects these.
PARSER_ONLY: dict[str, dict[str, Any]] = {
    "duplicate volunteer id": _set("volunteers.1.id", "ann"),
    "unknown activity": _set("sessions.0.activity", "knitting"),
    "unknown place": _set("sessions.0.place", "townhall"),
    "fixed triple with an unknown role": _set("fixed.0.role", "cook"),
    "end before start": _set("sessions.0.end", at("16:00")),
    "max below min": _set("sessions.1.roles.0.max", 1),
    "unknown time zone": _set("timezone", "Europe/Atlantis"),
    "February 30th": _set("volunteers.0.certificates.police", "2027-02-30"),
    "lat without lon": _set("volunteers.0.lon", DROP),
    "a time that does not exist": _set("sessions.0.start", "2026-13-08T25:00:00+01:00"),
    "unknown preferred activity": _set("volunteers.0.preferred_activities", ["knitting"]),
    "duplicate fixed triple": _edit(lambda d: d["fixed"].append(dict(d["fixed"][0]))),
}


def _schema_errors(doc: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in SCENARIO_SCHEMA.iter_errors(doc)]


def _parser_problems(doc: Any) -> list[str]:
    try:
        parse_scenario(doc)
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError lists its problems"
        return exc.problems
    return []


@pytest.mark.parametrize("name", GOOD)
def test_good_scenarios_pass_the_schema_and_the_parser(name: str) -> None:
    doc = GOOD[name]
    assert _schema_errors(doc) == []
    assert _parser_problems(doc) == []


@pytest.mark.parametrize("name", BAD)
def test_bad_scenarios_are_rejected_by_the_schema_and_the_parser(name: str) -> None:
    doc = BAD[name]
    assert _schema_errors(doc), f"the schema accepts: {name}"
    assert _parser_problems(doc), f"the parser accepts: {name}"


@pytest.mark.parametrize("name", PARSER_ONLY)
def test_what_the_schema_cannot_express_is_left_to_the_parser(name: str) -> None:
    doc = PARSER_ONLY[name]
    assert _schema_errors(doc) == []
    assert _parser_problems(doc)


def test_the_schema_lists_the_fields_the_parser_knows() -> None:
    from solver import parse

    defs = json.loads((DOCS / "scenario.schema.json").read_text(encoding="utf-8"))["$defs"]
    top = json.loads((DOCS / "scenario.schema.json").read_text(encoding="utf-8"))["properties"]
    pairs = {
        "place": parse.PLACE_FIELDS, "activity": parse.ACTIVITY_FIELDS,
        "session": parse.SESSION_FIELDS, "option": parse.OPTION_FIELDS,
        "role": parse.ROLE_FIELDS, "volunteer": parse.VOLUNTEER_FIELDS,
        "interval": parse.INTERVAL_FIELDS, "triple": parse.TRIPLE_FIELDS,
        "pair": parse.PAIR_FIELDS,
    }
    for name, fields in pairs.items():
        assert set(defs[name]["properties"]) == set(fields), name
    assert set(top) == set(parse.TOP_FIELDS)


def test_weight_defaults_agree_everywhere() -> None:
    weights = json.loads((DOCS / "scenario.schema.json").read_text(encoding="utf-8"))
    in_schema = {k: v["default"] for k, v in weights["$defs"]["weights"]["properties"].items()}
    in_code = {name: getattr(Weights(), name) for name in WEIGHT_NAMES}
    assert in_schema == in_code == DEFAULT_WEIGHTS


# --- results ---------------------------------------------------------------------------


def _result_errors(result: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in RESULT_SCHEMA.iter_errors(result)]


@pytest.mark.parametrize("name", GOOD)
def test_solver_results_pass_the_result_schema_and_the_validator(name: str) -> None:
    doc = GOOD[name]
    result = solver.solve(doc, time_limit=2.0, workers=1, seed=0)
    assert result["status"] in ("optimal", "feasible")
    assert _result_errors(result) == []
    assert solver.validate(doc, result) == []


@pytest.mark.parametrize("name", GOOD)
def test_greedy_results_pass_the_result_schema_and_the_validator(name: str) -> None:
    doc = GOOD[name]
    result = solver.greedy(doc)
    assert _result_errors(result) == []
    assert solver.validate(doc, result) == []


def test_an_infeasible_result_passes_the_result_schema() -> None:
    # One volunteer fixed to two sessions at the same time: H6 cannot hold.
    doc = minimal_scenario(
        sessions=[session("s1"), session("s2", place=None)],
        fixed=[assignment("v1", "s1"), assignment("v1", "s2")],
    )
    result = solver.solve(doc, time_limit=2.0, workers=1)
    assert result["status"] == "infeasible"
    assert result["conflicts"]
    assert _result_errors(result) == []
    assert solver.validate(doc, result) == [
        "status: 'infeasible': the result holds no plan to check"]


@pytest.mark.parametrize(("change", "path"), [
    (lambda r: r.update(status="done"), "status"),
    (lambda r: r.pop("kpis"), ""),
    (lambda r: r["assignments"][0].update(shift="late"), "assignments/0"),
    (lambda r: r["schedule"][0].update(start="2026-12-08T17:00:00"), "schedule/0/start"),
    (lambda r: r["kpis"].pop("fill_rate"), "kpis"),
    (lambda r: r.update(conflicts=["x"]), ""),
])
def test_malformed_results_fail_the_result_schema(change: Any, path: str) -> None:
    doc = minimal_scenario()
    result = solver.greedy(doc)
    assert _result_errors(result) == []
    change(result)
    errors = _result_errors(result)
    assert errors and any(e.startswith(path + ":") for e in errors), errors
