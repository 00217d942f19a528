"""Claiming runs: a queued run becomes running in exactly one process.

A claim locks the centre's row, checks that no run of the centre is in
progress, and moves the run with a compare-and-set (`status = 'queued'` ->
`'running'`); so however many workers claim at once, each run starts once and
each centre has at most one run in progress. Which centre goes next is
decided fairly (`fairness`).
"""

from __future__ import annotations

import os
import socket
from datetime import datetime

from sqlalchemy import select

from ...domain_errors import Conflict, NotFound
from ...extensions import db
from ...models import Centre, MatchRun
from ...models.types import utcnow
from ..locking import lock_row, transition
from .fairness import next_run_of, ready_centres


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _running_in(centre_id: int) -> int | None:
    return db.session.scalar(
        select(MatchRun.id).where(MatchRun.centre_id == centre_id, MatchRun.status == "running")
    )


def _start(run_id: int) -> bool:
    now = utcnow()
    return transition(MatchRun, run_id, ("queued",), status="running", started_at=now,
                      heartbeat_at=now, worker=worker_name(), attempts=MatchRun.attempts + 1)


def claim_next_run(now: datetime | None = None) -> MatchRun | None:
    """Take the next run that may start now, fairly across centres (see
    `fairness`), or None. Safe with several processes claiming at once."""
    now = now or utcnow()
    centres = ready_centres(now)
    db.session.rollback()
    for centre_id in centres:
        lock_row(Centre, centre_id)
        run_id = next_run_of(centre_id, now)
        if run_id is None or _running_in(centre_id) is not None or not _start(run_id):
            db.session.rollback()
            continue
        db.session.commit()
        return db.session.get(MatchRun, run_id, populate_existing=True)
    db.session.rollback()
    return None


def claim_run(run_id: int) -> MatchRun:
    """Mark this queued run running now (the command line's `plan`), or 409."""
    run = db.session.get(MatchRun, run_id)
    if run is None:
        raise NotFound("match run")
    centre_id = run.centre_id
    lock_row(Centre, centre_id)
    busy = _running_in(centre_id)
    if busy is not None:
        db.session.rollback()
        raise Conflict(f"run {busy} for this centre is in progress; try again when it ends",
                       current="queued")
    if not _start(run_id):
        db.session.rollback()
        current = db.session.get(MatchRun, run_id, populate_existing=True)
        state = current.status if current is not None else "gone"
        raise Conflict(f"the run is {state}; it was taken or ended by another process",
                       current=state)
    db.session.commit()
    return db.session.get(MatchRun, run_id, populate_existing=True)  # type: ignore[return-value]


#: What `claim_named_run` found: the run is now ours to execute...
CLAIMED = "claimed"
#: ...it may not start yet (its centre has a run in progress, or it waits for
#: `not_before`): the caller lets it go and it is handed out again later...
NOT_YET = "not-yet"
# ...or anything else is the run's status (running elsewhere, ended,
# cancelled) or "gone": nothing to do.


def claim_named_run(run_id: int, now: datetime | None = None) -> str:
    """The task queue's claim: a task names its run, and this makes it
    running here if it is still queued and may start now (the same
    compare-and-set under the centre's lock as `claim_next_run`). A task
    delivered twice finds the run no longer queued the second time."""
    now = now or utcnow()
    run = db.session.get(MatchRun, run_id, populate_existing=True)
    if run is None:
        db.session.rollback()
        return "gone"
    if run.status != "queued":
        status = run.status
        db.session.rollback()
        return status
    if run.not_before is not None and run.not_before > now:
        db.session.rollback()
        return NOT_YET
    centre_id = run.centre_id
    lock_row(Centre, centre_id)
    status = db.session.scalar(select(MatchRun.status).where(MatchRun.id == run_id))
    if status != "queued":  # taken or ended while we waited for the lock
        db.session.rollback()
        return status or "gone"
    if _running_in(centre_id) is not None:
        db.session.rollback()
        return NOT_YET
    if not _start(run_id):
        db.session.rollback()
        current = db.session.get(MatchRun, run_id, populate_existing=True)
        return current.status if current is not None else "gone"
    db.session.commit()
    return CLAIMED
