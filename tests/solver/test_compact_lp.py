"""The compact LP relaxation (solver/compact_lp.py): its bound holds over
the best plan, also split by week, and it is tighter than the min-cost
flow's. The random small scenarios are in test_properties.py."""

from __future__ import annotations

from typing import Any

import pytest

from bench.generate import generate
from solver import compact_lp
from solver.compact_lp import compact_relaxation, compact_relaxation_by_week, rounded_plan, tightens
from solver.flow_bound import flow_bound
from solver.greedy import greedy_plan
from solver.model import find_candidates
from solver.parse import parse_scenario
from solver.result import build_result
from solver.score import compute_score
from solver.validator import validate
from tests.solver import helpers
from tests.solver.test_properties import brute_force_optimum


def _two_weeks(**weights: Any) -> dict[str, Any]:
    """One volunteer, a session in each of two ISO weeks."""
    return helpers.minimal_scenario(
        volunteers=[helpers.volunteer("v0")],
        sessions=[
            helpers.session("s0", start=helpers.at("17:00", "2026-12-07"),
                            end=helpers.at("18:00", "2026-12-07"), roles=[helpers.role(min=1, max=2)]),
            helpers.session("s1", start=helpers.at("17:00", "2026-12-14"),
                            end=helpers.at("18:00", "2026-12-14"), roles=[helpers.role(min=1, max=2)]),
        ],
        weights={"cover_min": 100, "cover_extra": 0, "travel_km": 0, "fairness": 0,
                 "continuity": 0, **weights},
    )


@pytest.mark.parametrize("weights", [{"volunteer_used": -40}, {"continuity": 30},
                                     {"volunteer_used": 40, "fairness": 30}])
def test_terms_counted_once_per_volunteer_hold_across_weeks(weights: dict[str, Any]) -> None:
    """Charged in full in each week, volunteer_used < 0 put this bound at
    2 x (100 - 40) = 120, below the plan that works both weeks (160)."""
    doc = _two_weeks(**weights)
    scenario = parse_scenario(doc)
    optimum = brute_force_optimum(scenario)
    assert optimum is not None
    for relax in (compact_relaxation, compact_relaxation_by_week):
        relaxation = relax(scenario, find_candidates(scenario), 5.0)
        assert relaxation is not None
        assert relaxation.bound >= optimum - 1e-6


def _one_week(hours: list[int], max_sessions: int, **weights: Any) -> dict[str, Any]:
    """One volunteer, a session of activity a1 on each of the week's first
    days, lasting `hours[i]` hours from 09:00."""
    days = [f"2026-12-0{7 + i}" for i in range(len(hours))]
    return helpers.minimal_scenario(
        volunteers=[helpers.volunteer("v0", max_sessions_per_week=max_sessions)],
        sessions=[
            helpers.session(f"s{i}", start=helpers.at("09:00", day),
                            end=helpers.at(f"{9 + h:02d}:00", day), roles=[helpers.role(min=1, max=1)])
            for i, (day, h) in enumerate(zip(days, hours, strict=True))
        ],
        weights={"cover_min": 100, "cover_extra": 0, "interest": 0, "preferred": 0,
                 "travel_km": 0, "fairness": 0, "continuity": 0, **weights},
    )


@pytest.mark.parametrize(
    ("doc", "optimum"),
    [
        # works one of two sessions of the activity: continuity paid in full
        # (shared out over the two, the LP pays 15 and bounds at 85)
        (_one_week([2, 2], 1, continuity=30), 70.0),
        # works the 1 h and a 3 h session: 200 - 4² (counting 3² + 1² and
        # 2 x 1² for the second session, the LP bounds at 188)
        (_one_week([1, 3, 3], 2, fairness=1), 184.0),
    ],
)
def test_continuity_and_fairness_are_counted_as_a_plan_pays_them(
    doc: dict[str, Any], optimum: float
) -> None:
    scenario = parse_scenario(doc)
    assert brute_force_optimum(scenario) == pytest.approx(optimum)
    for relax in (compact_relaxation, compact_relaxation_by_week):
        relaxation = relax(scenario, find_candidates(scenario), 5.0)
        assert relaxation is not None
        assert relaxation.bound == pytest.approx(optimum, abs=1e-3)
        # the per-session pricing the large LPs keep is looser here
        loose = relax(scenario, find_candidates(scenario), 5.0, tight=False)
        assert loose is not None and loose.bound > optimum + 1


def test_tighter_than_the_flow_and_its_rounded_plan_keeps_the_rules() -> None:
    doc = generate("S", 2)
    scenario = parse_scenario(doc)
    candidates = find_candidates(scenario)
    relaxation = compact_relaxation(scenario, candidates, 10.0)
    flow = flow_bound(scenario, candidates)
    assert relaxation is not None and flow is not None
    assert relaxation.bound < flow
    greedy = greedy_plan(scenario)
    rounded = rounded_plan(scenario, candidates, relaxation, greedy)
    result = build_result(scenario, rounded, status="feasible", bound=None,
                          solver_info={"name": "cp-sat"})
    assert validate(doc, result) == []
    assert compute_score(scenario, rounded) <= relaxation.bound


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_rounded_plan_holds_open_sessions_where_the_lp_does_when_the_place_has_room(
    seed: int,
) -> None:
    doc = generate("S", seed)
    scenario = parse_scenario(doc)
    candidates = find_candidates(scenario)
    relaxation = compact_relaxation(scenario, candidates, 10.0)
    assert relaxation is not None
    assert relaxation.held, "the generated week has open sessions the LP holds"
    greedy = greedy_plan(scenario)
    rounded = rounded_plan(scenario, candidates, relaxation, greedy)
    result = build_result(scenario, rounded, status="feasible", bound=None,
                          solver_info={"name": "cp-sat"})
    assert validate(doc, result) == []
    sessions = scenario.session_by_id
    for session_id, (oi, value) in relaxation.held.items():
        option = sessions[session_id].options[oi]
        others_there = [
            sessions[other].options[o] for other, o in rounded.schedule.items()
            if other != session_id and sessions[other].options[o].place == option.place
            and option.place is not None
            and sessions[other].options[o].start < option.end
            and option.start < sessions[other].options[o].end
        ]
        held_surely = value >= 0.5 or session_id in greedy.schedule
        if held_surely and not others_there:
            assert rounded.schedule.get(session_id) == oi, session_id


def test_the_exact_lp_is_only_asked_for_where_it_prices_something(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Fairness or continuity weighed and a week small enough: the exact LP
    differs from the per-session one; without those weights, or with every
    week above TIGHT_UP_TO triples, it would be the same LP solved twice."""
    for weights, expected in (({"fairness": 1}, True), ({"continuity": 10}, True), ({}, False)):
        scenario = parse_scenario(_two_weeks(**weights))
        assert tightens(scenario, find_candidates(scenario)) is expected, weights
    scenario = parse_scenario(_two_weeks(fairness=1))
    monkeypatch.setattr(compact_lp, "TIGHT_UP_TO", 0)
    assert not tightens(scenario, find_candidates(scenario))


def test_pdlp_stopped_at_any_time_still_bounds_and_nears_the_lp_optimum() -> None:
    """PDLP's duals at its deadline give a bound (weak duality): never below
    the exact LP's optimum (GLOP's), and close to it after a few seconds."""
    scenario = parse_scenario(generate("P", 1))
    candidates = find_candidates(scenario)
    optimum = compact_relaxation(scenario, candidates, 30.0, tight=True)
    assert optimum is not None
    early = compact_relaxation(scenario, candidates, 0.5, tight=True, pdlp=True)
    later = compact_relaxation(scenario, candidates, 4.0, tight=True, pdlp=True)
    assert later is not None
    for found in (early, later):
        if found is not None:
            assert found.bound >= optimum.bound - 1e-6 * abs(optimum.bound)
    assert later.bound <= optimum.bound * 1.005
