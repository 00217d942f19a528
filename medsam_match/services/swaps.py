"""Swaps: a volunteer offers a confirmed seat; an eligible volunteer of the
centre takes it over.

    confirmed --offer--> confirmed, swap_offered_at set (still theirs)
    offered --take-over--> original cancelled (released, told), a new
                           confirmed and locked assignment for the taker
    offered --withdraw / coordinator cancels--> confirmed, no offer

Until someone takes it over the original volunteer stays responsible. The
taker must pass every rule the solver keeps (services/candidates.py) except
the role's maximum, since the seat is the original's. Concurrency: the
session's row is locked, then the taker's, and the original is released by a
compare-and-set (`status = 'confirmed' AND swap_offered_at IS NOT NULL`), so
of two volunteers accepting at once exactly one wins; the other gets a 409.

Messages (services/notifications, in the offer's own transaction): an offer
tells the volunteers who may take the seat over by the solver's rules
(`candidates.role_candidates`, the offerer and those already in the session
left out), each on the channel it chose (none: no message), at most
`SWAP_MESSAGE_LIMIT` of them, the best-fitting first, so a large centre does
not mail everyone; the rest still find the seat on their open-slots list.
Only a seat the open-slots list shows is announced (an activity with self
sign-up on, a session within `open_slots.HORIZON`), since the message links
there. A coordinator cancelling a pending swap tells the offering volunteer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import selectinload

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Session, Volunteer
from ..models.types import utcnow
from . import notifications
from .assignments import get_assignment
from .candidates import role_candidates
from .locking import lock_row
from .open_slots import HORIZON, refused, role_fit
from .scope import can_write_centre, centre_filter

#: The decline reason of a seat handed over by a swap.
HANDED_OVER = "handed over to another volunteer"
#: At most this many volunteers are told of one offered seat (best fit first).
SWAP_MESSAGE_LIMIT = 30


def _set_offer(assignment_id: int, offered: bool, at: datetime) -> bool:
    condition = (Assignment.swap_offered_at.is_(None) if offered
                 else Assignment.swap_offered_at.is_not(None))
    result = db.session.execute(
        update(Assignment)
        .where(Assignment.id == assignment_id, Assignment.status == "confirmed", condition)
        .values(swap_offered_at=at if offered else None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def offer(principal: Principal, assignment_id: int, now: datetime | None = None) -> Assignment:
    """The volunteer offers their confirmed seat to others."""
    assignment = get_assignment(principal, assignment_id)
    if principal.role != "volunteer":
        raise Forbidden("only the volunteer offers their own seat")
    now = now or utcnow()
    session = assignment.session
    if session.start is None or session.start <= now:
        raise Conflict("the session has started; it cannot be swapped", current=assignment.status)
    if assignment.status != "confirmed":
        raise Conflict(f"the assignment is {assignment.status}; only a confirmed one can be "
                       "offered (confirm it first, or decline it)", current=assignment.status)
    if not _set_offer(assignment.id, True, now):
        db.session.rollback()
        raise Conflict("the seat is offered already or changed; reload it",
                       current=assignment.status)
    _announce(assignment, now)
    db.session.commit()
    db.session.refresh(assignment)
    return assignment


def _announce(assignment: Assignment, now: datetime) -> int:
    """Tell the volunteers who may take the offered seat over (see the
    module's text). Returns the outbox rows written."""
    session = assignment.session
    if not session.activity.self_signup or session.start is None \
            or session.start >= now + HORIZON:
        return 0  # not on anyone's open-slots list: nothing to link to
    try:
        candidates = role_candidates(session, assignment.role)
    except Conflict:
        return 0  # a cancelled session: nobody is to take it over
    return notifications.on_swap_offered(
        assignment, [c.volunteer_id for c in candidates], limit=SWAP_MESSAGE_LIMIT)


def withdraw(principal: Principal, assignment_id: int) -> Assignment:
    """The volunteer takes the offer back, or a coordinator cancels it."""
    assignment = get_assignment(principal, assignment_id)
    if principal.role != "volunteer" and not can_write_centre(
            principal, assignment.session.activity.centre_id):
        raise Forbidden("only the volunteer or the centre's coordinators cancel an offer")
    if not _set_offer(assignment.id, False, utcnow()):
        db.session.rollback()
        raise Conflict("no swap is pending for this assignment", current=assignment.status)
    if principal.role != "volunteer":
        notifications.on_swap_cancelled(assignment)  # the offering volunteer is told
    db.session.commit()
    db.session.refresh(assignment)
    return assignment


def take_over(principal: Principal, assignment_id: int,
              now: datetime | None = None) -> Assignment:
    """Take over an offered seat: the original is released at that moment
    (and told), the taker gets a confirmed, locked assignment."""
    if principal.role != "volunteer" or principal.volunteer_id is None:
        raise Forbidden("only a volunteer takes over a seat")
    taker = db.session.get(Volunteer, principal.volunteer_id)
    original = db.session.get(Assignment, assignment_id) if 0 < assignment_id < 2**31 else None
    if (taker is None or original is None
            or original.session.activity.centre_id != taker.centre_id):
        raise NotFound("assignment")
    if original.swap_offered_at is None:
        if original.status == "cancelled" and original.decline_reason == HANDED_OVER:
            # Someone took it over a moment ago: say so, as to the one who
            # waited for the winner's lock (409), not "no such seat".
            raise Conflict("someone else took this seat over first", current="taken")
        raise NotFound("assignment")  # nothing offered that this volunteer may see
    if original.volunteer_id == taker.id:
        raise Conflict("this is your own seat; withdraw the offer instead", current="offered")
    session = original.session
    if not lock_row(Session, session.id) or not lock_row(Volunteer, taker.id):
        raise NotFound("assignment")
    db.session.refresh(session)
    if session.status == "cancelled" or session.start is None \
            or session.start <= (now or utcnow()):
        raise Conflict("the session is cancelled or has started", current=session.status)
    fit = role_fit(session, taker.id, original.role)
    if fit.failing:
        raise refused(fit.failing)
    released = db.session.execute(
        update(Assignment)
        .where(Assignment.id == original.id, Assignment.status == "confirmed",
               Assignment.swap_offered_at.is_not(None))
        .values(status="cancelled", locked=False, swap_offered_at=None,
                decline_reason=HANDED_OVER)
        .execution_options(synchronize_session=False)
    )
    if released.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise Conflict("someone else took this seat over first, or the offer was withdrawn",
                       current="taken")
    row = Assignment(volunteer_id=taker.id, session_id=session.id, role=original.role,
                     status="confirmed", locked=True)
    db.session.add(row)
    db.session.flush()
    db.session.refresh(original)
    notifications.on_removed(original)  # the original volunteer is released and told
    db.session.commit()
    return row


def pending_swaps_query(principal: Principal,
                        filters: Mapping[str, Any] | None = None) -> Select[Any]:
    """Seats offered and not yet taken over, in sessions still to come, the
    caller may see (a volunteer: their own offers), soonest session first.
    Filters: centre_id, session_id, now."""
    filters = filters or {}
    stmt = (
        select(Assignment)
        .join(Session, Assignment.session_id == Session.id)
        .join(Activity, Session.activity_id == Activity.id)
        .where(Assignment.status == "confirmed", Assignment.swap_offered_at.is_not(None),
               Session.status != "cancelled", Session.start > (filters.get("now") or utcnow()))
    )
    if principal.role == "volunteer":
        stmt = stmt.where(Assignment.volunteer_id == principal.volunteer_id)
    else:
        stmt = stmt.where(centre_filter(principal, Activity.centre_id))
    if filters.get("centre_id") is not None:
        stmt = stmt.where(Activity.centre_id == filters["centre_id"])
    if filters.get("session_id") is not None:
        stmt = stmt.where(Assignment.session_id == filters["session_id"])
    return stmt.order_by(Session.start, Session.id, Assignment.id).options(
        selectinload(Assignment.session).selectinload(Session.activity),
        selectinload(Assignment.volunteer))


def pending_swaps(principal: Principal, centre_id: int | None = None,
                  session_id: int | None = None) -> list[Assignment]:
    """`pending_swaps_query` as a list (the board and the session page)."""
    return list(db.session.scalars(pending_swaps_query(
        principal, {"centre_id": centre_id, "session_id": session_id})))


def cancel_swap(principal: Principal, assignment_id: int) -> Assignment:
    """A coordinator cancels a pending swap: the seat stays the original
    volunteer's (same as `withdraw`)."""
    return withdraw(principal, assignment_id)


__all__ = ["cancel_swap", "offer", "pending_swaps", "pending_swaps_query", "take_over",
           "withdraw"]
