"""H7: per ISO week, a volunteer's hours and sessions stay within their limits.

Hours are compared in whole seconds, so the limit is exact; a limit that the
volunteer's possible work cannot reach adds no constraint. The session count
is capped also by how many sessions the hour limit can hold (a cut).
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from ..data import ModelData
from ..variables import Variables


def _fitting(max_hours: float | None, work: list[tuple[str, int, cp_model.IntVar]]) -> int:
    """How many sessions the hour limit lets into one week at most: the
    shortest ones first. Implied by the hour limit for 0/1 work, but the
    count says it in a way LP relaxations cannot slip under."""
    shortest: dict[str, int] = {}
    for s, seconds, _ in work:
        shortest[s] = min(shortest.get(s, seconds), seconds)
    if max_hours is None:
        return len(shortest)
    room = math.floor(max_hours * 3600 + 1e-6)
    count = 0
    for seconds in sorted(shortest.values()):
        if seconds > room:
            break
        room -= seconds
        count += 1
    return count


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
            sessions = len({s for s, _, _ in work})
            count_limit = _fitting(v.max_hours_per_week, work)
            if v.max_sessions_per_week is not None:
                count_limit = min(count_limit, v.max_sessions_per_week)
            if sessions > count_limit:
                model.add(cp_model.LinearExpr.sum([lit for _, _, lit in work]) <= count_limit)
