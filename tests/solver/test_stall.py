"""A search that finds nothing better stops and leaves its time to the
descent (`solve._stopped_when_stalled`, fewest people only).

The model is a Golomb ruler of 11 marks (shortest ruler with all distances
different, optimum 72): CP-SAT finds rulers at once and better ones for a
while, but cannot prove the optimum in its 60 s on 2 cores, so only the
watchdog can end the solve early.
"""

from __future__ import annotations

import importlib
import time

from ortools.sat.python import cp_model

solve_module = importlib.import_module("solver.solve")

MARKS = 11
LONGEST = 150


def _golomb() -> tuple[cp_model.CpModel, list[cp_model.IntVar]]:
    model = cp_model.CpModel()
    marks = [model.new_int_var(0, LONGEST, f"m{i}") for i in range(MARKS)]
    model.add(marks[0] == 0)
    for a, b in zip(marks, marks[1:], strict=False):
        model.add(a < b)
    distances = [
        model.new_int_var(1, LONGEST, f"d{i}_{j}")
        for i in range(MARKS) for j in range(i + 1, MARKS)
    ]
    k = 0
    for i in range(MARKS):
        for j in range(i + 1, MARKS):
            model.add(distances[k] == marks[j] - marks[i])
            k += 1
    model.add_all_different(distances)
    model.minimize(marks[-1])
    return model, marks


def test_a_search_that_finds_nothing_better_for_a_while_is_stopped() -> None:
    model, _marks = _golomb()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60.0
    solver.parameters.num_workers = 2
    seen = solve_module._Reporter(None, 0, report=False)  # no run: it only notes the time
    started = time.monotonic()
    with solve_module._stopped_when_stalled(solver, seen, 1.0):
        status = solver.solve(model, seen)
    stopped = time.monotonic()
    assert status == cp_model.FEASIBLE  # a ruler, not proven shortest
    assert seen.found_at is not None and stopped - seen.found_at >= 1.0
    assert stopped - started < 45.0  # well before its own limit


def test_without_a_stall_the_same_search_runs_to_its_limit() -> None:
    """The watchdog is what stops it: alone, the search uses its limit."""
    model, _marks = _golomb()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 3.0
    solver.parameters.num_workers = 2
    started = time.monotonic()
    status = solver.solve(model)
    assert status == cp_model.FEASIBLE
    assert time.monotonic() - started >= 2.9
