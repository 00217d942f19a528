"""Repairs: when time runs out before the search gets anywhere, the previous
plan (declines taken out) is the answer if it keeps every hard rule, not the
greedy plan that would move many planned people."""

from __future__ import annotations

import copy
import random
from typing import Any

from bench.generate import generate
from solver import greedy, solve, validate


def _declined(doc: dict[str, Any], result: dict[str, Any], share: float) -> dict[str, Any]:
    assignments = sorted((a["volunteer"], a["session"], a["role"]) for a in result["assignments"])
    declines = set(random.Random(1).sample(assignments, max(1, round(share * len(assignments)))))
    repaired = copy.deepcopy(doc)
    repaired["weights"] = {**repaired.get("weights", {}), "stability": 1500}
    repaired["forbidden"] = [{"volunteer": v, "session": s} for v, s, _ in sorted(declines)]
    repaired["previous"] = [
        {"volunteer": v, "session": s, "role": r} for v, s, r in assignments if (v, s, r) not in declines
    ]
    return repaired


def test_out_of_time_a_repair_keeps_the_previous_plan() -> None:
    doc = generate("S", 2)
    base = solve(doc, time_limit=5.0, workers=2, seed=2)
    repaired = _declined(doc, base, 0.1)
    result = solve(repaired, time_limit=0.01, workers=2, seed=2)  # no time to search

    assert validate(repaired, result) == []
    assert result["score"] >= greedy(repaired)["score"]
    before = {(p["volunteer"], p["session"], p["role"]) for p in repaired["previous"]}
    after = {(a["volunteer"], a["session"], a["role"]) for a in result["assignments"]}
    assert before == after  # nobody planned was moved or dropped
