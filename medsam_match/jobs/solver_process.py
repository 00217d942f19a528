"""Kept for imports from before the runs service was split: the solver
process lives in `medsam_match.services.runs.solve_process`."""

from ..services.runs.solve_process import (  # noqa: F401
    GRACE_SECONDS,
    SolveLimits,
    SolverProcessError,
    solve_in_child,
)
