"""preferred · |{(v,s,r) ∈ A : activity(s) ∈ v.preferred_activities}|."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    scenario = data.scenario
    terms = Terms()
    for a, x in vars.x.items():
        activity = scenario.session_by_id[a.session].activity
        if activity in scenario.volunteer_by_id[a.volunteer].preferred_activities:
            terms.add(x, scenario.weights.preferred)
    return terms
