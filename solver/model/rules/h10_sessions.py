"""H10, sessions: a non-optional open session gets exactly one usable option,
an optional one at most one; work only at a scheduled session.

Options a place cannot host (needs, capacity, busy) never get a variable
(see `options.py`), and `Variables` ties each volunteer's work to the chosen
option, so work at an unscheduled session is impossible by construction.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> None:
    for s in data.sessions:
        if not s.is_open:
            continue
        choice = [vars.y[s.id, o] for o in data.usable[s.id]]
        if s.optional:
            if len(choice) > 1:
                model.add_at_most_one(choice)
        else:
            model.add_exactly_one(choice)  # empty: infeasible, reported as a conflict
