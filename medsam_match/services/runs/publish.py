"""Publishing a plan: the centre's proposed assignments in the run's window
are replaced by the plan, in the caller's one transaction.

Confirmed and locked assignments are never touched. The centre's row and the
window's sessions are locked while the window is read and written, and every
row the publishing removes is removed with a condition (`status = 'proposed'
AND NOT locked`), so a volunteer who confirms while a plan is published keeps
the confirmed assignment, and a session cancelled meanwhile is not
re-scheduled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from ...auth import Principal
from ...domain_errors import Conflict, NotFound
from ...extensions import db
from ...models import Activity, Assignment, Centre, MatchRun, Session
from ...models.types import utcnow
from .. import notifications
from ..locking import lock_row
from ..planning_scenario import assignments_in_window, plan_rows, schedule_rows
from .create import get_run


@dataclass
class Window:
    """A run's window as the database holds it now, read once (under a lock on
    the centre's row) for both the changes and the publishing."""

    sessions: dict[int, Session]  # not cancelled, starting in the window
    assignments: list[Assignment]  # every status, at those sessions

    @classmethod
    def load(cls, run: MatchRun) -> Window:
        """Lock the centre's row, then its sessions in the window (PostgreSQL:
        FOR UPDATE, so a session cancelled or moved meanwhile is either seen
        as such or waits for the publishing), and read them fresh."""
        lock_row(Centre, run.centre_id)
        sessions_stmt = (
            select(Session)
            .join(Activity, Session.activity_id == Activity.id)
            .where(
                Activity.centre_id == run.centre_id,
                Session.status != "cancelled",
                Session.window_start >= run.window_from,
                Session.window_start < run.window_to,
            )
            .order_by(Session.window_start, Session.id)
            .with_for_update(of=Session)
            .execution_options(populate_existing=True)
        )
        sessions = {s.id: s for s in db.session.scalars(sessions_stmt)}
        assignments = list(db.session.scalars(
            assignments_in_window(run.centre_id, run.window_from, run.window_to)
            .execution_options(populate_existing=True)
        ))
        return cls(sessions, [a for a in assignments if a.session_id in sessions])

    def centre(self, run: MatchRun) -> Centre:
        centre = db.session.get(Centre, run.centre_id)
        assert centre is not None
        return centre

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


def plan_changes(window: Window, result: dict[str, Any]) -> dict[str, Any]:
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


def publish(run: MatchRun, window: Window, result: dict[str, Any]) -> None:
    """Replace the centre's proposed assignments in the window by the plan.
    Runs inside the caller's transaction; the caller commits once."""
    plan = window.plan(result)
    standing = window.standing()
    declined = {(a.volunteer_id, a.session_id) for a in window.assignments if a.status == "declined"}
    added: list[Assignment] = []
    removed: list[dict[str, Any]] = []
    moved: list[tuple[Session, dict[str, Any]]] = []
    for key, assignment in standing.items():
        if assignment.status == "proposed" and not assignment.locked and key not in plan:
            removed.append({"assignment_id": assignment.id, "volunteer_id": assignment.volunteer_id,
                            "session_id": assignment.session_id, "role": assignment.role})
            db.session.execute(
                delete(Assignment)
                .where(Assignment.id == assignment.id, Assignment.status == "proposed",
                       Assignment.locked.is_(False))
                .execution_options(synchronize_session=False)
            )
            db.session.expunge(assignment)
    for volunteer_id, session_id, role in sorted(plan - set(standing)):
        if (volunteer_id, session_id) in declined:
            continue  # declined while the solver ran: never re-propose
        assignment = Assignment(
            volunteer_id=volunteer_id,
            session_id=session_id,
            role=role,
            status="proposed",
            match_run_id=run.id,
        )
        db.session.add(assignment)
        added.append(assignment)
    for session_id, (start, end, place_id) in schedule_rows(result).items():
        session = window.sessions.get(session_id)
        if session is None:
            continue  # frozen (around the window) or cancelled meanwhile
        if session.options:
            before = {"start": session.start, "end": session.end, "place_id": session.place_id}
            if session.start is not None and (session.start, session.place_id) != (start, place_id):
                moved.append((session, before))
            session.start, session.end, session.place_id = start, end, place_id
        session.status = "scheduled"
    # The messages to the volunteers, in this same transaction (the outbox).
    db.session.flush()
    centre = window.centre(run)
    notifications.on_published(run.id, centre, added, removed)
    for session, before in moved:  # an open session given another time or place
        notifications.on_session_changed(
            session, cancelled=False, before=before,
            skip_volunteers={a.volunteer_id for a in added if a.session_id == session.id})
    if run.trigger == "nightly":
        notifications.on_nightly_published(run, centre)


def publish_dry_run(principal: Principal, run_id: int) -> MatchRun:
    """`:publish` turns a dry run's plan into proposed assignments, if nothing
    in its window changed since the run started. Two publishes of one run at
    once: one publishes, the other answers 409 (the run's row is locked)."""
    run = get_run(principal, run_id)
    if principal.role == "volunteer":
        raise NotFound("match run")
    if not run.dry_run:
        raise Conflict("only a dry run can be published; this run published its plan itself")
    window = Window.load(run)  # the centre's lock first, as a finishing run takes it
    lock_row(MatchRun, run.id)
    db.session.refresh(run)
    if run.status != "succeeded":
        db.session.rollback()
        raise Conflict(f"the run is {run.status}; only a succeeded run can be published",
                       current=run.status)
    if run.published_at is not None:
        db.session.rollback()
        raise Conflict("the run's plan is already published", current="published")
    assert run.result is not None and run.started_at is not None
    changed = db.session.scalar(
        assignments_in_window(run.centre_id, run.window_from, run.window_to)
        .where(Assignment.updated_at > run.started_at)
        .limit(1)
    )
    if changed is not None:
        db.session.rollback()
        raise Conflict(
            "assignments in the window changed since this run started; "
            "start a new run to plan with them"
        )
    running = db.session.scalar(
        select(MatchRun.id).where(MatchRun.centre_id == run.centre_id, MatchRun.status == "running")
    )
    if running is not None:
        db.session.rollback()
        raise Conflict(f"run {running} for this centre is in progress; publish after it ends")
    publish(run, window, run.result)
    run.published_at = utcnow()
    db.session.commit()
    return run
