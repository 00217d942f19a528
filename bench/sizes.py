"""The size benchmark: generated scenarios S, M, L, XL solved against greedy.

Per size: generation seconds, the CP-SAT solve in a child process (wall
seconds, peak memory), its status, score, bound and gap, the fill rate, the
greedy baseline's score, fill rate and seconds, and the validator's verdict.

    python -m bench.sizes [--sizes S,M,L,XL] [--seed N]
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from solver import greedy, validate

from .child import solve_in_child
from .generate import SIZES, generate
from .report import format_table, machine_note, write_csv

#: The time limit of each size (issue 3's targets).
TIME_LIMITS = {"S": 5.0, "M": 30.0, "L": 120.0, "XL": 600.0}

COLUMNS = (
    "size", "volunteers", "sessions", "gen_s", "time_limit", "solve_s", "status",
    "score", "bound", "gap", "fill_rate", "greedy_score", "greedy_fill", "greedy_s",
    "vs_greedy", "peak_mb", "validator",
)  # fmt: skip


def gap(score: float | None, bound: float | None) -> float | None:
    """(bound - score) / |bound|, the relative distance to the proven bound."""
    if score is None or bound is None or bound == 0:
        return None
    return (bound - score) / abs(bound)


def verdict(problems: list[str]) -> str:
    return "ok" if not problems else f"{len(problems)} problems: {problems[0]}"


def run_size(size: str, seed: int, time_limit: float, workers: int | None) -> dict[str, Any]:
    started = time.perf_counter()
    doc = generate(size, seed)
    gen_seconds = time.perf_counter() - started

    started = time.perf_counter()
    baseline = greedy(doc)
    greedy_seconds = time.perf_counter() - started
    greedy_problems = validate(doc, baseline)

    child = solve_in_child(doc, time_limit=time_limit, workers=workers, seed=seed)
    result = child.result
    problems = validate(doc, result) if result.get("status") != "error" else ["solve failed"]
    if greedy_problems:
        problems = problems + [f"greedy: {p}" for p in greedy_problems]
    score, bound = result.get("score"), result.get("bound")
    greedy_score = baseline.get("score")
    return {
        "size": size,
        "volunteers": len(doc["volunteers"]),
        "sessions": len(doc["sessions"]),
        "gen_s": round(gen_seconds, 2),
        "time_limit": time_limit,
        "solve_s": round(child.wall_seconds, 1),
        "status": result.get("status"),
        "score": score,
        "bound": bound,
        "gap": gap(score, bound),
        "fill_rate": result.get("kpis", {}).get("fill_rate"),
        "greedy_score": greedy_score,
        "greedy_fill": baseline.get("kpis", {}).get("fill_rate"),
        "greedy_s": round(greedy_seconds, 2),
        "vs_greedy": score / greedy_score if score is not None and greedy_score else None,
        "peak_mb": round(child.peak_rss_mb),
        "validator": verdict(problems),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.sizes", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", default="S,M,L,XL", help="comma-separated, from S,M,L,XL")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--workers", type=int, default=None, help="CP-SAT workers (default: all cores)"
    )
    parser.add_argument(
        "--time-limit", type=float, default=None, help="override every size's limit"
    )
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        print(
            f"unknown sizes: {', '.join(unknown)} (choose from {', '.join(SIZES)})", file=sys.stderr
        )
        return 2

    print(f"sizes {','.join(sizes)}, seed {args.seed} ({machine_note()})")
    rows = []
    for size in sizes:
        limit = args.time_limit if args.time_limit is not None else TIME_LIMITS[size]
        row = run_size(size, args.seed, limit, args.workers)
        rows.append(row)
        print(
            f"  {size}: {row['status']} score {row['score']} gap {row['gap']}",
            file=sys.stderr,
            flush=True,
        )
    print(format_table(COLUMNS, rows))
    print(f"written to {write_csv('sizes', COLUMNS, rows)}")
    return 0 if all(r["validator"] == "ok" for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
