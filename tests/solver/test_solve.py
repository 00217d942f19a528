"""End to end through `solve()` and `greedy()`: every result validates with the
independent validator."""

from __future__ import annotations

from typing import Any

import pytest

from solver import ScenarioError
from solver.solve import greedy, solve
from solver.validator import validate
from tests.solver.helpers import (
    activity,
    assignment,
    at,
    minimal_scenario,
    option,
    place,
    role,
    session,
    volunteer,
)

FAST = {"time_limit": 5.0, "workers": 1}


def solved(doc: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    result = solve(doc, **{**FAST, **kwargs})
    assert validate(doc, result) == []
    return result


def evening(day: str, sid: str, **fields: Any) -> dict[str, Any]:
    return session(sid, start=at("17:00", day), end=at("19:00", day), **fields)


def week_scenario() -> dict[str, Any]:
    """Two activities, five evenings, six volunteers with different windows,
    interests and limits; one open session; more slots than people."""
    days = ["2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"]
    sessions = [evening(d, f"s{i}", activity="a1" if i % 2 else "a2",
                        roles=[role("host"), role("helper", min=1, max=2)])
                for i, d in enumerate(days)]
    sessions.append(session("open", activity="a1", options=[
        option(at("10:00", "2026-12-12"), at("12:00", "2026-12-12"), penalty=3),
        option(at("12:00", "2026-12-13"), at("14:00", "2026-12-13")),
    ]))
    volunteers = [
        volunteer("ann", interests=["coffee"], max_sessions_per_week=2),
        volunteer("bo", availability=[{"start": at("16:00", days[0]), "end": at("22:00", days[2])}]),
        volunteer("cai", preferred_activities=["a2"], max_hours_per_week=4),
        volunteer("dag", lat=58.5, lon=8.8, max_travel_km=10),
        volunteer("eli", max_sessions_per_week=1),
        volunteer("fay", availability=[{"start": at("09:00", "2026-12-12"), "end": at("15:00", "2026-12-13")}]),
    ]
    return minimal_scenario(
        places=[place("p1", lat=58.46, lon=8.77)],
        activities=[activity("a1", interests=["coffee"]), activity("a2")],
        sessions=sessions, volunteers=volunteers,
        fixed=[assignment("eli", "s3", "host")],
        forbidden=[{"volunteer": "ann", "session": "s0"}],
        previous=[assignment("bo", "s1", "host")],
    )


def test_minimal_scenario_is_solved_to_optimality() -> None:
    result = solved(minimal_scenario())
    assert result["status"] == "optimal"
    assert result["assignments"] == [{"volunteer": "v1", "session": "s1", "role": "host"}]
    assert result["bound"] == pytest.approx(result["score"])


def test_week_scenario_is_optimal_valid_and_reports_itself() -> None:
    doc = week_scenario()
    result = solved(doc, seed=4)
    assert result["status"] == "optimal"
    assert result["bound"] >= result["score"] - 1e-6
    assert {"volunteer": "eli", "session": "s3", "role": "host"} in result["assignments"]
    assert not any(a["volunteer"] == "ann" and a["session"] == "s0" for a in result["assignments"])
    info = result["solver"]
    assert info["name"] == "cp-sat" and info["workers"] == 1 and info["seed"] == 4
    assert info["time_limit"] == 5.0 and info["variables"] > 0 and info["components"] >= 1


def test_score_at_least_greedy() -> None:
    doc = week_scenario()
    baseline = greedy(doc)
    assert validate(doc, baseline) == []
    assert baseline["solver"]["name"] == "greedy" and baseline["bound"] is None
    assert baseline["status"] == "feasible"
    assert solved(doc)["score"] >= baseline["score"] - 1e-6


def test_repeatable_with_a_seed() -> None:
    doc = week_scenario()
    first, second = solved(doc, seed=7), solved(doc, seed=7)
    assert first["assignments"] == second["assignments"]
    assert first["schedule"] == second["schedule"]


def test_bad_input_raises_scenario_error() -> None:
    with pytest.raises(ScenarioError) as caught:
        solve(minimal_scenario(sessions=[session("s1", roles=[role("host", min=2, max=1)])]))
    assert any("sessions[0].roles[0].max" in p for p in caught.value.problems)


def test_infeasible_fixed_gives_conflicts_in_words() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2")],
                           fixed=[assignment("v1", "s1"), assignment("v2", "s1")])
    result = solve(doc, **FAST)
    assert result["status"] == "infeasible"
    assert result["conflicts"] == ["session s1 role host has 2 fixed people, at most 1 allowed"]
    assert result["assignments"] == [] and result["score"] is None
    assert greedy(doc)["status"] == "infeasible"


def test_infeasible_found_by_the_solver_is_reported() -> None:
    # two must-hold open sessions with one usable slot at one place between them
    options = [option(at("17:00"), at("19:00"))]
    doc = minimal_scenario(sessions=[session("s1", options=options), session("s2", options=options)])
    result = solve(doc, **FAST)
    assert result["status"] == "infeasible"
    assert "s1" in result["conflicts"][0] and "s2" in result["conflicts"][0]


def test_progress_reports_improvements_with_a_true_bound() -> None:
    seen: list[dict[str, Any]] = []
    result = solved(week_scenario(), progress=seen.append)
    assert seen, "progress was never called"
    assert all(set(p) == {"seconds", "score", "bound", "gap"} for p in seen)
    assert all(p["bound"] >= result["score"] - 1e-6 for p in seen if p["bound"] is not None)
    assert seen[-1]["score"] == pytest.approx(result["score"])


def independent_halves() -> dict[str, Any]:
    """Two towns that share no volunteer and no place: two components."""
    halves: dict[str, list[dict[str, Any]]] = {"places": [], "sessions": [], "volunteers": []}
    for town, (lat, lon) in {"n": (58.46, 8.77), "s": (58.14, 7.99)}.items():
        halves["places"].append(place(f"{town}p", lat=lat, lon=lon))
        for i, day in enumerate(["2026-12-08", "2026-12-09", "2026-12-10"]):
            halves["sessions"].append(evening(day, f"{town}s{i}", place=f"{town}p",
                                              roles=[role("host"), role("helper", min=0, max=2)]))
        for i in range(3):
            halves["volunteers"].append(volunteer(f"{town}v{i}", lat=lat + 0.01 * i, lon=lon,
                                                  max_travel_km=20, max_sessions_per_week=2))
    return minimal_scenario(**halves)


def test_decomposition_gives_the_score_of_one_model() -> None:
    doc = independent_halves()
    split, whole = solved(doc), solved(doc, decompose=False)
    assert split["solver"]["components"] == 2
    assert split["status"] == whole["status"] == "optimal"
    assert split["score"] == pytest.approx(whole["score"], rel=1e-9)


def test_best_so_far_on_a_tiny_time_limit() -> None:
    doc = week_scenario()
    result = solved(doc, time_limit=0.001)
    assert result["status"] in ("feasible", "optimal")
    assert result["assignments"], "a plan, never nothing"
    assert result["score"] >= greedy(doc)["score"] - 1e-6


def test_time_limit_covers_the_whole_call() -> None:
    bench = pytest.importorskip("bench.generate")
    doc = bench.generate("S", 3)
    result = solve(doc, time_limit=1.0, workers=1)
    assert validate(doc, result) == []
    # generous: the machine is shared; the design keeps a reserve for the result
    assert result["solver"]["seconds"] <= 1.0 * 1.1 + 0.5


def test_sessions_competing_for_a_place_stay_in_one_component() -> None:
    from solver.decompose import components
    from solver.model import find_candidates
    from solver.parse import parse_scenario

    # nobody can work at s2, but s1 and s2 may run at p1 at the same time
    doc = minimal_scenario(
        volunteers=[volunteer("v1", availability=[{"start": at("16:00"), "end": at("19:00")}])],
        sessions=[session("s1"),
                  session("s2", options=[option(at("18:00"), at("20:00")),
                                         option(at("20:00"), at("22:00"), penalty=1)])],
    )
    scenario = parse_scenario(doc)
    assert components(scenario, find_candidates(scenario)) == [["s1", "s2"]]
    result = solved(doc)
    assert result["status"] == "optimal"
    assert [s["session"] for s in result["schedule"]] == ["s1", "s2"]
    assert result["schedule"][1]["start"] == at("20:00")
    apart = minimal_scenario(places=[place("p1", parallel=2)], sessions=doc["sessions"],
                             volunteers=doc["volunteers"])
    scenario = parse_scenario(apart)
    assert sorted(components(scenario, find_candidates(scenario))) == [["s1"], ["s2"]]
