"""volunteer_used · |{v : v has an assignment}|.

A bool per volunteer: bounded above by the sum of their x when the weight
rewards use, forced up by each x when it penalises use; exact at the optimum
either way.

When use is penalised (fewest people, as in the SMPTSP benchmark), each of a
volunteer's overlap cliques also gets `sum(clique) <= used`: the same integer
solutions, but a far stronger LP (with every slot covered it proves "at least
as many people as sessions at the busiest instant"), which is what lets the
solver prove such optima instead of only finding them.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..sweep import overlap_cliques
from ..variables import Variables, any_of


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    weight = data.scenario.weights.volunteer_used
    terms = Terms()
    if not weight:
        return terms
    xs: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for a, x in vars.x.items():
        xs[a.volunteer].append(x)
    for v, own in xs.items():
        used = model.new_bool_var(f"used[{v}]")
        if weight > 0:
            model.add(used <= cp_model.LinearExpr.sum(own))
        else:
            for x in own:
                model.add_implication(x, used)
            _cliques_need_use(data, model, vars, v, used)
        vars.derive(used, any_of(own))
        terms.add(used, weight)
    return terms


def _cliques_need_use(
    data: ModelData, model: cp_model.CpModel, vars: Variables, volunteer: str,
    used: cp_model.IntVar,
) -> None:
    work = vars.attendance(volunteer)
    if len(work) < 2:
        return
    for clique in overlap_cliques([(w.option.start, w.option.end) for w in work]):
        if len({work[i].session for i in clique}) >= 2:
            # sum(clique) <= used, written as one at-most-one with `not used`
            # (the same inequality): presolve then drops H6's at-most-one of
            # the same clique as dominated instead of carrying both
            model.add_at_most_one([*(p for i in clique for p in work[i].parts), used.Not()])
