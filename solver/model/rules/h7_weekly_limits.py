"""H7: per ISO week, a volunteer's hours and sessions stay within their limits.

Hours are compared in whole seconds, so the limit is exact; a limit that the
volunteer's possible work cannot reach adds no constraint.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from ..data import ModelData
from ..variables import Variables


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> None:
    for v in data.volunteers:
        if v.max_hours_per_week is None and v.max_sessions_per_week is None:
            continue
        weeks: dict[tuple[int, int], list[tuple[str, int, cp_model.IntVar]]] = defaultdict(list)
        for w in vars.attendance(v.id):
            for part in w.parts:
                weeks[w.option.iso_week].append((w.session, w.option.end - w.option.start, part))
        for work in weeks.values():
            if v.max_hours_per_week is not None:
                limit = math.floor(v.max_hours_per_week * 3600 + 1e-6)
                # the most one week can hold: the longest option of each session
                longest: dict[str, int] = {}
                for s, seconds, _ in work:
                    longest[s] = max(longest.get(s, 0), seconds)
                if sum(longest.values()) > limit:
                    model.add(
                        cp_model.LinearExpr.weighted_sum(
                            [lit for _, _, lit in work], [seconds for _, seconds, _ in work]
                        ) <= limit
                    )
            if v.max_sessions_per_week is not None:
                if len({s for s, _, _ in work}) > v.max_sessions_per_week:
                    model.add(cp_model.LinearExpr.sum([lit for _, _, lit in work]) <= v.max_sessions_per_week)
