"""`medsam-match plan` (one run in the foreground) and `medsam-match scheduler`
(the run worker and nightly planning as their own process)."""

from __future__ import annotations

import signal
import threading
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import require_signing_key
from . import main
from .health_command import scheduler_alive_file

#: How often the scheduler says it is alive (for `medsam-match health scheduler`).
ALIVE_EVERY_S = 10.0


def _parse_time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("not an ISO 8601 time, e.g. 2026-12-07T00:00:00+01:00",
                                 param_hint=name) from None
    if moment.tzinfo is None:
        raise click.BadParameter("the time needs a UTC offset, e.g. +01:00", param_hint=name)
    return moment


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


@main.command("plan")
@click.option("--centre", "centre_id", type=int, required=True, help="the centre's id")
@click.option("--from", "window_from", help="start of the window (ISO 8601 with offset); default now")
@click.option("--to", "window_to", help="end of the window; default from + the planning horizon")
@click.option("--dry-run", is_flag=True, help="store the plan without publishing it")
@click.option("--mode", type=click.Choice(["plan", "repair"]), default="plan", show_default=True)
@click.option("--time-limit", type=click.FloatRange(1, 3600), default=None,
              help="seconds for the solver (default from the configuration)")
@with_appcontext
def plan(centre_id: int, window_from: str | None, window_to: str | None, dry_run: bool,
         mode: str, time_limit: float | None) -> None:
    """Plan a centre now, in the foreground, showing progress."""
    from ..auth import Principal
    from ..domain_errors import DomainError
    from ..models.types import utcnow
    from ..services import runs as match_runs

    start = _parse_time(window_from, "--from") or utcnow().replace(second=0, microsecond=0)
    horizon = timedelta(days=current_app.config.get("MEDSAM_PLANNING_HORIZON_DAYS", 14))
    end = _parse_time(window_to, "--to") or start + horizon
    limit = time_limit or float(current_app.config.get("MEDSAM_RUN_TIME_LIMIT_S", 30))
    request = match_runs.RunRequest(centre_id=centre_id, window_from=start, window_to=end,
                                    mode=mode, dry_run=dry_run, time_limit_s=limit)

    def progress(event: dict) -> None:  # type: ignore[type-arg]
        gap, score, bound = event.get("gap"), event.get("score"), event.get("bound")
        click.echo(
            f"  {event.get('seconds', 0):7.1f} s  score {_number(score)}  bound {_number(bound)}  "
            f"gap {'-' if gap is None else f'{100 * gap:.2f} %'}",
            err=True,
        )

    try:
        run = match_runs.create_run(Principal(role="admin"), request, trigger="cli",
                                    wake=False)
        click.echo(f"run {run.id}: centre {centre_id}, {start.isoformat()} to {end.isoformat()}, "
                   f"time limit {limit:g} s", err=True)
        match_runs.claim_run(run.id)
        run = match_runs.execute_run(run.id, on_progress=progress)
    except DomainError as error:
        details = "; ".join(f"{k}: {', '.join(v)}" for k, v in (error.errors or {}).items())
        raise click.ClickException(details or error.detail) from None
    if run.status != "succeeded":
        raise click.ClickException(f"run {run.id} failed: {run.error}")
    kpis = run.kpis or {}
    changes = (run.changes or {}).get("counts", {})
    click.echo(
        f"run {run.id} succeeded: score {_number(run.score)}, bound {_number(run.bound)}, "
        f"fill rate {kpis.get('fill_rate', 0):.1%}, {kpis.get('assignments', 0)} assignments, "
        f"{len(run.unfilled or [])} unfilled slots; changes: +{changes.get('added', 0)} "
        f"-{changes.get('removed', 0)} ~{changes.get('moved', 0)}; "
        + ("not published (dry run)" if run.dry_run else "published as proposed assignments")
    )


@main.command("scheduler")
@with_appcontext
def scheduler() -> None:
    """Run the run worker and the nightly planning in this process (for
    deployments where the web processes run with scheduler = "off"). With
    MEDSAM_BROKER_URL: create the nightly runs and hand runs and message
    rounds to the Celery workers (`medsam-match worker`)."""
    from ..jobs import start_background
    from ..models.types import utcnow

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Links in messages are signed: a throwaway key would break them.
    require_signing_key(app.config)
    background = start_background(app)
    click.echo("scheduler running: nightly plans at "
               f"{app.config.get('MEDSAM_NIGHTLY_TIME', '02:00')} local time; Ctrl-C stops it")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    # `medsam-match health scheduler` reads the file: touched by a job of the
    # scheduler itself, it says the scheduler's jobs still run.
    alive = scheduler_alive_file(app.config)
    alive.parent.mkdir(parents=True, exist_ok=True)
    background.add_job(alive.touch, "interval", seconds=ALIVE_EVERY_S, id="alive",
                       next_run_time=utcnow(), max_instances=1, coalesce=True)
    stop.wait()
    background.shutdown(wait=False)
    from ..jobs.worker import stop_worker

    stop_worker()
    click.echo("scheduler stopped")


@main.command("nightly")
@click.option("--at", "at", default=None,
              help="the nightly time HH:MM to use (local time of each municipality); "
                   "default: today's night, whatever the hour")
@with_appcontext
def nightly(at: str | None) -> None:
    """Create tonight's run for every active centre now (once per centre and
    night, as the scheduler does) and, with a broker, hand them to the workers."""
    from dataclasses import replace
    from datetime import time as clock

    from ..jobs.nightly import NightlySettings, nightly_tick
    from ..models.types import utcnow

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = NightlySettings.from_config(app.config)
    if at is None:  # today's night, whatever the hour
        settings = replace(settings, at=clock(0, 0), grace=timedelta(hours=24))
    else:
        try:
            hour, minute = (int(part) for part in at.split(":"))
            settings = replace(settings, at=clock(hour, minute))
        except ValueError:
            raise click.BadParameter("a time of day HH:MM, e.g. 02:00", param_hint="--at") from None
    if app.config.get("MEDSAM_BROKER_URL"):
        from ..jobs.dispatch import listen

        listen(app)  # each new run goes to the task queue at once
    created = nightly_tick(utcnow(), settings)
    where = "handed to the workers" if app.config.get("MEDSAM_BROKER_URL") else (
        "solved by the run worker (scheduler)")
    click.echo(f"{len(created)} nightly runs created, {where}")
