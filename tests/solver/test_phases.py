"""Per-phase timings in the result, and stopping a running CP-SAT solve from
another thread (the LP's, when its relaxation arrives)."""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from bench.generate import generate
from solver import solve
from solver.background import Interrupt
from solver.phases import PHASES, Phases


def test_the_result_says_where_the_time_went() -> None:
    result = solve(generate("S", 1), time_limit=5.0, workers=2, seed=1)
    phases = result["solver"]["phases"]
    assert set(phases) == set(PHASES)
    assert all(seconds >= 0 for seconds in phases.values())
    assert phases["parse"] > 0 and phases["candidates"] > 0 and phases["model"] > 0
    assert phases["presolve"] + phases["search"] > 0
    assert phases["bound"] == 0  # a small model needs no LP relaxation


def _hard_model() -> cp_model.CpModel:
    """A model CP-SAT cannot close in a second: a large subset-sum."""
    model = cp_model.CpModel()
    weights = [(i * 7919) % 10007 + 10_000 for i in range(120)]
    xs = [model.new_bool_var(f"x{i}") for i in range(len(weights))]
    model.add(sum(w * x for w, x in zip(weights, xs, strict=True)) == sum(weights) // 2 + 1)
    model.maximize(sum((i % 13) * x for i, x in enumerate(xs)))
    return model


def test_an_interrupt_stops_the_running_solve() -> None:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 60.0
    solver.parameters.num_workers = 1
    interrupt = Interrupt()
    timer = threading.Timer(0.5, interrupt.fire)
    timer.start()
    started = time.monotonic()
    status = interrupt.solve(solver, _hard_model(), None, Phases())
    assert status is not None
    assert time.monotonic() - started < 30.0  # stopped, not run to its 60 s limit
    assert interrupt.fired.is_set()


def test_a_solve_after_the_interrupt_does_not_start() -> None:
    interrupt = Interrupt()
    interrupt.fire()
    assert interrupt.solve(cp_model.CpSolver(), _hard_model(), None, Phases()) is None
