"""The solver's own process: `python -m medsam_match.jobs.solve_child [SCENARIO [RESULT]]`.

Reads a scenario (from stdin, or the file SCENARIO), solves it, and writes
one JSON line per improvement to stdout (`{"progress": ...}`) so the parent
can show progress, then the result: as the last line `{"result": ...}`, or
into the file RESULT when one is named. A rejected scenario ends with
`{"problems": [...]}` and exit code 2.

Imports only the solver, never Flask or the database (the package
`medsam_match` and `medsam_match.jobs` import nothing heavy at import time),
so it starts fast, and a crash or a memory blow-up here cannot take the web
service down. tests/jobs/test_import_purity.py holds it to that.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", nargs="?", default="-", help="a file, or - for stdin")
    parser.add_argument("result", nargs="?", default="-", help="a file, or - for stdout")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import solver

    if args.scenario == "-":
        doc = json.load(sys.stdin)
    else:
        with open(args.scenario, encoding="utf-8") as handle:
            doc = json.load(handle)

    def progress(event: dict) -> None:  # type: ignore[type-arg]
        print(json.dumps({"progress": event}), flush=True)

    try:
        result = solver.solve(
            doc, time_limit=args.time_limit, workers=args.workers, seed=args.seed,
            progress=progress,
        )
    except solver.ScenarioError as error:
        print(json.dumps({"problems": error.problems}), flush=True)
        return 2
    if args.result == "-":
        print(json.dumps({"result": result}), flush=True)
    else:
        with open(args.result, "w", encoding="utf-8") as handle:
            json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
