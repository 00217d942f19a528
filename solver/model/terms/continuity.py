"""−continuity · |{(v, activity(s)) : (v,s,r) ∈ A}|: one bool per
(volunteer, activity), forced up by each of its x (or bounded by their sum
when the weight is negative). A volunteer who can only take part in one
session of the activity needs no bool: the term is linear in its x."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Variables, any_of


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    weight = data.scenario.weights.continuity
    terms = Terms()
    if not weight:
        return terms
    xs: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    sessions: dict[tuple[str, str], set[str]] = defaultdict(set)
    for a, x in vars.x.items():
        key = a.volunteer, data.scenario.session_by_id[a.session].activity
        xs[key].append(x)
        sessions[key].add(a.session)
    for (v, activity), own in xs.items():
        if len(sessions[v, activity]) == 1:
            # one session: at most one of these x is 1 (H6), so the pair
            # counts exactly when one of them is
            for x in own:
                terms.add(x, -weight)
            continue
        takes_part = model.new_bool_var(f"takes_part[{v},{activity}]")
        if weight > 0:
            for x in own:
                model.add_implication(x, takes_part)
        else:
            model.add(takes_part <= cp_model.LinearExpr.sum(own))
        vars.derive(takes_part, any_of(own))
        terms.add(takes_part, -weight)
    return terms
