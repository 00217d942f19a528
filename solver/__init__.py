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


def solve(doc, **kwargs):  # type: ignore[no-untyped-def]
    from .solve import solve as _solve

    return _solve(doc, **kwargs)


def greedy(doc):  # type: ignore[no-untyped-def]
    from .solve import greedy as _greedy

    return _greedy(doc)


def validate(doc, result):  # type: ignore[no-untyped-def]
    from .validator import validate as _validate

    return _validate(doc, result)
