"""−travel_km · Σ dist(v, s) over assignments. At an open session the
distance is that of the chosen option's place, so it weighs `w[v, s, o]`."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...eligibility import distance_km
from ..data import ModelData
from ..objective import Terms
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    scenario = data.scenario
    weight = scenario.weights.travel_km
    terms = Terms()
    if not weight:
        return terms

    def dist(v: str, place: str | None) -> float:
        return distance_km(scenario.volunteer_by_id[v], scenario.place_by_id.get(place or ""))

    for a, x in vars.x.items():
        session = scenario.session_by_id[a.session]
        if not session.is_open:
            terms.add(x, -weight * dist(a.volunteer, session.options[0].place))
    for (v, s, o), w in vars.w.items():
        terms.add(w, -weight * dist(v, scenario.session_by_id[s].options[o].place))
    return terms
