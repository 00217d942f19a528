"""The independent validator: each hard rule broken on its own is reported, the
correct plan passes, and a wrong score, unfilled list or KPI is caught.

Each test builds a tiny scenario by hand and a result that breaks exactly one
rule; `plan_result` fills in the score, `unfilled` and KPIs of that result so
that the rule under test is the only thing wrong with it.
"""

from __future__ import annotations

import ast
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.geo import haversine_km
from solver.validator import recompute_score, validate

from .helpers import (
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

# A place in Arendal and homes at known distances from it (north along the meridian).
ARENDAL = (58.4615, 8.7725)
KM_PER_DEGREE = haversine_km(0.0, 0.0, 1.0, 0.0)


def home_north_of_place(km: float) -> dict[str, float]:
    return {"lat": ARENDAL[0] + km / KM_PER_DEGREE, "lon": ARENDAL[1]}


def held(sid: str, start: str, end: str, place: str | None = "p1") -> dict[str, Any]:
    return {"session": sid, "start": start, "end": end, "place": place}


def fixed_sessions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The schedule entries of every fixed session of `doc`, as given."""
    return [held(s["id"], s["start"], s["end"], s.get("place"))
            for s in doc["sessions"] if "options" not in s]


def _hours(entry: dict[str, Any]) -> float:
    start = datetime.fromisoformat(entry["start"])
    end = datetime.fromisoformat(entry["end"])
    return (end - start).total_seconds() / 3600


def plan_result(
    doc: dict[str, Any],
    assignments: list[dict[str, str]],
    schedule: list[dict[str, Any]] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A `medsam-result/1` for this plan whose unfilled list and KPIs are
    counted here, independently of the validator; the score is the validator's
    `recompute_score` (score terms are checked by hand in their own tests)."""
    schedule = fixed_sessions(doc) if schedule is None else schedule
    by_id = {s["id"]: s for s in doc["sessions"]}
    entry_of = {e["session"]: e for e in schedule}
    people: dict[tuple[str, str], int] = {
        (e["session"], r["role"]): 0 for e in schedule for r in by_id[e["session"]]["roles"]
    }
    for a in assignments:
        if (a["session"], a["role"]) in people:
            people[(a["session"], a["role"])] += 1
    minimum = {(e["session"], r["role"]): r.get("min", 1)
               for e in schedule for r in by_id[e["session"]]["roles"]}
    unfilled = [{"session": s, "role": r, "missing": minimum[(s, r)] - n}
                for (s, r), n in people.items() if n < minimum[(s, r)]]
    hours = {v["id"]: 0.0 for v in doc["volunteers"]}
    travel = 0.0
    places = {p["id"]: p for p in doc["places"]}
    homes = {v["id"]: v for v in doc["volunteers"]}
    for a in assignments:
        entry = entry_of.get(a["session"])
        if entry is None:
            continue
        hours[a["volunteer"]] += _hours(entry)
        home, where = homes[a["volunteer"]], places.get(entry["place"] or "", {})
        if "lat" in home and "lat" in where:
            travel += haversine_km(home["lat"], home["lon"], where["lat"], where["lon"])
    slots = sum(minimum.values())
    filled = sum(min(n, minimum[k]) for k, n in people.items())
    previous = {tuple(p.values()) for p in doc.get("previous", [])}
    chosen = {tuple(a.values()) for a in assignments}
    result: dict[str, Any] = {
        "format": "medsam-result/1",
        "status": "feasible",
        "score": 0.0,
        "bound": None,
        "schedule": schedule,
        "assignments": assignments,
        "unfilled": unfilled,
        "kpis": {
            "sessions_scheduled": len(schedule),
            "slots_min": slots,
            "filled_min": filled,
            "fill_rate": filled / slots if slots else 1.0,
            "assignments": len(assignments),
            "volunteers_used": len({a["volunteer"] for a in assignments}),
            "travel_km_total": travel,
            "hours_max": max(hours.values(), default=0.0),
            "changes": len(previous - chosen) + len(chosen - previous) if previous else None,
        },
        "solver": {"name": "hand", "seconds": 0.0},
    }
    result["score"] = recompute_score(doc, result)
    result.update(overrides)
    return result


def only(problems: list[str], rule: str) -> list[str]:
    return [p for p in problems if p.startswith(rule + ":")]


# --- the correct plan ---------------------------------------------------------------


def test_correct_plan_passes() -> None:
    doc = minimal_scenario()
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == []


def test_empty_plan_passes_with_the_slot_unfilled() -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [])
    assert result["unfilled"] == [{"session": "s1", "role": "host", "missing": 1}]
    assert validate(doc, result) == []


# --- H1-H5: eligibility ---------------------------------------------------------------


def test_h1_touching_availability_intervals_are_merged() -> None:
    doc = minimal_scenario(volunteers=[volunteer(
        "v1", availability=[interval(at("16:00"), at("18:00")), interval(at("18:00"), at("20:00"))])])
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == []


def test_h1_session_outside_availability_is_reported() -> None:
    doc = minimal_scenario(volunteers=[volunteer(
        "v1", availability=[interval(at("16:00"), at("18:00")), interval(at("18:30"), at("20:00"))])])
    problems = validate(doc, plan_result(doc, [assignment("v1", "s1")]))
    assert len(problems) == 1
    assert problems[0].startswith("H1: volunteer v1 in role host of session s1 is not available")


def test_h1_empty_availability_means_never() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", availability=[])])
    assert len(only(validate(doc, plan_result(doc, [assignment("v1", "s1")])), "H1")) == 1


def test_h2_missing_skill_is_reported() -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("driver", skills=["car", "first_aid"])])],
        volunteers=[volunteer("v1", skills=["car"])],
    )
    problems = validate(doc, plan_result(doc, [assignment("v1", "s1", "driver")]))
    assert problems == ["H2: volunteer v1 in role driver of session s1 lacks skills first_aid"]
    doc["volunteers"][0]["skills"].append("first_aid")
    assert validate(doc, plan_result(doc, [assignment("v1", "s1", "driver")])) == []


def test_h3_no_shared_language_is_reported() -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("host", languages=["ar", "ti"])])],
        volunteers=[volunteer("v1", languages=["nb", "en"]), volunteer("v2", languages=["ti"])],
    )
    assert validate(doc, plan_result(doc, [assignment("v2", "s1")])) == []
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == [
        "H3: volunteer v1 in role host of session s1 speaks none of ar, ti"]


def test_h4_certificate_valid_on_the_session_date_passes() -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("host", certificate="police")])],
        volunteers=[volunteer("v1", certificates={"police": "2026-12-08"})],
    )
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == []


@pytest.mark.parametrize("certificates", [{}, {"police": "2026-12-07"}, {"other": "2030-01-01"}])
def test_h4_missing_or_expired_certificate_is_reported(certificates: dict[str, str]) -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("host", certificate="police")])],
        volunteers=[volunteer("v1", certificates=certificates)],
    )
    problems = validate(doc, plan_result(doc, [assignment("v1", "s1")]))
    assert len(problems) == 1 and problems[0].startswith("H4: volunteer v1")


def test_h4_uses_the_local_date_of_the_start() -> None:
    # 23:30 UTC on 8 December is 00:30 on 9 December in Oslo: a certificate
    # valid until the 8th has expired by then.
    doc = minimal_scenario(
        sessions=[session("s1", start="2026-12-08T23:30:00Z", end="2026-12-09T01:00:00Z",
                          roles=[role("host", certificate="police")])],
        volunteers=[volunteer("v1", certificates={"police": "2026-12-08"})],
    )
    problems = validate(doc, plan_result(doc, [assignment("v1", "s1")]))
    assert problems == ["H4: volunteer v1 in role host of session s1 has a police certificate "
                        "valid until 2026-12-08, before the session's date 2026-12-09"]
    doc["timezone"] = "UTC"
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == []


def test_h5_too_far_is_reported_and_within_reach_passes() -> None:
    doc = minimal_scenario(
        places=[place("p1", lat=ARENDAL[0], lon=ARENDAL[1])],
        volunteers=[volunteer("v1", max_travel_km=10, **home_north_of_place(11.0)),
                    volunteer("v2", max_travel_km=12, **home_north_of_place(11.0))],
    )
    assert validate(doc, plan_result(doc, [assignment("v2", "s1")])) == []
    problems = validate(doc, plan_result(doc, [assignment("v1", "s1")]))
    assert problems == ["H5: volunteer v1 in role host of session s1 would travel 11.000 km, "
                        "more than 10 km"]


def test_h5_does_not_apply_without_locations() -> None:
    doc = minimal_scenario(places=[place("p1")], volunteers=[volunteer("v1", max_travel_km=0)])
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == []


def test_fixed_assignments_are_exempt_from_h1_to_h5() -> None:
    doc = minimal_scenario(
        places=[place("p1", lat=ARENDAL[0], lon=ARENDAL[1])],
        sessions=[session("s1", roles=[role("host", skills=["x"], languages=["ar"],
                                            certificate="police")])],
        volunteers=[volunteer("v1", availability=[], max_travel_km=1,
                              **home_north_of_place(50.0))],
        fixed=[assignment("v1", "s1")],
    )
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == []
    doc.pop("fixed")
    rules = {p.split(":")[0] for p in validate(doc, plan_result(doc, [assignment("v1", "s1")]))}
    assert rules == {"H1", "H2", "H3", "H4", "H5"}


# --- H6-H9 ---------------------------------------------------------------------------


def test_h6_two_roles_in_one_session_is_reported() -> None:
    doc = minimal_scenario(sessions=[session("s1", roles=[role("host"), role("helper")])])
    problems = validate(doc, plan_result(doc, [assignment("v1", "s1", "host"),
                                               assignment("v1", "s1", "helper")]))
    assert problems == ["H6: volunteer v1 holds 2 roles in session s1: helper, host"]


def test_h6_overlapping_sessions_are_reported_touching_ones_are_not() -> None:
    doc = minimal_scenario(sessions=[
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", start=at("19:00"), end=at("20:00"), place=None),
        session("s4", start=at("18:30"), end=at("19:30"), place=None),
    ], volunteers=[volunteer("v1"), volunteer("v3")])
    touching = [assignment("v1", "s1"), assignment("v1", "s2")]
    assert validate(doc, plan_result(doc, touching)) == []
    problems = validate(doc, plan_result(doc, [assignment("v3", "s1"), assignment("v3", "s4")]))
    assert problems == ["H6: volunteer v3 has overlapping sessions s1 and s4"]


def _week_boundary_doc(timezone: str, **limits: Any) -> dict[str, Any]:
    # Saturday 12 December (ISO week 50) and 23:30 UTC on Sunday 13 December,
    # which is already Monday 14 December (week 51) in Oslo but week 50 in UTC.
    return minimal_scenario(timezone=timezone, sessions=[
        session("sat", start="2026-12-12T10:00:00+01:00", end="2026-12-12T13:00:00+01:00"),
        session("sun", start="2026-12-13T23:30:00Z", end="2026-12-14T01:30:00Z"),
    ], volunteers=[volunteer("v1", **limits)])


@pytest.mark.parametrize("limits", [{"max_sessions_per_week": 1}, {"max_hours_per_week": 4}])
def test_h7_weekly_limits_follow_the_iso_week_in_the_scenario_time_zone(
        limits: dict[str, Any]) -> None:
    both = [assignment("v1", "sat"), assignment("v1", "sun")]
    oslo = _week_boundary_doc("Europe/Oslo", **limits)
    assert validate(oslo, plan_result(oslo, both)) == []
    utc = _week_boundary_doc("UTC", **limits)
    problems = validate(utc, plan_result(utc, both))
    assert len(problems) == 1
    assert problems[0].startswith("H7: volunteer v1 has ")
    assert "in week 2026-W50" in problems[0]


def test_h7_hours_at_the_limit_pass() -> None:
    doc = _week_boundary_doc("UTC", max_hours_per_week=5, max_sessions_per_week=2)
    assert validate(doc, plan_result(doc, [assignment("v1", "sat"), assignment("v1", "sun")])) == []


def test_h8_role_max_is_enforced_with_its_default() -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("host", min=0), role("helper", min=2),
                                       role("crew", min=1, max=3)])],
        volunteers=[volunteer(f"v{i}") for i in range(1, 8)],
    )
    ok = [assignment("v1", "s1", "host"), assignment("v2", "s1", "helper"),
          assignment("v3", "s1", "helper"), assignment("v4", "s1", "crew"),
          assignment("v5", "s1", "crew"), assignment("v6", "s1", "crew")]
    assert validate(doc, plan_result(doc, ok)) == []
    too_many = ok + [assignment("v7", "s1", "host")]
    assert validate(doc, plan_result(doc, too_many)) == [
        "H8: role host of session s1 has 2 people, more than max 1"]
    too_many = ok + [assignment("v7", "s1", "helper")]
    assert validate(doc, plan_result(doc, too_many)) == [
        "H8: role helper of session s1 has 3 people, more than max 2"]


def test_h9_missing_fixed_triple_is_reported() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2")],
                           fixed=[assignment("v2", "s1")])
    assert validate(doc, plan_result(doc, [assignment("v2", "s1")])) == []
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")])) == [
        "H9: fixed assignment of volunteer v2 to role host of session s1 is missing"]


def test_h9_forbidden_pair_is_reported() -> None:
    doc = minimal_scenario(
        sessions=[session("s1", roles=[role("host"), role("helper")])],
        forbidden=[{"volunteer": "v1", "session": "s1"}],
    )
    for name in ("host", "helper"):
        assert validate(doc, plan_result(doc, [assignment("v1", "s1", name)])) == [
            "H9: volunteer v1 is assigned to session s1, a forbidden pair"]


# --- H10: sessions and places -----------------------------------------------------------


def _open_doc(**fields: Any) -> dict[str, Any]:
    return minimal_scenario(
        places=[place("p1"), place("p2")],
        sessions=[session("s1", options=[option(at("10:00"), at("12:00"), "p1"),
                                         option(at("14:00"), at("16:00"), "p2", penalty=5)],
                          **fields)],
    )


def test_h10_open_session_scheduled_with_an_option_passes_and_pays_its_penalty() -> None:
    doc = _open_doc()
    first = plan_result(doc, [assignment("v1", "s1")],
                        schedule=[held("s1", at("10:00"), at("12:00"), "p1")])
    second = plan_result(doc, [assignment("v1", "s1")],
                         schedule=[held("s1", at("14:00"), at("16:00"), "p2")])
    assert validate(doc, first) == [] and validate(doc, second) == []
    assert first["score"] - second["score"] == 5


def test_h10_non_optional_session_left_unscheduled_is_reported() -> None:
    doc = _open_doc()
    assert validate(doc, plan_result(doc, [], schedule=[])) == [
        "H10: session s1 is not optional but is not scheduled"]
    optional = _open_doc(optional=True)
    assert validate(optional, plan_result(optional, [], schedule=[])) == []


def test_h10_fixed_session_must_be_scheduled() -> None:
    doc = minimal_scenario()
    assert validate(doc, plan_result(doc, [], schedule=[])) == [
        "H10: session s1 is not optional but is not scheduled"]


def test_h10_session_held_outside_its_options_is_reported() -> None:
    doc = _open_doc()
    mixed = plan_result(doc, [], schedule=[held("s1", at("10:00"), at("12:00"), "p2")])
    problems = validate(doc, mixed)
    assert problems[0].startswith("H10: session s1 is scheduled")
    assert problems[0].endswith("which is not one of its options")
    fixed = minimal_scenario()
    moved = plan_result(fixed, [], schedule=[held("s1", at("18:00"), at("20:00"), "p1")])
    assert any(p.endswith("which is not its own time and place") for p in validate(fixed, moved))


def test_h10_same_instant_in_another_offset_is_the_same_time() -> None:
    doc = minimal_scenario()
    utc = [held("s1", "2026-12-08T16:00:00Z", "2026-12-08T18:00:00Z", "p1")]
    assert validate(doc, plan_result(doc, [assignment("v1", "s1")], schedule=utc)) == []


def test_h10_session_scheduled_twice_is_reported() -> None:
    doc = _open_doc()
    twice = [held("s1", at("10:00"), at("12:00"), "p1"), held("s1", at("14:00"), at("16:00"), "p2")]
    assert "H10: session s1 is scheduled more than once" in validate(
        doc, plan_result(doc, [], schedule=twice))


def test_h10_assignment_to_an_unscheduled_session_is_reported() -> None:
    doc = _open_doc(optional=True)
    result = plan_result(doc, [], schedule=[])
    result["assignments"] = [assignment("v1", "s1")]
    assert validate(doc, result) == [
        "H10: volunteer v1 is assigned to session s1, which is not scheduled"]


def test_h10_fixed_assignment_forces_an_optional_session() -> None:
    doc = _open_doc(optional=True)
    doc["fixed"] = [assignment("v1", "s1")]
    assert validate(doc, plan_result(doc, [], schedule=[])) == [
        "H9: fixed assignment of volunteer v1 to role host of session s1 is missing"]


def test_h10_place_lacking_a_needed_feature_is_reported() -> None:
    doc = minimal_scenario(places=[place("p1", features=["kitchen"])],
                           sessions=[session("s1", needs=["kitchen", "wheelchair"])])
    assert validate(doc, plan_result(doc, [])) == [
        "H10: session s1 needs wheelchair, which place p1 lacks"]


def test_h10_participants_beyond_capacity_are_reported() -> None:
    doc = minimal_scenario(places=[place("p1", capacity=12)],
                           sessions=[session("s1", participants=12)])
    assert validate(doc, plan_result(doc, [])) == []
    doc["sessions"][0]["participants"] = 13
    assert validate(doc, plan_result(doc, [])) == [
        "H10: session s1 expects 13 participants, more than the capacity 12 of place p1"]


def test_h10_busy_place_is_reported() -> None:
    doc = minimal_scenario(places=[place("p1", busy=[interval(at("19:00"), at("21:00"))])])
    assert validate(doc, plan_result(doc, [])) == []
    doc["places"][0]["busy"].append(interval(at("18:00"), at("18:30")))
    assert validate(doc, plan_result(doc, [])) == [
        f"H10: session s1 overlaps place p1's busy time {at('18:00')}–{at('18:30')}"]


def test_h10_parallel_sessions_beyond_the_place_limit_are_reported() -> None:
    sessions = [session("s1", start=at("17:00"), end=at("19:00")),
                session("s2", start=at("18:00"), end=at("20:00")),
                session("s3", start=at("19:00"), end=at("21:00"))]
    doc = minimal_scenario(places=[place("p1")], sessions=sessions)
    assert validate(doc, plan_result(doc, [])) == [
        "H10: place p1 runs 2 sessions at once (s1, s2), more than parallel 1",
        "H10: place p1 runs 2 sessions at once (s2, s3), more than parallel 1"]
    doc["places"][0]["parallel"] = 2
    assert validate(doc, plan_result(doc, [])) == []
    doc["sessions"].append(session("s4", start=at("18:30"), end=at("19:30")))
    assert validate(doc, plan_result(doc, [])) == [
        "H10: place p1 runs 3 sessions at once (s1, s2, s4), more than parallel 2",
        "H10: place p1 runs 3 sessions at once (s2, s3, s4), more than parallel 2"]


# --- references -------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "message"), [
    (assignment("nobody", "s1"), "assignments[0]: unknown volunteer 'nobody'"),
    (assignment("v1", "s9"), "assignments[0]: unknown session 's9'"),
    (assignment("v1", "s1", "cook"), "assignments[0]: session s1 has no role 'cook'"),
])
def test_unresolved_assignment_references_are_reported(bad: dict[str, str], message: str) -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [])
    result["assignments"] = [bad]
    assert validate(doc, result) == [message]


def test_unknown_session_in_the_schedule_is_reported() -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [])
    result["schedule"].append(held("s9", at("10:00"), at("11:00")))
    assert validate(doc, result) == ["schedule[1]: unknown session 's9'"]


# --- score, bound, status --------------------------------------------------------------------


def test_wrong_score_is_caught() -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [assignment("v1", "s1")])
    result["score"] += 0.5
    assert only(validate(doc, result), "score") == [
        f"score: reported {result['score']!r}, recomputed {result['score'] - 0.5!r}"]
    result["score"] -= 0.5 - 1e-4  # within 1e-6 relative of ~986
    assert validate(doc, result) == []


def test_bound_below_the_score_is_caught() -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [assignment("v1", "s1")])
    result["bound"] = result["score"]
    assert validate(doc, result) == []
    result["bound"] = result["score"] - 1
    assert len(only(validate(doc, result), "bound")) == 1


def test_optimal_needs_a_bound_that_meets_the_score() -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [assignment("v1", "s1")], status="optimal")
    assert validate(doc, result) == ["status: 'optimal' without a bound to prove it"]
    result["bound"] = result["score"] + 1e-7
    assert validate(doc, result) == []
    result["bound"] = result["score"] + 1
    assert validate(doc, result) == [
        f"status: 'optimal' but the bound {result['bound']!r} is above the score {result['score']!r}"]
    result["status"] = "feasible"
    assert validate(doc, result) == []


@pytest.mark.parametrize("status", ["done", None, "infeasible", "error"])
def test_status_without_a_plan_is_reported(status: Any) -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [assignment("v1", "s1")], status=status)
    assert len(only(validate(doc, result), "status")) == 1


def _zero_weights(**weights: float) -> dict[str, float]:
    names = ("cover_min", "cover_extra", "interest", "preferred", "travel_km", "fairness",
             "volunteer_used", "continuity", "stability")
    return {name: weights.get(name, 0) for name in names}


def test_score_terms_by_hand() -> None:
    # Two sessions of activity a1 (tags: walk), one of a2; v1 likes walking and
    # asked for a2; v2 lives 5 km away.
    doc = minimal_scenario(
        places=[place("p1", lat=ARENDAL[0], lon=ARENDAL[1])],
        activities=[activity("a1", interests=["walk"]), activity("a2")],
        sessions=[
            session("s1", roles=[role("host"), role("helper", min=0, max=2)]),
            session("s2", activity="a1", start=at("10:00", "2026-12-09"),
                    end=at("13:00", "2026-12-09")),
            session("s3", activity="a2", start=at("10:00", "2026-12-10"),
                    end=at("11:00", "2026-12-10"), place=None, roles=[role("host", min=2)]),
        ],
        volunteers=[volunteer("v1", interests=["walk"], preferred_activities=["a2"]),
                    volunteer("v2", **home_north_of_place(5.0)), volunteer("v3")],
        previous=[assignment("v3", "s2"), assignment("v1", "s1")],
    )
    plan = [assignment("v1", "s1"), assignment("v2", "s1", "helper"), assignment("v3", "s1", "helper"),
            assignment("v1", "s2"), assignment("v1", "s3")]
    result = plan_result(doc, plan)
    # v1: 2 + 3 + 1 = 6 h, v2: 2 h, v3: 2 h.
    expected = {
        "cover_min": 3,  # s1.host, s2.host, one of s3's two hosts
        "cover_extra": 2,  # two helpers above min 0
        "interest": 2,  # v1 at s1 and s2 (a1 is tagged walk)
        "preferred": 1,  # v1 at s3
        "travel_km": -5.0,  # v2 to p1; s3 has no place
        "fairness": -(36 + 4 + 4),
        "volunteer_used": 3,
        "continuity": -4,  # (v1,a1), (v2,a1), (v3,a1), (v1,a2)
        "stability": -1,  # v3 at s2 was dropped
    }
    for name, value in expected.items():
        weighted = dict(doc, weights=_zero_weights(**{name: 1}))
        assert recompute_score(weighted, result) == pytest.approx(value, abs=1e-9), name
    assert recompute_score(doc, result) == pytest.approx(
        1000 * 3 + 50 * 2 + 20 * 2 + 30 * 1 - 2 * 5.0 - 44 + 0 - 10 * 4 - 200 * 1)
    assert validate(doc, result) == []
    # The same breakdown under the default weights, as kpis.score_terms reports it.
    result["kpis"]["score_terms"] = {
        "cover_min": 3000, "cover_extra": 100, "interest": 40, "preferred": 30,
        "travel_km": -10.0, "fairness": -44, "volunteer_used": 0, "continuity": -40,
        "stability": -200, "option_penalty": 0}
    assert validate(doc, result) == []
    result["kpis"]["score_terms"]["interest"] = 20
    result["kpis"]["score_terms"]["bonus"] = 1
    assert validate(doc, result) == [
        "kpis.score_terms.bonus: not a term of the score",
        "kpis.score_terms.interest: reported 20, recomputed 40"]


def test_null_means_the_default() -> None:
    clean = minimal_scenario(sessions=[session("s1", roles=[role("host"), role("helper")])],
                             volunteers=[volunteer("v1"), volunteer("v2")])
    result = plan_result(clean, [assignment("v1", "s1"), assignment("v2", "s1", "helper")])
    nulls = minimal_scenario(
        places=[place("p1", lat=None, lon=None, capacity=None, parallel=None)],
        sessions=[session("s1", participants=None, roles=[
            role("host", min=None, max=None, certificate=None), role("helper")])],
        volunteers=[volunteer("v1", availability=None, max_travel_km=None, lat=None, lon=None,
                              max_hours_per_week=None, max_sessions_per_week=None),
                    volunteer("v2")],
    )
    clean["places"] = nulls["places"]  # no location in either, so the same travel
    result = plan_result(clean, result["assignments"])
    assert validate(nulls, result) == []


def test_default_weights_apply_where_not_given() -> None:
    doc = minimal_scenario(weights={"fairness": 0})
    result = plan_result(doc, [assignment("v1", "s1")])
    assert result["score"] == 1000 - 10  # cover_min minus continuity


# --- unfilled and KPIs --------------------------------------------------------------------


def test_unfilled_list_must_match_the_plan() -> None:
    doc = minimal_scenario(sessions=[session("s1", roles=[role("host", min=2), role("helper")])],
                           volunteers=[volunteer("v1"), volunteer("v2")])
    result = plan_result(doc, [assignment("v1", "s1")])
    assert result["unfilled"] == [{"session": "s1", "role": "host", "missing": 1},
                                  {"session": "s1", "role": "helper", "missing": 1}]
    assert validate(doc, result) == []
    missing_one = dict(result, unfilled=result["unfilled"][:1])
    assert validate(doc, missing_one) == [
        "unfilled: role helper of session s1 is staffed below its min (missing 1) but is not listed"]
    wrong_count = dict(result, unfilled=[dict(result["unfilled"][0], missing=2),
                                         result["unfilled"][1]])
    assert validate(doc, wrong_count) == ["unfilled[0]: role host of session s1 misses 1, not 2"]
    filled = plan_result(doc, [assignment("v1", "s1"), assignment("v2", "s1")])
    extra = dict(filled, unfilled=result["unfilled"])
    assert len(validate(doc, extra)) == 1


@pytest.mark.parametrize(("name", "wrong"), [
    ("sessions_scheduled", 2), ("slots_min", 0), ("filled_min", 0), ("fill_rate", 0.5),
    ("assignments", 2), ("volunteers_used", 0), ("travel_km_total", 1.0), ("hours_max", 3.0),
    ("changes", 0),
])
def test_wrong_kpi_is_caught(name: str, wrong: Any) -> None:
    doc = minimal_scenario(places=[place("p1", lat=ARENDAL[0], lon=ARENDAL[1])],
                           volunteers=[volunteer("v1", **home_north_of_place(2.0))])
    result = plan_result(doc, [assignment("v1", "s1")])
    assert validate(doc, result) == []
    result["kpis"][name] = wrong
    assert len(validate(doc, result)) == 1
    del result["kpis"][name]
    assert validate(doc, result) == [f"kpis.{name}: missing"]


def test_changes_count_both_directions_when_previous_is_given() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2")],
                           previous=[assignment("v2", "s1")])
    result = plan_result(doc, [assignment("v1", "s1")])
    assert result["kpis"]["changes"] == 2
    assert validate(doc, result) == []
    result["kpis"]["changes"] = None
    assert validate(doc, result) == ["kpis.changes: reported None, recomputed 2"]


# --- untrusted results ------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=10,
)
_RESULT_KEYS = ("format", "status", "score", "bound", "schedule", "assignments", "unfilled",
                "kpis")


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(_RESULT_KEYS) | st.text(max_size=3), _json, max_size=8),
       st.sampled_from(["feasible", "optimal"]))
def test_any_malformed_result_gives_violations_not_a_crash(result: dict[str, Any],
                                                            status: str) -> None:
    doc = minimal_scenario()
    result.setdefault("status", status)
    problems = validate(doc, result)
    assert problems and all(isinstance(p, str) for p in problems)


@pytest.mark.parametrize("entry", [
    {"volunteer": ["v1"], "session": "s1", "role": "host"},
    {"volunteer": "v1", "session": None, "role": "host"},
    "v1/s1/host",
])
def test_malformed_assignment_entries_are_reported(entry: Any) -> None:
    doc = minimal_scenario()
    result = plan_result(doc, [])
    result["assignments"] = [entry]
    assert validate(doc, result) == [
        "assignments[0]: not an object with volunteer, session and role"]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (dict keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*prefix, index))
    return found


def _rich_result() -> tuple[dict[str, Any], dict[str, Any]]:
    doc = _open_doc()
    doc["sessions"].append(session("s2", roles=[role("host", min=2)]))
    doc["volunteers"].append(volunteer("v2"))
    plan = [assignment("v1", "s1"), assignment("v2", "s2")]
    schedule = [held("s1", at("10:00"), at("12:00"), "p1"), held("s2", at("17:00"), at("19:00"))]
    return doc, plan_result(doc, plan, schedule=schedule)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_result_with_any_value_replaced_is_checked_without_a_crash(data: Any) -> None:
    doc, result = _rich_result()
    assert validate(doc, result) == []
    path = data.draw(st.sampled_from(_paths(result)))
    value = data.draw(_json)
    target: Any = result
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problems = validate(doc, result)  # may be empty when the new value is as good
    assert all(isinstance(p, str) for p in problems)


# --- agreement with the solver on a believable centre ---------------------------------------


@pytest.fixture(scope="module")
def centre() -> dict[str, Any]:
    generate = pytest.importorskip("bench.generate")
    return generate.generate("S", seed=1)


def test_solver_and_greedy_plans_for_a_centre_pass(centre: dict[str, Any]) -> None:
    import solver

    planned = solver.solve(centre, time_limit=3.0, workers=1, seed=0)
    baseline = solver.greedy(centre)
    assert planned["assignments"] and baseline["assignments"]
    assert validate(centre, planned) == []
    assert validate(centre, baseline) == []


def test_a_real_plan_missing_one_assignment_is_caught(centre: dict[str, Any]) -> None:
    import solver

    result = solver.greedy(centre)
    dropped = result["assignments"].pop()
    problems = validate(centre, result)
    assert any(p.startswith("score: reported") for p in problems)
    assert "kpis.assignments: reported" in " ".join(problems)
    result["assignments"].append(dropped)
    result["assignments"].append(dict(dropped))  # the same triple twice
    assert validate(centre, result) == [
        f"H6: volunteer {dropped['volunteer']} is assigned to role {dropped['role']} "
        f"of session {dropped['session']} twice"]


def test_the_validator_imports_only_the_standard_library() -> None:
    import solver.validator

    tree = ast.parse(Path(solver.validator.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports: nothing shared with the solver"
            imported.add((node.module or "").split(".")[0])
    assert imported and imported <= set(sys.stdlib_module_names) | {"__future__"}, imported
