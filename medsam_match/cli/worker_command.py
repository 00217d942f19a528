"""`medsam-match worker`: a Celery worker for the planning runs and the
messages, with the service's configuration (needs MEDSAM_BROKER_URL)."""

from __future__ import annotations

import os

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import require_signing_key
from . import main


def _in_pool_process() -> None:
    """Each pool process: no database connection shared with its parent, and
    it dies with its parent (a killed worker leaves no process behind that
    goes on solving and publishing)."""
    import ctypes
    import signal

    from ..extensions import db
    from ..jobs.celery_app import flask_app

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    with flask_app().app_context():
        db.engine.dispose(close=False)


@main.command("worker")
@click.option("--concurrency", "-c", default=1, show_default=True, type=click.IntRange(1, 64),
              help="runs solved at once by this worker (each in its own pool process)")
@click.option("--queues", "-Q", default="runs,messages", show_default=True,
              help="the queues taken from: runs, messages or both")
@click.option("--loglevel", "-l", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@click.option("--hostname", "-n", default=None,
              help="the worker's node name (default medsam-<pid>@<host>)")
@with_appcontext
def worker(concurrency: int, queues: str, loglevel: str, hostname: str | None) -> None:
    """Solve planning runs and send messages from the task queue (Celery)."""
    import logging

    from celery.signals import worker_process_init
    from flask.logging import default_handler

    from ..extensions import db
    from ..jobs.celery_app import BROKER_SETTING, enabled, init_celery

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not enabled(app.config):
        raise click.ClickException(
            f"{BROKER_SETTING} is not set: without a broker the runs are solved by the "
            "web service itself (scheduler = embedded) or by `medsam-match scheduler`; "
            "set it, e.g. redis://127.0.0.1:6379/0, to run workers")
    # Links in messages are signed: a throwaway key would break them.
    require_signing_key(app.config)
    celery = init_celery(app)
    # One line per message, in Celery's format (which names the pool process).
    app.logger.removeHandler(default_handler)
    if loglevel.upper() == "INFO":  # not a line per task: the runs log their own
        for name in ("celery.app.trace", "celery.worker.strategy"):
            logging.getLogger(name).setLevel(logging.WARNING)
    worker_process_init.connect(lambda **_: _in_pool_process(), weak=False)
    db.engine.dispose()  # no connection carried into the pool processes
    celery.worker_main([
        "worker", f"--concurrency={concurrency}", f"--queues={queues}",
        f"--loglevel={loglevel.upper()}", f"--hostname={hostname or f'medsam-{os.getpid()}@%h'}",
        "--pool=prefork", "--without-gossip", "--without-mingle",
    ])
