"""Which centre's run goes next: fair across centres.

A centre is *ready* when it has a queued run that may start now and no run
in progress. Among ready centres the one served least recently goes first
(the latest `started_at` of any of its runs, never-served centres first),
then the one whose oldest ready run is oldest; within the centre its oldest
ready run goes. So one centre queueing many runs delays another centre's run
by at most one run per worker, whatever the trigger (api, cli, nightly or
decline).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, literal, select

from ...extensions import db
from ...models import MatchRun

#: Centres looked at per claim; the rest wait for the next.
CANDIDATES = 20
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def _due(now: datetime):  # type: ignore[no-untyped-def]
    return (MatchRun.status == "queued") & (
        MatchRun.not_before.is_(None) | (MatchRun.not_before <= now)
    )


def ready_centres(now: datetime, limit: int = CANDIDATES) -> list[int]:
    """Centres with a run that may start now, in the order they should be served."""
    busy = select(MatchRun.centre_id).where(MatchRun.status == "running")
    waiting = (
        select(MatchRun.centre_id, func.min(MatchRun.created_at).label("oldest"))
        .where(_due(now), MatchRun.centre_id.not_in(busy))
        .group_by(MatchRun.centre_id)
        .subquery()
    )
    served = (
        select(MatchRun.centre_id, func.max(MatchRun.started_at).label("last"))
        .where(MatchRun.started_at.is_not(None))
        .group_by(MatchRun.centre_id)
        .subquery()
    )
    last = func.coalesce(served.c.last, literal(_NEVER, MatchRun.started_at.type))
    rows = db.session.execute(
        select(waiting.c.centre_id)
        .outerjoin(served, served.c.centre_id == waiting.c.centre_id)
        .order_by(last, waiting.c.oldest, waiting.c.centre_id)
        .limit(limit)
    ).all()
    return [row[0] for row in rows]


def next_run_of(centre_id: int, now: datetime) -> int | None:
    """The centre's oldest run that may start now."""
    return db.session.scalar(
        select(MatchRun.id)
        .where(MatchRun.centre_id == centre_id, _due(now))
        .order_by(MatchRun.created_at, MatchRun.id)
        .limit(1)
    )
