"""Repairs of large parts under weights that keep the plan: the model is
narrowed to the previous plan and the slots with room, and the solve ends
when that model is closed, not at its time limit."""

from __future__ import annotations

import copy
import importlib
import random
from typing import Any

import pytest

from bench.generate import generate
from solver import greedy, solve, validate

solve_module = importlib.import_module("solver.solve")


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


def test_a_repair_keeps_the_plan_refills_and_ends_without_the_lp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(solve_module, "LARGE_MODEL", 0)  # S goes the way M does
    doc = generate("S", 2)
    base = solve(doc, time_limit=5.0, workers=2, seed=2)
    repaired = _declined(doc, base, 0.1)
    result = solve(repaired, time_limit=20.0, workers=2, seed=2)

    assert validate(repaired, result) == []
    assert result["score"] >= greedy(repaired)["score"] - 1e-6
    before = {(p["volunteer"], p["session"], p["role"]) for p in repaired["previous"]}
    after = {(a["volunteer"], a["session"], a["role"]) for a in result["assignments"]}
    assert before <= after  # nobody planned was moved or dropped
    declined = {(f["volunteer"], f["session"]) for f in repaired["forbidden"]}
    assert not {(v, s) for v, s, _ in after} & declined
    # closed on the narrowed model: no LP relaxation was started, and the
    # solve did not run to its limit
    assert result["solver"]["phases"]["bound"] == 0
    assert result["solver"]["seconds"] < 20.0
