"""medsam-match's solver: scenario checking, the CP-SAT model, the validator,
the greedy baseline and explanations. Pure Python + ortools: it knows nothing
of Flask or the database.

The public entry points (all take and return plain JSON-able dicts):

- `solve(doc, *, time_limit=10.0, workers=None, seed=0, progress=None) -> dict`
- `greedy(doc) -> dict`
- `validate(doc, result) -> list[str]`
- `ScenarioError` (raised for bad input, `.problems` lists each with its JSON path)
"""

from __future__ import annotations

from .errors import ScenarioError

__all__ = ["ScenarioError", "greedy", "solve", "validate"]

# Imported eagerly, submodules first: importing a submodule (solver/solve.py,
# solver/greedy.py) binds its name on this package, which would otherwise
# replace the functions of the same name after their first call.
from . import greedy as _greedy_module  # noqa: E402,F401
from . import solve as _solve_module  # noqa: E402,F401
from .solve import greedy, solve  # noqa: E402
from .validator import validate  # noqa: E402
