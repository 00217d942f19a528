"""Fewest people (`volunteer_used` < 0): the flow bound's busiest-instant
charge and the descent (`solver/descent.py`).

The scenario: two sessions at 9-10 and one each at 10-11 and 11-12, each
needing one person, three people who can do all of them, covering worth 100
and each person used costing 1. Two sessions run at once at 9, so at least
two people: one does 9-10, 10-11 and 11-12, another the second 9-10.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from solver.descent import descend
from solver.flow_bound import busiest_sessions, flow_bound
from solver.model import ModelData, build_model, find_candidates
from solver.parse import parse_scenario
from solver.phases import Phases
from solver.scenario import Assignment, Plan
from solver.score import compute_score
from solver.solve import solve
from solver.validator import validate
from tests.solver.helpers import at, minimal_scenario, role, session, volunteer
from tests.solver.test_properties import brute_force_optimum, scenarios

COVER = 100.0
WEIGHTS = {
    "cover_min": COVER, "cover_extra": 0, "interest": 0, "preferred": 0, "travel_km": 0,
    "fairness": 0, "volunteer_used": -1, "continuity": 0, "stability": 0,
}  # fmt: skip
TIMES = {"a": ("09:00", "10:00"), "b": ("09:00", "10:00"), "c": ("10:00", "11:00"), "d": ("11:00", "12:00")}
OPTIMUM = 4 * COVER - 2


def fewest_people_doc() -> dict[str, Any]:
    sessions = [
        session(sid, start=at(start), end=at(end), place=None, roles=[role("host", min=1, max=1)])
        for sid, (start, end) in TIMES.items()
    ]
    return minimal_scenario(
        sessions=sessions, volunteers=[volunteer(v) for v in ("v1", "v2", "v3")], weights=WEIGHTS
    )


def test_the_busiest_instant_is_where_two_sessions_run():
    scenario = parse_scenario(fewest_people_doc())
    assert busiest_sessions(scenario, find_candidates(scenario)) == {"a", "b"}


def test_the_flow_bound_counts_the_people_at_the_busiest_instant():
    """Charged per unit of work (each person can do 3 sessions) the flow
    allowed 4/3 people; at the busiest instant it needs 2, the optimum,
    and whole weights are no longer rounded up a unit on every arc."""
    scenario = parse_scenario(fewest_people_doc())
    bound = flow_bound(scenario, find_candidates(scenario))
    assert bound is not None
    assert OPTIMUM <= bound <= OPTIMUM + 0.011


def test_solve_proves_two_people():
    doc = fewest_people_doc()
    result = solve(doc, time_limit=5.0, workers=1)
    assert validate(doc, result) == []
    assert result["status"] == "optimal"
    assert result["score"] == pytest.approx(OPTIMUM)
    assert len({a["volunteer"] for a in result["assignments"]}) == 2


def test_descent_drops_a_person_then_proves_it_can_do_no_better():
    doc = fewest_people_doc()
    scenario = parse_scenario(doc)
    candidates = find_candidates(scenario)
    built = build_model(ModelData.restricted(scenario, candidates, [s.id for s in scenario.sessions]))
    # everything covered by three people
    three = Plan(
        schedule={sid: 0 for sid in TIMES},
        assignments=(
            Assignment("v1", "a", "host"), Assignment("v2", "b", "host"),
            Assignment("v3", "c", "host"), Assignment("v3", "d", "host"),
        ),
    )
    assert compute_score(scenario, three) == OPTIMUM - 1
    found = descend(built, three, time.monotonic() + 10.0, 1, 0, Phases())
    assert compute_score(scenario, found.plan) == pytest.approx(OPTIMUM)
    assert found.steps == 1
    # one person fewer again is impossible: proven, and the bound holds the optimum
    assert found.bound is not None
    assert OPTIMUM <= found.bound < OPTIMUM + 1


def test_descent_stops_at_a_known_bound_without_solving():
    scenario = parse_scenario(fewest_people_doc())
    built = build_model(
        ModelData.restricted(scenario, find_candidates(scenario), [s.id for s in scenario.sessions])
    )
    best = Plan(
        schedule={sid: 0 for sid in TIMES},
        assignments=(
            Assignment("v1", "a", "host"), Assignment("v1", "c", "host"),
            Assignment("v1", "d", "host"), Assignment("v2", "b", "host"),
        ),
    )
    found = descend(built, best, time.monotonic() + 10.0, 1, 0, Phases(), ceiling=OPTIMUM + 0.01)
    assert found.plan is best and found.steps == 0 and found.bound is None
    assert built.model.has_objective()  # left as it was: no target was asked for


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(scenarios(volunteers=3, sessions=3, roles=2).filter(lambda d: d["weights"]["volunteer_used"] < 0))
def test_the_flow_bound_with_fewest_people_holds_the_brute_force_optimum(doc: dict[str, Any]) -> None:
    """Both flows (per unit of work and at the busiest instant) never cut
    below the best plan, on tiny generated scenarios solved by brute force
    (open sessions, fixed and previous assignments, weekly limits)."""
    scenario = parse_scenario(doc)
    optimum = brute_force_optimum(scenario)
    bound = flow_bound(scenario, find_candidates(scenario))
    if optimum is not None and bound is not None:
        assert bound >= optimum - 1e-6 * max(1.0, abs(optimum))
