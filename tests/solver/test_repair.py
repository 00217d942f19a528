"""Repairs: the greedy baseline of a repair is the previous plan (declines
taken out) refilled greedily, not the greedy plan over the whole scenario,
which would move many planned people; when time runs out before the search
gets anywhere, that is the answer."""

from __future__ import annotations

import copy
import functools
import importlib
import random
from typing import Any

import pytest

from bench.generate import generate
from solver import greedy, solve, validate
from solver.greedy import greedy_plan
from solver.model import find_candidates
from solver.parse import parse_scenario
from solver.repair import keep_and_fill, kept_plan, repair_baseline
from solver.scenario import Assignment, Plan
from solver.score import compute_score
from solver.solve import _best_hint
from tests.solver.helpers import (
    assignment,
    at,
    minimal_scenario,
    option,
    place,
    role,
    scenario_of,
    session,
    volunteer,
)


def _declined(doc: dict[str, Any], result: dict[str, Any], share: float) -> dict[str, Any]:
    assignments = sorted((a["volunteer"], a["session"], a["role"]) for a in result["assignments"])
    declines = set(random.Random(1).sample(assignments, max(1, round(share * len(assignments)))))
    repaired = copy.deepcopy(doc)
    repaired["weights"] = {**repaired.get("weights", {}), "stability": 1500}
    repaired["forbidden"] = [{"volunteer": v, "session": s} for v, s, _ in sorted(declines)]
    repaired["previous"] = [
        {"volunteer": v, "session": s, "role": r} for v, s, r in assignments if (v, s, r) not in declines
    ]
    return repaired


def test_out_of_time_a_repair_keeps_the_previous_plan() -> None:
    doc = generate("S", 2)
    base = solve(doc, time_limit=5.0, workers=2, seed=2)
    repaired = _declined(doc, base, 0.1)
    result = solve(repaired, time_limit=0.01, workers=2, seed=2)  # no time to search

    assert validate(repaired, result) == []
    assert result["score"] >= greedy(repaired)["score"]
    before = {(p["volunteer"], p["session"], p["role"]) for p in repaired["previous"]}
    after = {(a["volunteer"], a["session"], a["role"]) for a in result["assignments"]}
    assert before <= after  # nobody planned was moved or dropped
    # the holes are refilled as a coordinator would by hand: the repair's greedy baseline
    assert result["score"] == pytest.approx(greedy(repaired)["score"], rel=1e-9)


@functools.cache
def _s3_repair() -> dict[str, Any]:
    """S seed 3 solved, 10% of it declined: the repair the tests below share
    (each works on a copy)."""
    doc = generate("S", 3)
    return _declined(doc, solve(doc, time_limit=5.0, workers=2, seed=3), 0.1)


def _triples(assignments: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(a["volunteer"], a["session"], a["role"]) for a in assignments}


def test_a_large_repair_keeps_everyone_and_refills_from_the_keep_and_fill_model(
    monkeypatch: Any,
) -> None:
    # the keep-and-fill model is for large scenarios; here S stands in for one
    repaired = copy.deepcopy(_s3_repair())
    whole = solve(repaired, time_limit=5.0, workers=2, seed=3)  # the whole model
    monkeypatch.setattr(importlib.import_module("solver.solve"), "REPAIR_MODEL", 0)
    result = solve(repaired, time_limit=5.0, workers=2, seed=3)

    assert result["solver"]["repair"] == "keep-and-fill optimal"
    assert validate(repaired, result) == []
    assert result["score"] >= greedy(repaired)["score"]
    before = _triples(repaired["previous"])
    after = _triples(result["assignments"])
    assert before <= after  # nobody planned was moved or dropped
    assert after - before  # and some declined slots were refilled
    declined = {(f["volunteer"], f["session"]) for f in repaired["forbidden"]}
    assert not {(v, s) for v, s, _ in after} & declined
    assert whole["status"] == "optimal"
    if before <= _triples(whole["assignments"]):
        # the whole model's optimum keeps everyone too: the same score
        assert result["score"] == pytest.approx(whole["score"], rel=1e-9)
    else:
        assert result["score"] <= whole["score"] + 1e-6 * abs(whole["score"])


def test_without_time_for_cp_sat_a_large_repair_refills_greedily(monkeypatch: Any) -> None:
    # a machine so busy that CP-SAT finds no plan for the keep-and-fill model
    # in its time (on a quiet machine it proves S optimal in any time it gets,
    # so its answer is the busy machine's) and none is left for the usual search
    repaired = copy.deepcopy(_s3_repair())
    module = importlib.import_module("solver.solve")
    monkeypatch.setattr(module, "REPAIR_MODEL", 0)
    monkeypatch.setattr(module, "_repair", lambda *args, **kwargs: (None, "no plan in time"))
    monkeypatch.setattr(module, "REPAIR_REST", 1.1)
    result = solve(repaired, time_limit=5.0, workers=2, seed=3)

    assert result["solver"]["repair"].endswith("filled greedily")
    assert validate(repaired, result) == []
    before = _triples(repaired["previous"])
    after = _triples(result["assignments"])
    assert before <= after and after - before  # everyone kept, slots refilled
    assert result["score"] >= greedy(repaired)["score"]
    assert result["solver"]["seconds"] < 5.0


def test_a_repair_whose_previous_plan_no_longer_fits_a_limit_still_keeps_the_rules(
    monkeypatch: Any,
) -> None:
    repaired = copy.deepcopy(_s3_repair())
    counts: dict[str, int] = {}
    for p in repaired["previous"]:
        counts[p["volunteer"]] = counts.get(p["volunteer"], 0) + 1
    busiest = max(counts, key=counts.__getitem__)
    assert counts[busiest] >= 2  # S is one week: two sessions that week
    for v in repaired["volunteers"]:
        if v["id"] == busiest:
            v["max_sessions_per_week"] = 1  # lowered since the plan was published
    monkeypatch.setattr(importlib.import_module("solver.solve"), "REPAIR_MODEL", 0)
    result = solve(repaired, time_limit=5.0, workers=2, seed=3)

    assert result["solver"]["repair"].startswith("keep-and-fill infeasible")
    assert validate(repaired, result) == []
    assert sum(a["volunteer"] == busiest for a in result["assignments"]) <= 1


def _hint_for_the_open_session(**doc: Any) -> Plan:
    """The hint `solve` starts a repair from, next to a baseline that holds
    s1 and the open session s2 at its first option and staffs nobody."""
    scenario = scenario_of(**doc)
    return _best_hint(scenario, find_candidates(scenario), Plan(schedule={"s1": 0, "s2": 0}, assignments=()))


def test_the_previous_plan_holds_an_open_session_where_its_people_are_free() -> None:
    # ann worked s1 and s2 in the published plan, so s2 was held after s1
    # ends: its first option (greedy's) overlaps s1
    hint = _hint_for_the_open_session(
        places=[place("p1"), place("p2")],
        sessions=[
            session("s1"),
            session("s2", options=[option(at("18:00"), at("20:00"), "p2"),
                                   option(at("19:00"), at("21:00"), "p2")]),
        ],
        volunteers=[volunteer("ann")],
        previous=[assignment("ann", "s1"), assignment("ann", "s2")],
    )
    assert hint.schedule["s2"] == 1
    assert set(hint.assignments) == {Assignment("ann", "s1", "host"), Assignment("ann", "s2", "host")}


def test_the_previous_plan_holds_an_open_session_where_its_place_has_room() -> None:
    # p1 runs one session at a time and s1 is there 17-19: s2's first option
    # would be a second one
    hint = _hint_for_the_open_session(
        places=[place("p1", parallel=1)],
        sessions=[
            session("s1"),
            session("s2", options=[option(at("18:00"), at("20:00"), "p1"),
                                   option(at("19:00"), at("21:00"), "p1")]),
        ],
        volunteers=[volunteer("ann"), volunteer("bo")],
        previous=[assignment("ann", "s1"), assignment("bo", "s2")],
    )
    assert hint.schedule["s2"] == 1
    assert set(hint.assignments) == {Assignment("ann", "s1", "host"), Assignment("bo", "s2", "host")}


def test_a_large_repair_never_moves_a_confirmed_or_locked_person(monkeypatch: Any) -> None:
    # a coordinator confirmed every fourth person of the published plan: the
    # service sends those as `fixed`, the rest as `previous`
    repaired = copy.deepcopy(_s3_repair())
    confirmed = repaired["previous"][::4]
    repaired["fixed"] = confirmed
    repaired["previous"] = [p for p in repaired["previous"] if p not in confirmed]
    monkeypatch.setattr(importlib.import_module("solver.solve"), "REPAIR_MODEL", 0)
    result = solve(repaired, time_limit=5.0, workers=2, seed=3)

    assert result["solver"]["repair"] == "keep-and-fill optimal"
    assert validate(repaired, result) == []
    after = _triples(result["assignments"])
    assert _triples(confirmed) <= after
    assert _triples(repaired["previous"]) <= after
    assert result["score"] >= greedy(repaired)["score"]


def test_the_greedy_baseline_of_a_repair_is_the_previous_plan_refilled() -> None:
    repaired = copy.deepcopy(_s3_repair())
    baseline = greedy(repaired)

    assert baseline["solver"]["baseline"] == "previous plan refilled"
    assert validate(repaired, baseline) == []
    before = _triples(repaired["previous"])
    after = _triples(baseline["assignments"])
    assert before <= after and after - before  # everyone kept, some holes refilled
    # greedy's plan over the whole scenario moves planned people, which the
    # repair weights make cost more than any slot filled
    scenario = parse_scenario(repaired)
    assert baseline["score"] > compute_score(scenario, greedy_plan(scenario))


def test_a_repair_whose_previous_plan_breaks_a_rule_has_the_greedy_plan_as_baseline() -> None:
    repaired = copy.deepcopy(_s3_repair())
    busiest = max(
        {p["volunteer"] for p in repaired["previous"]},
        key=lambda v: sum(p["volunteer"] == v for p in repaired["previous"]),
    )
    for v in repaired["volunteers"]:
        if v["id"] == busiest:
            v["max_sessions_per_week"] = 1  # lowered since the plan was published
    baseline = greedy(repaired)

    assert "baseline" not in baseline["solver"]
    assert validate(repaired, baseline) == []
    scenario = parse_scenario(repaired)
    assert baseline["score"] == pytest.approx(compute_score(scenario, greedy_plan(scenario)))
    result = solve(repaired, time_limit=5.0, workers=2, seed=3)
    assert validate(repaired, result) == []
    assert result["score"] >= baseline["score"]


def test_the_kept_plan_holds_a_session_where_its_place_has_room_at_every_moment() -> None:
    # p1 runs two sessions at once; s1 (17-18) and s2 (18-19) both overlap
    # s3's only option (17:30-18:30), but never together: s3 fits
    scenario = scenario_of(
        places=[place("p1", parallel=2)],
        weights={"stability": 1500},
        sessions=[
            session("s1", start=at("17:00"), end=at("18:00")),
            session("s2", start=at("18:00"), end=at("19:00")),
            session("s3", options=[option(at("17:30"), at("18:30"), "p1")]),
        ],
        volunteers=[volunteer("ann")],
        previous=[assignment("ann", "s1")],
    )
    kept = kept_plan(scenario, find_candidates(scenario))

    assert kept is not None
    assert kept.schedule == {"s1": 0, "s2": 0, "s3": 0}
    assert set(kept.assignments) == {Assignment("ann", "s1", "host")}


def test_planned_people_the_repair_does_not_touch_still_count_towards_the_role(
    monkeypatch: Any,
) -> None:
    # ann stays at s1 whatever the keep-and-fill model decides, so she is no
    # variable of it; her place still counts: s1 takes two hosts, so only
    # one of bo and cy joins her
    doc = minimal_scenario(
        weights={"stability": 1500},
        sessions=[session("s1", roles=[role("host", min=1, max=2)])],
        volunteers=[volunteer("ann"), volunteer("bo"), volunteer("cy")],
        previous=[assignment("ann", "s1")],
    )
    scenario = parse_scenario(doc)
    candidates = find_candidates(scenario)
    baseline = repair_baseline(doc, scenario, candidates)
    assert baseline is not None
    narrowed = keep_and_fill(scenario, candidates, baseline.kept, baseline.added)
    assert narrowed.taken == {("s1", "host"): 1}
    assert Assignment("ann", "s1", "host") not in narrowed.candidates.triples

    monkeypatch.setattr(importlib.import_module("solver.solve"), "REPAIR_MODEL", 0)
    result = solve(doc, time_limit=5.0, workers=2, seed=0)
    assert result["solver"]["repair"] == "keep-and-fill optimal"
    assert validate(doc, result) == []
    hosts = {a["volunteer"] for a in result["assignments"]}
    assert "ann" in hosts and len(hosts) == 2


def test_the_kept_plan_holds_the_cheaper_of_two_options_alike() -> None:
    # s2 must be held and nobody was planned there: of its two options at the
    # same time and place the cheaper, the one the validator takes it for
    doc = minimal_scenario(
        weights={"stability": 1500},
        sessions=[
            session("s1"),
            session("s2", options=[
                option(at("10:00"), at("12:00"), "p1", penalty=5),
                option(at("10:00"), at("12:00"), "p1", penalty=0),
            ]),
        ],
        volunteers=[volunteer("ann"), volunteer("bo")],
        previous=[assignment("ann", "s1")],
    )
    scenario = parse_scenario(doc)
    kept = kept_plan(scenario, find_candidates(scenario))

    assert kept is not None and kept.schedule["s2"] == 1
    baseline = greedy(doc)
    assert baseline["solver"]["baseline"] == "previous plan refilled"
    assert validate(doc, baseline) == []
