"""H9: every fixed triple is in the plan. Forbidden pairs never become
variables (see `candidates.py`), so only the fixed half needs constraints."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> None:
    for a in data.fixed:
        model.add(vars.x[a] == 1)
