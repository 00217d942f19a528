"""The solver's own process: `python -m medsam_match.jobs.solve_child SCENARIO RESULT`.

Reads a scenario file, solves it and writes the result file; one JSON line per
improvement goes to stdout so the parent can show progress. Imports only the
solver, never Flask or the database, so a crash or a memory blow-up here
cannot take the web service down.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario")
    parser.add_argument("result")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import solver

    with open(args.scenario, encoding="utf-8") as handle:
        doc = json.load(handle)

    def progress(event: dict) -> None:
        print(json.dumps({"progress": event}), flush=True)

    try:
        result = solver.solve(
            doc, time_limit=args.time_limit, workers=args.workers, seed=args.seed,
            progress=progress,
        )
    except solver.ScenarioError as error:
        print(json.dumps({"problems": error.problems}), flush=True)
        return 2
    with open(args.result, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
