"""With a broker: handing work to the task queue instead of running it here.

- `hand_over(run_id)`: a queued run's task is sent once (the database's
  compare-and-set on `enqueued_at` picks the one process that sends it).
  The web processes do it as soon as a run is asked for (the runs service's
  `run_queued` signal); the scheduler does it for nightly runs it creates.
- `start_dispatcher(app)`: what `medsam-match scheduler` (or, with
  `scheduler = "embedded"`, each web process) runs: the nightly tick, a sweep
  every few seconds (runs whose process died are queued again once, then
  failed; queued runs that may
  start now and are not with the queue are handed over: repair runs after
  their minute, a centre's next run, runs asked for while the broker was
  down), and a round of message delivery every few seconds.

Any number of processes may run the dispatcher: every decision is made in
the database, so each nightly run is created once and each run handed over
once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..models.types import utcnow
from .celery_app import MESSAGES_TASK, RUN_TASK, init_celery

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)

SWEEP_SECONDS = 10.0
MESSAGES_SECONDS = 5.0
#: A message round not started within this time is dropped (the next one comes).
MESSAGES_EXPIRE_SECONDS = 60.0


def _celery() -> Any:
    from flask import current_app

    return init_celery(current_app._get_current_object())  # type: ignore[attr-defined]


def hand_over(run_id: int) -> bool:
    """Send the queued run's task unless another process did; True when sent."""
    from ..services.runs.handover import let_go, take_for_handover

    mark = take_for_handover(run_id)
    if mark is None:
        return False
    try:
        _celery().send_task(RUN_TASK, args=[run_id])
    except Exception:  # noqa: BLE001 - the broker is down: the sweep tries again
        log.exception("run %s: the task queue refused it; it is handed over later", run_id)
        let_go(run_id, mark)
        return False
    return True


def hand_over_due() -> list[int]:
    """Hand over every queued run that may start now and is not with the queue."""
    from ..services.runs.handover import runs_to_hand_over

    return [run_id for run_id in runs_to_hand_over() if hand_over(run_id)]


def deliver_soon() -> None:
    """Ask for a round of message delivery."""
    try:
        _celery().send_task(MESSAGES_TASK, expires=MESSAGES_EXPIRE_SECONDS)
    except Exception:  # noqa: BLE001 - the next round comes anyway
        log.warning("the task queue refused a message round", exc_info=True)


def _on_run_queued(run_id: int | None) -> None:
    if run_id is not None:
        hand_over(run_id)


def listen(app: Flask) -> None:
    """Hand over each run this process queues, as soon as it is committed."""
    from ..services.runs import signals

    init_celery(app)
    signals.on_run_queued(_on_run_queued)


def sweep() -> list[int]:
    """Queue again (or fail) runs whose process died, then hand over what may start now."""
    from ..services.runs.recover import retry_or_fail_stale_runs

    _again, failed = retry_or_fail_stale_runs()
    if failed:
        log.warning("runs whose process died marked failed: %s", failed)
    return hand_over_due()


def start_dispatcher(app: Flask) -> Any:
    """The scheduler's work with a broker: nightly tick, attendance by default
    (hourly), sweep, message rounds."""
    from .nightly import guarded, scheduler_with_ticks

    listen(app)
    scheduler = scheduler_with_ticks(app)
    scheduler.add_job(guarded(app, "sweep", sweep), "interval", seconds=SWEEP_SECONDS,
                      id="sweep", next_run_time=utcnow(), max_instances=1, coalesce=True)
    scheduler.add_job(guarded(app, "message round", deliver_soon), "interval",
                      seconds=MESSAGES_SECONDS, id="messages", max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler
