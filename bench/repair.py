"""The repair benchmark: a published M plan, 5% of it declined, planned again.

The M scenario is solved once; a seeded 5% of its assignments are declined
(those pairs become `forbidden`), the rest is the `previous` plan, and the
scenario is solved again. A good repair refills the declined slots while
leaving the rest alone: changes = |previous \\ A| + |A \\ previous|, target
at most twice the declines, within 1 s (5 s limit). `--repeat 5` solves the
repair five times: `repair_s` is the median run's wall time (its row's other
figures are that run's), `repair_max_s` the slowest; `cp_sat_s` is CP-SAT's
share of the median run (presolve and search). `--compare` repairs the
same base a second time without the keep-and-fill model (the whole model's
search, as before it existed). `--confirmed 0.2` gives a seeded share of
the plan kept as `fixed` (confirmed or locked by a coordinator) instead of
`previous`; `kept_all` says whether every previous and fixed triple is in
the repaired plan.

    python -m bench.repair [--seed N] [--decline 0.05] [--confirmed 0.2] [--repeat 5] [--compare]
"""

from __future__ import annotations

import argparse
import copy
import importlib
import json
import random
import time
from pathlib import Path
from typing import Any

from medsam_match.services.planning_scenario import REPAIR_WEIGHTS
from solver import solve, validate

from .generate import generate
from .report import format_table, machine_note, write_csv
from .sizes import verdict

COLUMNS = (
    "size", "model", "base_s", "base_status", "assignments", "declines", "repair_s", "repair_max_s",
    "cp_sat_s", "time_limit",
    "status", "score", "changes", "changes_per_decline", "kept_all", "fill_before", "fill_after",
    "validator",
)  # fmt: skip


def declined_plan(
    doc: dict[str, Any], result: dict[str, Any], share: float, seed: int, confirmed: float = 0.0
) -> tuple[dict[str, Any], int]:
    """The scenario for the repair: a `share` of the result's assignments
    declined (forbidden), a `confirmed` share of the others `fixed`, the rest
    `previous`. Returns it and the declines."""
    assignments = sorted((a["volunteer"], a["session"], a["role"]) for a in result["assignments"])
    rng = random.Random(seed)
    declines = set(rng.sample(assignments, round(share * len(assignments))))
    repaired = copy.deepcopy(doc)
    # The weights the service gives a repair run (keep the plan, fill the holes).
    repaired["weights"] = {**repaired.get("weights", {}), **REPAIR_WEIGHTS}
    repaired["forbidden"] = [{"volunteer": v, "session": s} for v, s, _ in sorted(declines)]
    kept = [(v, s, r) for v, s, r in assignments if (v, s, r) not in declines]
    fixed = set(rng.sample(kept, round(confirmed * len(kept))))
    repaired["fixed"] = repaired.get("fixed", []) + [
        {"volunteer": v, "session": s, "role": r} for v, s, r in kept if (v, s, r) in fixed
    ]
    repaired["previous"] = [
        {"volunteer": v, "session": s, "role": r} for v, s, r in kept if (v, s, r) not in fixed
    ]
    return repaired, len(declines)


def changes(previous: list[dict[str, Any]], result: dict[str, Any]) -> int:
    before = {(p["volunteer"], p["session"], p["role"]) for p in previous}
    after = {(a["volunteer"], a["session"], a["role"]) for a in result["assignments"]}
    return len(before - after) + len(after - before)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.repair", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--size", default="M")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--decline", type=float, default=0.05, help="share of assignments declined")
    parser.add_argument(
        "--confirmed", type=float, default=0.0,
        help="share of the plan kept given as fixed (confirmed or locked)",
    )
    parser.add_argument("--base-time-limit", type=float, default=30.0)
    parser.add_argument("--time-limit", type=float, default=5.0, help="for the repair solve")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--save", metavar="PATH", help="write the repair's scenario there (JSON), to profile it",
    )
    parser.add_argument(
        "--repeat", type=int, default=1,
        help="repair solves of the same base (keep-and-fill): repair_s is their median",
    )
    parser.add_argument(
        "--compare", action="store_true",
        help="also repair without the keep-and-fill model (the whole model's search), same base",
    )
    args = parser.parse_args(argv)

    confirmed = f", {args.confirmed:.0%} of the rest confirmed" if args.confirmed else ""
    print(
        f"repair on {args.size}, {args.decline:.0%} declined{confirmed}, seed {args.seed} "
        f"({machine_note()})"
    )
    doc = generate(args.size, args.seed)
    started = time.perf_counter()
    base = solve(doc, time_limit=args.base_time_limit, workers=args.workers, seed=args.seed)
    base_seconds = time.perf_counter() - started
    repaired_doc, declines = declined_plan(doc, base, args.decline, args.seed, args.confirmed)
    if args.save:
        Path(args.save).write_text(json.dumps(repaired_doc))

    rows = []
    solve_module = importlib.import_module("solver.solve")
    for model in ("keep-and-fill", "whole") if args.compare else ("keep-and-fill",):
        threshold = solve_module.REPAIR_MODEL
        if model == "whole":  # as before the keep-and-fill model existed
            solve_module.REPAIR_MODEL = float("inf")
        try:
            runs = []
            for _ in range(args.repeat if model == "keep-and-fill" else 1):
                started = time.perf_counter()
                repaired = solve(
                    repaired_doc, time_limit=args.time_limit, workers=args.workers, seed=args.seed
                )
                runs.append((time.perf_counter() - started, repaired))
            repair_seconds, repaired = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
        finally:
            solve_module.REPAIR_MODEL = threshold
        problems = validate(repaired_doc, repaired)
        changed = changes(repaired_doc["previous"] + repaired_doc["fixed"], repaired)
        after = {(a["volunteer"], a["session"], a["role"]) for a in repaired["assignments"]}
        rows.append({
            "size": args.size,
            "model": repaired["solver"].get("repair", model),
            "base_s": round(base_seconds, 1),
            "base_status": base.get("status"),
            "assignments": len(base["assignments"]),
            "declines": declines,
            "repair_s": round(repair_seconds, 2),
            "repair_max_s": round(max(seconds for seconds, _ in runs), 2),
            "cp_sat_s": round(
                repaired["solver"]["phases"]["presolve"] + repaired["solver"]["phases"]["search"], 2
            ),
            "time_limit": args.time_limit,
            "status": repaired.get("status"),
            "score": round(repaired["score"], 1),
            "changes": changed,
            "changes_per_decline": changed / declines if declines else None,
            "kept_all": all(
                (p["volunteer"], p["session"], p["role"]) in after
                for p in repaired_doc["previous"] + repaired_doc["fixed"]
            ),
            "fill_before": base.get("kpis", {}).get("fill_rate"),
            "fill_after": repaired.get("kpis", {}).get("fill_rate"),
            "validator": verdict(problems),
        })
    print(format_table(COLUMNS, rows))
    print(f"written to {write_csv('repair', COLUMNS, rows)}")
    return 0 if all(r["validator"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
