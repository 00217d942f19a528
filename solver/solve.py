"""The solve entry points: `solve(doc)` (CP-SAT) and `greedy(doc)`.

solve: parse -> conflicts seen before solving -> candidate triples ->
independent parts -> hint -> CP-SAT per part (the time budget shared out by
size) -> one result. The time limit covers the whole call: CP-SAT only gets
what is left after parsing and model building. When time runs out a part keeps
the best plan CP-SAT found for it, or the hint's (greedy) plan when it found
none: a result always has a plan unless the scenario is infeasible.

How a part is solved depends on its size in candidate triples:
- up to LARGE_MODEL: CP-SAT on the whole model (small: optimal in moments);
- beyond: a thread solves the part's compact LP relaxation (`compact_lp.py`:
  the triples alone, with the overlaps, weekly limits and cover; seconds on
  M, where the whole model's LP took 10-30 s and on 2 cores never arrived
  beside the search); when it is late, CP-SAT starts on models narrowed to
  the hint's and a min-cost flow's triples (`flow_guide.py`), growing by
  the least contested candidates of each role (`_solve_least_contested`).
  When the LP arrives it gives the bound, and the search moves to the model
  narrowed to the triples the LP uses, growing by reduced cost
  (`_solve_on_compact_support`). The LP is the exact one (fairness and
  continuity priced as plans pay them) when the time allows, else the
  per-session one, faster, which the exact one may follow beside the
  search. A late LP costs the bound and most of the gain over greedy,
  never the plan's validity (`_solve_large`).

When the scenario has a previous plan that scores better than greedy's and
the search never got past it, that plan is the answer if the validator
finds it keeps every hard rule (a repair short of time keeps everyone).
A repair (repair weights, `repair.is_repair`) whose previous plan, refilled
greedily, keeps every hard rule has that plan as its greedy baseline
(`repair.repair_baseline`, also what `greedy` returns) and never makes
greedy's plan over the whole scenario. A large one then solves the
keep-and-fill model (`repair.py`): everyone planned stays, the declined
slots are refilled by people still free; when CP-SAT proves that model
optimal the solve ends there (0.8-1.1 s on M at load 3-4), otherwise the
usual search gets the rest of the time if REPAIR_REST of it is left,
hinted with its plan. Python's cyclic collector is paused meanwhile
(`_PausedCollector`).

Every scenario above LARGE_MODEL triples gets a proven bound from one
min-cost flow (`flow_bound.py`, about a second on M), so L and XL state a
bound and a gap too; the result's bound is the smaller of it and the
parts' own (the LP's, where it arrived).

When `volunteer_used` is negative (fewest people), each part's search
stops at 1 - DESCENT_SHARE of its time, or sooner when it has found
nothing better for STALL_SHARE of it, and the descent (`descent.py`)
asks, on the part's whole model, for a plan one person better at a time
(a satisfaction problem), up to the flow bound, which then also counts the
people at the busiest instant and is computed at every size.

The result's `solver.phases` says where the time went (`phases.py`).
"""

from __future__ import annotations

import gc
import math
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from .background import InBackground, Interrupt
from .compact_lp import CompactRelaxation, compact_relaxation_by_week, rounded_plan, tightens
from .decompose import components, packed_components
from .descent import descend
from .flow_bound import flow_bound
from .flow_guide import flow_support
from .greedy import greedy_plan
from .model import BuiltModel, ModelData, build_model, find_candidates
from .model.candidates import Candidates
from .model.conflicts import find_conflicts
from .parse import parse_scenario
from .phases import Phases, timed_solve
from .repair import Baseline, fill_greedily, is_repair, keep_and_fill, place_full, repair_baseline
from .result import build_failure_result, build_result, plan_problems
from .scenario import Assignment, Plan, Scenario
from .score import compute_score

#: relative distance between score and bound under which a bound below the
#: score is taken for float noise (the format's own tolerance for scores)
OPTIMAL_TOLERANCE = 1e-6
#: "optimal" needs a far tighter fit: on scores of 10^7 (SMPTSP: 100000 per
#: task) a relative 1e-6 would hide whole volunteers. Float noise in summing
#: such scores stays below 1e-9 relative; the objective's rounding error is
#: added on top (`_Run.rounding_margin`).
PROOF_RELATIVE = 1e-9
PROOF_ABSOLUTE = 1e-5
#: time kept back for writing the result, as a share of the limit (+ a floor)
RESERVE_SHARE = 0.03
RESERVE_SECONDS = 0.05

#: models with more candidate triples than this skip presolve probing and are
#: searched on the support of their compact LP relaxation
LARGE_MODEL = 20_000
#: LP values above this put a triple in the narrowed model
LP_SUPPORT = 1e-6
#: share of a large part's time the compact LP (`compact_lp.py`) may take;
#: what is left after it goes to the search on its support (a late LP is
#: still worth having: its rounded solution alone beats the narrowed search)
COMPACT_SHARE = 0.8
#: share of a large part's time the search waits for the compact LP before
#: it starts on narrowed models beside it. The LP decides the plan: its
#: rounded plan alone is 1.07 x greedy on M, the narrowed search without it
#: 1.01 x after 5 s and 1.04 x after 18 s. Beside that search (Python model
#: building holding the GIL, one core less) the LP took 7 s instead of 5,
#: and at 0.25 it came after the 10 s limit (bench.cliff: 1.00 x greedy)
COMPACT_HEAD_START = 0.5
#: the exact compact LP (fairness and continuity priced as plans pay them,
#: `compact_lp.tightens`) follows the per-session one when the time left
#: after that one is at least this many times what it took: alone the exact
#: one takes 2-3.5 times as long (M seeds 1-3: 11-16 s against 4.5 s), beside
#: the search ~4 times. Solving it first left the search at 10-20 s (or on a
#: busy machine) without any LP, at 1.00-1.01 x greedy
EXACT_LP_ROOM = 3.0
#: the exact LP after the per-session one is solved by PDLP (anytime:
#: `compact_lp.PDLP_SETTINGS`) for this share of the time left; GLOP took
#: 12-17 s for it beside the search on M seeds 2 and 3 and came too late in
#: 30 s. At most 3 times the per-session LP's time, PDLP's bound was short
#: of the exact one on seeds 11 and 12 (0.31% each)
EXACT_PDLP_SHARE = 0.6
#: seconds of time limit (over the machine's share, `_machine_share`) per
#: candidate triple from which the exact compact LP is solved first, in
#: place of the per-session one: alone it takes 1.5-2.4e-4 s per triple
#: (M seeds 1-3: 9-14 s of GLOP for 60,000-65,000) and so arrives within
#: the first half of such a limit. At 2.5e-4 M seed 3 solved it first in
#: 30 s, it came at 24 s, and the plan was 2.3% from its bound (0.45% with
#: the per-session LP first)
EXACT_FIRST_PER_TRIPLE = 5e-4
#: seconds a search round on a narrowed model needs at least to be started
ROUND_AT_LEAST = 0.2
#: candidates per wanted person that such a narrowed model keeps (beside
#: the hint's and the min-cost flow's, `flow_guide.py`)
CONTESTED_PER_SLOT = 1
#: how much the narrowed model grows each round
GROWTH = 3
#: repairs of scenarios with more candidate triples than this first solve
#: the keep-and-fill model (`repair.py`); smaller ones are proven optimal on
#: the whole model in moments
REPAIR_MODEL = LARGE_MODEL
#: share of the time a repair's keep-and-fill model may take (`repair.py`);
#: when it is not proven optimal by then, the usual search gets the rest
#: if that is at least REPAIR_REST of the limit (0.4 until the steps before
#: the model, at load 4, left it too little time to find a plan on M)
REPAIR_SHARE = 0.6
REPAIR_REST = 0.55
#: the flow bound (`flow_bound.py`) is computed when the time left is at
#: least this many seconds per candidate triple, over the machine's share
#: (M: 61,000 triples in about a second on a quiet machine; 5 s at load 10)
FLOW_SECONDS_PER_TRIPLE = 3e-5
#: share of a part's time that `descent.py` gets when `volunteer_used` < 0
#: (fewest people), after the usual search (0.5 and 0.6 gave data_97 301-302
#: in single runs: one step takes it 25-30 s at load 3-4)
DESCENT_SHARE = 0.6
#: with the descent to come, a search that has found nothing better for this
#: share of the part's time stops and leaves the rest to it (SMPTSP data_85:
#: the narrowed search had 181 workers at 5 s and nothing more until 25 s;
#: the descent's feasibility jump then needs 10-25 s for 180). At 0.1
#: data_115 ended at 179 (177, proven, without); at 0.15 and 0.2 it is
#: 177; data_114 loses one worker (141 against 140) at any of them
STALL_SHARE = 0.15
STALL_POLL_SECONDS = 0.1
#: seconds per candidate triple that building a part's whole model for the
#: descent takes (over the machine's share; SMPTSP data_97, 113,000
#: triples: 4 s at load 3-4)
DESCENT_BUILD_PER_TRIPLE = 4e-5

Progress = Callable[[dict[str, Any]], None]
#: a narrowed search's answer: only the whole model can decide this part
WHOLE = "whole"


def solve(
    doc: dict[str, Any],
    *,
    time_limit: float = 10.0,
    workers: int | None = None,
    seed: int = 0,
    progress: Progress | None = None,
    decompose: bool = True,
) -> dict[str, Any]:
    """Solve a `medsam-scenario/1` document; a `medsam-result/1` document back.
    Raises ScenarioError for bad input. `decompose=False` solves the whole
    scenario as one model (for comparison)."""
    collector = _PausedCollector(isinstance(doc, dict) and bool(doc.get("previous")))
    try:
        return _solve(doc, time_limit, workers, seed, progress, decompose, collector)
    finally:
        collector.resume()


class _PausedCollector:
    """Python's cyclic garbage collector paused while a repair runs up to
    the usual search. A repair makes some 300,000 short-lived objects (the
    candidates above all), which reference counting frees; the collector's
    full passes over the process's heap meanwhile took 0.1-0.37 s of a 1 s
    repair on M (more the more the process holds: a web worker, the
    benchmark after its base solve). Never for the usual search, which may
    run for minutes beside a thread."""

    def __init__(self, pause: bool) -> None:
        self.paused = pause and gc.isenabled()
        if self.paused:
            gc.disable()

    def resume(self) -> None:
        if self.paused:
            gc.enable()
            self.paused = False


def _solve(
    doc: dict[str, Any], time_limit: float, workers: int | None, seed: int,
    progress: Progress | None, decompose: bool, collector: _PausedCollector,
) -> dict[str, Any]:
    started = time.monotonic()
    phases = Phases()
    with phases.timing("parse"):
        scenario = parse_scenario(doc)
    if not is_repair(scenario):
        collector.resume()
    workers = workers or os.cpu_count() or 1
    info: dict[str, Any] = {
        "name": "cp-sat", "seconds": 0.0, "time_limit": time_limit,
        "workers": workers, "seed": seed, "components": 0, "variables": 0,
    }
    with phases.timing("candidates"):
        conflicts = find_conflicts(scenario)
    if conflicts:
        return _failure(scenario, conflicts, info | {"phases": phases.as_dict()}, started)

    with phases.timing("candidates"):
        candidates = find_candidates(scenario)
        baseline = repair_baseline(doc, scenario, candidates)
    deadline = started + time_limit - max(RESERVE_SECONDS, RESERVE_SHARE * time_limit)
    kept_hint: Plan | None = None  # the previous plan, when a repair's plan replaced it as hint
    if baseline is not None:
        # a repair whose previous plan, refilled, keeps every hard rule: that
        # is its greedy baseline (`greedy`), and greedy's plan over the whole
        # scenario is never made
        fallback = hint = baseline.plan
        if len(candidates.triples) > REPAIR_MODEL:
            done = _repair_from_baseline(
                doc, scenario, candidates, baseline, started, deadline, workers, seed, info,
                phases, progress,
            )
            if isinstance(done, dict):
                return done
            hint = done
    else:
        with phases.timing("candidates"):
            fallback = greedy_plan(scenario)
            hint = _best_hint(scenario, candidates, fallback)
    if (
        baseline is None and hint is not fallback and is_repair(scenario)
        and len(candidates.triples) > REPAIR_MODEL
    ):
        repaired, ended = _repair(
            scenario, candidates, hint, started + REPAIR_SHARE * (deadline - started),
            workers, seed, phases,
        )
        info["repair"] = f"keep-and-fill {ended}"
        proven = ended == "optimal"
        if not proven:  # the plan at hand without CP-SAT, in case it does better
            with phases.timing("candidates"):
                filled = fill_greedily(scenario, candidates, hint)
            if repaired is None or compute_score(scenario, filled) > compute_score(scenario, repaired):
                repaired = filled
                info["repair"] += ", filled greedily"
        if repaired is not None and proven:
            score = compute_score(scenario, repaired)
            if score >= compute_score(scenario, hint):
                return _repaired(scenario, repaired, score, info, phases, progress, started)
        if repaired is not None and compute_score(scenario, repaired) > compute_score(scenario, hint):
            kept_hint, hint = hint, repaired
        if deadline - time.monotonic() < REPAIR_REST * (deadline - started):
            # too little time for the usual search to get anywhere (a busy
            # machine): the plan at hand if it keeps every hard rule (the
            # open sessions' options were guessed); if not, the search tries
            score = compute_score(scenario, hint)
            result = _result(scenario, hint, score, None, 0.0, info, phases)
            if score >= compute_score(scenario, fallback) and _keeps_the_rules(doc, result):
                result["solver"]["seconds"] = round(time.monotonic() - started, 3)
                return result
    collector.resume()
    with phases.timing("candidates"):
        parts = components(scenario, candidates)
        info["components"] = len(parts)
        groups = (
            packed_components(scenario, candidates, parts)
            if decompose else [[s.id for s in scenario.sessions]]
        )
    run = _Run(scenario, candidates, groups, fallback, hint, progress, started, phases)
    # with volunteer_used < 0 the flow bound counts the people at the busiest
    # instant, which models of any size need to prove such optima
    wants_flow = len(candidates.triples) > LARGE_MODEL or scenario.weights.volunteer_used < 0
    if wants_flow and deadline - time.monotonic() > (
        FLOW_SECONDS_PER_TRIPLE * len(candidates.triples) / _machine_share(workers)
    ):
        # a proven bound at any size, in about a second on M (`flow_bound.py`)
        with phases.timing("bound"):
            run.ceiling = flow_bound(scenario, candidates)
    for index in range(len(groups)):
        if time.monotonic() >= deadline:
            break  # the parts left keep the greedy plan, and no bound
        outcome = run.solve_part(index, deadline, workers, seed)
        if outcome == "infeasible":
            names = ", ".join(groups[index][:10])
            return _failure(scenario, [
                "no plan satisfies the fixed assignments, the sessions that must be held "
                f"and the places together (among sessions {names})"
            ], info | {"variables": run.variables, "phases": phases.as_dict()}, started)
    info["variables"] = run.variables
    plan = run.plan()
    score = compute_score(scenario, plan)
    fallback_score = compute_score(scenario, fallback)
    if fallback_score > score:  # a part stopped early below greedy's level
        plan, score = fallback, fallback_score
    bound = run.bound()
    margin = run.rounding_margin()
    for better in (hint, kept_hint, run.unchecked):
        if better is fallback or better is None:
            continue
        # the previous plan (or a repair's refill of it, or an LP's rounding)
        # scored better than greedy's; when time ran out before the search
        # got past it, it is the answer if it keeps every hard rule (declines
        # and changes may have broken it, a guessed schedule H10)
        hint_score = compute_score(scenario, better)
        if hint_score > score:
            result = _result(scenario, better, hint_score, bound, margin, info, phases)
            if _keeps_the_rules(doc, result):
                result["solver"]["seconds"] = round(time.monotonic() - started, 3)
                return result
    result = _result(scenario, plan, score, bound, margin, info, phases)
    result["solver"]["seconds"] = round(time.monotonic() - started, 3)
    return result


def _repair_from_baseline(
    doc: dict[str, Any], scenario: Scenario, candidates: Candidates, baseline: Baseline,
    started: float, deadline: float, workers: int, seed: int, info: dict[str, Any],
    phases: Phases, progress: Progress | None,
) -> dict[str, Any] | Plan:
    """A large repair with a baseline (`repair.repair_baseline`): the
    keep-and-fill model, hinted with the baseline. Its result when that model
    is proven optimal (and scores no less than the baseline), or when too
    little time is left for the usual search (the better of its plan and the
    baseline, of those keeping every hard rule); otherwise the hint for the
    usual search."""
    repaired, ended = _repair(
        scenario, candidates, baseline.kept, started + REPAIR_SHARE * (deadline - started),
        workers, seed, phases, start=baseline,
    )
    info["repair"] = f"keep-and-fill {ended}"
    floor = compute_score(scenario, baseline.plan)
    score = compute_score(scenario, repaired) if repaired is not None else -math.inf
    if repaired is not None and ended == "optimal" and score >= floor:
        return _repaired(scenario, repaired, score, info, phases, progress, started)
    hint = repaired if repaired is not None and score > floor else baseline.plan
    if deadline - time.monotonic() >= REPAIR_REST * (deadline - started):
        return hint
    # too little time for the usual search to get anywhere (a busy machine):
    # the plan at hand if it keeps every hard rule (the open sessions'
    # options were guessed), else the baseline
    if hint is not baseline.plan and plan_problems(doc, scenario, hint):
        hint = baseline.plan
    if hint is baseline.plan:
        info["repair"] += ", filled greedily"
    result = _result(scenario, hint, compute_score(scenario, hint), None, 0.0, info, phases)
    result["solver"]["seconds"] = round(time.monotonic() - started, 3)
    return result


def _repair(
    scenario: Scenario, candidates: Candidates, kept: Plan, deadline: float,
    workers: int, seed: int, phases: Phases, start: Baseline | None = None,
) -> tuple[Plan | None, str]:
    """CP-SAT on the keep-and-fill model of a repair (`repair.py`), hinted
    with the baseline's plan (`start`: a plan of that model, the plan kept,
    refilled) or the plan kept. Returns its best plan (None: none found) and
    how it ended: optimal (in that model), stopped (by the time limit),
    infeasible or no plan in time."""
    with phases.timing("candidates"):
        narrowed = keep_and_fill(scenario, candidates, kept, start.added if start else None)
    with phases.timing("model"):
        built = build_model(ModelData.restricted(
            scenario, narrowed.candidates, narrowed.sessions, narrowed.taken
        ))
        built.vars.hint(built.model, start.plan if start else kept)
        # everyone kept stays: presolve drops their triples, what is left is small
        for a in kept.assignments:
            if a in built.vars.x:
                built.model.add(built.vars.x[a] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.01)
    solver.parameters.random_seed = seed
    _repair_parameters(solver.parameters)
    status = timed_solve(solver, built.model, None, phases)
    if status == cp_model.INFEASIBLE:
        return None, "infeasible"  # the kept plan no longer holds together
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, "no plan in time"
    found = built.vars.extract(solver.boolean_value)
    return narrowed.merged(kept, found), "optimal" if status == cp_model.OPTIMAL else "stopped"


def _repair_parameters(parameters: Any) -> None:
    """CP-SAT's parameters for the keep-and-fill model: one worker with the
    full linearisation, no presolve, no probing. The model is a few thousand
    variables, most of them fixed (everyone kept), the hint a complete plan
    of it, and the LP's bound meets a plan within tenths of a second. M
    after 5% declines, seeds 0-2, load 3-4, the solve call alone: 0.15-0.26
    s; with probing 0.28-0.45 s; with the whole solve's settings (2
    workers, presolve without probing, the max_lp worker for the default
    LP one) 0.52-0.69 s, most of it in presolve's first fixpoint (0.78 s of
    1 s on seed 1). Tried and not better: 2 workers without presolve
    (0.39-0.50 s); one presolve iteration or no SAT presolve (no change);
    LP_SEARCH or PSEUDO_COST_SEARCH branching, polishing the LP solution,
    no symmetry, hint_conflict_limit 0 (within noise); FIXED_SEARCH, the
    default linearisation, or 2 workers with the full one (no proof in 3-10
    s)."""
    parameters.num_workers = 1
    parameters.linearization_level = 2
    parameters.cp_model_presolve = False
    parameters.cp_model_probing_level = 0


def _repaired(
    scenario: Scenario, plan: Plan, score: float, info: dict[str, Any], phases: Phases,
    progress: Progress | None, started: float,
) -> dict[str, Any]:
    """The result of a repair that ends with the keep-and-fill model's plan
    (its optimality is that model's: no bound is claimed)."""
    result = _result(scenario, plan, score, None, 0.0, info, phases)
    seconds = round(time.monotonic() - started, 3)
    if progress is not None:
        progress({"seconds": seconds, "score": score, "bound": None, "gap": None})
    result["solver"]["seconds"] = seconds
    return result


def _result(
    scenario: Scenario, plan: Plan, score: float, bound: float | None, margin: float,
    info: dict[str, Any], phases: Phases,
) -> dict[str, Any]:
    if bound is not None and bound < score:
        # only float noise can do this to a proven bound
        bound = score if bound >= score - OPTIMAL_TOLERANCE * max(1.0, abs(score)) else None
    optimal = bound is not None and (
        bound - score <= PROOF_ABSOLUTE + PROOF_RELATIVE * abs(score) + margin
    )
    if optimal:
        # what is left between them is the objective's rounding: the proof
        # says the score is the optimum (the validator holds "optimal" to
        # 1e-6 of the score, which a score of 0 with 1.6e-6 of rounding broke)
        bound = score
    info["phases"] = phases.as_dict()
    return build_result(
        scenario, plan, status="optimal" if optimal else "feasible", bound=bound, solver_info=info
    )


def greedy(doc: dict[str, Any]) -> dict[str, Any]:
    """The greedy baseline's plan as a result (status feasible, no bound)."""
    started = time.monotonic()
    scenario = parse_scenario(doc)
    info: dict[str, Any] = {"name": "greedy", "seconds": 0.0}
    conflicts = find_conflicts(scenario)
    if conflicts:
        return _failure(scenario, conflicts, info, started)
    baseline = repair_baseline(doc, scenario, find_candidates(scenario))
    if baseline is not None:  # a repair: the previous plan refilled (`repair.py`)
        info["baseline"] = "previous plan refilled"
        plan = baseline.plan
    else:
        plan = greedy_plan(scenario)
    result = build_result(scenario, plan, status="feasible", bound=None, solver_info=info)
    # Greedy can paint itself into a corner (an open session whose every
    # option clashes at its place): then it has no plan, which proves nothing.
    from .validator import validate

    broken = [v for v in validate(doc, result) if re.match(r"H\d+:", v)]
    if broken:
        result = build_failure_result(
            scenario, status="error", conflicts=None,
            message="the greedy baseline found no plan that keeps every hard rule: "
            + "; ".join(broken[:5]),
            solver_info=info,
        )
    result["solver"]["seconds"] = round(time.monotonic() - started, 3)
    return result


# -- the parts ------------------------------------------------------------------


@dataclass
class _Part:
    sessions: list[str]
    size: int
    built: BuiltModel | None = None
    plan: Plan | None = None
    #: a proven upper bound on this part's share of the score
    bound: float | None = None
    #: the LP's rounding on greedy's schedule while no search round has
    #: found a plan: a hint, the answer only if it keeps the rules
    rounded: Plan | None = None
    #: with the descent to come: seconds without a better plan after which
    #: a search stops (STALL_SHARE of the part's time)
    stall: float | None = None


class _Run:
    """The parts of one solve and what is known about each so far."""

    def __init__(
        self, scenario: Scenario, candidates: Candidates, groups: list[list[str]],
        fallback: Plan, hint: Plan, progress: Progress | None, started: float,
        phases: Phases | None = None,
    ):
        self.started = started
        self.phases = phases or Phases()
        self.scenario = scenario
        self.candidates = candidates
        self.fallback = fallback
        self.hint = hint
        self.progress = progress
        per_session: dict[str, int] = {}
        for a in candidates.triples:
            per_session[a.session] = per_session.get(a.session, 0) + 1
        self.parts = [
            _Part(g, sum(per_session.get(s, 0) + len(candidates.usable[s]) for s in g))
            for g in groups
        ]
        self.variables = 0
        self.best_reported = -math.inf
        #: a proven bound on the whole scenario's score from elsewhere
        #: (`flow_bound.py`), or None
        self.ceiling: float | None = None
        #: a plan better than the parts' that may break a hard rule (an LP's
        #: rounding on greedy's schedule): the answer only if the validator
        #: passes it and the search found nothing better (`_solve`)
        self.unchecked: Plan | None = None

    def solve_part(self, index: int, deadline: float, workers: int, seed: int) -> str:
        part = self.parts[index]
        data = ModelData.restricted(self.scenario, self.candidates, part.sessions)
        left = sum(p.size for p in self.parts[index:]) or 1
        budget = max(0.0, deadline - time.monotonic()) * max(part.size, 1) / left
        part_deadline = time.monotonic() + budget
        # fewest people: the search leaves DESCENT_SHARE to `descent.py`
        descend = self.scenario.weights.volunteer_used < 0
        search_share = 1.0 - DESCENT_SHARE if descend else 1.0
        part.stall = STALL_SHARE * budget if descend else None
        if len(data.triples) > LARGE_MODEL:
            outcome = self._solve_large(
                index, data, time.monotonic() + search_share * budget, workers, seed
            )
        else:
            with self.phases.timing("model"):
                built = build_model(data)
                self._cap(built)
            budget = max(0.0, deadline - time.monotonic()) * max(part.size, 1) / left
            part_deadline = time.monotonic() + budget
            outcome = self._solve_whole(
                index, built, time.monotonic() + search_share * budget, workers, seed
            )
        if descend and outcome == "solved":
            self._descend(index, data, part_deadline, workers, seed)
        return outcome

    def _cap(self, built: BuiltModel) -> None:
        """The flow's bound on the score (when this is the only part) as a
        constraint on the objective: every plan keeps it, CP-SAT has it as
        its bound from the start and stops when a plan meets it (SMPTSP:
        data_38, 50, 66, 83 proven in 5-15 s instead of 25-36 s, and
        data_97's narrowed search reached its optimum, which it had not).
        Only for `volunteer_used` < 0, the one kind measured with it."""
        if self.ceiling is None or len(self.parts) != 1 or self.scenario.weights.volunteer_used >= 0:
            return
        objective = built.objective
        top = (self.ceiling - objective.constant + objective.error) * objective.factor
        built.model.add(objective.expression() <= math.floor(top + 1e-9 * max(1.0, abs(top))))

    def _reached(self, plan: Plan) -> bool:
        """Whether `plan` (of the only part) meets the flow's bound."""
        if self.ceiling is None or len(self.parts) != 1:
            return False
        score = compute_score(self.scenario, plan)
        return self.ceiling - score <= PROOF_ABSOLUTE + PROOF_RELATIVE * abs(score) + self.rounding_margin()

    def _descend(
        self, index: int, data: ModelData, part_deadline: float, workers: int, seed: int
    ) -> None:
        """`descent.py` on the part's whole model (built now when the search
        had only narrowed ones), from the part's best plan."""
        part = self.parts[index]
        assert part.plan is not None
        built = part.built
        if built is None or len(built.vars.x) < len(data.triples):
            needed = DESCENT_BUILD_PER_TRIPLE * len(data.triples) / _machine_share(workers)
            if time.monotonic() + needed + 1.0 >= part_deadline:
                return  # the build would eat the time the search needs
            with self.phases.timing("model"):
                built = build_model(data)
        ceiling = self.ceiling if len(self.parts) == 1 else None
        if part.bound is not None:
            ceiling = part.bound if ceiling is None else min(ceiling, part.bound)
        found = descend(built, part.plan, part_deadline, workers, seed, self.phases, ceiling)
        if built is not part.built:
            self.variables += len(built.model.proto.variables)
        part.built = built
        part.plan = found.plan
        if found.bound is not None:
            part.bound = found.bound if part.bound is None else min(part.bound, found.bound)
        self._report(None)

    def _solve_whole(
        self, index: int, built: BuiltModel, part_deadline: float, workers: int, seed: int
    ) -> str:
        """CP-SAT on the whole model of a part, hinted with the best plan known."""
        part = self.parts[index]
        part.built = built
        self.variables += len(built.model.proto.variables)
        built.vars.hint(built.model, part.plan or _restrict(self.hint, set(part.sessions)))
        solver = self._solver(max(0.0, part_deadline - time.monotonic()), workers, seed)
        if len(built.vars.x) > LARGE_MODEL:
            # probing in presolve costs tens of seconds at this size, and
            # the time is better spent searching
            solver.parameters.cp_model_probing_level = 0
        callback = self._callback(index)
        with _stopped_when_stalled(solver, callback, part.stall):
            status = timed_solve(solver, built.model, callback, self.phases)

        if status == cp_model.INFEASIBLE:
            return "infeasible"
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"CP-SAT rejected the model: {built.model.validate()}")
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            part.plan = built.vars.extract(solver.boolean_value)
        part.bound = self._bound_of(built, solver, status)
        self._report(None)
        return "solved" if part.plan is not None else "unsolved"

    def _solve_large(
        self, index: int, data: ModelData, part_deadline: float, workers: int, seed: int
    ) -> str:
        """Parts above LARGE_MODEL triples: a thread solves the part's compact
        LP relaxation (`compact_lp.py`, seconds on M); when it is not there
        after COMPACT_HEAD_START of the time, the search starts on narrowed
        models (`_solve_least_contested`) beside it. When the LP arrives the
        search moves to its support with its bound
        (`_solve_on_compact_support`). Where fairness or continuity is
        weighed (`compact_lp.tightens`), the LP is the exact one when the
        time allows it (EXACT_FIRST_PER_TRIPLE), else the per-session one,
        and then the exact one beside the search if there is room
        (`_then_the_exact_lp`). When no LP arrives, the narrowed search has
        had the rest of the time: above greedy, but only by 1-4% on M where
        the LP's support gives 8%."""
        part = self.parts[index]
        budget = max(0.0, part_deadline - time.monotonic())
        interrupt = Interrupt()
        if self.scenario.weights.volunteer_used < 0:
            # fewest people: the compact LP shares the weight out thinly over
            # assignments and its support leads the search to plans of many
            # (SMPTSP data_97: 302 workers against 300 without it); the
            # narrowed search, the cap and the descent do better there
            outcome = self._solve_least_contested(
                index, data, part_deadline, lambda: workers, seed, interrupt
            )
            if outcome == WHOLE:
                with self.phases.timing("model"):
                    built = build_model(data)
                return self._solve_whole(index, built, part_deadline, workers, seed)
            if part.plan is not None and part.bound is None and self._reached(part.plan):
                part.bound = self.ceiling
            return outcome
        candidates = Candidates(self.candidates.usable, data.triples)
        previous = set(data.previous)
        exact = tightens(self.scenario, candidates)
        exact_first = budget * _machine_share(workers) >= EXACT_FIRST_PER_TRIPLE * len(
            candidates.triples
        )
        started = time.monotonic()
        background = InBackground(
            lambda: compact_relaxation_by_week(
                self.scenario, candidates, COMPACT_SHARE * budget, previous,
                tight=False if exact and not exact_first else None,
            ),
            interrupt, self.phases,
        )
        # the LP first, alone, for a while: beside the search (both in Python
        # for part of their time, on the same cores) it took twice as long
        # (M seed 2 at load 3.4: 8 s against 4 s alone)
        background.done.wait(COMPACT_HEAD_START * budget)
        outcome = "solved"
        if background.result() is None:
            outcome = self._solve_least_contested(
                index, data, part_deadline, _searchers_beside(background, workers), seed,
                interrupt,
            )
            if part.plan is not None and part.bound is None and self._reached(part.plan):
                part.bound = self.ceiling  # the only part: no LP needs waiting for
                return outcome
        if outcome != WHOLE:
            if part.bound is None:
                # the narrowed search ended early: the LP may still bring a bound
                background.done.wait(max(0.0, part_deadline - time.monotonic()))
            relaxation = background.result()
            if relaxation is None:
                return outcome
            took = time.monotonic() - started
            left = part_deadline - time.monotonic()
            if exact and not exact_first and left >= EXACT_LP_ROOM * took:
                outcome = self._then_the_exact_lp(
                    index, data, relaxation, candidates, previous, part_deadline, workers,
                    seed,
                )
            else:
                outcome = self._solve_on_compact_support(
                    index, data, relaxation, part_deadline, lambda: workers, seed
                )
        if outcome == WHOLE:  # the hint is no plan: the whole model decides
            with self.phases.timing("model"):
                built = build_model(data)
            return self._solve_whole(index, built, part_deadline, workers, seed)
        return outcome

    def _then_the_exact_lp(
        self, index: int, data: ModelData, relaxation: CompactRelaxation,
        candidates: Candidates, previous: set[Assignment], part_deadline: float,
        workers: int, seed: int,
    ) -> str:
        """The search on the per-session LP's support while a thread solves
        the exact one (`compact_lp.tightens`) by PDLP for EXACT_PDLP_SHARE of
        the time left; when that arrives the search
        moves to its support, hinted with the plan so far, and the lower of
        the two bounds holds. Its support leads to better plans too (M seed
        1 at 30 s: 996,068 against 994,543 on the per-session one's)."""
        interrupt = Interrupt()
        left = EXACT_PDLP_SHARE * (part_deadline - time.monotonic())
        background = InBackground(
            lambda: compact_relaxation_by_week(
                self.scenario, candidates, left, previous, tight=True, pdlp=True
            ),
            interrupt, self.phases,
        )
        outcome = self._solve_on_compact_support(
            index, data, relaxation, part_deadline, _searchers_beside(background, workers),
            seed, interrupt,
        )
        if outcome == WHOLE or not interrupt.fired.is_set():
            return outcome  # it ended on its own: proven optimal, or out of time
        exact = background.result()
        if exact is None:
            return outcome
        return self._solve_on_compact_support(
            index, data, exact, part_deadline, lambda: workers, seed
        )

    def _callback(self, index: int, built: BuiltModel | None = None) -> _Reporter | None:
        """A solve's callback: progress reports, and the time of its last plan
        for `_stopped_when_stalled` (the descent to come)."""
        if self.progress is None and self.parts[index].stall is None:
            return None
        return _Reporter(self, index, built, report=self.progress is not None)

    def _solver(self, budget: float, workers: int, seed: int) -> cp_model.CpSolver:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(budget, 0.01)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        _favour_the_lp(solver.parameters, workers)
        return solver

    def _solve_on_compact_support(
        self, index: int, data: ModelData, relaxation: CompactRelaxation,
        part_deadline: float, workers: Callable[[], int], seed: int,
        interrupt: Interrupt | None = None,
    ) -> str:
        """Large parts with their compact LP (`compact_lp.py`): CP-SAT on the
        model narrowed to the triples the LP uses and the hint's, growing by
        the triples of best reduced cost while rounds end optimal, each
        round hinted with the last one's plan (as `_solve_on_lp_support`).
        Stops early when `interrupt` fires (a better LP has arrived)."""
        part = self.parts[index]
        triples = relaxation.triples
        reduced = relaxation.reduced
        part.bound = relaxation.bound if part.bound is None else min(part.bound, relaxation.bound)
        self._report(None)
        order = np.lexsort((-reduced, relaxation.values <= LP_SUPPORT))
        size = max(int(np.sum(relaxation.values > LP_SUPPORT)), 1)
        always = set(self.hint.assignments) | set(data.fixed) | set(data.previous)
        plan = part.plan or part.rounded or _restrict(self.hint, set(part.sessions))
        with self.phases.timing("candidates"):
            rounded = rounded_plan(
                self.scenario, Candidates(self.candidates.usable, data.triples), relaxation, plan
            )
        if compute_score(self.scenario, self.plan((index, rounded))) > compute_score(
            self.scenario, self.plan((index, plan))
        ):
            if part.plan is not None:
                # on a schedule CP-SAT found (the narrowed search ran), a
                # plan in its own right (it keeps H6-H9 there): the answer
                # even when no round gets to finish. On greedy's schedule
                # only a hint: that one may break H10 when nothing can hold.
                part.plan = rounded
                self._report(None)
            else:
                # the answer too if it keeps the rules and no round finishes
                # (the LP came with the time nearly up: 10 s on a busy M)
                part.rounded = rounded
                self.unchecked = self.plan((index, rounded))
            plan = rounded
        small: BuiltModel | None = None
        while part_deadline - time.monotonic() > ROUND_AT_LEAST:
            kept = {triples[i] for i in order[:size]} | always | set(plan.assignments)
            cutoff = float(reduced[order[size]]) if size < len(order) else -math.inf
            narrowed = Candidates(
                self.candidates.usable, {a: o for a, o in data.triples.items() if a in kept}
            )
            with self.phases.timing("model"):
                small = build_model(ModelData.restricted(self.scenario, narrowed, part.sessions))
                self._cap(small)
            small.vars.hint(small.model, plan)
            left = part_deadline - time.monotonic()
            if left <= ROUND_AT_LEAST:
                break
            solver = self._solver(left, workers(), seed)
            callback = self._callback(index, small)
            if interrupt is None:
                status = timed_solve(solver, small.model, callback, self.phases)
            else:
                found = interrupt.solve(solver, small.model, callback, self.phases)
                if found is None:
                    break  # the better LP came first
                status = found
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if status == cp_model.INFEASIBLE and part.plan is None:
                    return WHOLE  # the hint is no plan: the whole model decides
                break
            plan = small.vars.extract(solver.boolean_value)
            part.plan = plan
            part.built = small
            # a plan with a left-out triple scores at most the LP's bound
            # plus that triple's reduced cost; one within the narrowed model
            # at most that model's bound
            outside = relaxation.bound + min(cutoff, 0.0)
            inside = self._bound_of(small, solver, status)
            part.bound = min(part.bound, max(outside, inside))
            if status != cp_model.OPTIMAL or size >= len(order) or self._reached(plan):
                break
            size *= GROWTH
        if small is not None:
            self.variables += len(small.model.proto.variables)
        self._report(None)
        return "solved" if part.plan is not None else "unsolved"

    def _solve_least_contested(
        self, index: int, data: ModelData, part_deadline: float, workers: Callable[[], int],
        seed: int, interrupt: Interrupt,
    ) -> str:
        """Large parts before (or without) their LP relaxation: CP-SAT
        searches the model narrowed to the hint's triples and the min-cost
        flow's (`flow_guide.py`); while a round ends optimal and time is
        left, the next adds, per role, the `per_slot` candidates per wanted
        person who have the fewest sessions to choose from (CONTESTED_PER_SLOT,
        then GROWTH times as many each round), hinted with the last plan. Its plans
        are plans of the whole; a bound only when a round covers every
        triple. Stops early when `interrupt` fires (the LP has arrived).
        `workers()` is asked before each round: fewer while the LP runs."""
        part = self.parts[index]
        sessions_of: dict[str, set[str]] = {}
        people: dict[tuple[str, str], list[str]] = {}
        for a in data.triples:
            sessions_of.setdefault(a.volunteer, set()).add(a.session)
            people.setdefault((a.session, a.role), []).append(a.volunteer)
        for found in people.values():
            found.sort(key=lambda v: len(sessions_of[v]))
        always = set(self.hint.assignments) | set(data.fixed) | set(data.previous)
        with self.phases.timing("candidates"):
            always |= flow_support(data)
        plan = part.plan or _restrict(self.hint, set(part.sessions))
        per_slot = 0  # the first round: the hint's and the flow's triples alone
        small = None
        while time.monotonic() < part_deadline - 0.5 and not interrupt.fired.is_set():
            kept = always | set(plan.assignments)
            for s in data.sessions:
                for role in s.roles:
                    for v in people.get((s.id, role.name), [])[: per_slot * max(role.max, 1)]:
                        kept.add(Assignment(v, s.id, role.name))
            narrowed = Candidates(
                self.candidates.usable, {a: o for a, o in data.triples.items() if a in kept}
            )
            with self.phases.timing("model"):
                small = build_model(ModelData.restricted(self.scenario, narrowed, part.sessions))
                self._cap(small)
            small.vars.hint(small.model, plan)
            solver = self._solver(max(0.0, part_deadline - time.monotonic()), workers(), seed)
            solver.parameters.cp_model_probing_level = 0
            callback = self._callback(index, small)
            with _stopped_when_stalled(solver, callback, part.stall):
                status = interrupt.solve(solver, small.model, callback, self.phases)
            if status is None:
                break  # the LP came first
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if status == cp_model.INFEASIBLE and part.plan is None:
                    return WHOLE  # the hint is no plan: the whole model decides
                break
            plan = small.vars.extract(solver.boolean_value)
            part.plan = plan
            part.built = small
            covers_all = len(narrowed.triples) >= len(data.triples)
            if status == cp_model.OPTIMAL and covers_all:  # the narrowed model is the whole one
                part.bound = self._bound_of(small, solver, status)
            self._report(None)
            if status != cp_model.OPTIMAL or covers_all or self._reached(plan):
                break
            per_slot = per_slot * GROWTH if per_slot else CONTESTED_PER_SLOT
        if small is not None:
            self.variables += len(small.model.proto.variables)
        return "solved" if part.plan is not None else "unsolved"

    @staticmethod
    def _bound_of(
        built: BuiltModel, solver: cp_model.CpSolver, status: cp_model.CpSolverStatus
    ) -> float:
        objective = built.objective
        if status == cp_model.OPTIMAL:
            raw = solver.objective_value
        elif status == cp_model.FEASIBLE:
            raw = min(solver.best_objective_bound, objective.trivial_bound)
        else:  # stopped before any solution: the solver's bound may be unset
            raw = objective.trivial_bound
        return objective.to_score(raw) + objective.error

    def part_plan(self, part: _Part, current: Plan | None = None) -> Plan:
        if current is not None:
            return current
        if part.plan is not None:
            return part.plan
        return _restrict(self.fallback, set(part.sessions))

    def plan(self, override: tuple[int, Plan] | None = None) -> Plan:
        schedule: dict[str, int] = {}
        assignments: list[Assignment] = []
        for i, part in enumerate(self.parts):
            current = override[1] if override and override[0] == i else None
            own = self.part_plan(part, current)
            schedule.update(own.schedule)
            assignments.extend(own.assignments)
        return Plan(schedule=schedule, assignments=tuple(assignments))

    def rounding_margin(self) -> float:
        """How far score and bound may sit apart at a proven optimum through
        the objective's integer rounding alone: each part's bound carries its
        rounding error once, and the plan's exact score may differ from the
        integer objective by it once more."""
        return sum(2 * p.built.objective.error for p in self.parts if p.built is not None)

    def bound(self, current: tuple[int, float | None] | None = None) -> float | None:
        """The smaller of the parts' bounds added up (when every part has
        one) and the flow's bound on the whole (`ceiling`)."""
        total: float | None = 0.0
        for i, part in enumerate(self.parts):
            known = current[1] if current and current[0] == i else part.bound
            if known is None:
                total = None
                break
            total += known  # type: ignore[operator]
        if self.ceiling is None:
            return total
        return self.ceiling if total is None else min(total, self.ceiling)

    def _report(self, override: tuple[int, Plan, float | None] | None) -> None:
        if self.progress is None:
            return
        plan = self.plan((override[0], override[1]) if override else None)
        score = compute_score(self.scenario, plan)
        bound = self.bound((override[0], override[2]) if override else None)
        if score <= self.best_reported and override is not None:
            return
        self.best_reported = max(self.best_reported, score)
        gap = None
        if bound is not None:
            gap = (bound - score) / abs(bound) if bound else (0.0 if bound == score else None)
        seconds = round(time.monotonic() - self.started, 3)
        self.progress({"seconds": seconds, "score": score, "bound": bound, "gap": gap})


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports the combined picture of all parts at each improvement (when
    `report`). A narrowed model (`built`) reports the bound known for the
    whole part. `found_at`: when the last plan came (None before the
    first), for `_stopped_when_stalled`."""

    def __init__(
        self, run: _Run, index: int, built: BuiltModel | None = None, report: bool = True
    ):
        super().__init__()
        self.run = run
        self.index = index
        self.built = built
        self.report = report
        self.found_at: float | None = None

    def on_solution_callback(self) -> None:
        self.found_at = time.monotonic()
        if not self.report:
            return
        part = self.run.parts[self.index]
        if self.built is not None:
            plan = self.built.vars.extract(self.boolean_value)
            self.run._report((self.index, plan, part.bound))
            return
        assert part.built is not None
        objective = part.built.objective
        plan = part.built.vars.extract(self.boolean_value)
        bound = objective.to_score(min(self.best_objective_bound, objective.trivial_bound))
        self.run._report((self.index, plan, bound + objective.error))


@contextmanager
def _stopped_when_stalled(
    solver: cp_model.CpSolver, callback: _Reporter | None, seconds: float | None
) -> Iterator[None]:
    """The solve within stops once `callback` has seen a plan and no better
    one for `seconds` (None: never)."""
    if seconds is None or callback is None:
        yield
        return
    ended = threading.Event()

    def watch() -> None:
        while not ended.wait(STALL_POLL_SECONDS):
            found = callback.found_at
            if found is not None and time.monotonic() - found > seconds:
                solver.stop_search()  # again each poll: a no-op before the solve began

    threading.Thread(target=watch, name="medsam-stall", daemon=True).start()
    try:
        yield
    finally:
        ended.set()


def _searchers_beside(background: InBackground, workers: int) -> Callable[[], int]:
    """How many CP-SAT workers a narrowed round gets: one fewer while the
    LP relaxation is being built and solved on a machine with no core to
    spare for it (the LP decides the plan's quality: the sooner the
    better)."""
    cores = os.cpu_count() or 1
    if workers < 2 or workers < cores:
        return lambda: workers
    return lambda: workers - 1 if not background.done.is_set() else workers


def _machine_share(workers: int) -> float:
    """The share of the machine a solve with `workers` threads can expect
    now, from the load average: 1 on an idle machine, 0.3 when five other
    busy threads share 2 cores with it. Other processes' work slows the
    LP's build and GLOP alike, and an LP that will not arrive in time is
    better not started."""
    try:
        load = os.getloadavg()[0]
    except OSError:  # not on every platform
        return 1.0
    cores = os.cpu_count() or 1
    return min(1.0, cores / max(float(cores), load + workers))


def _favour_the_lp(parameters: Any, workers: int) -> None:
    """The cover terms make the LP relaxation strong: on generated scenarios the
    full-linearisation LP worker proves optimality in a fraction of the time
    the default one takes, so on few cores it replaces the default."""
    if workers == 1:
        parameters.linearization_level = 2
    else:
        parameters.ignore_subsolvers.append("default_lp")
        parameters.extra_subsolvers.append("max_lp")


# -- plans from elsewhere ---------------------------------------------------------


def _restrict(plan: Plan, sessions: set[str]) -> Plan:
    return Plan(
        schedule={s: o for s, o in plan.schedule.items() if s in sessions},
        assignments=tuple(a for a in plan.assignments if a.session in sessions),
    )


def _keeps_the_rules(doc: dict[str, Any], result: dict[str, Any]) -> bool:
    """Whether the result's plan keeps every hard rule, by the validator
    (which shares no code with the model)."""
    from .validator import validate

    return not [p for p in validate(doc, result) if re.match(r"H\d+:", p)]


def _by_session(assignments: tuple[Assignment, ...]) -> dict[str, list[Assignment]]:
    found: dict[str, list[Assignment]] = {}
    for a in assignments:
        found.setdefault(a.session, []).append(a)
    return found


def _best_hint(scenario: Scenario, candidates: Candidates, baseline: Plan) -> Plan:
    """The greedy plan, or the previous plan where it scores better. The
    previous plan may no longer be feasible: it is only a hint, CP-SAT repairs
    or drops it; the greedy plan stays the fallback."""
    if not scenario.previous:
        return baseline
    # an open session the previous plan staffs is held where all its
    # previous people can still go, greedy's option first
    schedule = dict(baseline.schedule)
    sessions_of: dict[str, list[str]] = {}
    for a in scenario.previous:
        sessions_of.setdefault(a.volunteer, []).append(a.session)
    for session_id, triples in _by_session(scenario.previous).items():
        session = scenario.session_by_id[session_id]
        if not session.is_open:
            continue
        allowed = set(candidates.usable.get(session_id, ()))
        for a in triples:
            allowed &= set(candidates.triples.get(a, ()))
        if not allowed:
            continue
        # the published plan's own option is not in the scenario: the one
        # where its people's other sessions do not overlap it and its place
        # has room then, greedy's first
        others = [
            scenario.session_by_id[t].options[schedule.get(t, 0)].interval
            for a in triples for t in sessions_of[a.volunteer] if t != session_id
        ]

        ranked = sorted(allowed, key=lambda o: (
            any(session.options[o].interval.overlaps(b) for b in others)
            or place_full(scenario, schedule, session, o),
            o != schedule.get(session_id), o,
        ))
        schedule[session_id] = ranked[0]
    kept = {
        a for a in scenario.previous
        if schedule.get(a.session) in candidates.triples.get(a, ())
    } | set(scenario.fixed)
    previous_plan = Plan(schedule=schedule, assignments=tuple(sorted(kept)))
    if compute_score(scenario, previous_plan) > compute_score(scenario, baseline):
        return previous_plan
    return baseline


def _failure(
    scenario: Scenario, conflicts: list[str], info: dict[str, Any], started: float
) -> dict[str, Any]:
    result = build_failure_result(
        scenario, status="infeasible", conflicts=conflicts,
        message="no plan satisfies the hard rules", solver_info=info,
    )
    result["solver"]["seconds"] = round(time.monotonic() - started, 3)
    return result
