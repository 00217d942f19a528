"""Work beside the search: the LP relaxation of a large part.

Solving a large part's LP relaxation takes seconds (the compact LP of
`compact_lp.py` on M) to minutes (on L and XL, or on a busy machine).
Waiting for it before searching makes the result fall to the greedy plan
whenever it is late. So the search starts at once on narrowed models, and a
thread solves the LP (GLOP releases the GIL, see `lp_bound._solve_glop`);
when the relaxation arrives it stops the current CP-SAT solve through an
`Interrupt`, and the caller moves on to the search on the LP's support with
the LP's bound. When it never arrives, the search has had the whole time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ortools.sat.python import cp_model

from .phases import Phases, timed_solve

T = TypeVar("T")
#: how often `Interrupt.fire` retries a stop that came before the solve began
_STOP_RETRY_SECONDS = 0.02


class Interrupt:
    """Lets another thread stop the CP-SAT solve running now, and every later
    one: a solve started after `fire` does not start at all."""

    def __init__(self) -> None:
        self.fired = threading.Event()
        self._lock = threading.Lock()
        self._solver: cp_model.CpSolver | None = None

    def solve(
        self, solver: cp_model.CpSolver, model: cp_model.CpModel, callback: Any, phases: Phases
    ) -> cp_model.CpSolverStatus | None:
        """The solve's status; None when fired before it began."""
        with self._lock:
            if self.fired.is_set():
                return None
            self._solver = solver
        try:
            return timed_solve(solver, model, callback, phases)
        finally:
            with self._lock:
                self._solver = None

    def fire(self) -> None:
        self.fired.set()
        # CpSolver.stop_search does nothing before the solve has set itself
        # up, so it is repeated until the solve has returned
        while True:
            with self._lock:
                solver = self._solver
                if solver is None:
                    return
                solver.stop_search()
            time.sleep(_STOP_RETRY_SECONDS)


class InBackground(Generic[T]):
    """Runs `work` in a thread, its time counted as the `bound` phase; fires
    `interrupt` when it returns something other than None."""

    def __init__(self, work: Callable[[], T | None], interrupt: Interrupt, phases: Phases) -> None:
        self._work = work
        self._interrupt = interrupt
        self._phases = phases
        self._result: T | None = None
        self._error: BaseException | None = None
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="medsam-lp", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._phases.timing("bound"):
                self._result = self._work()
        except BaseException as error:  # handed to the caller by `result`
            self._error = error
        finally:
            self.done.set()
            if self._result is not None:
                self._interrupt.fire()

    def result(self) -> T | None:
        """What `work` returned, None while it runs; its error raised here."""
        if self._error is not None:
            raise self._error
        return self._result if self.done.is_set() else None
