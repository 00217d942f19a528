"""`medsam-match health worker|scheduler`: the health checks of the
background processes, for container health checks and monitoring (the web
service has GET /api/v1/health). Exit 0 when healthy, 1 with a line saying
why otherwise."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import main

#: The scheduler touches this file (in the data folder) every few seconds.
SCHEDULER_ALIVE_FILE = "scheduler.alive"
#: Older than this, the scheduler is taken for stuck or gone.
SCHEDULER_SILENT_AFTER_S = 60.0


def scheduler_alive_file(config: dict) -> Path:  # type: ignore[type-arg]
    return Path(str(config.get("MEDSAM_DATA_DIR") or "instance")) / SCHEDULER_ALIVE_FILE


@main.command("health")
@click.argument("part", type=click.Choice(["worker", "scheduler"]))
@click.option("--timeout", default=5.0, show_default=True, help="seconds to wait for a worker")
@with_appcontext
def health(part: str, timeout: float) -> None:
    """Is this host's worker (answers a ping through the broker) or scheduler
    (ticked within the last minute) alive?"""
    config = current_app.config
    if part == "scheduler":
        path = scheduler_alive_file(config)
        try:
            age = time.time() - path.stat().st_mtime
        except OSError:
            raise click.ClickException(f"the scheduler has not started here ({path} missing)") from None
        if age > SCHEDULER_SILENT_AFTER_S:
            raise click.ClickException(f"the scheduler last ticked {age:.0f} s ago")
        click.echo(f"scheduler: ok (ticked {age:.0f} s ago)")
        return
    from ..jobs.celery_app import enabled, init_celery

    if not enabled(config):
        raise click.ClickException("MEDSAM_BROKER_URL is not set: there are no workers")
    celery = init_celery(current_app._get_current_object())  # type: ignore[attr-defined]
    host = socket.gethostname()
    try:
        replies = celery.control.ping(timeout=timeout)
    except Exception as error:  # noqa: BLE001 - the broker cannot be reached
        raise click.ClickException(f"the broker cannot be reached: {error}") from None
    here = [name for reply in replies for name in reply if name.endswith("@" + host)]
    if not here:
        raise click.ClickException(f"no worker on {host} answered within {timeout:g} s")
    click.echo("worker: ok (" + ", ".join(sorted(here)) + ")")
