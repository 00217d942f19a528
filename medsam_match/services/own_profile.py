"""A volunteer changes their own profile (on /my/profile): availability,
away periods, interests, languages, travel, weekly limits, contact and
messages.

The change itself is `volunteers.update_volunteer` with the volunteer's own
principal (what a volunteer may change, the interests from the centre's
list, the version check): the same code as PATCH /api/v1/volunteers/{id},
after the same schema checked the body. Afterwards the volunteer's coming
proposed and confirmed seats are checked with the planner's rules
(`candidates.held_rules_of`); the seats the change made impossible (they fitted
before it and do not now) are returned, so the page says which, and the
centre's coordinators are told through the outbox in the same transaction.
The seats stay the volunteer's: the volunteer may still come, or decline,
and the coordinator decides.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from solver.errors import ScenarioError

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden
from ..extensions import db
from ..models import Assignment, Session, Volunteer
from ..models.types import utcnow
from . import notifications
from .candidates import held_rules, held_rules_of
from .volunteers import update_volunteer

#: The fields whose change can make a planned seat impossible.
PLANNING_FIELDS = frozenset({"weekly_availability", "unavailable", "languages",
                             "max_travel_km", "max_hours_per_week", "max_sessions_per_week",
                             "lat", "lon"})


@dataclass(frozen=True)
class Saved:
    volunteer: Volunteer
    broken: dict[int, tuple[str, ...]]  # assignment id -> the rules it now breaks


def coming_seats(volunteer_id: int, now: datetime) -> list[Assignment]:
    """The volunteer's proposed and confirmed seats in sessions still to come."""
    return list(db.session.scalars(
        select(Assignment)
        .join(Session, Session.id == Assignment.session_id)
        .where(Assignment.volunteer_id == volunteer_id,
               Assignment.status.in_(("proposed", "confirmed")),
               Session.status != "cancelled", Session.window_start > now)
        .order_by(Session.window_start, Assignment.id)
        .options(selectinload(Assignment.session).selectinload(Session.activity))))


def seats_not_fitting(volunteer_id: int, now: datetime) -> dict[int, tuple[str, ...]]:
    """Each coming seat that breaks a rule, with the rules: one scenario per
    ISO week of the seats (`candidates.held_rules_of`), or seat by seat when
    some week's rows do not make a valid scenario."""
    seats = coming_seats(volunteer_id, now)
    try:
        by_session = held_rules_of([seat.session for seat in seats], volunteer_id)
    except ScenarioError:
        pass
    else:  # a seat whose session's time is not chosen yet: the next plan decides
        return {seat.id: by_session[seat.session_id] for seat in seats
                if by_session.get(seat.session_id)}
    found: dict[int, tuple[str, ...]] = {}
    for seat in seats:
        try:
            rules = held_rules(seat.session, volunteer_id)
        except Conflict:
            continue  # an open session whose time is not chosen yet: the next plan decides
        except ScenarioError:
            continue  # the week's rows do not make a valid scenario: nothing to say here
        if rules:
            found[seat.id] = rules
    return found


def save_own_profile(principal: Principal, data: dict[str, Any],
                     expected: Collection[int] | None = None,
                     now: datetime | None = None) -> Saved:
    """Store the volunteer's change (422 naming the field, 409 if the
    version moved; nothing stored then) and report the seats it broke."""
    if principal.role != "volunteer" or principal.volunteer_id is None:
        raise Forbidden("only the volunteer changes their own profile here")
    now = now or utcnow()
    volunteer_id = principal.volunteer_id
    checks = bool(PLANNING_FIELDS & set(data))
    before = seats_not_fitting(volunteer_id, now) if checks else {}
    try:
        # The change, the seats read with it and the coordinators' message
        # are one transaction, the volunteer's row claimed throughout.
        volunteer = update_volunteer(principal, volunteer_id, data, expected, commit=False)
        broken: dict[int, tuple[str, ...]] = {}
        if checks:
            after = seats_not_fitting(volunteer_id, now)
            broken = {seat: rules for seat, rules in after.items() if seat not in before}
        if broken:
            notifications.on_availability_conflict(volunteer, broken)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return Saved(volunteer, broken)


__all__ = ["PLANNING_FIELDS", "Saved", "coming_seats", "save_own_profile", "seats_not_fitting"]
