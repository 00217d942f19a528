"""Each score term moves the plan the way its weight says, and the model's
objective is the exact score of §4 (up to its stated rounding error)."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

from solver.model import ModelData, build_model, find_candidates
from solver.model.objective import Terms, scale
from solver.parse import parse_scenario
from solver.scenario import Plan
from solver.score import compute_score
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

#: everything off; each test turns on what it looks at
ZERO = {name: 0 for name in ("cover_min", "cover_extra", "interest", "preferred", "travel_km",
                             "fairness", "volunteer_used", "continuity", "stability")}


def best(doc: dict[str, Any], **weights: float) -> Plan:
    """The optimal plan under all rules and these weights (the rest 0); checks
    that the model's objective is the exact score of that plan."""
    doc = {**doc, "weights": {**ZERO, **weights}}
    scenario = parse_scenario(doc)
    built = build_model(ModelData.whole(scenario, find_candidates(scenario)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(built.model) == cp_model.OPTIMAL
    plan = built.vars.extract(solver.boolean_value)
    model_score = built.objective.to_score(solver.objective_value)
    assert compute_score(scenario, plan) == pytest.approx(model_score, abs=built.objective.error + 1e-9)
    return plan


def people(plan: Plan) -> set[str]:
    return {a.volunteer for a in plan.assignments}


TWO = [volunteer("v1"), volunteer("v2")]
TWO_EVENINGS = [session("s1", start=at("17:00", "2026-12-08"), end=at("19:00", "2026-12-08")),
                session("s2", start=at("17:00", "2026-12-09"), end=at("19:00", "2026-12-09"))]


def test_cover_min_staffs_what_it_can() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", lat=59.0, lon=9.0)])
    assert best(doc, cover_min=1000, travel_km=2).assignments  # ~70 km costs 140 < 1000
    assert not best(doc, cover_min=100, travel_km=2).assignments


def test_cover_extra_fills_up_to_max_only_when_weighted() -> None:
    doc = minimal_scenario(volunteers=TWO, sessions=[session("s1", roles=[role("host", min=1, max=2)])])
    assert len(best(doc, cover_min=1000, cover_extra=50, fairness=1).assignments) == 2
    assert len(best(doc, cover_min=1000, cover_extra=0, fairness=1).assignments) == 1


def test_cover_extra_above_cover_min_is_exact() -> None:
    doc = minimal_scenario(volunteers=[volunteer(f"v{i}") for i in range(3)],
                           sessions=[session("s1", roles=[role("host", min=2, max=3)])])
    assert len(best(doc, cover_min=10, cover_extra=50).assignments) == 3
    assert len(best(doc, cover_min=10, cover_extra=-20).assignments) == 2


def test_interest_picks_who_cares() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2", interests=["walks"])],
                           activities=[activity("a1", interests=["walks", "coffee"])])
    assert people(best(doc, cover_min=1000, interest=20)) == {"v2"}
    assert people(best(doc, cover_min=1000, interest=-20)) == {"v1"}


def test_preferred_picks_who_asked() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", preferred_activities=["a1"]), volunteer("v2")])
    assert people(best(doc, cover_min=1000, preferred=30)) == {"v1"}
    assert people(best(doc, cover_min=1000, preferred=-30)) == {"v2"}


def test_travel_picks_the_nearer_volunteer_and_place() -> None:
    near, far = volunteer("v1", lat=58.46, lon=8.77), volunteer("v2", lat=58.6, lon=8.9)
    doc = minimal_scenario(volunteers=[far, near])
    assert people(best(doc, cover_min=1000, travel_km=2)) == {"v1"}
    open_doc = minimal_scenario(
        volunteers=[far], fixed=[assignment("v2", "s1")],
        places=[place("p1", lat=58.46, lon=8.77), place("p2", lat=58.6, lon=8.9)],
        sessions=[session("s1", options=[option(at("17:00"), at("19:00"), "p1"),
                                         option(at("17:00"), at("19:00"), "p2")])],
    )
    assert best(open_doc, travel_km=2).schedule == {"s1": 1}


def test_fairness_spreads_and_continuity_gathers() -> None:
    doc = minimal_scenario(volunteers=TWO, sessions=TWO_EVENINGS)
    assert people(best(doc, cover_min=1000, fairness=1, continuity=1)) == {"v1", "v2"}
    assert len(people(best(doc, cover_min=1000, fairness=1, continuity=10))) == 1


def test_fairness_is_exact_for_odd_lengths() -> None:
    sessions = [session("s1", start=at("10:00"), end=at("11:30")),
                session("s2", start=at("12:00"), end=at("14:15")),
                session("s3", start=at("15:00"), end=at("15:45"))]
    doc = minimal_scenario(volunteers=TWO, sessions=sessions)
    plan = best(doc, cover_min=1000, fairness=7)  # best() checks the objective is exact
    assert len(plan.assignments) == 3 and len(people(plan)) == 2


def test_volunteer_used_involves_more_or_fewer_people() -> None:
    sessions = [session(f"s{d}", start=at("17:00", f"2026-12-0{d}"), end=at("19:00", f"2026-12-0{d}"))
                for d in (7, 8, 9)]
    doc = minimal_scenario(volunteers=[volunteer(f"v{i}") for i in range(3)], sessions=sessions)
    assert len(people(best(doc, cover_min=1000, volunteer_used=-100))) == 1
    assert len(people(best(doc, cover_min=1000, volunteer_used=100, continuity=10))) == 3


def test_stability_keeps_the_previous_plan() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2", interests=["x"])],
                           activities=[activity("a1", interests=["x"])],
                           previous=[assignment("v1", "s1")])
    assert people(best(doc, cover_min=1000, interest=20, stability=0)) == {"v2"}
    assert people(best(doc, cover_min=1000, interest=20, stability=200)) == {"v1"}


def test_stability_of_a_previous_that_can_no_longer_be_kept_is_a_constant() -> None:
    doc = minimal_scenario(volunteers=TWO, previous=[assignment("v1", "s1")],
                           forbidden=[{"volunteer": "v1", "session": "s1"}])
    assert people(best(doc, cover_min=1000, stability=200)) == {"v2"}


def test_option_penalty_picks_the_cheaper_option() -> None:
    def doc(first: float, second: float) -> dict[str, Any]:
        return minimal_scenario(sessions=[session("s1", options=[
            option(at("10:00"), at("12:00"), penalty=first),
            option(at("17:00"), at("19:00"), penalty=second)])])
    assert best(doc(5, 1), cover_min=1000).schedule == {"s1": 1}
    assert best(doc(1, 5), cover_min=1000).schedule == {"s1": 0}


def test_scaling_error_bounds_the_rounding() -> None:
    model = cp_model.CpModel()
    a, b = model.new_bool_var("a"), model.new_int_var(0, 10, "b")
    terms = Terms()
    terms.add(a, 1 / 3)
    terms.add(b, 2.0000001, 10)
    scaled = scale(terms)
    for va in (0, 1):
        for vb in range(11):
            exact = va / 3 + vb * 2.0000001
            approx = (scaled.coefficients[0] * va + scaled.coefficients[1] * vb) / scaled.factor
            assert abs(exact - approx) <= scaled.error
