"""A coordinator's own hand on the plan: assign a person, remove them.

An assignment made by hand is locked (no run moves it) and starts as
proposed: the volunteer still confirms on their page. It is checked against
every hard rule the solver keeps (services/candidates.py); a broken rule is
a 422 naming it. With `override` and a reason, a coordinator may overrule
availability and travel distance only; what was overruled, why and by whom
is stored beside the assignment (AssignmentOverride).

Concurrency: the session's row and then the volunteer's row are locked
(`locking.lock_row`, always in this order) before the rules are read, so
two coordinators filling the last seat, or putting one person in two
overlapping sessions at once, cannot both succeed.
"""

from __future__ import annotations

from sqlalchemy import select

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Assignment, AssignmentOverride, Session, Volunteer
from . import notifications
from .assignments import get_assignment
from .candidates import check_assignment
from .locking import lock_row, transition
from .scope import can_write_centre
from .sessions import get_session

MAX_REASON = 1000


def _writable_session(principal: Principal, session_id: int) -> Session:
    session = get_session(principal, session_id)
    if not can_write_centre(principal, session.activity.centre_id):
        raise Forbidden("only the centre's coordinators can change who is in a session")
    return session


def assign(principal: Principal, *, session_id: int, volunteer_id: int, role: str,
           override: bool = False, reason: str | None = None) -> Assignment:
    """Put a volunteer in a role of a session by hand (locked, proposed)."""
    reason = (reason or "").strip() or None
    if override and reason is None:
        raise Invalid({"reason": ["give a reason when you overrule a rule (override: true)"]})
    if reason is not None and len(reason) > MAX_REASON:
        raise Invalid({"reason": [f"at most {MAX_REASON} characters"]})
    session = _writable_session(principal, session_id)
    volunteer = db.session.get(Volunteer, volunteer_id) if 0 < volunteer_id < 2**31 else None
    if volunteer is None or volunteer.centre_id != session.activity.centre_id \
            or volunteer.erased_at is not None:
        raise Invalid({"volunteer_id": ["no such volunteer at this session's centre"]})
    if not lock_row(Session, session.id) or not lock_row(Volunteer, volunteer.id):
        raise NotFound("session")
    db.session.refresh(session)
    if session.status == "cancelled":
        raise Conflict("the session is cancelled", current="cancelled")
    overruled = check_assignment(session, volunteer.id, role, override)
    row = Assignment(volunteer_id=volunteer.id, session_id=session.id, role=role,
                     status="proposed", locked=True)
    db.session.add(row)
    db.session.flush()
    if overruled:
        assert reason is not None
        db.session.add(AssignmentOverride(assignment_id=row.id, rules=list(overruled),
                                          reason=reason, made_by=principal.actor))
    notifications.on_assigned(row)  # the volunteer hears of it (outbox, same transaction)
    db.session.commit()
    return row


def remove(principal: Principal, assignment_id: int) -> Assignment:
    """Take a person out of a session (the assignment becomes cancelled)."""
    assignment = get_assignment(principal, assignment_id)
    if not can_write_centre(principal, assignment.session.activity.centre_id):
        raise Forbidden("only the centre's coordinators can change who is in a session")
    seen = assignment.status
    if seen not in ("proposed", "confirmed"):
        raise Conflict(f"the assignment is {seen} already", current=seen)
    if not transition(Assignment, assignment.id, (seen,), status="cancelled", locked=False):
        db.session.rollback()
        now = db.session.get(Assignment, assignment_id, populate_existing=True)
        raise Conflict(f"the assignment is {now.status if now else 'gone'} now: another "
                       "request changed it first; reload it",
                       current=now.status if now else None)
    notifications.on_removed(assignment)  # the volunteer hears of it (outbox, same transaction)
    db.session.commit()
    db.session.refresh(assignment)
    return assignment


def override_of(assignment_id: int) -> AssignmentOverride | None:
    return db.session.scalars(
        select(AssignmentOverride).where(AssignmentOverride.assignment_id == assignment_id)
    ).one_or_none()
