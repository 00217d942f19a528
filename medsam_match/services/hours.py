"""Hours: what volunteers give, counted from attendance and from the hours
they log themselves for work outside planned sessions.

A logged entry (date, hours, activity, note) starts pending; a coordinator
of the volunteer's centre approves or rejects it:

    pending --approve--> approved
    pending --reject--> rejected
    pending --withdraw (the volunteer)--> (deleted)

Hours a coordinator logs for a volunteer are approved at once. A day holds
at most 24 hours of entries (pending and approved together): the
volunteer's row is locked (`locking.lock_row`) before the day is summed, so
two entries logged at once cannot together pass 24. Each decision is a
compare-and-set on `status = 'pending'`: of two coordinators deciding at
once, one decides, the other gets a 409 naming the state.

Hours given by a volunteer (`volunteer_hours`) are the hours of their
confirmed seats marked attended plus their approved entries; never the
plan. services/reports.py counts the same for a centre or municipality.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import selectinload

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Centre, HoursEntry, Municipality, Session, Volunteer
from ..models.types import MAX_ID, utcnow
from .locking import lock_row, transition
from .scope import can_write_centre, centre_filter
from .volunteers import acting_volunteer

MAX_HOURS_PER_DAY = 24.0
MAX_NOTE = 1000
#: How far back hours may be logged.
MAX_DAYS_BACK = 366
DECISIONS = {"approve": "approved", "reject": "rejected"}
_WHOSE = "give the volunteer whose hours these are"


def _local_today(volunteer: Volunteer, now: datetime) -> date:
    zone = db.session.scalar(
        select(Municipality.timezone).join(Centre, Centre.municipality_id == Municipality.id)
        .where(Centre.id == volunteer.centre_id))
    return now.astimezone(ZoneInfo(zone or "Europe/Oslo")).date()


def _check_entry(volunteer: Volunteer, data: Mapping[str, Any], now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    hours = data.get("hours")
    if not isinstance(hours, int | float) or isinstance(hours, bool) \
            or not 0 < hours <= MAX_HOURS_PER_DAY:
        errors["hours"] = ["must be more than 0 and at most 24 (hours in one day)"]
    day = data.get("day")
    if not isinstance(day, date):
        errors["day"] = ["give the day, YYYY-MM-DD"]
    else:
        today = _local_today(volunteer, now)
        if day > today:
            errors["day"] = ["hours are logged once given: the day must not be in the future"]
        elif day < today - timedelta(days=MAX_DAYS_BACK):
            errors["day"] = [f"at most {MAX_DAYS_BACK} days back"]
    if len(data.get("note") or "") > MAX_NOTE:
        errors["note"] = [f"at most {MAX_NOTE} characters"]
    activity_id = data.get("activity_id")
    if activity_id is not None:
        found = db.session.scalar(select(Activity.id).where(
            Activity.id == activity_id, Activity.centre_id == volunteer.centre_id)) \
            if isinstance(activity_id, int) and 0 < activity_id <= MAX_ID else None
        if found is None:
            errors["activity_id"] = ["no such activity in the volunteer's centre"]
    if errors:
        raise Invalid(errors)


def log_hours(principal: Principal, data: Mapping[str, Any],
              now: datetime | None = None) -> HoursEntry:
    """Log hours for work outside planned sessions. A volunteer logs their
    own (pending); a coordinator logs for one of their centre's volunteers
    (`volunteer_id`; approved at once). 422 naming the field for hours not
    in (0, 24], a day in the future, an activity of another centre, or a day
    whose entries would pass 24 hours."""
    now = now or utcnow()
    volunteer = acting_volunteer(principal, data.get("volunteer_id"), _WHOSE)
    staff = principal.role != "volunteer"
    if staff and not can_write_centre(principal, volunteer.centre_id):
        raise Forbidden("this token may read this volunteer's hours but not log any")
    _check_entry(volunteer, data, now)
    try:
        if not lock_row(Volunteer, volunteer.id):
            raise NotFound("volunteer")
        logged = db.session.scalar(
            select(func.coalesce(func.sum(HoursEntry.hours), 0.0))
            .where(HoursEntry.volunteer_id == volunteer.id, HoursEntry.day == data["day"],
                   HoursEntry.status.in_(("pending", "approved")))) or 0.0
        if float(logged) + float(data["hours"]) > MAX_HOURS_PER_DAY:
            raise Invalid({"hours": [
                f"{float(logged):g} hours are logged for {data['day'].isoformat()} already; "
                f"a day has at most 24"]})
        entry = HoursEntry(
            volunteer_id=volunteer.id, activity_id=data.get("activity_id"), day=data["day"],
            hours=float(data["hours"]), note=(data.get("note") or "").strip(),
            status="approved" if staff else "pending",
            decided_by=principal.actor if staff else None, decided_at=now if staff else None,
            created_at=now)
        db.session.add(entry)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return entry


def hours_query(principal: Principal, filters: Mapping[str, Any]) -> Select[Any]:
    """Logged hours the caller may see (a volunteer: their own), newest day
    first. Filters: volunteer_id, centre_id, activity_id, status, from / to
    (days, to exclusive)."""
    stmt = select(HoursEntry).join(Volunteer, Volunteer.id == HoursEntry.volunteer_id)
    if principal.role == "volunteer":
        stmt = stmt.where(HoursEntry.volunteer_id == principal.volunteer_id)
    else:
        stmt = stmt.where(centre_filter(principal, Volunteer.centre_id))
    for name, column in (("volunteer_id", HoursEntry.volunteer_id),
                         ("centre_id", Volunteer.centre_id),
                         ("activity_id", HoursEntry.activity_id),
                         ("status", HoursEntry.status)):
        if filters.get(name) is not None:
            stmt = stmt.where(column == filters[name])
    if filters.get("from") is not None:
        stmt = stmt.where(HoursEntry.day >= filters["from"])
    if filters.get("to") is not None:
        stmt = stmt.where(HoursEntry.day < filters["to"])
    return stmt.order_by(HoursEntry.day.desc(), HoursEntry.id.desc()).options(
        selectinload(HoursEntry.volunteer), selectinload(HoursEntry.activity))


def get_hours_entry(principal: Principal, entry_id: int) -> HoursEntry:
    if not 0 < entry_id <= MAX_ID:
        raise NotFound("hours entry")
    entry = db.session.scalars(hours_query(principal, {}).where(HoursEntry.id == entry_id)
                               ).one_or_none()
    if entry is None:
        raise NotFound("hours entry")
    return entry


def pending_hours(principal: Principal, centre_id: int | None = None) -> list[HoursEntry]:
    """Entries waiting for a decision, oldest first (a coordinator's to-do)."""
    stmt = hours_query(principal, {"status": "pending", "centre_id": centre_id})
    return list(db.session.scalars(stmt.order_by(None).order_by(HoursEntry.created_at,
                                                                HoursEntry.id)))


def decide_hours(principal: Principal, entry_id: int, decision: str,
                 now: datetime | None = None) -> HoursEntry:
    """Approve or reject a pending entry (the centre's coordinators)."""
    if decision not in DECISIONS:
        raise Invalid({"decision": ["must be approve or reject"]})
    entry = get_hours_entry(principal, entry_id)
    if principal.role == "volunteer" or not can_write_centre(principal,
                                                             entry.volunteer.centre_id):
        raise Forbidden("only the centre's coordinators approve or reject hours")
    now = now or utcnow()
    if not transition(HoursEntry, entry.id, ("pending",), status=DECISIONS[decision],
                      decided_by=principal.actor, decided_at=now):
        _conflict(entry_id, "is approved or rejected")
    db.session.commit()
    db.session.refresh(entry)
    return entry


def _conflict(entry_id: int, what: str) -> NoReturn:
    """409 for an entry decided or withdrawn since it was read, naming what
    it is now. By id: the rollback expires the entry read, whose row may be
    gone."""
    db.session.rollback()
    current = db.session.scalar(select(HoursEntry.status).where(HoursEntry.id == entry_id))
    raise Conflict(f"the entry is {current or 'withdrawn'} already; only a pending entry {what}",
                   current=current or "withdrawn")


def withdraw_hours(principal: Principal, entry_id: int) -> None:
    """The volunteer takes back an entry still pending (deleted)."""
    entry = get_hours_entry(principal, entry_id)
    if principal.role != "volunteer":
        raise Forbidden("the volunteer withdraws their own entry; a coordinator rejects it")
    result = db.session.execute(
        delete(HoursEntry).where(HoursEntry.id == entry.id, HoursEntry.status == "pending")
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:  # type: ignore[attr-defined]
        _conflict(entry_id, "can be withdrawn")
    db.session.commit()


# --- what a volunteer gave -------------------------------------------------

@dataclass
class ActivityHours:
    activity_id: int | None
    title: str
    attended: float = 0.0  # hours of seats marked attended
    logged: float = 0.0  # approved logged hours

    @property
    def total(self) -> float:
        return self.attended + self.logged


@dataclass
class HoursSummary:
    volunteer_id: int
    first: date | None
    end: date | None  # exclusive
    attended: float = 0.0
    sessions_attended: int = 0
    no_shows: int = 0
    logged: float = 0.0  # approved
    pending: float = 0.0
    by_activity: list[ActivityHours] = field(default_factory=list)

    @property
    def total(self) -> float:
        """Hours given: attended plus approved logged hours."""
        return self.attended + self.logged


def _hours_between(start: datetime, end: datetime) -> float:
    return max((end - start).total_seconds() / 3600.0, 0.0)


def volunteer_hours(principal: Principal, volunteer_id: int | None = None,
                    first: date | None = None, end: date | None = None) -> HoursSummary:
    """The hours a volunteer gave over [first, end) (whole history when not
    given): seats marked attended (by session start, UTC day) and approved
    logged entries; pending entries apart. By activity, most hours first."""
    volunteer = acting_volunteer(principal, volunteer_id, _WHOSE)
    summary = HoursSummary(volunteer.id, first, end)
    by_activity: dict[int | None, ActivityHours] = {}

    def bucket(activity_id: int | None, title: str) -> ActivityHours:
        return by_activity.setdefault(activity_id, ActivityHours(activity_id, title))

    seats = (select(Session.start, Session.end, Activity.id, Activity.title,
                    Assignment.attendance)
             .join(Session, Session.id == Assignment.session_id)
             .join(Activity, Activity.id == Session.activity_id)
             .where(Assignment.volunteer_id == volunteer.id, Assignment.status == "confirmed",
                    Session.status != "cancelled", Assignment.attendance.is_not(None),
                    Session.start.is_not(None)))
    if first is not None:
        seats = seats.where(Session.start >= datetime.combine(first, time(0), tzinfo=UTC))
    if end is not None:
        seats = seats.where(Session.start < datetime.combine(end, time(0), tzinfo=UTC))
    for start, stop, activity_id, title, attendance in db.session.execute(seats):
        if attendance == "no_show":
            summary.no_shows += 1
            continue
        hours = _hours_between(start, stop) if start and stop else 0.0
        summary.attended += hours
        summary.sessions_attended += 1
        bucket(activity_id, title).attended += hours
    entries = (select(HoursEntry.hours, HoursEntry.status, Activity.id, Activity.title)
               .outerjoin(Activity, Activity.id == HoursEntry.activity_id)
               .where(HoursEntry.volunteer_id == volunteer.id,
                      HoursEntry.status.in_(("pending", "approved"))))
    if first is not None:
        entries = entries.where(HoursEntry.day >= first)
    if end is not None:
        entries = entries.where(HoursEntry.day < end)
    for hours, status, activity_id, title in db.session.execute(entries):
        if status == "pending":
            summary.pending += float(hours)
            continue
        summary.logged += float(hours)
        bucket(activity_id, title or "").logged += float(hours)
    summary.by_activity = sorted(by_activity.values(), key=lambda a: (-a.total, a.title))
    return summary


def recent_hours(centre_id: int, since: datetime, until: datetime) -> dict[int, float]:
    """Hours each volunteer of a centre gave in [since, until): attended
    seats plus approved entries (for planning's fairness, see docs/planning.md)."""
    given: dict[int, float] = {}
    for volunteer_id, start, stop in db.session.execute(
        select(Assignment.volunteer_id, Session.start, Session.end)
        .join(Session, Session.id == Assignment.session_id)
        .join(Volunteer, Volunteer.id == Assignment.volunteer_id)
        .where(Volunteer.centre_id == centre_id, Assignment.status == "confirmed",
               Assignment.attendance == "attended", Session.status != "cancelled",
               Session.start >= since, Session.start < until, Session.end.is_not(None))
    ):
        if start is not None and stop is not None:
            given[volunteer_id] = given.get(volunteer_id, 0.0) + _hours_between(start, stop)
    for volunteer_id, hours in db.session.execute(
        select(HoursEntry.volunteer_id, func.sum(HoursEntry.hours))
        .join(Volunteer, Volunteer.id == HoursEntry.volunteer_id)
        .where(Volunteer.centre_id == centre_id, HoursEntry.status == "approved",
               HoursEntry.day >= since.date(), HoursEntry.day < until.date())
        .group_by(HoursEntry.volunteer_id)
    ):
        given[volunteer_id] = given.get(volunteer_id, 0.0) + float(hours or 0)
    return given


__all__ = [
    "MAX_HOURS_PER_DAY", "ActivityHours", "HoursSummary", "decide_hours", "get_hours_entry",
    "hours_query", "log_hours", "pending_hours", "recent_hours", "volunteer_hours",
    "withdraw_hours",
]
