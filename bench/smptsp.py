"""The SMPTSP benchmark (Krishnamoorthy, Ernst & Baatar 2012, "ptask" set).

Each instance: tasks with fixed times, each done by exactly one qualified
worker, no worker on two overlapping tasks; minimise the workers used. As a
scenario: a worker is a volunteer with the skill `q<task>` for every task it
is qualified for; a task is a fixed session (no place) with one role
`shift`, min = max = 1, needing that skill. Only eligible (volunteer, task)
pairs become model variables, so this keeps the model as small as the
qualification lists. Weights: `cover_min` 100000 (every task covered first),
`volunteer_used` -1 (then as few workers as possible), all others 0, so

    objective = workers used = 100000 * tasks covered - score.

The data stays in ../shared/benchmarks/smptsp_keb2012/ (relative to the
repository root; `MEDSAM_BENCHMARKS_DIR` points elsewhere). Run:

    python -m bench.smptsp [--only NAME,..] [--time-limit 60] [--proven-only]
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from solver import solve, validate

from .report import format_table, machine_note, write_csv

REPO_ROOT = Path(__file__).resolve().parent.parent
SET_NAME = "smptsp_keb2012"
#: Task times are minutes after this instant (a Monday, UTC).
EPOCH = datetime(2027, 1, 4, tzinfo=UTC)
COVER_WEIGHT = 100_000
WEIGHTS = {
    "cover_min": COVER_WEIGHT, "cover_extra": 0, "interest": 0, "preferred": 0,
    "travel_km": 0, "fairness": 0, "volunteer_used": -1, "continuity": 0, "stability": 0,
}  # fmt: skip


def benchmarks_dir() -> Path:
    """The shared benchmark folder: $MEDSAM_BENCHMARKS_DIR or ../shared/benchmarks."""
    override = os.environ.get("MEDSAM_BENCHMARKS_DIR")
    return Path(override) if override else REPO_ROOT.parent / "shared" / "benchmarks"


def set_dir() -> Path:
    return benchmarks_dir() / SET_NAME


def instance_path(name: str) -> Path:
    return set_dir() / "instances" / f"{name}.dat"


@dataclass(frozen=True)
class Instance:
    name: str
    tasks: tuple[tuple[int, int], ...]  # (start, end) in minutes, half-open
    qualified: tuple[tuple[int, ...], ...]  # per worker, the tasks it may do


@dataclass(frozen=True)
class Reference:
    name: str
    workers: int
    tasks: int
    lb: int
    ub: int | None  # None where the table has no solution
    proven_optimal: bool
    file_included: bool


def read_instance(path: str | Path) -> Instance:
    """Parses a .dat file: `Jobs = N` + N lines `start end`, then
    `Qualifications = W` + W entries `k: j1 .. jk` (0-based task indices)."""
    path = Path(path)
    tokens: list[str] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.split("#", 1)[0].strip()
            if line:
                tokens.extend(line.replace("=", " = ").replace(":", " : ").split())
    pos = 0

    def expect_header(word: str) -> int:
        nonlocal pos
        while pos < len(tokens) and tokens[pos] != word:
            pos += 1
        if pos + 2 >= len(tokens) or tokens[pos + 1] != "=":
            raise ValueError(f"{path.name}: no '{word} =' line")
        pos += 3
        return int(tokens[pos - 1])

    jobs = expect_header("Jobs")
    tasks = []
    for j in range(jobs):
        start, end = int(tokens[pos]), int(tokens[pos + 1])
        if end <= start:
            raise ValueError(f"{path.name}: task {j} ends at {end}, not after its start {start}")
        tasks.append((start, end))
        pos += 2
    workers = expect_header("Qualifications")
    qualified = []
    for w in range(workers):
        count = int(tokens[pos])
        if tokens[pos + 1] != ":":
            raise ValueError(f"{path.name}: worker {w}: expected 'k:'")
        ids = tuple(int(t) for t in tokens[pos + 2 : pos + 2 + count])
        if len(ids) != count or any(not 0 <= j < jobs for j in ids):
            raise ValueError(f"{path.name}: worker {w}: bad qualification list")
        qualified.append(ids)
        pos += 2 + count
    return Instance(path.stem, tuple(tasks), tuple(qualified))


def _at(minute: int) -> str:
    return (EPOCH + timedelta(minutes=minute)).isoformat().replace("+00:00", "Z")


def to_scenario(instance: Instance) -> dict[str, Any]:
    """The instance as a medsam-scenario/1 document."""
    sessions = [
        {
            "id": f"t{j}",
            "activity": "task",
            "start": _at(start),
            "end": _at(end),
            "roles": [{"role": "shift", "min": 1, "max": 1, "skills": [f"q{j}"]}],
        }
        for j, (start, end) in enumerate(instance.tasks)
    ]
    volunteers = [
        {"id": f"w{w}", "skills": sorted({f"q{j}" for j in tasks})}
        for w, tasks in enumerate(instance.qualified)
    ]
    return {
        "format": "medsam-scenario/1",
        "name": f"SMPTSP {instance.name}",
        "timezone": "UTC",
        "weights": dict(WEIGHTS),
        "places": [],
        "activities": [{"id": "task", "title": "task"}],
        "sessions": sessions,
        "volunteers": volunteers,
    }


def load_instance(path: str | Path) -> dict[str, Any]:
    """One SMPTSP .dat file converted into a medsam-scenario/1 document."""
    return to_scenario(read_instance(path))


def reference_bounds() -> dict[str, Reference]:
    """The reference table (reference_bounds_sat2014.csv), by instance name."""
    table = {}
    with open(set_dir() / "reference_bounds_sat2014.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ub = row["ub"].strip()
            table[row["instance"]] = Reference(
                name=row["instance"],
                workers=int(row["workers"]),
                tasks=int(row["tasks"]),
                lb=int(row["lb"]),
                ub=int(ub) if ub.isdigit() else None,
                proven_optimal=row["proven_optimal"].strip() == "yes",
                file_included=row["file_included"].strip() == "yes",
            )
    return table


def workers_used(doc: dict[str, Any], result: dict[str, Any]) -> int | None:
    """The SMPTSP objective of a result, or None when a task is left uncovered."""
    covered = {a["session"] for a in result.get("assignments", [])}
    if len(covered) < len(doc["sessions"]):
        return None
    return len({a["volunteer"] for a in result["assignments"]})


def verdict(objective: int | None, ref: Reference) -> str:
    if objective is None:
        return "TASKS UNCOVERED"
    if objective < ref.lb:
        return "BELOW LB (bug)"
    if ref.proven_optimal and objective == ref.lb:
        return "= optimum"
    if ref.ub is None:
        return "no reference ub"
    if objective > ref.ub:
        return "above ub"
    return "within [lb,ub]"


COLUMNS = (
    "instance", "workers", "tasks", "lb", "ub", "objective", "bound",
    "seconds", "status", "verdict", "validator",
)  # fmt: skip


def run_instance(ref: Reference, time_limit: float, workers: int | None) -> dict[str, Any]:
    doc = load_instance(instance_path(ref.name))
    started = time.perf_counter()
    result = solve(doc, time_limit=time_limit, workers=workers)
    seconds = time.perf_counter() - started
    objective = workers_used(doc, result)
    problems = validate(doc, result)
    bound = result.get("bound")
    tasks = len(doc["sessions"])
    return {
        "instance": ref.name,
        "workers": ref.workers,
        "tasks": ref.tasks,
        "lb": ref.lb,
        "ub": ref.ub,
        "objective": objective,
        # The score bound as a lower bound on workers: 100000 * tasks - bound.
        "bound": None if bound is None else max(0, round(COVER_WEIGHT * tasks - bound)),
        "seconds": round(seconds, 2),
        "status": result.get("status"),
        "verdict": verdict(objective, ref),
        "validator": "ok" if not problems else f"{len(problems)} problems: {problems[0]}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.smptsp", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--only", help="comma-separated instance names (default: every file present)"
    )
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument(
        "--proven-only", action="store_true", help="only instances with a proven optimum"
    )
    args = parser.parse_args(argv)

    if not set_dir().is_dir():
        print(f"no SMPTSP data at {set_dir()} (set MEDSAM_BENCHMARKS_DIR)", file=sys.stderr)
        return 2
    refs = reference_bounds()
    chosen = [r for r in refs.values() if instance_path(r.name).exists()]
    if args.only:
        names = [n.strip().removesuffix(".dat") for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in refs or not instance_path(n).exists()]
        if unknown:
            print(f"unknown or missing instances: {', '.join(unknown)}", file=sys.stderr)
            return 2
        chosen = [refs[n] for n in names]
    if args.proven_only:
        chosen = [r for r in chosen if r.proven_optimal]

    print(f"SMPTSP, {len(chosen)} instances, time limit {args.time_limit:g} s ({machine_note()})")
    rows = []
    for ref in chosen:
        row = run_instance(ref, args.time_limit, args.workers)
        rows.append(row)
        print(
            f"  {ref.name}: {row['objective']} (lb {ref.lb}, ub {ref.ub}) "
            f"{row['status']} {row['seconds']} s {row['verdict']}",
            file=sys.stderr,
            flush=True,
        )
    print(format_table(COLUMNS, rows))
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["verdict"]] = counts.get(row["verdict"], 0) + 1
    print("summary: " + ", ".join(f"{v}: {n}" for v, n in sorted(counts.items())))
    print(f"written to {write_csv('smptsp', COLUMNS, rows)}")
    bad = counts.get("BELOW LB (bug)", 0) + sum(1 for r in rows if r["validator"] != "ok")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
