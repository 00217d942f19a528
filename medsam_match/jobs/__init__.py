"""Background work: solving match runs in a separate process, the run worker,
the message sender (e-mail and SMS from the outbox) and the nightly planning
schedule.

With `MEDSAM_BROKER_URL` set the runs and messages are Celery tasks instead
(`celery_app`, `tasks`, `dispatch`; `medsam-match worker` runs them).

`start_background(app)` starts them in the current process: the web service
does it when `scheduler = "embedded"` (the default); with `scheduler = "off"`
run `medsam-match scheduler` as its own process instead. Several processes
doing it at once is safe: runs and messages are claimed, and nightly runs
created, through the database.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the solver child (jobs.solve_child) must not load Flask
    from flask import Flask

log = logging.getLogger(__name__)


def start_background(app: Flask) -> Any:
    """Start the run worker thread and the nightly scheduler for this process.

    With a broker (`MEDSAM_BROKER_URL`) the runs and messages are Celery
    tasks for `medsam-match worker`: this process only creates the nightly
    runs and hands work to the queue (`dispatch`)."""
    if app.config.get("MEDSAM_BROKER_URL"):
        from .dispatch import start_dispatcher

        scheduler = start_dispatcher(app)
        log.info("background work started: nightly runs and messages go to the task queue")
        return scheduler
    from .nightly import start_scheduler
    from .sender import start_sender
    from .worker import start_worker

    start_worker(app)
    start_sender(app)
    scheduler = start_scheduler(app)
    log.info("background work started: run worker, message sender and nightly scheduler")
    return scheduler
