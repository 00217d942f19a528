"""H10, places: at no instant do more than `place.parallel` scheduled sessions
run at a place. One constraint per maximal clique of the options held there."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ..data import ModelData
from ..sweep import overlap_cliques
from ..variables import Expr, Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> None:
    held: dict[str, list[tuple[str, int, int, Expr]]] = defaultdict(list)
    for s in data.sessions:
        for o in data.usable[s.id]:
            option = s.options[o]
            if option.place is not None:
                lit: Expr = vars.y[s.id, o] if s.is_open else 1
                held[option.place].append((s.id, option.start, option.end, lit))
    for place_id, uses in held.items():
        parallel = data.scenario.place_by_id[place_id].parallel
        for clique in overlap_cliques([(start, end) for _, start, end, _ in uses]):
            if len({uses[i][0] for i in clique}) > parallel:
                model.add(cp_model.LinearExpr.sum([uses[i][3] for i in clique]) <= parallel)
