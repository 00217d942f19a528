"""The score as CP-SAT sees it: float terms collected from the score modules,
then scaled to integers with a known worst-case rounding error.

Each score module returns `Terms`: (variable, coefficient, largest value)
items and a constant, such that score = constant + sum(coef * value) exactly.
`scale` merges coefficients per variable, multiplies by a power of ten and
rounds; `error` bounds |exact score - integer objective / factor - constant|
over every assignment of the variables, so `bound / factor + constant + error`
is a true upper bound on the exact score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

MAX_FACTOR = 10**6
TARGET_ERROR = 1e-7


@dataclass
class Terms:
    items: list[tuple[cp_model.IntVar, float, int]] = field(default_factory=list)
    constant: float = 0.0

    def add(self, var: cp_model.IntVar, coef: float, upper: int = 1) -> None:
        if coef:
            self.items.append((var, coef, upper))

    def extend(self, other: Terms) -> None:
        self.items.extend(other.items)
        self.constant += other.constant


@dataclass(frozen=True)
class ScaledObjective:
    variables: list[cp_model.IntVar]
    coefficients: list[int]
    factor: int
    constant: float
    error: float
    #: the largest value the integer objective can take (for a bound when
    #: the solver proves none)
    trivial_bound: int

    def expression(self) -> cp_model.LinearExprT:
        return cp_model.LinearExpr.weighted_sum(self.variables, self.coefficients)

    def to_score(self, objective: float) -> float:
        return objective / self.factor + self.constant


def scale(terms: Terms) -> ScaledObjective:
    merged: dict[int, list] = {}
    for var, coef, upper in terms.items:
        entry = merged.setdefault(var.index, [var, 0.0, upper])
        entry[1] += coef
        entry[2] = max(entry[2], upper)
    entries = [e for e in merged.values() if e[1]]
    coefs = np.array([e[1] for e in entries], dtype=np.float64)
    uppers = np.array([e[2] for e in entries], dtype=np.float64)

    def rounding_error(factor: int) -> float:
        scaled = coefs * factor
        return float(np.sum(np.abs(scaled - np.round(scaled)) * uppers)) / factor

    factor = 1
    while factor < MAX_FACTOR and rounding_error(factor) > TARGET_ERROR:
        factor *= 10
    coefficients = [int(k) for k in np.round(coefs * factor)]
    trivial = sum(max(0, k) * e[2] for k, e in zip(coefficients, entries, strict=True))
    return ScaledObjective(
        variables=[e[0] for e in entries],
        coefficients=coefficients,
        factor=factor,
        constant=terms.constant,
        error=rounding_error(factor),
        trivial_bound=trivial,
    )
