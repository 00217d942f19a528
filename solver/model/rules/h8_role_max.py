"""H8: at most `r.max` people in a role (those `taken` outside the model included)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> None:
    for s in data.sessions:
        for role in s.roles:
            people = vars.role_people.get((s.id, role.name), [])
            room = role.max - data.taken.get((s.id, role.name), 0)
            if len(people) > room:
                model.add(cp_model.LinearExpr.sum([x for _, x in people]) <= room)
