"""Handing runs to a task queue (when a broker is configured): the
bookkeeping in the database, which stays the source of truth.

A queued run is handed over at most once at a time: `take_for_handover` is a
compare-and-set on `enqueued_at`, so of several processes (web workers,
schedulers) offering the same run exactly one sends its task. A task that
finds its run may not start yet lets it go (`let_go`), and the run is handed
over again when it can start. A run whose message may have been lost (a
broker restarted without its data) is handed over again after
`HANDOVER_AGAIN_AFTER`; a second task for the same run is harmless, since a
task claims its run with a compare-and-set too (`claim_named_run`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from ...extensions import db
from ...models import MatchRun
from ...models.types import utcnow

HANDOVER_AGAIN_AFTER = timedelta(hours=2)


def _not_handed_over(now: datetime):  # type: ignore[no-untyped-def]
    return or_(MatchRun.enqueued_at.is_(None),
               MatchRun.enqueued_at < now - HANDOVER_AGAIN_AFTER)


def take_for_handover(run_id: int, now: datetime | None = None) -> datetime | None:
    """Mark the queued run handed over and commit; the mark, or None when it
    is not queued or another process handed it over already."""
    now = now or utcnow()
    result = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == "queued", _not_handed_over(now))
        .values(enqueued_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return now if result.rowcount == 1 else None  # type: ignore[attr-defined]


def let_go(run_id: int, mark: datetime | None = None) -> bool:
    """The run was not handed over after all (the broker refused the task,
    or the task found it may not start yet): it may be handed over again.
    With `mark`, only if that is still the run's mark."""
    condition = [MatchRun.id == run_id, MatchRun.status == "queued"]
    if mark is not None:
        condition.append(MatchRun.enqueued_at == mark)
    result = db.session.execute(
        update(MatchRun).where(*condition).values(enqueued_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1  # type: ignore[attr-defined]


def runs_to_hand_over(now: datetime | None = None, limit: int = 1000) -> list[int]:
    """Queued runs that may start now and are not (or no longer) with the
    task queue, oldest first, at most one per centre without a run in progress."""
    now = now or utcnow()
    busy = select(MatchRun.centre_id).where(MatchRun.status == "running")
    rows = db.session.execute(
        select(MatchRun.id, MatchRun.centre_id)
        .where(
            MatchRun.status == "queued",
            or_(MatchRun.not_before.is_(None), MatchRun.not_before <= now),
            _not_handed_over(now),
            MatchRun.centre_id.not_in(busy),
        )
        .order_by(MatchRun.created_at, MatchRun.id)
        .limit(limit)
    ).all()
    db.session.rollback()
    seen: set[int] = set()
    runs = []
    for run_id, centre_id in rows:
        if centre_id not in seen:
            seen.add(centre_id)
            runs.append(run_id)
    return runs

