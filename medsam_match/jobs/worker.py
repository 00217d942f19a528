"""The run worker: a thread that takes queued match runs and executes them.

Each process that runs a worker (the embedded service, or `medsam-match
scheduler`) claims runs through the database, so several can run side by
side; a run for a centre only starts when no other run for it is running.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from ..services.runs import signals

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

_wake = threading.Event()
_stop = threading.Event()


def wake(run_id: int | None = None) -> None:  # noqa: ARG001 - any run: look now
    _wake.set()


def run_pending(app: Flask, *, limit: int | None = None) -> list[int]:
    """Execute queued runs that may start now, one after another; returns their ids."""
    from ..extensions import db
    from ..services.runs import claim_next_run, execute_run

    done: list[int] = []
    with app.app_context():
        while limit is None or len(done) < limit:
            run = claim_next_run()
            if run is None:
                break
            log.info("run %s: started (centre %s, %s)", run.id, run.centre_id, run.mode)
            finished = execute_run(run.id)
            log.info("run %s: %s", finished.id, finished.status)
            done.append(run.id)
        db.session.remove()
    return done


def _loop(app: Flask, poll_seconds: float) -> None:
    from ..services.runs import recover_stale_runs, sweep_scenario_folders

    sweep_scenario_folders()
    with app.app_context():
        recovered = recover_stale_runs()
        if recovered:
            log.warning("runs left running by a stopped process marked failed: %s", recovered)
    while not _stop.is_set():
        try:
            run_pending(app)
        except Exception:  # noqa: BLE001 - the worker must survive a bad run
            log.exception("the run worker hit an error; it goes on")
        _wake.wait(poll_seconds)
        _wake.clear()


def start_worker(app: Flask, poll_seconds: float = 5.0) -> threading.Thread:
    """Start the worker thread (daemon) for this process."""
    _stop.clear()
    signals.on_run_queued(wake)
    thread = threading.Thread(target=_loop, args=(app, poll_seconds), name="medsam-run-worker",
                              daemon=True)
    thread.start()
    return thread


def stop_worker() -> None:
    signals.forget(wake)
    _stop.set()
    _wake.set()
