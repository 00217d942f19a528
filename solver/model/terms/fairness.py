"""−fairness · Σ_v h(v)².

Exact: hours are counted in whole units of the greatest common divisor of all
option durations, so h(v) = unit · H(v) with H an integer variable and
H² = H · H. The lines H² >= (2k+1)·H − k·(k+1) hold at every integer H and
are tight at H = k and k+1; when the weight is positive (the square is pushed
down) and H is small, all of them together are H² exactly, which the LP
relaxation likes far better than a product. A floor H² >= Σ u_i²·p_i over
the 0/1 parts (each session's hours, squared) holds too, and keeps an LP from
spreading hours thinly to dodge the square. Otherwise a multiplication
equality is exact, and a few of the lines help its relaxation.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ortools.sat.python import cp_model

from ..data import ModelData
from ..objective import Terms
from ..variables import Value, Variables, weighted_count

#: name of the per-volunteer floor H² >= Σ u_i² · part_i (kept in the LP bound)
FLOOR = "fairness floor"
MAX_TANGENTS = 12
#: up to this many units of hours, H² is modelled by all its lines (no product)
MAX_EXACT_LINES = 64


def hour_unit_seconds(data: ModelData) -> int:
    durations = [o.end - o.start for s in data.sessions for o in s.options]
    return math.gcd(*durations) if durations else 3600


def _squared(var: cp_model.IntVar) -> Callable[[Value], int]:
    return lambda value: value(var) ** 2


def build(data: ModelData, model: cp_model.CpModel, vars: Variables) -> Terms:
    weight = data.scenario.weights.fairness
    terms = Terms()
    if not weight:
        return terms
    unit = hour_unit_seconds(data)
    per_square = weight * (unit / 3600.0) ** 2
    for v in data.volunteers:
        work = vars.attendance(v.id)
        if not work:
            continue
        if len(work) == 1:  # H is 0 or one duration: H² is linear in it
            units = (work[0].option.end - work[0].option.start) // unit
            for part in work[0].parts:
                terms.add(part, -per_square * units * units)
            continue
        longest: dict[str, int] = {}
        for w in work:
            longest[w.session] = max(longest.get(w.session, 0), (w.option.end - w.option.start) // unit)
        top = sum(longest.values())
        hours = model.new_int_var(0, top, f"hours[{v.id}]")
        weighted = [((w.option.end - w.option.start) // unit, part) for w in work for part in w.parts]
        model.add(hours == cp_model.LinearExpr.weighted_sum([p for _, p in weighted], [u for u, _ in weighted]))
        vars.derive(hours, weighted_count(weighted))
        square = model.new_int_var(0, top * top, f"hours_squared[{v.id}]")
        vars.derive(square, _squared(hours))
        # H = Σ u_i·p_i over 0/1 parts, so H² = Σ u_i²·p_i + (cross terms >= 0):
        # a floor that is linear in the parts and far stronger in any LP
        # relaxation than the lines below, which a fractional plan slips under
        model.add(
            square >= cp_model.LinearExpr.weighted_sum([p for _, p in weighted], [u * u for u, _ in weighted])
        ).with_name(FLOOR)
        if weight > 0 and top <= MAX_EXACT_LINES:
            # every line: their maximum is H² at each integer H, and the
            # objective pushes the square down onto it
            for k in range(top):
                model.add(square >= (2 * k + 1) * hours - k * (k + 1))
            terms.add(square, -per_square, top * top)
            continue
        model.add_multiplication_equality(square, [hours, hours])
        step = max(1, top // MAX_TANGENTS)
        for k in range(0, top, step):
            model.add(square >= (2 * k + 1) * hours - k * (k + 1))
        terms.add(square, -per_square, top * top)
    return terms
