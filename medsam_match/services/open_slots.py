"""Open slots: the seats of a centre's coming sessions a volunteer may take
themselves, and taking one.

Eligibility is the solver's, through `candidates.volunteer_roles` (the same
rules as the candidates list and manual assignments: availability, skills,
languages, certificate, travel distance, overlaps, weekly limits, declined
before). A seat is open when its role has fewer people than its maximum, or
when someone offers theirs as a swap (services/swaps.py).

Taking a seat creates the assignment confirmed and locked (later runs keep
it). Concurrency: the session's row and then the volunteer's row are locked
(`locking.lock_row`, the same order as manual assignments) and the seats are
counted inside that lock, so of two volunteers taking the last seat at once
exactly one gets it; the other gets a 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Session, Volunteer
from ..models.types import utcnow
from .candidates import RULE_TEXT, RoleFit, volunteer_roles, volunteer_roles_of
from .locking import lock_row
from .planning_scenario import role_max
from .sessions import get_session
from .volunteers import acting_volunteer

#: How far ahead the list looks.
HORIZON = timedelta(weeks=4)
STANDING = ("proposed", "confirmed")


@dataclass(frozen=True)
class OpenSlot:
    session_id: int
    activity_id: int
    title: str
    start: datetime
    end: datetime
    place: str | None
    role: str
    free: int  # seats left below the role's maximum (0 for a swap of a full role)
    interests: tuple[str, ...]  # the activity's interests the volunteer shares
    preferred: bool
    distance_km: float | None
    fit: float
    swap_assignment_id: int | None = None  # set when someone offers their seat

    @property
    def is_swap(self) -> bool:
        return self.swap_assignment_id is not None


def _slot(session: Session, volunteer: Volunteer, fit: RoleFit, free: int,
          swap_id: int | None = None) -> OpenSlot:
    assert fit.candidate is not None and session.start is not None and session.end is not None
    shared = tuple(i for i in session.activity.interests if i in set(volunteer.interests))
    return OpenSlot(
        session_id=session.id, activity_id=session.activity_id, title=session.activity.title,
        start=session.start, end=session.end,
        place=session.place.name if session.place is not None else None,
        role=fit.role, free=free, interests=shared, preferred=fit.candidate.preferred,
        distance_km=fit.candidate.distance_km, fit=fit.candidate.fit,
        swap_assignment_id=swap_id,
    )


def _swaps_offered(session_ids: list[int], volunteer_id: int) -> dict[int, list[Assignment]]:
    rows = db.session.scalars(
        select(Assignment).where(Assignment.session_id.in_(session_ids),
                                 Assignment.status == "confirmed",
                                 Assignment.swap_offered_at.is_not(None),
                                 Assignment.volunteer_id != volunteer_id)
        .order_by(Assignment.swap_offered_at, Assignment.id)
    ) if session_ids else []
    offered: dict[int, list[Assignment]] = {}
    for row in rows:
        offered.setdefault(row.session_id, []).append(row)
    return offered


def _surely_full(sessions: list[Session]) -> set[int]:
    """The sessions whose every role is full whoever asks, found without a
    scenario: each role holds at least its maximum of people whose seat
    stands whatever else happens (confirmed, or proposed and locked, by a
    volunteer not erased, holding that one role there). A lower bound of
    the scenario's own count, so a session left out here would have shown
    no free seat; the rest are decided by the scenario."""
    if not sessions:
        return set()
    rows = db.session.execute(
        select(Assignment.session_id, Assignment.volunteer_id, Assignment.role,
               Assignment.status, Assignment.locked)
        .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
        .where(Assignment.session_id.in_([s.id for s in sessions]),
               Assignment.status.in_(STANDING), Volunteer.erased_at.is_(None))
    )
    held: dict[tuple[int, int], set[tuple[str, bool]]] = {}
    for row in rows:
        fixed = row.status == "confirmed" or bool(row.locked)
        held.setdefault((row.session_id, row.volunteer_id), set()).add((row.role, fixed))
    counts: dict[tuple[int, str], int] = {}
    for (session_id, _), seats in held.items():
        if len(seats) == 1 and next(iter(seats))[1]:
            key = (session_id, next(iter(seats))[0])
            counts[key] = counts.get(key, 0) + 1
    return {
        s.id for s in sessions
        if s.activity.roles and all(
            counts.get((s.id, r["role"]), 0) >= role_max(r) for r in s.activity.roles)
    }


def open_slots(principal: Principal, volunteer_id: int | None = None,
               now: datetime | None = None) -> list[OpenSlot]:
    """The seats the volunteer may take, soonest first."""
    volunteer = acting_volunteer(principal, volunteer_id,
                                 "give the volunteer whose open slots to list")
    now = now or utcnow()
    sessions = list(db.session.scalars(
        select(Session)
        .join(Activity, Session.activity_id == Activity.id)
        .where(Activity.centre_id == volunteer.centre_id, Activity.self_signup.is_(True),
               Session.status != "cancelled", Session.start.is_not(None),
               Session.start > now, Session.start < now + HORIZON)
        .options(selectinload(Session.activity), selectinload(Session.place))
        .order_by(Session.start, Session.id)
    ))
    swaps = _swaps_offered([s.id for s in sessions], volunteer.id)
    full = _surely_full(sessions)
    slots: list[OpenSlot] = []
    sessions = [s for s in sessions if s.id not in full or s.id in swaps]
    checked = volunteer_roles_of(sessions, volunteer.id)
    for session in sessions:
        fits = checked[session.id]
        if isinstance(fits, Conflict):
            continue  # an open session whose time is not chosen yet
        for fit in fits:
            if fit.failing:
                continue
            if fit.filled < fit.maximum:
                slots.append(_slot(session, volunteer, fit, fit.maximum - fit.filled))
            for offered in swaps.get(session.id, ()):
                if offered.role == fit.role:
                    slots.append(_slot(session, volunteer, fit, 0, offered.id))
    slots.sort(key=lambda s: (s.start, s.session_id, s.role, s.is_swap))
    return slots


def refused(rules: tuple[str, ...]) -> Conflict:
    text = "; ".join(f"{rule}: {RULE_TEXT[rule]}" for rule in rules)
    return Conflict(f"you cannot take this seat ({text})", current=rules[0])


def role_fit(session: Session, volunteer_id: int, role: str) -> RoleFit:
    for fit in volunteer_roles(session, volunteer_id):
        if fit.role == role:
            return fit
    known = ", ".join(r.get("role", "") for r in session.activity.roles) or "none"
    raise Invalid({"role": [f"the session has no role {role!r} (roles: {known})"]})


def _own_volunteer(principal: Principal) -> Volunteer:
    if principal.role != "volunteer" or principal.volunteer_id is None:
        raise Forbidden("only a volunteer takes a seat themselves; coordinators assign "
                        "people with POST /api/v1/assignments")
    volunteer = db.session.get(Volunteer, principal.volunteer_id)
    if volunteer is None or volunteer.erased_at is not None:
        raise NotFound("volunteer")
    return volunteer


def take(principal: Principal, session_id: int, role: str,
         now: datetime | None = None) -> Assignment:
    """Take a free seat: the assignment is created confirmed and locked."""
    volunteer = _own_volunteer(principal)
    session = get_session(principal, session_id)
    if role not in {r.get("role") for r in session.activity.roles}:
        known = ", ".join(r.get("role", "") for r in session.activity.roles) or "none"
        raise Invalid({"role": [f"the session has no role {role!r} (roles: {known})"]})
    if not session.activity.self_signup:
        raise Forbidden("the centre has turned self sign-up off for this activity")
    if not lock_row(Session, session.id) or not lock_row(Volunteer, volunteer.id):
        raise NotFound("session")
    db.session.refresh(session)
    if session.status == "cancelled":
        raise Conflict("the session is cancelled", current="cancelled")
    if session.start is None or session.start <= (now or utcnow()):
        raise Conflict("the session has started or its time is not chosen yet",
                       current=session.status)
    fit = role_fit(session, volunteer.id, role)
    taken = db.session.scalar(
        select(func.count()).select_from(Assignment)
        .where(Assignment.session_id == session.id, Assignment.role == role,
               Assignment.status.in_(STANDING))
    ) or 0
    if taken >= fit.maximum and "already_assigned" not in fit.failing:
        raise Conflict(f"no free seat left: role {role!r} has {taken} of at most "
                       f"{fit.maximum} people (someone took the last one)", current="full")
    if fit.failing:
        raise refused(fit.failing)
    row = Assignment(volunteer_id=volunteer.id, session_id=session.id, role=role,
                     status="confirmed", locked=True)
    db.session.add(row)
    db.session.commit()
    return row


__all__ = ["HORIZON", "OpenSlot", "open_slots", "take"]
