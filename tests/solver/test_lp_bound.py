"""The LP relaxation bound and the search on its support (large parts).

The bound must hold for the exact score: it is checked against the brute-force
optimum of tiny random scenarios, with and without the fairness lines, and the
Lagrangian evaluation against multipliers that are plainly wrong. The LP path
of `solve` (normally only for parts above LARGE_MODEL triples) is switched on
for small scenarios by lowering that threshold: its plans must validate, beat
greedy, and its bound must not cut off the optimum.
"""

from __future__ import annotations

import importlib
import math
import time
from typing import Any

import numpy as np
import pytest
from hypothesis import given

from bench.generate import generate
from solver.compact_lp import compact_relaxation
from solver.flow_bound import flow_bound
from solver.greedy import greedy_plan
from solver.model import ModelData, build_model, find_candidates
from solver.model.lp_bound import _lagrangian_bound, _relaxation_rows, solve_relaxation
from solver.model.terms import fairness
from solver.parse import parse_scenario
from solver.score import compute_score
from solver.solve import greedy, solve
from solver.validator import validate
from tests.solver import helpers
from tests.solver.test_properties import SETTINGS, brute_force_optimum, scenarios

# the module, not the function `solver.solve` that the package exports
solve_module = importlib.import_module("solver.solve")


def _lp_score_bound(doc: dict[str, Any], skip_fairness: bool) -> float | None:
    sc = parse_scenario(doc)
    built = build_model(ModelData.whole(sc, find_candidates(sc)))
    skip = [built.term_constraints["fairness"]] if skip_fairness else []
    relaxation = solve_relaxation(
        built.model.proto, built.objective, 10.0, skip=skip, keep_named={fairness.FLOOR}
    )
    if relaxation is None:
        return None
    return built.objective.to_score(relaxation.bound) + built.objective.error


@SETTINGS
@given(scenarios(volunteers=3, sessions=3, roles=2))
def test_the_lp_bound_is_never_below_the_brute_force_optimum(doc: dict[str, Any]) -> None:
    optimum = brute_force_optimum(parse_scenario(doc))
    if optimum is None:
        return  # infeasible: no bound to check
    for skip_fairness in (False, True):
        bound = _lp_score_bound(doc, skip_fairness)
        assert bound is not None
        assert bound >= optimum - 1e-6 * max(1.0, abs(optimum))


def test_the_lp_bound_is_tighter_than_the_trivial_one_on_a_generated_scenario() -> None:
    sc = parse_scenario(generate("S", 1))
    built = build_model(ModelData.whole(sc, find_candidates(sc)))
    relaxation = solve_relaxation(built.model.proto, built.objective, 20.0)
    assert relaxation is not None and relaxation.optimal
    score = compute_score(sc, greedy_plan(sc))
    bound = built.objective.to_score(relaxation.bound) + built.objective.error
    trivial = built.objective.to_score(built.objective.trivial_bound)
    assert score <= bound < trivial


def test_any_multipliers_give_a_valid_bound() -> None:
    """Weak duality does not depend on GLOP: random and negated multipliers
    (wrong signs included) still bound the integer optimum from above."""
    sc = parse_scenario(generate("S", 2))
    built = build_model(ModelData.whole(sc, find_candidates(sc)))
    rows = _relaxation_rows(built.model.proto, [])
    n = len(built.model.proto.variables)
    cost = np.zeros(n)
    for var, coef in zip(built.objective.variables, built.objective.coefficients, strict=True):
        cost[var.index] += coef
    lower = np.zeros(n)
    upper = np.array([max(v.domain) for v in built.model.proto.variables], dtype=float)
    # the greedy plan's integer objective: a value every bound must reach
    built.vars.hint(built.model, greedy_plan(sc))
    values = np.zeros(n)
    hint = built.model.proto.solution_hint
    for var, value in zip(hint.vars, hint.values, strict=True):
        values[var] = value
    achieved = float(cost @ values)
    rng = np.random.default_rng(7)
    for _ in range(5):
        duals = rng.normal(scale=2000.0, size=len(rows.lo))
        bound, _ = _lagrangian_bound(rows, cost, lower, upper, duals)
        assert bound >= achieved
    zero, _ = _lagrangian_bound(rows, cost, lower, upper, np.zeros(len(rows.lo)))
    assert zero >= achieved


@pytest.fixture
def lp_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every part goes through the LP relaxation and its narrowed models."""
    monkeypatch.setattr(solve_module, "LARGE_MODEL", 0)


@SETTINGS
@given(doc=scenarios(volunteers=3, sessions=3, roles=2))
def test_the_lp_path_reaches_the_optimum_of_tiny_scenarios(doc: dict[str, Any]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solve_module, "LARGE_MODEL", 0)
        result = solve(doc, time_limit=5.0, workers=1)
    optimum = brute_force_optimum(parse_scenario(doc))
    if optimum is None:
        assert result["status"] == "infeasible", __import__("json").dumps(doc)
        return
    assert validate(doc, result) == []
    assert result["score"] == pytest.approx(optimum, rel=1e-6, abs=1e-6)
    assert result["bound"] >= optimum - 1e-6 * max(1.0, abs(optimum))


@pytest.mark.parametrize("seed", [1, 2])
def test_the_lp_path_on_a_generated_scenario_validates_and_beats_greedy(
    lp_path: None, seed: int
) -> None:
    doc = generate("S", seed)
    result = solve(doc, time_limit=8.0, workers=2, seed=seed)
    baseline = greedy(doc)
    assert validate(doc, result) == []
    assert result["score"] >= baseline["score"] - 1e-6 * abs(baseline["score"])
    assert result["bound"] >= result["score"]


# -- cuts that tighten the relaxation ------------------------------------------------


def _session(sid: str, day: str, start: str, end: str) -> dict[str, Any]:
    return helpers.session(sid, start=helpers.at(start, day), end=helpers.at(end, day))


def test_the_hour_limit_caps_the_session_count_in_the_lp() -> None:
    """4 h a week and three 2.5 h sessions: only one fits. Without the count
    cut the LP could take 1.6 sessions; with it, the bound is one session."""
    days = ["2026-12-07", "2026-12-08", "2026-12-09"]
    doc = helpers.minimal_scenario(
        volunteers=[helpers.volunteer("v1", max_hours_per_week=4)],
        sessions=[_session(f"s{i}", d, "17:00", "19:30") for i, d in enumerate(days)],
        weights={"cover_min": 1000, "cover_extra": 0, "interest": 0, "preferred": 0,
                 "travel_km": 0, "fairness": 0, "continuity": 0},
    )
    bound = _lp_score_bound(doc, skip_fairness=False)
    assert bound is not None and bound == pytest.approx(1000.0, abs=1e-3)
    result = solve(doc, time_limit=5.0, workers=1)
    assert result["status"] == "optimal" and result["score"] == pytest.approx(1000.0)


def test_the_count_cut_lets_sessions_that_fill_the_hours_exactly() -> None:
    days = ["2026-12-07", "2026-12-08"]
    doc = helpers.minimal_scenario(
        volunteers=[helpers.volunteer("v1", max_hours_per_week=5)],
        sessions=[_session(f"s{i}", d, "17:00", "19:30") for i, d in enumerate(days)],
    )
    result = solve(doc, time_limit=5.0, workers=1)
    assert validate(doc, result) == [] and len(result["assignments"]) == 2


def test_the_fairness_floor_keeps_the_lp_from_spreading_hours() -> None:
    """Two volunteers, one 2 h session each could take: any plan that staffs
    it pays 2² = 4 in fairness. Without the floor an LP half-assigns both
    and pays 2·1² = 2."""
    doc = helpers.minimal_scenario(
        volunteers=[helpers.volunteer("v1"), helpers.volunteer("v2")],
        sessions=[_session("s1", "2026-12-07", "17:00", "19:00"),
                  _session("s2", "2026-12-08", "17:00", "19:00")],
        weights={"cover_min": 100, "cover_extra": 0, "interest": 0, "preferred": 0,
                 "travel_km": 0, "fairness": 1, "continuity": 0},
    )
    optimum = brute_force_optimum(parse_scenario(doc))
    assert optimum == pytest.approx(200.0 - 8.0)
    bound = _lp_score_bound(doc, skip_fairness=True)  # the floor stays in
    assert bound is not None and bound == pytest.approx(optimum, abs=1e-3)


# -- parts too large to build whole --------------------------------------------------


def test_huge_parts_are_searched_on_the_compact_lps_support(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Parts above LARGE_MODEL: the compact LP arrives beside the search,
    the plan comes from its support and the bound is the LP's, tighter
    than the min-cost flow's."""
    monkeypatch.setattr(solve_module, "LARGE_MODEL", 0)
    doc = generate("S", 3)
    result = solve(doc, time_limit=5.0, workers=2, seed=3)
    baseline = greedy(doc)
    assert validate(doc, result) == []
    assert result["score"] >= baseline["score"] - 1e-6 * abs(baseline["score"])
    scenario = parse_scenario(doc)
    candidates = find_candidates(scenario)
    relaxation = compact_relaxation(scenario, candidates, 5.0)
    flow = flow_bound(scenario, candidates)
    assert relaxation is not None and flow is not None
    assert result["score"] - 1e-6 <= result["bound"] <= relaxation.bound + 1e-6
    assert relaxation.bound < flow


@pytest.mark.slow
@pytest.mark.parametrize("first", [False, True], ids=["after-the-per-session-lp", "first"])
def test_with_time_for_it_the_exact_lp_gives_the_bound(
    monkeypatch: pytest.MonkeyPatch, first: bool
) -> None:
    """With time for it, the exact LP is solved first, or when the time is
    short for that, after the per-session one (whose support is searched
    meanwhile). Either way the result states the exact one's bound, lower
    than the per-session one's, and the plan stays valid and above greedy.
    (400 volunteers, 240 sessions: not proven optimal before it is in.)"""
    monkeypatch.setattr(solve_module, "LARGE_MODEL", 0)
    if first:
        monkeypatch.setattr(solve_module, "EXACT_FIRST_PER_TRIPLE", 0.0)
    else:
        monkeypatch.setattr(solve_module, "EXACT_FIRST_PER_TRIPLE", math.inf)
        monkeypatch.setattr(solve_module, "EXACT_LP_ROOM", 0.0)  # always time for it
        monkeypatch.setattr(solve_module, "EXACT_PDLP_SHARE", 0.9)
    doc = generate("P", 1)
    scenario = parse_scenario(doc)
    candidates = find_candidates(scenario)
    loose = compact_relaxation(scenario, candidates, 10.0, tight=False)
    exact = compact_relaxation(scenario, candidates, 10.0, tight=True)
    assert loose is not None and exact is not None and exact.bound < loose.bound - 1.0
    result = solve(doc, time_limit=10.0, workers=2, seed=1)
    baseline = greedy(doc)
    assert validate(doc, result) == []
    assert result["score"] >= baseline["score"] - 1e-6 * abs(baseline["score"])
    assert result["score"] - 1e-6 <= result["bound"]
    if first:  # GLOP, to optimality
        assert result["bound"] <= exact.bound + 1e-6 * abs(exact.bound)
    else:  # PDLP for the time it has (on a busy machine not to the optimum;
        # CP-SAT's own bound on the narrowed model may go below the LP's)
        assert result["bound"] < loose.bound - 1.0


def test_when_the_lp_does_not_finish_narrowed_models_still_beat_greedy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(solve_module, "LARGE_MODEL", 0)
    monkeypatch.setattr(solve_module, "COMPACT_SHARE", 0.0)  # no time at all for GLOP
    doc = generate("S", 1)
    result = solve(doc, time_limit=5.0, workers=2, seed=1)
    baseline = greedy(doc)
    assert validate(doc, result) == []
    assert result["score"] >= baseline["score"] - 1e-6 * abs(baseline["score"])
    # the min-cost flow's bound, or the narrowed model's once it grew whole
    scenario = parse_scenario(doc)
    flow = flow_bound(scenario, find_candidates(scenario))
    assert flow is not None and result["score"] <= result["bound"] <= flow + 1e-6


def test_an_lp_that_arrives_with_the_time_nearly_up_still_gives_its_rounded_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The LP comes 0.1 s before the part's deadline (a slow or busy
    machine), too late for any search round: its rounding on greedy's
    schedule, checked by the validator, is the answer, not greedy's plan
    (which it was before `_Run.unchecked`: S seed 3 at 49,331 against 50,456)."""
    monkeypatch.setattr(solve_module, "LARGE_MODEL", 0)
    monkeypatch.setattr(solve_module, "COMPACT_HEAD_START", 1.0)  # no narrowed search first
    real = solve_module.compact_relaxation_by_week

    def late(scenario, candidates, time_limit, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        relaxation = real(scenario, candidates, time_limit, *args, **kwargs)
        part_deadline = started + time_limit / solve_module.COMPACT_SHARE
        time.sleep(max(0.0, part_deadline - 0.1 - time.monotonic()))
        return relaxation

    monkeypatch.setattr(solve_module, "compact_relaxation_by_week", late)
    doc = generate("S", 3)
    result = solve(doc, time_limit=5.0, workers=2, seed=1)
    baseline = greedy(doc)
    assert validate(doc, result) == []
    assert result["score"] > baseline["score"] * 1.01
    assert result["score"] <= result["bound"] + 1e-6


# -- the OR-Tools versions the project declares ----------------------------------------


def test_the_relaxation_reads_protobuf_models_as_older_or_tools_hands_them_out() -> None:
    """OR-Tools up to 9.14 gives `CpModel.proto` as a protobuf message (no
    `has_linear()`); the relaxation reads both that and 9.15's wrapper."""
    from ortools.sat import cp_model_pb2

    proto = cp_model_pb2.CpModelProto()
    for _ in range(2):
        proto.variables.add().domain.extend([0, 1])
    linear = proto.constraints.add().linear
    linear.vars.extend([0, 1])
    linear.coeffs.extend([2, 3])
    linear.domain.extend([0, 4])
    proto.constraints.add().at_most_one.literals.extend([0, -2])  # x0 + (1 - x1) <= 1
    rows = _relaxation_rows(proto, skip=[])
    assert rows.indices == [0, 1, 0, 1]
    assert rows.coefs == [2.0, 3.0, 1.0, -1.0]
    assert (rows.lo[0], rows.hi[0]) == (0.0, 4.0)
    assert rows.hi[1] == 0.0
