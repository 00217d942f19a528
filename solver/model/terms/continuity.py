"""−continuity · |{(v, activity(s)) : (v,s,r) ∈ A}|: one bool per
(volunteer, activity), forced up by each of its x (or bounded by their sum
when the weight is negative)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    weight = data.scenario.weights.continuity
    terms = Terms()
    if not weight:
        return terms
    xs: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    for a, x in vars.x.items():
        xs[a.volunteer, data.scenario.session_by_id[a.session].activity].append(x)
    for (v, activity), own in xs.items():
        takes_part = model.new_bool_var(f"takes_part[{v},{activity}]")
        if weight > 0:
            for x in own:
                model.add_implication(x, takes_part)
        else:
            model.add(takes_part <= sum(own))
        vars.derive(takes_part, lambda value, own=own: max(value(x) for x in own))
        terms.add(takes_part, -weight)
    return terms
