"""The planning workflow benchmark: from asking for a plan to seeing it published.

On a fresh database (SQLite in a temporary folder; PostgreSQL too when
MEDSAM_BENCH_POSTGRES_URL is set: a throwaway database is created beside the
one it names and dropped afterwards) the service runs as in production, with
its background run worker thread, and a client talks to it over HTTP (Flask's
test client):

- demo: the demo network is loaded; its largest centre's coordinator POSTs a
  plan of the next two weeks (the configured default time limit) and polls
  until the run has `succeeded`.
- M: a centre of issue 3's size M (1,000 volunteers, 600 sessions in one week,
  40 places) is written with the models, from the scenario `bench.generate`
  draws for M, and planned with a 30 s solver limit.
- nightly: the nightly tick at 02:05 local queues a run for every demo centre
  and `run_pending` executes them one after another, as one worker would.

For each run: `queued_s` (POST until the worker took it), `build_s` (the
scenario from the database), `solve_s` (the child process: start, solve,
result; `solver_s` is the part the solver itself reports), `publish_s`
(changes, assignments, commit), `total_s` (POST until a client sees
`succeeded`). The stages are timed by wrapping the service's own
`build_scenario` and `solve_in_child` while they run.

    python -m bench.planning [--skip-m] [--seed N]

Prints the tables and writes them to bench/results/planning.csv.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from solver import validate

from .planning_centre import build_m_centre
from .report import RESULTS_DIR, format_table, machine_note
from .sizes import gap

POSTGRES_URL_ENV = "MEDSAM_BENCH_POSTGRES_URL"
M_TIME_LIMIT_S = 30.0
POLL_SECONDS = 0.05
#: How long a client waits for a run before the benchmark gives up on it.
PATIENCE_S = 900.0

RUN_COLUMNS = (
    "backend", "case", "centre", "volunteers", "sessions", "time_limit", "status",
    "solver_status", "queued_s", "build_s", "solve_s", "solver_s", "publish_s", "total_s",
    "fill_rate", "score", "bound", "gap", "assignments", "validator",
)  # fmt: skip
NIGHTLY_COLUMNS = (
    "backend", "centres", "runs", "succeeded", "tick_s", "total_s", "fill_min", "fill_mean",
    "fill_max", "slowest_run_s",
)  # fmt: skip


# --- stage timing ------------------------------------------------------------


@dataclass
class Stages:
    """Wall-clock instants (time.time()) of one run's stages in the worker."""

    build_start: float = 0.0
    build_end: float = 0.0
    solve_start: float = 0.0
    solve_end: float = 0.0


@dataclass
class StageClock:
    """Times the worker's calls to build_scenario and solve_in_child, in order."""

    runs: list[Stages] = field(default_factory=list)

    def build(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            stages = Stages(build_start=time.time())
            self.runs.append(stages)
            try:
                return original(*args, **kwargs)
            finally:
                stages.build_end = time.time()

        return timed

    def solve(self, original: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            stages = self.runs[-1]
            stages.solve_start = time.time()
            try:
                return original(*args, **kwargs)
            finally:
                stages.solve_end = time.time()

        return timed


@contextmanager
def timed_stages() -> Iterator[StageClock]:
    from medsam_match.services.runs import execute as match_runs
    from medsam_match.services.runs import solve_process as solver_process

    clock = StageClock()
    build, solve = match_runs.build_scenario, solver_process.solve_in_child
    match_runs.build_scenario = clock.build(build)  # type: ignore[assignment]
    solver_process.solve_in_child = clock.solve(solve)  # type: ignore[assignment]
    try:
        yield clock
    finally:
        match_runs.build_scenario = build  # type: ignore[assignment]
        solver_process.solve_in_child = solve  # type: ignore[assignment]


# --- databases -----------------------------------------------------------------


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="medsam-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.db'}"


@contextmanager
def postgres_database(server_url: str) -> Iterator[str]:
    """A database of its own beside the one `server_url` names, dropped afterwards."""
    admin_url = make_url(server_url)
    name = f"medsam_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str) -> Flask:
    """The service on `url`, schema created, without the embedded scheduler (the
    benchmark starts the worker itself and calls the nightly tick)."""
    from medsam_match import create_app
    from medsam_match.extensions import db

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": url,
        "MEDSAM_SCHEDULER": "off",
        "MEDSAM_CHECK_SCHEMA": False,
    })
    with app.app_context():
        db.create_all()
    return app


# --- one run over HTTP ---------------------------------------------------------


@dataclass(frozen=True)
class Centre:
    id: int
    name: str
    volunteers: int


def _token(app: Flask, centre_id: int) -> dict[str, str]:
    from medsam_match.auth import create_token

    with app.app_context():
        return {"Authorization": f"Bearer {create_token('coordinator', centre_id=centre_id)}"}


def _seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).total_seconds()


def _stage_row(app: Flask, run_id: int, stages: Stages | None) -> dict[str, Any]:
    """Stage seconds and the run's figures, from the database and the stage clock."""
    from medsam_match.extensions import db
    from medsam_match.models import MatchRun

    with app.app_context():
        run = db.session.get(MatchRun, run_id)
        assert run is not None
        kpis = run.kpis or {}
        scenario, result = run.scenario or {}, run.result or {}
        problems = validate(scenario, result) if run.status == "succeeded" else [run.error or ""]
        row: dict[str, Any] = {
            "centre": run.centre.name,
            "status": run.status,
            "solver_status": result.get("status"),
            "solver_s": (result.get("solver") or {}).get("seconds"),
            "time_limit": run.time_limit_s,
            "volunteers": len(scenario.get("volunteers", [])),
            "sessions": len(scenario.get("sessions", [])),
            "queued_s": _seconds(run.started_at, run.created_at),
            "fill_rate": kpis.get("fill_rate"),
            "score": run.score,
            "bound": run.bound,
            "gap": gap(run.score, run.bound),
            "assignments": kpis.get("assignments"),
            "validator": "ok" if not problems else f"{len(problems)} problems: {problems[0]}",
            "run_s": _seconds(run.finished_at, run.started_at),
        }
        if stages is not None and run.finished_at is not None:
            row["build_s"] = stages.build_end - stages.build_start
            row["solve_s"] = stages.solve_end - stages.solve_start
            row["publish_s"] = run.finished_at.timestamp() - stages.solve_end
        db.session.remove()
    return row


def plan_over_http(
    app: Flask, client: FlaskClient, centre: Centre, window: tuple[datetime, datetime],
    time_limit_s: float | None,
) -> dict[str, Any]:
    """POST a plan with the worker thread running; poll until it is done."""
    from medsam_match.jobs.worker import start_worker, stop_worker

    headers = _token(app, centre.id)
    body: dict[str, Any] = {"centre_id": centre.id, "from": window[0].isoformat(),
                            "to": window[1].isoformat()}
    if time_limit_s is not None:
        body["time_limit_s"] = time_limit_s
    with timed_stages() as clock:
        worker = start_worker(app, poll_seconds=1.0)
        try:
            started = time.perf_counter()
            response = client.post("/api/v1/match-runs", headers=headers, json=body)
            if response.status_code != 202:
                raise RuntimeError(f"POST /match-runs answered {response.status_code}: "
                                   f"{response.get_json()}")
            run_id = response.get_json()["id"]
            status = "queued"
            while status in ("queued", "running"):
                if time.perf_counter() - started > PATIENCE_S:
                    raise RuntimeError(f"run {run_id} still {status} after {PATIENCE_S:.0f} s")
                time.sleep(POLL_SECONDS)
                status = client.get(f"/api/v1/match-runs/{run_id}", headers=headers).get_json()["status"]
            total = time.perf_counter() - started
        finally:
            stop_worker()
            worker.join(timeout=60)
    row = _stage_row(app, run_id, clock.runs[-1] if clock.runs else None)
    row["total_s"] = total
    return row


# --- the three cases -----------------------------------------------------------


def demo_centres(app: Flask, today: date) -> list[Centre]:
    """The demo's centres, the largest (by volunteers) first."""
    from medsam_match.demo import load_demo
    from medsam_match.extensions import db
    from medsam_match.models import Centre as CentreRow
    from medsam_match.models import Volunteer

    with app.app_context():
        load_demo(today=today)
        counts = db.session.execute(
            select(CentreRow.id, CentreRow.name, func.count(Volunteer.id))
            .join(Volunteer, Volunteer.centre_id == CentreRow.id)
            .group_by(CentreRow.id, CentreRow.name)
            .order_by(func.count(Volunteer.id).desc(), CentreRow.id)
        ).all()
        db.session.remove()
    return [Centre(id=c, name=n, volunteers=v) for c, n, v in counts]


def demo_case(app: Flask, centre: Centre, today: date) -> dict[str, Any]:
    from medsam_match.extensions import db
    from medsam_match.models import Centre as CentreRow
    from medsam_match.models import Municipality

    with app.app_context():
        zone = ZoneInfo(db.session.scalars(
            select(Municipality.timezone)
            .join(CentreRow, CentreRow.municipality_id == Municipality.id)
            .where(CentreRow.id == centre.id)
        ).one())
        db.session.remove()
    first = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    row = plan_over_http(app, app.test_client(), centre, (first, first + timedelta(days=14)), None)
    row["case"] = "demo centre, 2 weeks"
    return row


def m_case(app: Flask, seed: int) -> dict[str, Any]:
    from medsam_match.extensions import db

    with app.app_context():
        started = time.perf_counter()
        built = build_m_centre(seed)
        insert_s = time.perf_counter() - started
        db.session.remove()
    print(f"  M centre written in {insert_s:.1f} s: {built.volunteers} volunteers, "
          f"{built.sessions} sessions, {built.activities} activities, {built.places} places",
          file=sys.stderr)
    centre = Centre(id=built.centre_id, name=built.name, volunteers=built.volunteers)
    row = plan_over_http(app, app.test_client(), centre, built.window, M_TIME_LIMIT_S)
    row["case"] = "M centre, 1 week"
    return row


def nightly_case(app: Flask, today: date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Tonight's 02:05 tick for every demo centre, then every run executed."""
    from medsam_match.extensions import db
    from medsam_match.jobs.nightly import NightlySettings, nightly_tick
    from medsam_match.jobs.worker import run_pending

    settings = NightlySettings.from_config(app.config)
    # Just after the nightly time on the first demo day, in the demo's zones
    # (Oslo and Copenhagen share their offset).
    now = datetime.combine(today + timedelta(days=1), settings.at, tzinfo=ZoneInfo("Europe/Oslo"))
    now += timedelta(minutes=5)
    with timed_stages() as clock:
        started = time.perf_counter()
        with app.app_context():
            created = nightly_tick(now.astimezone(UTC), settings)
            db.session.remove()
        ticked = time.perf_counter()
        done = run_pending(app)
        total = time.perf_counter() - started
    per_run = []
    for run_id, stages in zip(done, clock.runs, strict=False):
        row = _stage_row(app, run_id, stages)
        row["case"] = "nightly"
        row["total_s"] = row.pop("run_s")
        per_run.append(row)
    fills = [r["fill_rate"] for r in per_run if r["fill_rate"] is not None]
    summary = {
        "centres": len(created),
        "runs": len(done),
        "succeeded": sum(1 for r in per_run if r["status"] == "succeeded"),
        "tick_s": ticked - started,
        "total_s": total,
        "fill_min": min(fills, default=None),
        "fill_mean": sum(fills) / len(fills) if fills else None,
        "fill_max": max(fills, default=None),
        "slowest_run_s": max((r["total_s"] or 0.0 for r in per_run), default=None),
    }
    return summary, per_run


def run_backend(name: str, url: str, seed: int, skip_m: bool) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    print(f"{name}: demo ...", file=sys.stderr)
    today = date.today()
    app = make_app(url)
    centres = demo_centres(app, today)
    rows = [demo_case(app, centres[0], today)]
    print(f"{name}: nightly ...", file=sys.stderr)
    nightly, per_centre = nightly_case(app, today)
    if not skip_m:
        print(f"{name}: M centre ...", file=sys.stderr)
        rows.append(m_case(app, seed))
    rows.extend(per_centre)
    for row in rows:
        row["backend"] = name
    nightly["backend"] = name
    with app.app_context():
        from medsam_match.extensions import db

        db.engine.dispose()
    return rows, nightly


def write_results(runs: list[dict[str, Any]], nightly: list[dict[str, Any]]) -> Path:
    """bench/results/planning.csv: every run, then the nightly totals as rows of their own."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "planning.csv"
    columns = [*RUN_COLUMNS, *[c for c in NIGHTLY_COLUMNS if c not in RUN_COLUMNS]]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in [*runs, *({**n, "case": "nightly, whole network"} for n in nightly)]:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.planning",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the M centre")
    parser.add_argument("--skip-m", action="store_true", help="leave out the M centre")
    args = parser.parse_args(argv)
    print(machine_note(), file=sys.stderr)
    backends: list[tuple[str, Callable[[], Any]]] = [("sqlite", sqlite_database)]
    server = os.environ.get(POSTGRES_URL_ENV, "")
    if server:
        backends.append(("postgresql", lambda: postgres_database(server)))
    runs: list[dict[str, Any]] = []
    nightly: list[dict[str, Any]] = []
    for name, database in backends:
        with database() as url:
            backend_runs, backend_nightly = run_backend(name, url, args.seed, args.skip_m)
        runs.extend(backend_runs)
        nightly.append(backend_nightly)
    headline = [r for r in runs if r["case"] != "nightly"]
    print(format_table(RUN_COLUMNS, headline))
    print()
    print(format_table(NIGHTLY_COLUMNS, nightly))
    print()
    print(format_table(("backend", "centre", "sessions", "volunteers", "status", "total_s",
                        "build_s", "solve_s", "publish_s", "fill_rate", "gap", "validator"),
                       [r for r in runs if r["case"] == "nightly"]))
    print(f"\nwritten: {write_results(runs, nightly)}")
    failed = [r for r in runs if r["status"] != "succeeded" or r["validator"] != "ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
