"""H6, first half: a volunteer holds at most one role in a session."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> None:
    for roles in vars.pair_roles.values():
        if len(roles) > 1:
            model.add_at_most_one(x for _, x in roles)
