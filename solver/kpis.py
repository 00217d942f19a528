"""The `kpis` of a result: what a coordinator and the municipality look at."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .scenario import Option, Plan, Scenario
from .score import hours_by_volunteer, tally_assignments, unique_assignments


def gini(values: list[float]) -> float:
    """Gini coefficient of non-negative values: 0 when all are equal (or all
    zero), approaching 1 when one holds everything."""
    total = math.fsum(values)
    n = len(values)
    if n == 0 or total <= 0:
        return 0.0
    ranked = sorted(values)
    weighted = math.fsum((i + 1) * x for i, x in enumerate(ranked))
    return max(0.0, 2 * weighted / (n * total) - (n + 1) / n)


def compute_kpis(scenario: Scenario, plan: Plan, options: dict[str, Option]) -> dict[str, Any]:
    assignments = unique_assignments(plan)
    filled = Counter((a.session, a.role) for a in assignments)
    slots_min = filled_min = extra = missing = 0
    for session in scenario.sessions:
        if session.id not in options:
            continue
        for role in session.roles:
            n = filled[(session.id, role.name)]
            slots_min += role.min
            filled_min += min(n, role.min)
            extra += max(0, n - role.min)
            missing += max(0, role.min - n)
    tally = tally_assignments(scenario, assignments, options)
    hours = list(hours_by_volunteer(scenario, plan).values())
    in_plan = set(assignments)
    changes = None
    if scenario.previous:
        before = set(scenario.previous)
        changes = len(before - in_plan) + len(in_plan - before)
    count = len(assignments)
    return {
        "sessions_scheduled": len(options),
        "sessions_unscheduled": len(scenario.sessions) - len(options),
        "slots_min": slots_min,
        "filled_min": filled_min,
        "fill_rate": filled_min / slots_min if slots_min else 1.0,
        "slots_missing": missing,
        "extra_filled": extra,
        "assignments": count,
        "volunteers_used": len({a.volunteer for a in assignments}),
        "volunteers_total": len(scenario.volunteers),
        # Rates over the assignments; 0.0 when there are none.
        "interest_match_rate": tally.interest / count if count else 0.0,
        "preferred_match_rate": tally.preferred / count if count else 0.0,
        "travel_km_total": math.fsum(tally.distances),
        "hours_total": math.fsum(hours),
        "hours_max": max(hours, default=0.0),
        "hours_gini": gini(hours),
        "changes": changes,
    }
