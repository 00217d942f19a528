"""Asking for runs: the one place that creates a run, and the queries.

Every run is created by `_new_run` here, whoever asks: a coordinator (the
API, `create_run`), the command line (`create_run`, trigger "cli"), a decline
(`queue_repair`) or the nightly schedule (`queue_nightly_run`).

Limits that keep one centre from crowding out the others:
- runs asked for by people (api, cli): at most `MEDSAM_MAX_QUEUED_RUNS_PER_CENTRE`
  (default 3) queued per centre, counted under the centre's row lock; one more
  answers `LimitReached` (429) naming the limit;
- repair runs: at most one waiting per centre (a unique partial index; a
  second decline widens the waiting one);
- nightly runs: one per centre and night (a unique key).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, case, func, select, update
from sqlalchemy.exc import IntegrityError

from ...auth import Principal
from ...domain_errors import Conflict, Invalid, LimitReached, NotFound
from ...extensions import db
from ...models import Centre, MatchRun, Session
from ...models.types import utcnow
from .. import notifications
from ..locking import lock_row, transition
from ..scope import centre_filter
from . import signals

MAX_WINDOW = timedelta(days=90)
DEFAULT_TIME_LIMIT = 30.0
MAX_TIME_LIMIT = 3600.0
#: Declines within this span are gathered into one repair run.
REPAIR_DEBOUNCE = timedelta(seconds=60)
#: Queued runs per centre that people may ask for, unless configured.
DEFAULT_MAX_QUEUED = 3
#: Triggers whose runs count against the queued-runs limit.
ASKED_BY_PEOPLE = ("api", "cli")


@dataclass(frozen=True)
class RunRequest:
    centre_id: int
    window_from: datetime
    window_to: datetime
    mode: str = "plan"
    dry_run: bool = False
    time_limit_s: float = DEFAULT_TIME_LIMIT


def runs_query(principal: Principal, filters: dict[str, Any]) -> Select[tuple[MatchRun]]:
    if principal.role == "volunteer":
        raise NotFound("match run")
    stmt = select(MatchRun).where(centre_filter(principal, MatchRun.centre_id))
    for field in ("centre_id", "status", "mode", "trigger"):
        if filters.get(field) is not None:
            stmt = stmt.where(getattr(MatchRun, field) == filters[field])
    return stmt.order_by(MatchRun.created_at.desc(), MatchRun.id.desc())


def get_run(principal: Principal, run_id: int) -> MatchRun:
    if principal.role == "volunteer":
        raise NotFound("match run")
    run = db.session.scalars(
        select(MatchRun).where(MatchRun.id == run_id, centre_filter(principal, MatchRun.centre_id))
    ).one_or_none()
    if run is None:
        raise NotFound("match run")
    return run


def check_request(request: RunRequest) -> None:
    errors: dict[str, list[str]] = {}
    if request.window_to <= request.window_from:
        errors["to"] = ["must be after from"]
    elif request.window_to - request.window_from > MAX_WINDOW:
        errors["to"] = [f"the window may be at most {MAX_WINDOW.days} days long"]
    if request.mode not in ("plan", "repair"):
        errors["mode"] = ["must be plan or repair"]
    most = float(current_app.config.get("MEDSAM_MAX_RUN_TIME_LIMIT_S", MAX_TIME_LIMIT))
    if not 1 <= request.time_limit_s <= most:
        errors["time_limit_s"] = [f"must be between 1 and {most:.0f} seconds"]
    if errors:
        raise Invalid(errors)


def max_queued_per_centre() -> int:
    return int(current_app.config.get("MEDSAM_MAX_QUEUED_RUNS_PER_CENTRE", DEFAULT_MAX_QUEUED))


def _new_run(centre_id: int, window_from: datetime, window_to: datetime, *, mode: str,
             trigger: str, time_limit_s: float, dry_run: bool = False,
             night: date | None = None, not_before: datetime | None = None) -> MatchRun:
    """The one constructor of runs: a queued run, added to the session."""
    run = MatchRun(
        centre_id=centre_id, window_from=window_from, window_to=window_to, mode=mode,
        dry_run=dry_run, trigger=trigger, night=night, time_limit_s=time_limit_s,
        status="queued", not_before=not_before,
    )
    db.session.add(run)
    return run


def create_run(
    principal: Principal, request: RunRequest, *, trigger: str = "api", wake: bool = True
) -> MatchRun:
    """Queue a run (202 for the API). The worker picks it up.

    Refused with `LimitReached` when the centre already has the configured
    number of queued runs asked for by people."""
    if principal.role == "volunteer":
        raise NotFound("match run")
    centre = db.session.scalars(
        select(Centre).where(Centre.id == request.centre_id, centre_filter(principal, Centre.id))
    ).one_or_none()
    if centre is None:
        raise Invalid({"centre_id": ["no such centre"]})
    check_request(request)
    lock_row(Centre, centre.id)
    limit = max_queued_per_centre()
    queued = db.session.scalar(
        select(func.count()).select_from(MatchRun).where(
            MatchRun.centre_id == centre.id,
            MatchRun.status == "queued",
            MatchRun.trigger.in_(ASKED_BY_PEOPLE),
        )
    ) or 0
    if queued >= limit:
        db.session.rollback()
        raise LimitReached(
            f"the centre already has {queued} queued runs, the most allowed "
            f"(max_queued_runs_per_centre = {limit}); wait for one to finish or cancel one",
            limit=limit,
        )
    run = _new_run(
        centre.id, request.window_from, request.window_to, mode=request.mode,
        trigger=trigger, time_limit_s=request.time_limit_s, dry_run=request.dry_run,
    )
    db.session.commit()
    if wake:
        signals.run_queued(run.id)
    return run


def cancel_run(principal: Principal, run_id: int) -> MatchRun:
    """Cancel a queued run (one that has not started); 409 naming the state otherwise."""
    run = get_run(principal, run_id)
    if principal.role == "volunteer":
        raise NotFound("match run")
    if not transition(MatchRun, run.id, ("queued",), status="cancelled", finished_at=utcnow()):
        db.session.rollback()
        current = db.session.get(MatchRun, run_id, populate_existing=True)
        state = current.status if current is not None else "gone"
        raise Conflict(f"the run is {state}; only a queued run can be cancelled", current=state)
    db.session.commit()
    db.session.refresh(run)
    return run


def queue_repair(centre_id: int, session: Session) -> MatchRun:
    """Queue a repair for the centre after a decline, or widen the one already
    waiting. Does not commit: the caller's transaction (the decline) does.

    At most one repair waits per centre: a unique partial index refuses a
    second, and the loser of a race widens the winner's window instead."""
    now = utcnow()
    horizon = timedelta(days=current_app.config.get("MEDSAM_PLANNING_HORIZON_DAYS", 14))
    window_from = now.replace(second=0, microsecond=0)
    window_to = max(window_from + horizon, session.window_start + timedelta(minutes=1))
    waiting = (
        (MatchRun.centre_id == centre_id)
        & (MatchRun.status == "queued")
        & (MatchRun.trigger == "decline")
    )
    for _ in range(5):
        widened = db.session.execute(
            update(MatchRun)
            .where(waiting)
            .values(window_to=case((MatchRun.window_to < window_to, window_to),
                                   else_=MatchRun.window_to))
            .execution_options(synchronize_session=False)
        )
        if widened.rowcount:  # type: ignore[attr-defined]
            run = db.session.scalars(select(MatchRun).where(waiting)).one()
            db.session.refresh(run)
            return run
        try:
            with db.session.begin_nested():
                run = _new_run(
                    centre_id, window_from, window_to, mode="repair", trigger="decline",
                    time_limit_s=float(current_app.config.get("MEDSAM_REPAIR_TIME_LIMIT_S", 20)),
                    not_before=now + REPAIR_DEBOUNCE,
                )
            return run
        except IntegrityError:
            continue  # another decline queued it first: widen that one
    raise Conflict("the centre's repair run kept changing; try again")


def queue_nightly_run(centre_id: int, night: date, window_from: datetime,
                      window_to: datetime, time_limit_s: float,
                      missed: str | None = None,
                      now: datetime | None = None) -> MatchRun | None:
    """Insert the centre's run for `night` and commit; None when that night
    already has one (the unique key decides, however many schedulers tick).
    With `missed` (the reason) the run is recorded failed instead of queued."""
    try:
        with db.session.begin_nested():
            run = _new_run(centre_id, window_from, window_to, mode="plan",
                           trigger="nightly", night=night, time_limit_s=time_limit_s)
            if missed is not None:
                run.status = "failed"
                run.finished_at = now or utcnow()
                run.error = missed
                db.session.flush()
                notifications.on_run_failed(run.id)  # the morning digest says so
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    if missed is None:
        signals.run_queued(run.id)
    return run
