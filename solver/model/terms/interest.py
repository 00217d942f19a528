"""interest · |{(v,s,r) ∈ A : v.interests ∩ activity(s).interests ≠ ∅}|."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    scenario = data.scenario
    terms = Terms()
    for a, x in vars.x.items():
        activity = scenario.activity_by_id[scenario.session_by_id[a.session].activity]
        if scenario.volunteer_by_id[a.volunteer].interests & activity.interests:
            terms.add(x, scenario.weights.interest)
    return terms
