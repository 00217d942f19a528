"""A national night: 430 generated centres of demo size planned by 1, 2 and 4
Celery workers, on PostgreSQL and Redis on this machine.

    python -m bench.load.nightly [--centres 430] [--workers 1,2,4]
                                 [--postgres-url URL] [--redis-url URL]

The centres are the demo network (`medsam_match.demo.generate`) drawn again
with other seeds (seed 2026, 2027, ...: 11 centres in 7 municipalities each,
the municipalities numbered so their names differ), written once into a
template database; centres past --centres are made inactive. For each number
of workers a fresh copy of the template (PostgreSQL's CREATE DATABASE ...
TEMPLATE) gets the night: the nightly tick at 02:05 queues one run per active
centre, the runs are handed to the task queue, and `medsam-match worker
--concurrency N` (one Celery node, N pool processes, each run's solver in its
own child process with the configured 2 solver threads) solves them. The
clock runs from the hand-over until no run is queued or running.

Prints a table (and writes bench/results/nightly.csv after every round):
centres, succeeded, failed, unfinished, wall seconds, centres finished a
minute, the minutes all centres take at that rate (the round's own time when
it finished; a round stopped at --limit-minutes is extrapolated), speed-up
against one worker, the mean and longest run (started to finished), and the
most runs seen running at once.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url

from .servers import BIN, ROOT, empty_redis_database, local_only, service_env, start

RESULTS = ROOT / "bench" / "results" / "nightly.csv"
DEMO_SEED = 2026


@contextmanager
def databases(base_url: str):  # type: ignore[no-untyped-def]
    """Yields a function making databases beside `base_url` (optionally from a
    template); all are dropped at the end."""
    import psycopg

    url = make_url(base_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    made: list[str] = []

    def make(name: str, template: str | None = None) -> str:
        name = f"medsam_night_{os.getpid()}_{name}"
        with psycopg.connect(conninfo, autocommit=True) as conn:
            clause = f' TEMPLATE "{template}"' if template else ""
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        made.append(name)
        return name

    try:
        yield make, lambda name: url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            for name in reversed(made):
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def generate_centres(env: dict[str, str], centres: int, today: date) -> dict[str, int]:
    """The template: migrated, then demo networks until `centres` centres."""
    subprocess.run([str(BIN / "medsam-match"), "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ.update(env)
    from sqlalchemy import func, select, update

    from medsam_match import create_app
    from medsam_match.demo.generate import generate
    from medsam_match.demo.load import _insert
    from medsam_match.extensions import db
    from medsam_match.models import Centre, Session, Volunteer

    app = create_app({"MEDSAM_SCHEDULER": "off", "MEDSAM_BROKER_URL": ""})
    with app.app_context():
        copy = 0
        while (db.session.scalar(select(func.count(Centre.id))) or 0) < centres:
            net = generate(DEMO_SEED + copy, today)
            net.municipalities[:] = [replace(m, name=f"{m.name} {copy + 1}")
                                     for m in net.municipalities]
            _insert(net)
            db.session.commit()
            copy += 1
        keep = select(Centre.id).order_by(Centre.id).limit(centres).scalar_subquery()
        db.session.execute(update(Centre).where(Centre.id.not_in(keep)).values(active=False))
        db.session.commit()
        counts = {
            "centres": centres,
            "volunteers": db.session.scalar(
                select(func.count(Volunteer.id)).join(Centre).where(Centre.active)) or 0,
            "sessions": db.session.scalar(select(func.count(Session.id))) or 0,
        }
        db.session.remove()
        db.engine.dispose()
    return counts


def the_night(env: dict[str, str], today: date) -> tuple[int, float]:
    """Queue the night's runs and hand them to the task queue; returns the
    number of runs and the moment (perf_counter) they were handed over."""
    os.environ.update(env)
    from medsam_match import create_app
    from medsam_match.extensions import db
    from medsam_match.jobs.dispatch import hand_over_due
    from medsam_match.jobs.nightly import NightlySettings, nightly_tick

    app = create_app({"MEDSAM_SCHEDULER": "off"})
    settings = NightlySettings.from_config(app.config)
    night = datetime.combine(today + timedelta(days=1), settings.at, tzinfo=ZoneInfo("Europe/Oslo"))
    with app.app_context():
        created = nightly_tick((night + timedelta(minutes=5)).astimezone(UTC), settings)
        db.session.remove()
        started = time.perf_counter()
        hand_over_due()
        db.session.remove()
        db.engine.dispose()
    return len(created), started


def wait_until_done(env: dict[str, str], started: float, limit_s: float) -> dict[str, Any]:
    from sqlalchemy import func, select

    from medsam_match import create_app
    from medsam_match.extensions import db
    from medsam_match.models import MatchRun

    os.environ.update(env)
    app = create_app({"MEDSAM_SCHEDULER": "off"})
    with app.app_context():
        while True:
            open_runs = db.session.scalar(
                select(func.count(MatchRun.id)).where(MatchRun.status.in_(("queued", "running")))
            ) or 0
            db.session.remove()
            if open_runs == 0 or time.perf_counter() - started > limit_s:
                break
            time.sleep(1.0)
        wall = time.perf_counter() - started
        runs = db.session.execute(
            select(MatchRun.status, MatchRun.started_at, MatchRun.finished_at)
            .where(MatchRun.night.is_not(None))
        ).all()
        db.session.remove()
        db.engine.dispose()
    done = [(s, f) for _, s, f in runs if s is not None and f is not None]
    durations = sorted((f - s).total_seconds() for s, f in done)
    events = sorted([(s, 1) for s, _ in done] + [(f, -1) for _, f in done])
    running = most = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return {
        "succeeded": sum(1 for status, _, _ in runs if status == "succeeded"),
        "failed": sum(1 for status, _, _ in runs if status == "failed"),
        "unfinished": sum(1 for status, _, _ in runs if status in ("queued", "running")),
        "wall_s": wall,
        "mean_run_s": sum(durations) / len(durations) if durations else None,
        "longest_run_s": durations[-1] if durations else None,
        "most_at_once": most,
    }


def write_rows(rows: list[dict[str, Any]]) -> None:
    """bench/results/nightly.csv, after every round (a long run that is
    stopped keeps the rounds it finished)."""
    if not rows:
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted({k for r in rows for k in r}))
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--centres", type=int, default=430)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--postgres-url",
                        default=os.environ.get("MEDSAM_TEST_POSTGRES_URL",
                                               "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--limit-minutes", type=float, default=60,
                        help="give up on a round after this long")
    args = parser.parse_args(argv)
    # Stopped from outside (kill PID): leave through the finally blocks, so
    # the worker stops and the databases are dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    local_only(args.postgres_url.replace("+psycopg", ""), "PostgreSQL")
    local_only(args.redis_url, "Redis")
    workers = [int(n) for n in args.workers.split(",")]
    today = date.today()
    work = Path(tempfile.mkdtemp(prefix="medsam-night-"))
    rows: list[dict[str, Any]] = []
    try:
        with databases(args.postgres_url) as (make, url_of):
            template = make("template")
            env = service_env(url_of(template), args.redis_url, work / "data")
            env["MEDSAM_BROKER_URL"] = ""
            started = time.perf_counter()
            counts = generate_centres(env, args.centres, today)
            print(f"generated {counts['centres']} active centres, {counts['volunteers']} "
                  f"volunteers in them, {counts['sessions']} sessions in "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
            for n in workers:
                database = make(f"w{n}", template)
                broker = empty_redis_database(args.redis_url)
                env = service_env(url_of(database), broker, work / f"data{n}")
                env["MEDSAM_BROKER_URL"] = broker
                load_before = os.getloadavg()[0]
                with ExitStack() as stack:
                    start(stack, f"worker{n}", [str(BIN / "medsam-match"), "worker",
                                                "--concurrency", str(n), "--loglevel",
                                                "WARNING"], env, work)
                    time.sleep(3)  # the worker connects to the broker
                    queued, handed = the_night(env, today)
                    print(f"{n} worker(s): {queued} runs queued ...", file=sys.stderr)
                    result = wait_until_done(env, handed, args.limit_minutes * 60)
                result.update({"workers": n, "centres": queued, "load_before": load_before,
                               "load_after": os.getloadavg()[0]})
                finished = result["succeeded"] + result["failed"]
                result["centres_per_min"] = finished / result["wall_s"] * 60
                # A round stopped at --limit-minutes: all centres at its rate.
                result["all_centres_s"] = (queued / finished * result["wall_s"]
                                           if finished else float("inf"))
                rows.append(result)
                print(f"  {result}", file=sys.stderr)
                write_rows(rows)
                import redis

                redis.Redis.from_url(broker).flushdb()  # an empty database we chose
    finally:
        shutil.rmtree(work, ignore_errors=True)
    first_rate = next((r["centres_per_min"] for r in rows if r["workers"] == 1), None)
    print(f"\n{args.centres} centres of demo size, {os.cpu_count()} CPUs\n")
    print("| workers | centres | succeeded | failed | unfinished | wall s | centres/min | "
          "all centres, min | speed-up | mean run s | longest run s | most at once | "
          "load before/after |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        r["speed_up"] = first_rate and r["centres_per_min"] / first_rate
        speed_up = "" if not r["speed_up"] else f"{r['speed_up']:.2f}"
        print(f"| {r['workers']} | {r['centres']} | {r['succeeded']} | {r['failed']} | "
              f"{r['unfinished']} | {r['wall_s']:.0f} | {r['centres_per_min']:.1f} | "
              f"{r['all_centres_s'] / 60:.0f} | {speed_up} | "
              f"{r['mean_run_s']:.1f} | {r['longest_run_s']:.1f} | {r['most_at_once']} | "
              f"{r['load_before']:.1f} / {r['load_after']:.1f} |")
    write_rows(rows)
    return 0 if rows and all(r["unfinished"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
