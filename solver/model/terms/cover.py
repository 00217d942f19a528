"""cover_min · Σ min(n, r.min) + cover_extra · Σ max(0, n − r.min).

Both in one module because they share one variable: since
n = min(n, m) + max(0, n − m), the two terms equal
cover_extra · n + (cover_min − cover_extra) · min(n, m). The sum over x is
linear; min(n, m) is a bounded integer c with c <= n (and c <= m by its
domain), which is exact at any optimum when its coefficient is positive; a
negative one (cover_extra above cover_min) gets an exact min equality.
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Value, Variables, count_of


def _capped(rule: Callable[[Value], int], top: int, taken: int = 0) -> Callable[[Value], int]:
    return lambda value: min(top, taken + rule(value))


def _plus(rule: Callable[[Value], int], taken: int) -> Callable[[Value], int]:
    return lambda value: taken + rule(value)


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    weights = data.scenario.weights
    terms = Terms()
    per_cover = weights.cover_min - weights.cover_extra
    for s in data.sessions:
        for role in s.roles:
            people = [x for _, x in vars.role_people.get((s.id, role.name), [])]
            if not people:
                continue
            for x in people:
                terms.add(x, weights.cover_extra)
            # people held there outside the model (`ModelData.taken`): their
            # share of the terms is a constant, left out
            taken = data.taken.get((s.id, role.name), 0)
            top = min(role.min, taken + len(people))
            if top <= taken or not per_cover:
                continue
            covered = model.new_int_var(taken, top, f"covered[{s.id},{role.name}]")
            total = cp_model.LinearExpr.sum(people) + taken
            if per_cover > 0 and (role.max <= role.min or taken + len(people) <= role.min):
                # n can never exceed min here (H8), so c = n exactly; the equality
                # lets CP-SAT prove bounds it cannot with c <= n (SMPTSP: optimal
                # in seconds instead of never).
                model.add(covered == total)
            elif per_cover > 0:
                model.add(covered <= total)
            else:
                n = model.new_int_var(taken, taken + len(people), f"n[{s.id},{role.name}]")
                model.add(n == total)
                vars.derive(n, _plus(count_of(people), taken))
                model.add_min_equality(covered, [n, role.min])
            vars.derive(covered, _capped(count_of(people), top, taken))
            terms.add(covered, per_cover, top)
    return terms
