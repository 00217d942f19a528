"""volunteer_used · |{v : v has an assignment}|.

A bool per volunteer: bounded above by the sum of their x when the weight
rewards use, forced up by each x when it penalises use; exact at the optimum
either way.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Variables, any_of


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    weight = data.scenario.weights.volunteer_used
    terms = Terms()
    if not weight:
        return terms
    xs: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for a, x in vars.x.items():
        xs[a.volunteer].append(x)
    for v, own in xs.items():
        used = model.new_bool_var(f"used[{v}]")
        if weight > 0:
            model.add(used <= cp_model.LinearExpr.sum(own))
        else:
            for x in own:
                model.add_implication(x, used)
        vars.derive(used, any_of(own))
        terms.add(used, weight)
    return terms
