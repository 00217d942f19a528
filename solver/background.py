"""The LP relaxation of a large part, built and solved beside the search.

Building the whole model of a large part and solving its LP relaxation takes
seconds to minutes depending on the machine (M on 2 cores: ~4 s + 10-30 s).
Waiting for it before searching makes the result fall to the greedy plan
whenever it is late. So the search starts at once on narrowed models, and a
thread builds the whole model and runs GLOP (which releases the GIL, see
`lp_bound._solve_glop`); when the relaxation arrives it stops the current
CP-SAT solve through an `Interrupt`, and the caller moves on to the search on
the LP's support with the LP's bound. When it never arrives, the search has
had the whole time anyway.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from ortools.sat.python import cp_model

from .model import BuiltModel, ModelData, build_model
from .model.lp_bound import LpRelaxation, solve_relaxation
from .model.terms import fairness
from .phases import Phases, timed_solve

#: the LP relaxation (rows, GLOP) takes about this many times as long as
#: building the whole model took (M on 2 cores: 3.7 s to build, 10-14 s for
#: the LP on a quiet machine; both grow together on a busy one)
LP_PER_BUILD = 3.0
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


class BackgroundRelaxation:
    """Builds `data`'s whole model and solves its LP relaxation in a thread,
    GLOP stopping at `deadline`; fires `interrupt` when the relaxation is there."""

    def __init__(
        self, data: ModelData, deadline: float, interrupt: Interrupt, phases: Phases
    ) -> None:
        self.data = data
        self.deadline = deadline
        self.interrupt = interrupt
        self.phases = phases
        self.built: BuiltModel | None = None
        self.relaxation: LpRelaxation | None = None
        self.error: BaseException | None = None
        #: True when the LP was not tried: too little time for it was left
        self.skipped = False
        self.done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="medsam-lp", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            started = time.monotonic()
            with self.phases.timing("model"):
                built = build_model(self.data)
            self.built = built
            left = self.deadline - time.monotonic()
            if left <= 0 or LP_PER_BUILD * (time.monotonic() - started) > left:
                # the build shows how fast the machine is now: an LP that
                # would not finish would only slow the search down
                self.skipped = True
                return
            with self.phases.timing("bound"):
                # the fairness lines make GLOP much slower and move its bound
                # by little (its floor does the work); without them the
                # relaxation is looser, still valid
                self.relaxation = solve_relaxation(
                    built.model.proto, built.objective, left,
                    skip=[built.term_constraints.get("fairness", range(0))],
                    keep_named={fairness.FLOOR},
                )
        except BaseException as error:  # handed to the caller by `wait`
            self.error = error
        finally:
            self.done.set()
            if self.relaxation is not None:
                self.interrupt.fire()

    def wait_built(self) -> BuiltModel:
        """The whole model, waiting for it if need be."""
        while self.built is None and not self.done.wait(0.05):
            pass
        if self.built is None:
            raise RuntimeError("building the whole model failed") from self.error
        return self.built

    def check(self) -> None:
        if self.error is not None:
            raise self.error
