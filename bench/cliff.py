"""The cliff benchmark: M at growing time limits, on the machine as it is and
with a 2-thread CPU hog beside the solve (the machine made about twice as slow).

The solver must improve on greedy from the first seconds whatever its LP
relaxation does: the score never falls to greedy's and grows with the limit.
Each row is one solve in a child process (`bench.child`), validated by
`solver.validate`; the load average is printed per row, since the machine
may be shared.

    python -m bench.cliff [--size M] [--seed 1] [--limits 10,20,30,60] [--hog both|off|on]
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

from solver import greedy, validate

from .child import solve_in_child
from .generate import SIZES, generate
from .hog import start_hog, stop_hog
from .report import format_table, machine_note, write_csv
from .sizes import gap

COLUMNS = (
    "size", "seed", "hog", "time_limit", "solve_s", "load", "status", "score",
    "greedy_score", "vs_greedy", "bound", "gap", "lp", "validator",
)  # fmt: skip

#: seconds the hog may outlive the solve it was started for (it stops itself)
HOG_SLACK = 15.0


def run(doc: dict[str, Any], baseline: dict[str, Any], *, limit: float, hog: bool,
        workers: int, seed: int) -> dict[str, Any]:
    process = start_hog(2, limit + HOG_SLACK) if hog else None
    try:
        if process is not None:
            time.sleep(0.5)  # let the hog get going
        load = os.getloadavg()[0]
        child = solve_in_child(doc, time_limit=limit, workers=workers, seed=seed)
    finally:
        if process is not None:
            stop_hog(process)
    result = child.result
    problems = validate(doc, result) if result.get("status") != "error" else ["solve failed"]
    score, bound = result.get("score"), result.get("bound")
    phases = result.get("solver", {}).get("phases", {})
    return {
        "hog": "2 threads" if hog else "none",
        "time_limit": limit,
        "solve_s": round(child.wall_seconds, 1),
        "load": round(max(load, os.getloadavg()[0]), 1),
        "status": result.get("status"),
        "score": score,
        "greedy_score": baseline["score"],
        "vs_greedy": score / baseline["score"] if score is not None else None,
        "bound": bound,
        "gap": gap(score, bound),
        # whether the LP relaxation arrived (its seconds), from the phases
        "lp": phases.get("bound"),
        "validator": "ok" if not problems else f"{len(problems)} problems: {problems[0]}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cliff", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="M", choices=SIZES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limits", default="10,20,30,60")
    parser.add_argument("--hog", default="both", choices=("both", "off", "on"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    limits = [float(x) for x in args.limits.split(",") if x.strip()]
    hogs = {"both": (False, True), "off": (False,), "on": (True,)}[args.hog]

    print(f"cliff on {args.size} seed {args.seed}, {args.workers} workers ({machine_note()})")
    doc = generate(args.size, args.seed)
    baseline = greedy(doc)
    rows = []
    for hog in hogs:
        for limit in limits:
            row = {"size": args.size, "seed": args.seed} | run(
                doc, baseline, limit=limit, hog=hog, workers=args.workers, seed=args.seed
            )
            rows.append(row)
            print(f"  {row['hog']} {limit:g} s: score {row['score']} (greedy {baseline['score']}), "
                  f"gap {row['gap']}, load {row['load']}", flush=True)
    print(format_table(COLUMNS, rows))
    print(f"written to {write_csv('cliff', COLUMNS, rows)}")
    above = all(r["score"] is not None and r["score"] > r["greedy_score"] for r in rows)
    return 0 if above and all(r["validator"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
