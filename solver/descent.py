"""Fewer people: a plan that scores at least one person's worth more, asked
for as a satisfaction problem.

When `volunteer_used` is negative (fewest people, as in the SMPTSP
benchmark), a better plan often means emptying one person's whole schedule,
which takes many moves at once. CP-SAT's optimising search, hinted with the
best plan, rarely makes them: on SMPTSP it stopped 1-2 workers above the
optimum for 60 s. The same model with the objective turned into a
constraint (objective >= best + one person's weight, no objective) is a
satisfaction problem that CP-SAT's search solves directly: on
data_33_76_240_66 the 60-worker plan came in 2.2 s. Each plan found raises
the target by one more person; a target proven infeasible bounds the score
(every plan's integer objective is below it). It stops at the time limit,
at an infeasible target, or when the next target is above a known bound.

The model is the part's whole model (`BuiltModel`): its objective is
cleared and the target added in place, so it serves no other search after.

Tried, did not help (SMPTSP, load 3-4):
- keeping the objective beside the target (one solve for every step):
  data_74's 181-worker target took 22 s, the satisfaction model's 180 one
  8.5 s, and the kept objective got no further in the 18 s left.
- leaving the overlap cliques of `volunteer_used` out (plans need only
  H6's): no 180-worker plan for data_74 in 40 s; their LP guides the
  search.
- presolve off: data_97 ended at the same 301 (presolve 5 s instead of
  12 s, the search 35 s instead of 18 s).
- one more violation local search (`num_violation_ls`), or `no_lp` in
  place of `default_lp`: the same plan from the same feasibility jump
  restart, no sooner.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .model import BuiltModel
from .phases import Phases, timed_solve
from .scenario import Plan


@dataclass
class Descent:
    plan: Plan
    #: a proven upper bound on the model's score, when a target was infeasible
    bound: float | None = None
    steps: int = 0


def raw_objective(built: BuiltModel, plan: Plan) -> int:
    """The model's integer objective at `plan`."""
    values = built.vars.values(plan)
    objective = built.objective
    return sum(k * values[v.index] for v, k in zip(objective.variables, objective.coefficients, strict=True))


def descend(
    built: BuiltModel, plan: Plan, deadline: float, workers: int, seed: int, phases: Phases,
    ceiling: float | None = None,
) -> Descent:
    """Plans better than `plan` by at least one person's weight each step,
    until `deadline`, an infeasible target or `ceiling` (a proven bound on
    the score) leaves no room."""
    objective = built.objective
    weight = abs(built.data.scenario.weights.volunteer_used)
    step = max(1, round(weight * objective.factor))
    raw = raw_objective(built, plan)
    found = Descent(plan)

    def room(raw: int) -> bool:
        return ceiling is None or objective.to_score(raw + step) - objective.error <= ceiling

    if not room(raw):
        return found
    model = built.model
    model.clear_objective()
    target = model.add(objective.expression() >= raw + step)
    while time.monotonic() < deadline - 0.2:
        model.clear_hints()
        built.vars.hint(model, found.plan)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(deadline - time.monotonic(), 0.01)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        # the plans come from feasibility jump (`fj`): on 2 workers it shares
        # its thread with these two unless they are left out (data_74: the
        # 180-worker plan 6 s into the search instead of 17 s), and probing
        # costs half the presolve (7.6 s there) for nothing the search uses
        solver.parameters.ignore_subsolvers.extend(["feasibility_pump", "rins/rens"])
        solver.parameters.cp_model_probing_level = 0
        status = timed_solve(solver, model, None, phases)
        if status == cp_model.INFEASIBLE:
            found.bound = objective.to_score(raw + step - 1) + objective.error
            break
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        better = built.vars.extract(solver.boolean_value)
        better_raw = raw_objective(built, better)
        if better_raw < raw + step:  # cannot be: the target holds it
            break
        found.plan, raw = better, better_raw
        found.steps += 1
        if not room(raw):
            break
        target.proto.linear.domain[0] = raw + step  # [lower, int64 max]
    return found
