"""H6, second half: no two of a volunteer's sessions overlap.

One at-most-one per maximal clique of the volunteer's possible work intervals
(fixed sessions and the options of open sessions they may work at), not one
per pair. Two options of the same open session may share a clique: only one
of them can be chosen anyway.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..data import ModelData
from ..sweep import overlap_cliques
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> None:
    for v in data.volunteers:
        work = vars.attendance(v.id)
        if len(work) < 2:
            continue
        for clique in overlap_cliques([(w.option.start, w.option.end) for w in work]):
            if len({work[i].session for i in clique}) >= 2:
                model.add_at_most_one(p for i in clique for p in work[i].parts)
