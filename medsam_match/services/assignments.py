"""Assignments and their lifecycle.

    proposed --confirm--> confirmed
    proposed --decline--> declined      (queues a repair run for the centre)
    confirmed --decline--> declined     (a volunteer who can no longer come)
    proposed|confirmed --session cancelled--> cancelled
    locked: set by a coordinator on a proposed or confirmed assignment

Any other transition answers 409 naming the current state. Volunteers answer
their own assignments; coordinators (and above) may answer for them.

Every change is a compare-and-set on the state the request read
(`UPDATE ... WHERE id = ? AND status = ?`): of several answers to one
assignment sent at once (two declines, or a confirm and a decline), exactly
one is applied; the others answer 409 naming the state it is in now.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import contains_eager

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Session
from . import notifications
from .locking import commit_as_written, transition
from .runs import queue_repair, run_queued
from .scope import centre_filter

ANSWERABLE = {"confirm": ("proposed",), "decline": ("proposed", "confirmed")}
DONE = {"confirm": "confirmed", "decline": "declined"}


def assignments_query(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
    stmt = (
        select(Assignment)
        .join(Session, Assignment.session_id == Session.id)
        .join(Activity, Session.activity_id == Activity.id)
    )
    if principal.role == "volunteer":
        stmt = stmt.where(Assignment.volunteer_id == principal.volunteer_id)
    else:
        stmt = stmt.where(centre_filter(principal, Activity.centre_id))
    for field in ("volunteer_id", "session_id", "status", "match_run_id"):
        if filters.get(field) is not None:
            stmt = stmt.where(getattr(Assignment, field) == filters[field])
    if filters.get("centre_id") is not None:
        stmt = stmt.where(Activity.centre_id == filters["centre_id"])
    window_from: datetime | None = filters.get("from")
    window_to: datetime | None = filters.get("to")
    if window_from is not None:
        stmt = stmt.where(Session.window_end > window_from)
    if window_to is not None:
        stmt = stmt.where(Session.window_start < window_to)
    if filters.get("locked") is not None:
        stmt = stmt.where(Assignment.locked.is_(bool(filters["locked"])))
    return stmt.order_by(Session.window_start, Assignment.session_id, Assignment.role, Assignment.id)


def assignment_list_query(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
    """`assignments_query` for a list: each row's session and activity (its
    times, and the way to the zone they are shown in) come from the query's
    own joins, not a lazy load per row."""
    return assignments_query(principal, filters).options(with_session_and_activity())


def with_session_and_activity() -> Any:
    """The loader option for an assignment query joined to Session and
    Activity: both read from the join. The activity's centre and
    municipality stay lazy: one per page for a scoped caller, often
    already in the session from the token."""
    return contains_eager(Assignment.session).contains_eager(Session.activity)


def volunteer_assignments_query(principal: Principal, volunteer_id: int) -> Select[Any]:
    """A volunteer's own assignments, soonest first (404 outside the caller's scope)."""
    from ..models import Volunteer

    if principal.role == "volunteer":
        if principal.volunteer_id != volunteer_id:
            raise NotFound("volunteer")
    else:
        visible = db.session.scalar(
            select(Volunteer.id).where(
                Volunteer.id == volunteer_id, centre_filter(principal, Volunteer.centre_id)
            )
        )
        if visible is None:
            raise NotFound("volunteer")
    return assignments_query(principal, {"volunteer_id": volunteer_id})


def assignments_ending_after(principal: Principal, ending_after: datetime) -> list[Assignment]:
    """The caller's assignments whose session ends after `ending_after`,
    soonest first, with their session, activity and place loaded (the
    volunteer page and calendar feed)."""
    stmt = assignments_query(principal, {"from": ending_after}).options(
        with_session_and_activity(),
        contains_eager(Assignment.session).joinedload(Session.place),
    )
    return list(db.session.scalars(stmt))


def get_assignment(principal: Principal, assignment_id: int) -> Assignment:
    assignment = db.session.scalars(
        assignments_query(principal, {}).where(Assignment.id == assignment_id)
    ).one_or_none()
    if assignment is None:
        raise NotFound("assignment")
    return assignment


def _check_version(assignment: Assignment, if_updated_at: datetime | None) -> None:
    if if_updated_at is not None and assignment.updated_at != if_updated_at:
        raise Conflict(
            "the assignment changed since you read it "
            f"(now {assignment.status}, updated {assignment.updated_at.isoformat()}); reload it",
            current=assignment.status,
        )


def _lost_race(assignment_id: int, doing: str) -> Conflict:
    """The 409 for a request whose compare-and-set found the assignment changed."""
    db.session.rollback()
    now = db.session.get(Assignment, assignment_id, populate_existing=True)
    if now is None:
        raise NotFound("assignment")
    return Conflict(
        f"the assignment is {now.status} now: another request changed it first; "
        f"it cannot be {doing} — reload it",
        current=now.status,
    )


def set_locked(
    principal: Principal, assignment_id: int, locked: bool, *, if_updated_at: datetime | None = None
) -> Assignment:
    assignment = get_assignment(principal, assignment_id)
    if principal.role == "volunteer":
        raise Forbidden("only a coordinator can lock an assignment")
    _check_version(assignment, if_updated_at)
    if locked and assignment.status not in ("proposed", "confirmed"):
        raise Conflict(f"a {assignment.status} assignment cannot be locked",
                       current=assignment.status)
    # Unchanged status and (when given) version since the checks above.
    changed = db.session.execute(
        update(Assignment)
        .where(Assignment.id == assignment.id, Assignment.status == assignment.status,
               Assignment.updated_at == assignment.updated_at)
        .values(locked=locked)
        .execution_options(synchronize_session=False)
    )
    if changed.rowcount != 1:  # type: ignore[attr-defined]
        raise _lost_race(assignment_id, "locked" if locked else "unlocked")
    db.session.commit()
    db.session.refresh(assignment)
    return assignment


def answer(
    principal: Principal, assignment_id: int, action: str, reason: str | None = None
) -> Assignment:
    """Confirm or decline. A decline queues (or widens) a repair run."""
    if action not in ANSWERABLE:
        raise Invalid({"action": ["must be confirm or decline"]})
    assignment = get_assignment(principal, assignment_id)
    seen = assignment.status
    if seen not in ANSWERABLE[action]:
        raise Conflict(
            f"the assignment is {seen}; only a "
            f"{' or '.join(ANSWERABLE[action])} assignment can be {DONE[action]}",
            current=seen,
        )
    if action == "confirm":
        won = transition(Assignment, assignment.id, (seen,), status="confirmed")
    else:
        won = transition(Assignment, assignment.id, (seen,), status="declined", locked=False,
                         decline_reason=(reason or "").strip() or None)
    if not won:
        raise _lost_race(assignment_id, DONE[action])
    if action == "decline":
        session = assignment.session
        queue_repair(session.activity.centre_id, session)
        # The centre's coordinators hear of it (outbox, same transaction).
        notifications.on_declined(assignment, seen, (reason or "").strip() or None)
    commit_as_written(assignment)
    if action == "decline":
        run_queued()
    return assignment
