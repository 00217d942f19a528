"""Match runs: asking for a plan, solving it in the background, publishing it.

A run moves queued -> running -> succeeded | failed. The solve happens in a
child process (`jobs.solver_process`), outside any database transaction. A run
that succeeds and is not a dry run is published in ONE transaction: the
centre's proposed assignments in the window are replaced by the plan;
confirmed and locked ones are never touched. Only one run per centre is
running at a time (checked under a lock on the centre's row), so two runs
never publish over each other.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, select, update

from ..auth import Principal
from ..domain_errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Assignment, Centre, MatchRun, Session
from ..models.types import utcnow
from .explanations import localize_unfilled
from .planning_scenario import (
    assignments_in_window,
    build_scenario,
    plan_rows,
    schedule_rows,
    window_sessions,
)
from .scope import centre_filter

log = logging.getLogger(__name__)

MAX_WINDOW = timedelta(days=90)
DEFAULT_TIME_LIMIT = 30.0
MAX_TIME_LIMIT = 3600.0
#: Declines within this span are gathered into one repair run.
REPAIR_DEBOUNCE = timedelta(seconds=60)
PLAN_STATUSES = ("optimal", "feasible")


@dataclass(frozen=True)
class RunRequest:
    centre_id: int
    window_from: datetime
    window_to: datetime
    mode: str = "plan"
    dry_run: bool = False
    time_limit_s: float = DEFAULT_TIME_LIMIT


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


# --- asking for runs ---------------------------------------------------------


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


def create_run(
    principal: Principal, request: RunRequest, *, trigger: str = "api", wake: bool = True
) -> MatchRun:
    """Queue a run (202 for the API). The worker picks it up."""
    if principal.role == "volunteer":
        raise NotFound("match run")
    centre = db.session.scalars(
        select(Centre).where(Centre.id == request.centre_id, centre_filter(principal, Centre.id))
    ).one_or_none()
    if centre is None:
        raise Invalid({"centre_id": ["no such centre"]})
    check_request(request)
    run = MatchRun(
        centre_id=centre.id,
        window_from=request.window_from,
        window_to=request.window_to,
        mode=request.mode,
        dry_run=request.dry_run,
        time_limit_s=request.time_limit_s,
        trigger=trigger,
        status="queued",
    )
    db.session.add(run)
    db.session.commit()
    if wake:
        wake_worker()
    return run


def queue_repair(centre_id: int, session: Session) -> MatchRun:
    """Queue a repair for the centre after a decline, or widen the one already
    waiting. Does not commit: the caller's transaction (the decline) does."""
    now = utcnow()
    horizon = timedelta(days=current_app.config.get("MEDSAM_PLANNING_HORIZON_DAYS", 14))
    window_from = now.replace(second=0, microsecond=0)
    window_to = max(window_from + horizon, session.window_start + timedelta(minutes=1))
    waiting = db.session.scalars(
        select(MatchRun).where(
            MatchRun.centre_id == centre_id,
            MatchRun.status == "queued",
            MatchRun.mode == "repair",
            MatchRun.trigger == "decline",
        )
    ).first()
    if waiting is not None:
        waiting.window_to = max(waiting.window_to, window_to)
        return waiting
    run = MatchRun(
        centre_id=centre_id,
        window_from=window_from,
        window_to=window_to,
        mode="repair",
        dry_run=False,
        trigger="decline",
        time_limit_s=float(current_app.config.get("MEDSAM_REPAIR_TIME_LIMIT_S", 20)),
        status="queued",
        not_before=now + REPAIR_DEBOUNCE,
    )
    db.session.add(run)
    return run


# --- running -------------------------------------------------------------------


def claim_next_run(now: datetime | None = None) -> MatchRun | None:
    """Take the oldest queued run whose centre has no run in progress.

    Safe with several processes: the centre's row is locked while checking
    (PostgreSQL: SELECT ... FOR UPDATE; SQLite serialises writers anyway) and
    the status moves with a compare-and-set update."""
    now = now or utcnow()
    candidates = db.session.scalars(
        select(MatchRun)
        .where(
            MatchRun.status == "queued",
            (MatchRun.not_before.is_(None)) | (MatchRun.not_before <= now),
        )
        .order_by(MatchRun.created_at, MatchRun.id)
        .limit(20)
    ).all()
    for candidate in candidates:
        db.session.scalars(
            select(Centre).where(Centre.id == candidate.centre_id).with_for_update()
        ).one()
        busy = db.session.scalar(
            select(MatchRun.id).where(
                MatchRun.centre_id == candidate.centre_id, MatchRun.status == "running"
            )
        )
        if busy is not None:
            db.session.rollback()
            continue
        taken = db.session.execute(
            update(MatchRun)
            .where(MatchRun.id == candidate.id, MatchRun.status == "queued")
            .values(status="running", started_at=utcnow(), worker=worker_name())
        )
        db.session.commit()
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            run = db.session.get(MatchRun, candidate.id)
            db.session.refresh(run)
            return run
    db.session.rollback()
    return None


def claim_run(run_id: int) -> MatchRun:
    """Mark this queued run running now (the command line's `plan`), or 409."""
    run = db.session.get(MatchRun, run_id)
    if run is None:
        raise NotFound("match run")
    db.session.scalars(select(Centre).where(Centre.id == run.centre_id).with_for_update()).one()
    busy = db.session.scalar(
        select(MatchRun.id).where(MatchRun.centre_id == run.centre_id, MatchRun.status == "running")
    )
    if busy is not None:
        db.session.rollback()
        raise Conflict(f"run {busy} for this centre is in progress; try again when it ends")
    taken = db.session.execute(
        update(MatchRun)
        .where(MatchRun.id == run_id, MatchRun.status == "queued")
        .values(status="running", started_at=utcnow(), worker=worker_name())
    )
    db.session.commit()
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("the run was taken by another process")
    db.session.refresh(run)
    return run


def execute_run(
    run_id: int, on_progress: Callable[[dict[str, Any]], None] | None = None
) -> MatchRun:
    """Build the scenario, solve it in a child process, store and publish.

    Every failure ends the run `failed` with a readable error; nothing is
    published then."""
    from ..jobs.solver_process import SolveLimits, SolverProcessError, solve_in_child

    run = db.session.get(MatchRun, run_id)
    if run is None:
        raise NotFound("match run")
    try:
        centre = db.session.get(Centre, run.centre_id)
        if centre is None:
            raise NotFound("centre")
        scenario = build_scenario(centre, run.window_from, run.window_to, mode=run.mode)
        run.scenario = scenario
        db.session.commit()
        limits = SolveLimits(
            time_limit=run.time_limit_s,
            workers=current_app.config.get("MEDSAM_SOLVER_WORKERS"),
            memory_limit_mb=current_app.config.get("MEDSAM_SOLVER_MEMORY_LIMIT_MB", 8192),
        )
        log.info(
            "run %s: solving %d sessions, %d volunteers",
            run.id,
            len(scenario["sessions"]),
            len(scenario["volunteers"]),
        )
        result = solve_in_child(scenario, limits, on_progress=on_progress)
    except SolverProcessError as error:
        return _fail(run_id, str(error))
    except Exception as error:  # noqa: BLE001 - any failure must end the run, readable
        log.exception("run %s failed", run_id)
        return _fail(run_id, f"the run failed while preparing the plan: {error}")

    try:
        return _finish(run_id, result)
    except Conflict as error:
        return _fail(run_id, error.detail, result=result)
    except Exception as error:  # noqa: BLE001
        log.exception("run %s failed while publishing", run_id)
        return _fail(run_id, f"the plan could not be published: {error}", result=result)


def _fail(run_id: int, message: str, result: dict[str, Any] | None = None) -> MatchRun:
    db.session.rollback()
    run = db.session.get(MatchRun, run_id)
    assert run is not None
    run.status = "failed"
    run.error = message
    run.finished_at = utcnow()
    if result is not None:
        run.result = result
    db.session.commit()
    log.warning("run %s failed: %s", run_id, message)
    return run


def _finish(run_id: int, result: dict[str, Any]) -> MatchRun:
    run = db.session.get(MatchRun, run_id)
    assert run is not None
    run.result = result
    run.score = result.get("score")
    run.bound = result.get("bound")
    run.kpis = result.get("kpis")
    run.unfilled = localize_unfilled(result.get("unfilled") or [], run.centre.municipality.locale)
    if result.get("status") not in PLAN_STATUSES:
        conflicts = result.get("conflicts") or [result.get("message") or "no reason given"]
        raise Conflict("no plan satisfies the hard rules: " + "; ".join(map(str, conflicts)))
    window = _Window.load(run)
    run.changes = plan_changes(window, result)
    if not run.dry_run:
        _publish(run, window, result)
    run.status = "succeeded"
    run.finished_at = utcnow()
    db.session.commit()
    return run


# --- publishing ----------------------------------------------------------------


@dataclass
class _Window:
    """A run's window as the database holds it now, read once (under a lock on
    the centre's row) for both the changes and the publishing."""

    sessions: dict[int, Session]  # not cancelled, starting in the window
    assignments: list[Assignment]  # every status, at those sessions

    @classmethod
    def load(cls, run: MatchRun) -> _Window:
        db.session.scalars(
            select(Centre).where(Centre.id == run.centre_id).with_for_update()
        ).one()
        sessions = {
            s.id: s for s in window_sessions(run.centre_id, run.window_from, run.window_to)
        }
        assignments = list(
            db.session.scalars(assignments_in_window(run.centre_id, run.window_from, run.window_to))
        )
        return cls(sessions, [a for a in assignments if a.session_id in sessions])

    def standing(self) -> dict[tuple[int, int, str], Assignment]:
        return {
            (a.volunteer_id, a.session_id, a.role): a
            for a in self.assignments
            if a.status in ("proposed", "confirmed")
        }

    def plan(self, result: dict[str, Any]) -> set[tuple[int, int, str]]:
        """The result's assignments at the window's sessions (frozen sessions
        from around the window and cancelled ones left out)."""
        return {(r.volunteer_id, r.session_id, r.role) for r in plan_rows(result, set(self.sessions))}


def plan_changes(window: _Window, result: dict[str, Any]) -> dict[str, Any]:
    """What the plan changes against the current one (proposed + confirmed +
    locked) in the window: added, removed, and moved (same volunteer and
    session, another role; or an open session given another time or place)."""
    before, after = set(window.standing()), window.plan(result)
    added, removed = after - before, before - after
    added_role = {(v, s): r for v, s, r in added}
    removed_role = {(v, s): r for v, s, r in removed}
    role_moves = set(added_role) & set(removed_role)
    moved = [
        {"volunteer_id": v, "session_id": s, "from_role": removed_role[v, s],
         "to_role": added_role[v, s]}
        for v, s in sorted(role_moves)
    ]
    sessions_moved = [
        {"session_id": session_id, "start": start.isoformat(), "place_id": place_id}
        for session_id, (start, _end, place_id) in schedule_rows(result).items()
        if (session := window.sessions.get(session_id)) is not None
        and session.options
        and session.start is not None
        and (session.start != start or session.place_id != place_id)
    ]

    def listed(triples: set[tuple[int, int, str]]) -> list[dict[str, Any]]:
        return [
            {"volunteer_id": v, "session_id": s, "role": r}
            for v, s, r in sorted(triples)
            if (v, s) not in role_moves
        ]

    return {
        "added": listed(added),
        "removed": listed(removed),
        "moved": moved,
        "sessions_moved": sessions_moved,
        "counts": {
            "added": len(added) - len(role_moves),
            "removed": len(removed) - len(role_moves),
            "moved": len(moved) + len(sessions_moved),
        },
    }


def _publish(run: MatchRun, window: _Window, result: dict[str, Any]) -> None:
    """Replace the centre's proposed assignments in the window by the plan.
    Runs inside the caller's transaction; the caller commits once."""
    plan = window.plan(result)
    standing = window.standing()
    declined = {(a.volunteer_id, a.session_id) for a in window.assignments if a.status == "declined"}
    for key, assignment in standing.items():
        if assignment.status == "proposed" and not assignment.locked and key not in plan:
            db.session.delete(assignment)
    for volunteer_id, session_id, role in sorted(plan - set(standing)):
        if (volunteer_id, session_id) in declined:
            continue  # declined while the solver ran: never re-propose
        db.session.add(
            Assignment(
                volunteer_id=volunteer_id,
                session_id=session_id,
                role=role,
                status="proposed",
                match_run_id=run.id,
            )
        )
    for session_id, (start, end, place_id) in schedule_rows(result).items():
        session = window.sessions.get(session_id)
        if session is None:
            continue  # frozen (around the window) or cancelled meanwhile
        if session.options:
            session.start, session.end, session.place_id = start, end, place_id
        session.status = "scheduled"
    run.published_at = utcnow()


def publish_dry_run(principal: Principal, run_id: int) -> MatchRun:
    """`:publish` turns a dry run's plan into proposed assignments, if nothing
    in its window changed since the run started."""
    run = get_run(principal, run_id)
    if principal.role == "volunteer":
        raise NotFound("match run")
    if not run.dry_run:
        raise Conflict("only a dry run can be published; this run published its plan itself")
    if run.status != "succeeded":
        raise Conflict(f"the run is {run.status}; only a succeeded run can be published")
    if run.published_at is not None:
        raise Conflict("the run's plan is already published")
    assert run.result is not None and run.started_at is not None
    changed = db.session.scalar(
        assignments_in_window(run.centre_id, run.window_from, run.window_to)
        .where(Assignment.updated_at > run.started_at)
        .limit(1)
    )
    if changed is not None:
        raise Conflict(
            "assignments in the window changed since this run started; "
            "start a new run to plan with them"
        )
    running = db.session.scalar(
        select(MatchRun.id).where(MatchRun.centre_id == run.centre_id, MatchRun.status == "running")
    )
    if running is not None:
        raise Conflict(f"run {running} for this centre is in progress; publish after it ends")
    _publish(run, _Window.load(run), run.result)
    db.session.commit()
    return run


# --- recovery --------------------------------------------------------------------


def recover_stale_runs(now: datetime | None = None) -> list[int]:
    """Mark failed the runs left `running` by a process that died.

    A run is stale when its worker is a process of this host that no longer
    exists, or when it has been running far longer than its time limit allows
    (any host)."""
    now = now or utcnow()
    host = socket.gethostname()
    failed = []
    for run in db.session.scalars(select(MatchRun).where(MatchRun.status == "running")):
        worker_host, _, pid = (run.worker or "").partition(":")
        dead_here = worker_host == host and pid.isdigit() and not _alive(int(pid))
        overdue = run.started_at is not None and now - run.started_at > timedelta(
            seconds=run.time_limit_s * 2 + 300
        )
        if dead_here or overdue:
            run.status = "failed"
            run.finished_at = now
            run.error = (
                "the process running this run stopped before it finished "
                "(service restart or crash); nothing was published — start a new run"
            )
            failed.append(run.id)
    db.session.commit()
    return failed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def wake_worker() -> None:
    """Tell the in-process worker (if this process runs one) to look now."""
    from ..jobs.worker import wake

    wake()
