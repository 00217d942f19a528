"""The load test: the service on gunicorn + PostgreSQL + Redis on this
machine, a bare Flask endpoint beside it as the reference, Locust headless.

    python -m bench.load [--seconds 30] [--users 4] [--postgres-url URL]
                         [--redis-url URL] [--keep]

1. A throwaway PostgreSQL database (beside the one --postgres-url names,
   dropped at the end), migrated; the demo network loaded (`medsam-match
   demo`, with its year of history) and every centre planned once (the
   nightly tick and the run worker, in this process), so volunteers have
   proposed assignments.
2. Tokens and users: a volunteer token for each volunteer with upcoming
   assignments, a coordinator token and a staff user (password) per centre;
   the assignments to confirm or decline during the run.
3. Two gunicorn servers with the production settings (config/gunicorn.conf.py:
   gthread, 2 workers x 4 threads, access log): the service
   (`medsam_match.wsgi:app`, scheduler off, rate limits and the task queue in
   Redis) and the bare Flask endpoint (`bench.load.bare:app`); a Celery
   worker (`medsam-match worker`, one run at a time) that solves the
   submitted runs and the repairs declines queue, and `medsam-match
   scheduler` (the sweep that hands repair runs to the queue).
4. Locust, headless, with bench/load/locustfile.py's users in four phases
   of --seconds each: the bare endpoint alone, volunteers alone, coordinators
   alone (--users closed-loop users each), then all at once with answers and
   run submissions. Then a table: requests, failures, requests per second,
   p50/p95/p99 per phase and kind of request, and the readers' requests per
   second per user against the bare endpoint's in the same phase. Written to
   bench/results/load.csv.

Everything listens on and is asked at 127.0.0.1 only. The API's rate limit is
raised to 10^6 a minute for the run (a handful of tokens make thousands of
requests a minute); it is still counted in Redis on every request.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from .servers import (
    BIN,
    LOCAL,
    ROOT,
    empty_redis_database,
    free_port,
    gunicorn,
    local_only,
    service_env,
    start,
    throwaway_database,
    wait_for,
)

RESULTS = ROOT / "bench" / "results" / "load.csv"


def prepare(env: dict[str, str], setup_file: Path) -> dict[str, Any]:
    """Migrate, load the demo, plan every centre once, make tokens and users."""
    run = {"env": env, "cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([str(BIN / "medsam-match"), "db", "upgrade"], **run)  # type: ignore[call-overload]
    today = date.today()
    subprocess.run([str(BIN / "medsam-match"), "demo", "--today", today.isoformat()], **run)  # type: ignore[call-overload]
    os.environ.update(env)

    from sqlalchemy import select

    from medsam_match import create_app
    from medsam_match.auth import create_token
    from medsam_match.extensions import db
    from medsam_match.jobs.nightly import NightlySettings, nightly_tick
    from medsam_match.jobs.worker import run_pending
    from medsam_match.models import Assignment, Centre, Session
    from medsam_match.services.users import create_user

    app = create_app({"MEDSAM_SCHEDULER": "off"})
    settings = NightlySettings.from_config(app.config)
    # The night after the demo's "today" (Oslo and Copenhagen share the offset).
    night = datetime.combine(today + timedelta(days=1), settings.at, tzinfo=ZoneInfo("Europe/Oslo"))
    with app.app_context():
        nightly_tick((night + timedelta(minutes=5)).astimezone(UTC), settings)
        db.session.remove()
    started = time.perf_counter()
    planned = run_pending(app)
    print(f"  planned {len(planned)} centres in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    with app.app_context():
        rows = db.session.execute(
            select(Assignment.id, Assignment.volunteer_id, Assignment.status)
            .join(Session, Session.id == Assignment.session_id)
            .where(Assignment.status == "proposed", Session.window_end > datetime.now(UTC))
            .order_by(Assignment.volunteer_id, Assignment.id)
        ).all()
        by_volunteer: dict[int, list[int]] = {}
        for assignment_id, volunteer_id, _status in rows:
            by_volunteer.setdefault(volunteer_id, []).append(assignment_id)
        volunteer_ids = sorted(by_volunteer)
        # Every other volunteer reads; the others' assignments are answered
        # (so a reader's page does not change under the run).
        readers, answering = volunteer_ids[::2], volunteer_ids[1::2]
        tokens = {v: create_token("volunteer", volunteer_id=v, label="load") for v in volunteer_ids}
        answers = []
        for n, (volunteer_id, assignment_id) in enumerate(
            (v, a) for v in answering for a in by_volunteer[v]
        ):
            answers.append({"assignment_id": assignment_id, "token": tokens[volunteer_id],
                            "action": "confirm" if n % 2 == 0 else "decline"})
        coordinators = []
        for centre_id in db.session.scalars(select(Centre.id).order_by(Centre.id)):
            password = secrets.token_urlsafe(16)
            email = f"coordinator{centre_id}@load-test.example.org"
            create_user(email=email, name=f"Coordinator {centre_id}", role="coordinator",
                        centre_id=centre_id, password=password)
            coordinators.append({
                "centre_id": centre_id, "email": email, "password": password,
                "token": create_token("coordinator", centre_id=centre_id, label="load"),
            })
        db.session.remove()
        db.engine.dispose()
    setup = {
        "volunteers": [{"id": v, "token": tokens[v]} for v in readers],
        "coordinators": coordinators,
        "answers": answers,
        "planned_centres": len(planned),
    }
    setup_file.write_text(json.dumps(setup))
    return setup


def read_stats(prefix: Path, spans_file: Path) -> list[dict[str, str]]:
    """Locust's rows, with requests per second over each kind's own time
    (first asked to last answered) instead of the whole run's."""
    spans = json.loads(spans_file.read_text())
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] != "Aggregated"]
    for row in rows:
        first, last = spans[row["Name"]]
        row["Requests/s"] = str(int(row["Request Count"]) / max(last - first, 1e-3))
    return rows


READS = {
    "volunteer reads": ("volunteer: /my/", "volunteer: own assignments (API)"),
    "coordinator reads": ("coordinator: week board (page)",
                          "coordinator: volunteers list (API, 50)",
                          "coordinator: assignments list (API, 50)",
                          "coordinator: sessions list (API, 50)"),
}


def users_of(phase: str, kind: str, readers: int) -> int:
    """Closed-loop users of a kind of reader in a phase (locustfile.PHASES)."""
    if phase == "mixed" and kind == "coordinator reads":
        return max(1, readers // 2)
    return readers


def table(rows: list[dict[str, str]], readers: int) -> list[dict[str, Any]]:
    """Each request's figures, and per phase the readers' requests per second
    against the bare endpoint's in the same phase, per user."""
    by_name = {row["Name"]: row for row in rows}
    out = []
    for phase in ("alone", "mixed"):
        bare = by_name.get(f"{phase} | bare Flask endpoint")
        bare_rate = float(bare["Requests/s"]) / readers if bare else 0.0
        names = sorted((r["Name"] for r in rows if r["Name"].startswith(f"{phase} | ")),
                       key=lambda n: ("bare" not in n, n))
        for name in names:
            row = by_name[name]
            request = name.split(" | ", 1)[1]
            out.append({
                "phase": phase, "request": request,
                "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                # a sign-in happens once per user, at its start: no rate
                "req_s": None if request.endswith(("sign in", "sign-in page"))
                else float(row["Requests/s"]),
                "p50_ms": float(row["50%"]),
                "p95_ms": float(row["95%"]), "p99_ms": float(row["99%"]), "vs_bare": None,
            })
        for kind, parts in READS.items():
            found = [by_name[f"{phase} | {p}"] for p in parts if f"{phase} | {p}" in by_name]
            if not found:
                continue
            rate = sum(float(p["Requests/s"]) for p in found)
            out.append({
                "phase": phase, "request": f"= {kind}, all",
                "requests": sum(int(p["Request Count"]) for p in found),
                "failures": sum(int(p["Failure Count"]) for p in found), "req_s": rate,
                "p50_ms": None, "p95_ms": None,
                "p99_ms": max(float(p["99%"]) for p in found),
                "vs_bare": (rate / users_of(phase, kind, readers)) / bare_rate
                if bare_rate else None,
            })
    return out


def format_table(rows: list[dict[str, Any]]) -> str:
    def cell(value: Any, spec: str) -> str:
        return "" if value is None else format(value, spec)

    lines = ["| phase | request | requests | failures | req/s | p50 ms | p95 ms | p99 ms | "
             "vs bare, per user |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(
            f"| {r['phase']} | {r['request']} | {r['requests']} | {r['failures']} | "
            f"{cell(r['req_s'], '.1f')} | "
            f"{cell(r['p50_ms'], '.0f')} | {cell(r['p95_ms'], '.0f')} | {cell(r['p99_ms'], '.0f')} | "
            f"{cell(r['vs_bare'], '.0%')} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="how long each phase runs")
    parser.add_argument("--users", type=int, default=4,
                        help="closed-loop users per kind of reader (in the mixed phase "
                             "coordinators get half)")
    parser.add_argument("--postgres-url",
                        default=os.environ.get("MEDSAM_TEST_POSTGRES_URL",
                                               "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9",
                        help="the task queue's broker and the rate limits' counts; the first "
                             "empty database from this number up is taken")
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 600 or not 1 <= args.users <= 50:
        parser.error("--seconds 1..600 and --users 1..50: the machine is shared")
    local_only(args.postgres_url.replace("+psycopg", ""), "PostgreSQL")
    local_only(args.redis_url, "Redis")
    args.redis_url = empty_redis_database(args.redis_url)

    work = Path(tempfile.mkdtemp(prefix="medsam-load-"))
    app_port, bare_port = free_port(), free_port()
    load_before = os.getloadavg()
    try:
        with throwaway_database(args.postgres_url) as database_url, ExitStack() as stack:
            env = service_env(database_url, args.redis_url, work / "data")
            print("preparing: migrate, demo, plan every centre, tokens ...", file=sys.stderr)
            setup = prepare(env, work / "setup.json")
            print(f"  {len(setup['volunteers'])} reading volunteers, {len(setup['answers'])} "
                  f"answers ready, {len(setup['coordinators'])} coordinators", file=sys.stderr)
            env["MEDSAM_BROKER_URL"] = args.redis_url
            gunicorn(stack, "service", "medsam_match.wsgi:app", app_port, env, work)
            gunicorn(stack, "bare", "bench.load.bare:app", bare_port, env, work)
            start(stack, "worker", [str(BIN / "medsam-match"), "worker", "--loglevel",
                                    "WARNING"], env, work)
            start(stack, "scheduler", [str(BIN / "medsam-match"), "scheduler"], env, work)
            wait_for(f"http://{LOCAL}:{app_port}/api/v1/health")
            wait_for(f"http://{LOCAL}:{bare_port}/bare")
            locust_env = {**env, "MEDSAM_LOAD_SETUP": str(work / "setup.json"),
                          "MEDSAM_LOAD_PHASE_SECONDS": str(args.seconds),
                          "MEDSAM_LOAD_TIMES": str(work / "spans.json"),
                          "MEDSAM_LOAD_HOST": f"http://{LOCAL}:{app_port}",
                          "MEDSAM_LOAD_BARE_HOST": f"http://{LOCAL}:{bare_port}",
                          "MEDSAM_LOAD_USERS": str(args.users)}
            print(f"locust: 4 phases of {args.seconds} s ...", file=sys.stderr)
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "locust"), "-f", "bench/load/locustfile.py", "--headless",
                 "--stop-timeout", "5", "--csv", str(work / "locust"),
                 "--only-summary", "--loglevel", "WARNING"],
                env=locust_env, cwd=ROOT, check=False, stdout=(work / "locust.log").open("w"),
                stderr=subprocess.STDOUT,
            )
            elapsed = time.perf_counter() - started
            load_after = os.getloadavg()
            rows = table(read_stats(work / "locust", work / "spans.json"), args.users)
            print(f"  locust ran {elapsed:.0f} s", file=sys.stderr)
    finally:
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()  # the empty database we chose
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n4 phases of {args.seconds} s, {args.users} users per kind of reader; load average (1 min) "
          f"{load_before[0]:.1f} before, {load_after[0]:.1f} after; {os.cpu_count()} CPUs\n")
    print(format_table(rows))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"\nwritten: {RESULTS}" + (f"; logs in {work}" if args.keep else ""))
    failures = sum(r["failures"] for r in rows if not r["request"].startswith("="))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
