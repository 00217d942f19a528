"""Our solver and a peer optimiser on the same scenarios, the same time limit.

    python -m bench.peers [--sizes S,P,M] [--seed 1] [--time-limit N] [--workers 2]

Each generated scenario is made fixed-session (`fixed_sessions`: every open
session held at its first option, the subset the peer can express) and then
solved by `solver.solve` (in a child process, as in bench.sizes) and by
Timefold Solver for Python (`timefold_model.py`, in this process, after a
warm-up that starts the JVM and compiles its classes; it needs the optional
extra `peer` and a Java 17 runtime, `java` on the PATH; the community
edition searches on one thread). Both
plans are checked by `solver.validate` and scored by the format's formulas.
P is 400 volunteers and 240 sessions. A missing Timefold or Java skips the
peer with a message; our solver's row is still printed.
"""

from __future__ import annotations

import argparse
import shutil
import time
from typing import Any

from solver import validate

from ..child import solve_in_child
from ..generate import generate
from ..report import format_table, machine_note, write_csv
from ..sizes import TIME_LIMITS, gap, verdict
from .timefold_model import fixed_sessions, solve_with_timefold, warm_up

COLUMNS = (
    "size", "seed", "time_limit", "solver", "wall_s", "status", "score", "bound", "gap",
    "fill_rate", "vs_peer", "validator",
)  # fmt: skip
#: the peer scenario's limit (between S's 5 s and M's 30 s)
LIMITS = {**TIME_LIMITS, "P": 15.0}


def peer_missing() -> str | None:
    """Why the peer cannot run here (None: it can)."""
    try:
        import timefold.solver  # noqa: F401
    except ImportError:
        return "Timefold is not installed (pip install -e '.[peer]')"
    if shutil.which("java") is None:
        return "no Java runtime on the PATH (Debian: apt-get install openjdk-17-jre-headless)"
    return None


def _row(size: str, seed: int, limit: float, name: str, doc: dict[str, Any],
         result: dict[str, Any], wall: float) -> dict[str, Any]:
    problems = validate(doc, result) if result.get("status") in ("optimal", "feasible") else ["no plan"]
    bound = result.get("bound")
    score = result.get("score")
    return {
        "size": size, "seed": seed, "time_limit": limit, "solver": name,
        "wall_s": round(wall, 1), "status": result.get("status"), "score": score,
        "bound": bound, "gap": gap(score, bound), "fill_rate": result.get("kpis", {}).get("fill_rate"),
        "validator": verdict(problems),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,P,M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None, help="override every size's limit")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    missing = peer_missing()
    print(f"peers ({machine_note()}); peer: {missing or 'Timefold Solver for Python'}")
    if not missing:
        warm_up()  # the JVM's start and Timefold's compilation, not timed
    rows = []
    for size in args.sizes.split(","):
        limit = args.time_limit if args.time_limit is not None else LIMITS[size]
        doc = fixed_sessions(generate(size, args.seed))
        ours = solve_in_child(doc, time_limit=limit, workers=args.workers, seed=args.seed)
        mine = _row(size, args.seed, limit, f"cp-sat ({args.workers} workers)", doc, ours.result,
                    ours.wall_seconds)
        rows.append(mine)
        if missing:
            continue
        started = time.perf_counter()
        theirs = solve_with_timefold(doc, limit)
        peer = _row(size, args.seed, limit, "timefold (1 thread)", doc, theirs,
                    time.perf_counter() - started)
        if peer["score"] and mine["score"] is not None:
            mine["vs_peer"] = mine["score"] / peer["score"]
        rows.append(peer)
        print(format_table(COLUMNS, rows[-2:]), flush=True)
    print(format_table(COLUMNS, rows))
    print(f"written to {write_csv('peers', COLUMNS, rows)}")
    broken = [r for r in rows if r["validator"] != "ok" and r["solver"].startswith("cp-sat")]
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
