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
    return transition(MatchRun, run_id, ("queued",), status="running",
                      started_at=utcnow(), worker=worker_name())


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
