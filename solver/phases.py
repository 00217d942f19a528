"""Where a solve's time goes: seconds per phase, reported in the result's
`solver.phases`.

- parse: reading and checking the scenario;
- candidates: the eligible triples, the independent parts and the greedy plan;
- model: building CP-SAT models;
- presolve: CP-SAT's presolve, summed over its solves;
- search: CP-SAT's search after presolve, summed over its solves;
- bound: the min-cost flow's bound and the compact LP relaxation (GLOP,
  beside the search).

CP-SAT does not report its presolve time, so `timed_solve` reads it from the
solver's log: presolve ends when the log says the model is being loaded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ortools.sat.python import cp_model

PHASES = ("parse", "candidates", "model", "presolve", "search", "bound")
#: the log line CP-SAT writes when presolve is over
_PRESOLVE_DONE = "Preloading model"


class Phases:
    """Seconds per phase; safe to add to from the LP's thread."""

    def __init__(self) -> None:
        self._seconds = dict.fromkeys(PHASES, 0.0)
        self._lock = threading.Lock()

    def add(self, phase: str, seconds: float) -> None:
        with self._lock:
            self._seconds[phase] += max(0.0, seconds)

    @contextmanager
    def timing(self, phase: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.add(phase, time.monotonic() - started)

    def as_dict(self) -> dict[str, float]:
        with self._lock:
            return {k: round(v, 3) for k, v in self._seconds.items()}


def timed_solve(
    solver: cp_model.CpSolver, model: cp_model.CpModel, callback: Any, phases: Phases
) -> cp_model.CpSolverStatus:
    """`solver.solve(model, callback)`, its time split into presolve and search."""
    presolved: list[float] = []

    def log(line: str) -> None:
        if not presolved and line.startswith(_PRESOLVE_DONE):
            presolved.append(time.monotonic())

    solver.parameters.log_search_progress = True
    solver.parameters.log_to_stdout = False
    solver.log_callback = log
    started = time.monotonic()
    try:
        return solver.solve(model, callback)
    finally:
        ended = time.monotonic()
        split = presolved[0] if presolved else ended
        phases.add("presolve", split - started)
        phases.add("search", ended - split)
