"""The run queue under one busy centre: how long does another centre wait?

Centre A queues `--runs` runs (the queued-runs limit raised for the
benchmark), then centre B queues one, then centre C gets its nightly run.
One worker executes them as the service does (`run_pending`: claim, build
the scenario, solve in a child process, publish). The centres are small
(a few sessions and volunteers), so every run is a real but short one.

The same queue is drained twice: with the service's fair policy (the centre
served least recently first) and with the policy before it (oldest queued
run first), by swapping the function that orders the ready centres. For B
and C the table shows how many runs went before theirs and the seconds from
their request to their run's start.

    python -m bench.fairness [--runs 20] [--time-limit 1]

Prints the table and writes bench/results/fairness-<time>.csv.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.planning import make_app, sqlite_database

RESULTS = Path(__file__).resolve().parent / "results"
START = datetime(2030, 1, 7, 15, 0, tzinfo=UTC)


def _centre(name: str, municipality_id: int) -> int:
    from medsam_match.extensions import db
    from medsam_match.models import Activity, Centre, Session, Volunteer

    centre = Centre(municipality_id=municipality_id, name=name)
    db.session.add(centre)
    db.session.flush()
    activity = Activity(centre_id=centre.id, title="Språkkafé",
                        roles=[{"role": "helper", "min": 1, "max": 2}])
    db.session.add(activity)
    db.session.flush()
    week = [{"weekday": d, "start": "08:00", "end": "22:00"} for d in range(7)]
    for day in range(3):
        start = START + timedelta(days=day)
        db.session.add(Session(activity_id=activity.id, start=start,
                               end=start + timedelta(hours=2), status="planned",
                               window_start=start, window_end=start + timedelta(hours=2)))
    for i in range(4):
        db.session.add(Volunteer(centre_id=centre.id, name=f"{name} {i}",
                                 weekly_availability=week))
    db.session.commit()
    return centre.id


def _oldest_first(now: datetime, limit: int = 20) -> list[int]:
    """The order before the fair queue: the centre of the oldest queued run first."""
    from sqlalchemy import func, select

    from medsam_match.extensions import db
    from medsam_match.models import MatchRun
    from medsam_match.services.runs.fairness import _due

    busy = select(MatchRun.centre_id).where(MatchRun.status == "running")
    rows = db.session.execute(
        select(MatchRun.centre_id, func.min(MatchRun.created_at).label("oldest"))
        .where(_due(now), MatchRun.centre_id.not_in(busy))
        .group_by(MatchRun.centre_id)
        .order_by("oldest")
        .limit(limit)
    ).all()
    return [row[0] for row in rows]


@contextmanager
def policy(order: Callable[..., list[int]] | None) -> Iterator[None]:
    from medsam_match.services.runs import claim

    original = claim.ready_centres
    if order is not None:
        claim.ready_centres = order  # type: ignore[assignment]
    try:
        yield
    finally:
        claim.ready_centres = original  # type: ignore[assignment]


def drain(runs: int, time_limit: float, order: Callable[..., list[int]] | None) -> dict[str, Any]:
    from medsam_match.auth import Principal
    from medsam_match.extensions import db
    from medsam_match.jobs.worker import run_pending
    from medsam_match.models import MatchRun, Municipality
    from medsam_match.services import runs as service

    with sqlite_database() as url:
        app = make_app(url)
        app.config["MEDSAM_MAX_QUEUED_RUNS_PER_CENTRE"] = runs + 1
        with app.app_context():
            municipality = Municipality(name="Arendal", country="NO", timezone="Europe/Oslo",
                                        locale="nb")
            db.session.add(municipality)
            db.session.commit()
            a, b, c = (_centre(n, municipality.id) for n in ("A", "B", "C"))
            admin = Principal(role="admin")

            def ask(centre_id: int) -> int:
                request = service.RunRequest(centre_id=centre_id, window_from=START,
                                             window_to=START + timedelta(days=7),
                                             time_limit_s=time_limit)
                return service.create_run(admin, request, wake=False).id

            for _ in range(runs):
                ask(a)
            b_run = ask(b)
            nightly = service.queue_nightly_run(c, date(2030, 1, 7), START,
                                                START + timedelta(days=7), time_limit)
            assert nightly is not None
            c_run = nightly.id
        began = time.monotonic()
        with policy(order):
            done = run_pending(app)
        elapsed = time.monotonic() - began
        with app.app_context():
            rows = {r.id: r for r in db.session.query(MatchRun)}
            failed = sum(1 for r in rows.values() if r.status != "succeeded")

            def wait(run_id: int) -> tuple[int, float]:
                row = rows[run_id]
                return done.index(run_id), (row.started_at - row.created_at).total_seconds()

            (b_before, b_wait), (c_before, c_wait) = wait(b_run), wait(c_run)
            db.engine.dispose()
    return {"runs": len(done), "failed": failed, "b_runs_before": b_before, "b_wait_s": b_wait,
            "c_runs_before": c_before, "c_wait_s": c_wait, "drain_s": elapsed,
            "per_run_s": elapsed / max(1, len(done))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fairness", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="runs centre A queues first")
    parser.add_argument("--time-limit", type=float, default=1.0, help="seconds per solve")
    args = parser.parse_args(argv)
    rows = []
    for name, order in (("fair (least recently served)", None),
                        ("oldest queued first (before)", _oldest_first)):
        row = {"policy": name, **drain(args.runs, args.time_limit, order)}
        rows.append(row)
    header = (f"{'policy':<30} {'runs':>4} {'failed':>6} {'B after':>7} {'B wait s':>8} "
              f"{'C after':>7} {'C wait s':>8} {'s/run':>6}")
    print(f"Centre A queues {args.runs} runs, then B one, then C its nightly run; one worker.")
    print(header)
    for r in rows:
        print(f"{r['policy']:<30} {r['runs']:>4} {r['failed']:>6} {r['b_runs_before']:>7} "
              f"{r['b_wait_s']:>8.1f} {r['c_runs_before']:>7} {r['c_wait_s']:>8.1f} "
              f"{r['per_run_s']:>6.2f}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"fairness-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
