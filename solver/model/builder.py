"""Puts one model together: variables, every hard rule, every score term."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .data import ModelData
from .objective import ScaledObjective, Terms, scale
from .rules import (
    h6_no_overlap,
    h6_one_role,
    h7_weekly_limits,
    h8_role_max,
    h9_fixed,
    h10_places,
    h10_sessions,
)
from .terms import (
    continuity,
    cover,
    fairness,
    interest,
    option_penalty,
    preferred,
    stability,
    travel,
    volunteer_used,
)
from .variables import Variables

RULES = (h6_one_role, h6_no_overlap, h7_weekly_limits, h8_role_max, h9_fixed, h10_sessions, h10_places)
TERMS = (cover, interest, preferred, travel, fairness, volunteer_used, continuity, stability, option_penalty)


@dataclass
class BuiltModel:
    data: ModelData
    model: cp_model.CpModel
    vars: Variables
    objective: ScaledObjective
    #: term module name -> the range of constraint indices it added
    term_constraints: dict[str, range] = field(default_factory=dict)


def build_model(data: ModelData, rules=RULES, terms=TERMS) -> BuiltModel:  # type: ignore[no-untyped-def]
    """The model of `data`; `rules` and `terms` narrow it (tests build one
    rule or one term at a time)."""
    model = cp_model.CpModel()
    vars = Variables(data, model)
    for rule in rules:
        rule.build(data, model, vars)
    collected = Terms()
    term_constraints: dict[str, range] = {}
    for term in terms:
        first = len(model.proto.constraints)
        collected.extend(term.build(data, model, vars))
        term_constraints[term.__name__.rsplit(".", 1)[-1]] = range(first, len(model.proto.constraints))
    objective = scale(collected)
    model.maximize(objective.expression())
    return BuiltModel(data, model, vars, objective, term_constraints)
