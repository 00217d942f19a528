"""−Σ penalty of the option chosen for each scheduled open session."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    terms = Terms()
    session_by_id = data.scenario.session_by_id
    for (s, o), y in vars.y.items():
        terms.add(y, -session_by_id[s].options[o].penalty)
    return terms
