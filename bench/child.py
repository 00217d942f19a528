"""Solving in a child process, to measure its peak memory on its own.

The parent writes the scenario to a file and starts
`python -m bench.child SCENARIO RESULT --time-limit S ...`; the child solves
and writes the result plus its wall time. `os.wait4` hands the parent the
child's resource usage, whose `ru_maxrss` (KiB on Linux) is the peak
resident memory of that solve alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ChildSolve:
    result: dict[str, Any]
    wall_seconds: float  # around solver.solve inside the child (JSON loading excluded)
    peak_rss_mb: float
    exit_code: int


def solve_in_child(
    doc: dict[str, Any], *, time_limit: float, workers: int | None = None, seed: int = 0
) -> ChildSolve:
    """Solves `doc` with solver.solve in a fresh Python process."""
    with tempfile.TemporaryDirectory(prefix="medsam-bench-") as tmp:
        scenario_path = Path(tmp) / "scenario.json"
        result_path = Path(tmp) / "result.json"
        scenario_path.write_text(json.dumps(doc), encoding="utf-8")
        command = [
            sys.executable, "-m", "bench.child", str(scenario_path), str(result_path),
            "--time-limit", str(time_limit), "--seed", str(seed),
        ]  # fmt: skip
        if workers is not None:
            command += ["--workers", str(workers)]
        process = subprocess.Popen(command, cwd=REPO_ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        peak_mb = usage.ru_maxrss / 1024.0
        if process.returncode != 0 or not result_path.exists():
            return ChildSolve({"status": "error"}, float("nan"), peak_mb, process.returncode)
        payload = json.loads(result_path.read_text(encoding="utf-8"))
        return ChildSolve(payload["result"], payload["wall_seconds"], peak_mb, 0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("scenario")
    parser.add_argument("result")
    parser.add_argument("--time-limit", type=float, required=True)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import solver

    with open(args.scenario, encoding="utf-8") as fh:
        doc = json.load(fh)
    started = time.perf_counter()
    result = solver.solve(doc, time_limit=args.time_limit, workers=args.workers, seed=args.seed)
    wall = time.perf_counter() - started
    with open(args.result, "w", encoding="utf-8") as fh:
        json.dump({"result": result, "wall_seconds": wall}, fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
