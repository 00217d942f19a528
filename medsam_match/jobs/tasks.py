"""The Celery tasks: a planning run, and a round of message delivery.

`medsam.run(run_id)` claims its run in the database (`claim_named_run`, a
compare-and-set) and executes it; the solver runs in its own child process
with its time and memory limits, as without a broker. A second delivery of
the same task finds the run no longer queued and does nothing, so a plan is
never published twice. A task that finds its run `running` elsewhere checks
whether that process died: such a run is queued again and solved here if it
had one start only, else failed; never left running.

`medsam.deliver_messages` is one round of the message sender; the outbox's
rows are claimed in the database, so a message is sent once however many
rounds run at once.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .celery_app import MESSAGES_TASK, RUN_TASK, enabled, flask_app

if TYPE_CHECKING:
    from celery import Celery
    from flask import Flask

log = logging.getLogger(__name__)

#: a delivered run found running elsewhere is looked at again this often,
#: this many times (30 minutes; beyond, the scheduler's sweep of stale
#: heartbeats decides)
RECHECK_SECONDS = 5
RECHECKS = 360


def run_named(app: Flask, run_id: int) -> str:
    """Claim and execute the run; what was found ("claimed", "not-yet", or
    the run's status when it was not queued)."""
    from ..extensions import db
    from ..services.runs import execute_run
    from ..services.runs.claim import CLAIMED, NOT_YET, claim_named_run
    from ..services.runs.handover import let_go
    from ..services.runs.recover import retry_or_fail_stale_runs
    from .dispatch import deliver_soon, hand_over_due

    with app.app_context():
        try:
            outcome = claim_named_run(run_id)
            if outcome == "running":
                # Delivered again: is the process that took it still alive?
                again, failed = retry_or_fail_stale_runs()
                if failed:
                    log.warning("runs whose process died marked failed: %s", failed)
                if run_id in again:
                    outcome = claim_named_run(run_id)  # its retry, here and now
            if outcome == CLAIMED:
                log.info("run %s: started", run_id)
                run = execute_run(run_id)
                log.info("run %s: %s", run_id, run.status)
                if enabled(app.config):
                    if run.published_at is not None:
                        deliver_soon()  # the plan's messages are in the outbox now
                    hand_over_due()  # the centre's next run, if one waits
            elif outcome == NOT_YET:
                let_go(run_id)  # handed over again when it can start
            else:
                log.info("run %s: %s already, nothing to do", run_id, outcome)
            return outcome
        finally:
            db.session.remove()


def register(celery: Celery) -> None:
    @celery.task(name=RUN_TASK, acks_late=True, reject_on_worker_lost=True, bind=True,
                 max_retries=RECHECKS)
    def run_task(self: Any, run_id: int) -> str:
        outcome = run_named(flask_app(), int(run_id))
        if outcome == "running":
            # Running under a process that still looks alive: a task given
            # back at the moment its worker was killed can arrive before that
            # worker's processes are gone. Look again shortly rather than let
            # go: the run ends, or its process is found dead and it is solved.
            raise self.retry(countdown=RECHECK_SECONDS)
        return outcome

    @celery.task(name=MESSAGES_TASK, acks_late=True, reject_on_worker_lost=True)
    def deliver_messages() -> dict[str, Any]:
        from .sender import send_round

        outcome = send_round(flask_app())
        if outcome.sent or outcome.failed:
            log.info("messages: %d sent, %d to retry, %d failed", len(outcome.sent),
                     len(outcome.retried), len(outcome.failed))
        return {"sent": len(outcome.sent), "failed": len(outcome.failed)}
