"""−stability · |previous \\ A|: each previous triple costs the weight unless
kept; one that can no longer be kept (forbidden, no longer eligible) is a
constant cost."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    weight = data.scenario.weights.stability
    terms = Terms()
    if not weight:
        return terms
    for a in set(data.previous):
        terms.constant -= weight
        x = vars.x.get(a)
        if x is not None:
            terms.add(x, weight)
    return terms
