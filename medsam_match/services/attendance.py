"""Attendance: after a session the coordinator marks each confirmed seat
attended or no-show.

    (not marked) --mark--> attended | no_show
    attended <--mark--> no_show       (a correction)
    attended | no_show --clear--> (not marked)

Only confirmed assignments of a session that is not cancelled and has begun
can be marked (a coordinator may mark while the session ends). Coordinators
of the session's centre (and municipality users, admins above them) mark;
volunteers read their own records.

Concurrency: every mark is a compare-and-set on the value the caller saw
(`UPDATE assignment SET attendance = :new WHERE id = :id AND status =
'confirmed' AND attendance IS NOT DISTINCT FROM :seen`): of two coordinators
marking one seat at once, exactly one change is applied; the other gets a
409 naming the value it now has, unless it asked for that very value (then
nothing is left to do and it succeeds).

With the setting `attendance_default_days` N > 0, confirmed seats still
unmarked N days after their session ended count as attended
(`apply_default_attendance`, run by the scheduler): the same conditional
update (`attendance IS NULL`), so it never overwrites a coordinator's mark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, select, update
from sqlalchemy.orm import selectinload

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Session
from ..models.types import utcnow
from .assignments import get_assignment
from .scope import can_write_centre, centre_filter
from .sessions import get_session

ATTENDANCE_VALUES = ("attended", "no_show")
#: Who `apply_default_attendance` names as the marker.
DEFAULT_MARKER = "default"
#: Filter values of `attendance_query`: a value, or not marked yet.
UNMARKED = "unmarked"
_UNSEEN = object()


@dataclass(frozen=True)
class Mark:
    """One seat's attendance to set: `attendance` None clears it; `seen`
    is the value the caller read (leave it out to accept whatever is there)."""

    assignment_id: int
    attendance: str | None
    seen: Any = _UNSEEN


def _check_value(value: str | None, field: str = "attendance") -> None:
    if value is not None and value not in ATTENDANCE_VALUES:
        raise Invalid({field: ["must be attended, no_show or null (not marked)"]})


def attendance_query(principal: Principal, filters: Mapping[str, Any]) -> Select[Any]:
    """Confirmed seats of sessions that have begun and are not cancelled,
    the caller may see (a volunteer: their own), newest session first.

    Filters: session_id, centre_id, volunteer_id, activity_id, from / to
    (session start, UTC), attendance (attended, no_show or unmarked)."""
    now = filters.get("now") or utcnow()
    stmt = (
        select(Assignment)
        .join(Session, Assignment.session_id == Session.id)
        .join(Activity, Session.activity_id == Activity.id)
        .where(Assignment.status == "confirmed", Session.status != "cancelled",
               Session.start.is_not(None), Session.start <= now)
    )
    if principal.role == "volunteer":
        stmt = stmt.where(Assignment.volunteer_id == principal.volunteer_id)
    else:
        stmt = stmt.where(centre_filter(principal, Activity.centre_id))
    for name, column in (("session_id", Assignment.session_id),
                         ("volunteer_id", Assignment.volunteer_id),
                         ("centre_id", Activity.centre_id),
                         ("activity_id", Session.activity_id)):
        if filters.get(name) is not None:
            stmt = stmt.where(column == filters[name])
    if filters.get("from") is not None:
        stmt = stmt.where(Session.start >= filters["from"])
    if filters.get("to") is not None:
        stmt = stmt.where(Session.start < filters["to"])
    wanted = filters.get("attendance")
    if wanted == UNMARKED:
        stmt = stmt.where(Assignment.attendance.is_(None))
    elif wanted is not None:
        _check_value(wanted)
        stmt = stmt.where(Assignment.attendance == wanted)
    return stmt.order_by(Session.start.desc(), Session.id, Assignment.role,
                         Assignment.id).options(
        selectinload(Assignment.session).selectinload(Session.activity),
        selectinload(Assignment.volunteer))


def get_attendance(principal: Principal, assignment_id: int,
                   now: datetime | None = None) -> Assignment:
    """One confirmed seat of a session that has begun (404 otherwise)."""
    if not 0 < assignment_id < 2**31:
        raise NotFound("assignment")
    found = db.session.scalars(attendance_query(principal, {"now": now}).where(
        Assignment.id == assignment_id)).first()
    if found is None:
        raise NotFound("assignment")
    return found


def session_attendance(principal: Principal, session_id: int,
                       now: datetime | None = None) -> list[Assignment]:
    """The confirmed seats of one session, by role then id, to be marked (or
    as marked). Empty before the session begins."""
    session = get_session(principal, session_id)
    return sorted(db.session.scalars(attendance_query(
        principal, {"session_id": session.id, "now": now or utcnow()})),
        key=lambda a: (a.role, a.id))


def markable(session: Session, now: datetime | None = None) -> bool:
    """Whether a session's seats can be marked now (begun, not cancelled)."""
    return (session.status != "cancelled" and session.start is not None
            and session.start <= (now or utcnow()))


def _writable(principal: Principal, assignment_id: int, now: datetime) -> Assignment:
    assignment = get_assignment(principal, assignment_id)  # 404 outside the caller's scope
    session = assignment.session
    if principal.role == "volunteer" or not can_write_centre(principal,
                                                             session.activity.centre_id):
        raise Forbidden("only the centre's coordinators mark attendance")
    if assignment.status != "confirmed":
        raise Conflict(f"the assignment is {assignment.status}; only a confirmed seat has "
                       "attendance", current=assignment.status)
    if not markable(session, now):
        raise Conflict("attendance is marked once the session has begun"
                       if session.status != "cancelled" else "the session is cancelled",
                       current=session.status)
    return assignment


def _compare_and_set(assignment_id: int, value: str | None, seen: Any, by: str,
                     now: datetime) -> bool:
    conditions = [Assignment.id == assignment_id, Assignment.status == "confirmed"]
    if seen is not _UNSEEN:
        conditions.append(Assignment.attendance.is_(None) if seen is None
                          else Assignment.attendance == seen)
    result = db.session.execute(
        update(Assignment).where(and_(*conditions))
        .values(attendance=value, attendance_marked_at=now if value else None,
                attendance_marked_by=by if value else None)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1  # type: ignore[attr-defined]


def _apply(principal: Principal, mark: Mark, now: datetime) -> Assignment:
    _check_value(mark.attendance)
    if mark.seen is not _UNSEEN:
        _check_value(mark.seen, "seen")
    assignment = _writable(principal, mark.assignment_id, now)
    if not _compare_and_set(assignment.id, mark.attendance, mark.seen, principal.actor, now):
        current = db.session.scalar(select(Assignment.attendance)
                                    .where(Assignment.id == assignment.id))
        if current != mark.attendance:
            raise Conflict(
                f"someone marked this seat {current or 'not marked'} meanwhile; reload and "
                "mark it again if you still mean to", current=current or UNMARKED)
    return assignment


def mark_attendance(principal: Principal, assignment_id: int, attendance: str | None,
                    *, seen: Any = _UNSEEN, now: datetime | None = None) -> Assignment:
    """Mark one confirmed seat attended, no_show, or (None) not marked."""
    now = now or utcnow()
    try:
        assignment = _apply(principal, Mark(assignment_id, attendance, seen), now)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    db.session.refresh(assignment)
    return assignment


def mark_session_attendance(principal: Principal, session_id: int, marks: list[Mark],
                            now: datetime | None = None) -> list[Assignment]:
    """Mark several seats of one session together: all or nothing (a 409 or
    422 for one leaves every seat as it was)."""
    now = now or utcnow()
    session = get_session(principal, session_id)
    if not marks:
        raise Invalid({"marks": ["give at least one seat to mark"]})
    if len({m.assignment_id for m in marks}) != len(marks):
        raise Invalid({"marks": ["each assignment at most once"]})
    seats = set(db.session.scalars(select(Assignment.id).where(
        Assignment.session_id == session.id, Assignment.status == "confirmed")))
    wrong = {f"marks.{index}.assignment_id": ["no confirmed seat of this session"]
             for index, mark in enumerate(marks) if mark.assignment_id not in seats}
    if wrong:
        raise Invalid(wrong)
    done: list[Assignment] = []
    try:
        for index, mark in enumerate(marks):
            try:
                done.append(_apply(principal, mark, now))
            except Invalid as invalid:
                raise Invalid({f"marks.{index}.{k}": v
                               for k, v in invalid.errors.items()}) from None
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    for assignment in done:
        db.session.refresh(assignment)
    return done


def apply_default_attendance(days: int, now: datetime | None = None) -> int:
    """Mark attended the confirmed, unmarked seats of sessions (not
    cancelled) that ended at least `days` days ago; returns how many. 0 days
    turns it off. Never overwrites a mark (`attendance IS NULL`)."""
    if days <= 0:
        return 0
    now = now or utcnow()
    ended = select(Session.id).where(Session.status != "cancelled",
                                     Session.end.is_not(None),
                                     Session.end <= now - timedelta(days=days))
    result = db.session.execute(
        update(Assignment)
        .where(Assignment.status == "confirmed", Assignment.attendance.is_(None),
               Assignment.session_id.in_(ended))
        .values(attendance="attended", attendance_marked_at=now,
                attendance_marked_by=DEFAULT_MARKER)
        .execution_options(synchronize_session=False))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


__all__ = [
    "ATTENDANCE_VALUES", "DEFAULT_MARKER", "UNMARKED", "Mark", "apply_default_attendance",
    "attendance_query", "get_attendance", "mark_attendance", "mark_session_attendance", "markable",
    "session_attendance",
]
