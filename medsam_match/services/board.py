"""The week board: a centre's sessions for one week, by day, with every
role's slots and who fills them; and the municipality overview (each
centre's fill this week and next).

A slot is one seat of a role: the people proposed or confirmed in it, then
the seats still missing below the role's minimum (with the last run's reason
in words), then the optional seats free up to its maximum. Declined people
are listed too, so the coordinator sees who said no. All reading goes
through the principal's scope: a centre outside it is NotFound (404).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import load_only

from ..auth import Principal
from ..domain_errors import NotFound
from ..extensions import db
from ..models import Activity, Assignment, Centre, MatchRun, Place, Session, Volunteer
from .explanations import localize_unfilled
from .scope import centre_filter, visible_or_404

SLOT_STATES = ("confirmed", "proposed", "declined", "missing", "free")


@dataclass(frozen=True)
class Slot:
    state: str  # one of SLOT_STATES
    name: str | None = None
    volunteer_id: int | None = None
    assignment_id: int | None = None
    locked: bool = False
    reason: str | None = None  # why a missing seat is empty, in words


@dataclass(frozen=True)
class RoleSlots:
    role: str
    minimum: int
    maximum: int
    slots: list[Slot]

    @property
    def filled(self) -> int:
        return sum(1 for s in self.slots if s.state in ("confirmed", "proposed"))


@dataclass(frozen=True)
class SessionCard:
    id: int
    title: str
    status: str  # planned scheduled cancelled
    start_local: datetime
    end_local: datetime
    timed: bool  # False: an open session whose time a run has not chosen yet
    place_name: str | None
    optional: bool
    roles: list[RoleSlots]

    @property
    def needed(self) -> int:
        return sum(r.minimum for r in self.roles)

    @property
    def filled_of_needed(self) -> int:
        return sum(min(r.filled, r.minimum) for r in self.roles)


@dataclass(frozen=True)
class Day:
    day: date
    holiday: str | None
    sessions: list[SessionCard] = field(default_factory=list)


@dataclass(frozen=True)
class Board:
    centre: Centre
    week_start: date  # a Monday
    days: list[Day]
    zone: ZoneInfo

    @property
    def needed(self) -> int:
        return sum(c.needed for d in self.days for c in d.sessions if c.status != "cancelled")

    @property
    def filled(self) -> int:
        return sum(c.filled_of_needed for d in self.days for c in d.sessions
                   if c.status != "cancelled")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week_bounds(week_start: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(week_start, time(0, 0), tzinfo=zone)
    end = datetime.combine(week_start + timedelta(days=7), time(0, 0), tzinfo=zone)
    return start, end


def _reasons(centre_id: int, first: datetime, last: datetime, language: str,
             session_ids: Iterable[int]) -> dict[tuple[str, str], str]:
    """(session id, role) -> why it is unfilled, from the latest finished run
    over these days (a dry run's reasons are as true as a published one's)."""
    run = db.session.scalars(
        select(MatchRun).options(load_only(MatchRun.id, MatchRun.unfilled))
        .where(MatchRun.centre_id == centre_id, MatchRun.status == "succeeded",
               MatchRun.window_from < last, MatchRun.window_to > first)
        .order_by(MatchRun.finished_at.desc(), MatchRun.id.desc()).limit(1)
    ).first()
    reasons: dict[tuple[str, str], str] = {}
    if run is None or not run.unfilled:
        return reasons
    # The same words as the run's page: languages by name in the reader's language.
    shown = {str(i) for i in session_ids}
    entries = [e for e in run.unfilled if isinstance(e, dict) and str(e.get("session")) in shown]
    for entry in localize_unfilled(entries, language):
        key = (str(entry.get("session")), str(entry.get("role")))
        reasons[key] = str(entry.get("reason") or entry.get("reason_en") or "")
    return reasons


@dataclass(frozen=True)
class _Held:
    """An assignment as the board needs it (read as plain columns: fast)."""

    id: int
    session_id: int
    volunteer_id: int
    name: str
    role: str
    status: str
    locked: bool


def _role_slots(spec: dict[str, Any], assignments: list[_Held], status: str,
                reason: str | None) -> RoleSlots:
    minimum, maximum = int(spec.get("min", 1)), int(spec.get("max", spec.get("min", 1)))
    order = {"confirmed": 0, "proposed": 1, "declined": 2}
    slots = [
        Slot(state=a.status, name=a.name or "–", volunteer_id=a.volunteer_id,
             assignment_id=a.id, locked=a.locked)
        for a in sorted(assignments, key=lambda a: (order.get(a.status, 3), a.name))
        if a.status in order
    ]
    filled = sum(1 for s in slots if s.state != "declined")
    if status != "cancelled":
        slots += [Slot(state="missing", reason=reason) for _ in range(max(0, minimum - filled))]
        slots += [Slot(state="free") for _ in range(max(0, maximum - max(filled, minimum)))]
    return RoleSlots(role=str(spec.get("role", "")), minimum=minimum, maximum=maximum,
                     slots=slots)


@dataclass(frozen=True)
class _Listed:
    """A session as the board needs it (read as plain columns, with its
    activity's title and roles and its place's name: one query a week)."""

    id: int
    status: str
    start: datetime | None
    end: datetime | None
    window_start: datetime
    window_end: datetime
    optional: bool
    title: str
    roles: list[dict[str, Any]]
    place_name: str | None

    @classmethod
    def of(cls, session: Session) -> _Listed:
        return cls(session.id, session.status, session.start, session.end,
                   session.window_start, session.window_end, session.optional,
                   session.activity.title, session.activity.roles or [],
                   session.place.name if session.place is not None else None)


def _card(session: _Listed, assignments: list[_Held], zone: ZoneInfo,
          reasons: dict[tuple[str, str], str]) -> SessionCard:
    by_role: dict[str, list[_Held]] = defaultdict(list)
    for a in assignments:
        by_role[a.role].append(a)
    roles = [
        _role_slots(spec, by_role.pop(str(spec.get("role")), []), session.status,
                    reasons.get((str(session.id), str(spec.get("role")))))
        for spec in session.roles
    ]
    # People in a role the activity no longer has still show.
    for role, rest in by_role.items():
        roles.append(_role_slots({"role": role, "min": 0, "max": 0}, rest, session.status, None))
    start = session.start or session.window_start
    end = session.end or session.window_end
    return SessionCard(
        id=session.id, title=session.title, status=session.status,
        start_local=start.astimezone(zone), end_local=end.astimezone(zone),
        timed=session.start is not None, place_name=session.place_name,
        optional=session.optional, roles=roles,
    )


def _holidays(country: str, first: date, last: date, language: str) -> dict[date, str]:
    try:
        from .holidays import holidays_between
    except ImportError:  # pragma: no cover - the helper arrives with the holidays work
        return {}
    try:
        return {h.day: h.name for h in holidays_between(country, first, last, language)}
    except Exception:  # an unsupported country: no holidays marked
        return {}


def _sessions_between(centre_id: int, start: datetime, end: datetime) -> list[_Listed]:
    rows = db.session.execute(
        select(Session.id, Session.status, Session.start, Session.end, Session.window_start,
               Session.window_end, Session.optional, Activity.title, Activity.roles,
               Place.name)
        .join(Activity, Session.activity_id == Activity.id)
        .outerjoin(Place, Session.place_id == Place.id)
        .where(Activity.centre_id == centre_id, Session.window_start < end,
               Session.window_start >= start)
        .order_by(Session.window_start, Session.id)
    )
    return [_Listed(*row[:8], row[8] or [], row[9]) for row in rows]


def _assignments_of(session_ids: list[int]) -> dict[int, list[_Held]]:
    found: dict[int, list[_Held]] = defaultdict(list)
    if not session_ids:
        return found
    rows = db.session.execute(
        select(Assignment.id, Assignment.session_id, Assignment.volunteer_id, Volunteer.name,
               Assignment.role, Assignment.status, Assignment.locked)
        .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
        .where(Assignment.session_id.in_(session_ids))
    )
    for row in rows:
        held = _Held(*row)
        found[held.session_id].append(held)
    return found


def visible_centre(principal: Principal, centre_id: int) -> Centre:
    centre: Centre = visible_or_404(Centre, centre_id, centre_filter(principal, Centre.id),
                                    "centre")
    return centre


def week_board(principal: Principal, centre_id: int, week_start: date, language: str) -> Board:
    """The board of `centre_id` for the week starting on the Monday of `week_start`."""
    centre = visible_centre(principal, centre_id)
    municipality = centre.municipality
    zone = ZoneInfo(municipality.timezone)
    week_start = monday_of(week_start)
    start, end = _week_bounds(week_start, zone)
    sessions = _sessions_between(centre.id, start, end)
    assignments = _assignments_of([s.id for s in sessions])
    reasons = _reasons(centre.id, start, end, language, (s.id for s in sessions))
    holidays = _holidays(municipality.country, week_start, week_start + timedelta(days=6),
                         language)
    days = [Day(day=week_start + timedelta(days=i),
                holiday=holidays.get(week_start + timedelta(days=i))) for i in range(7)]
    for session in sessions:
        card = _card(session, assignments.get(session.id, []), zone, reasons)
        days[(card.start_local.date() - week_start).days].sessions.append(card)
    return Board(centre=centre, week_start=week_start, days=days, zone=zone)


@dataclass(frozen=True)
class CentreFill:
    centre: Centre
    this_week: tuple[int, int]  # (filled, needed) seats below the minimum
    next_week: tuple[int, int]


def _fill(centre: Centre, week_start: date) -> tuple[int, int]:
    zone = ZoneInfo(centre.municipality.timezone)
    start, end = _week_bounds(week_start, zone)
    sessions = [s for s in _sessions_between(centre.id, start, end) if s.status != "cancelled"]
    assignments = _assignments_of([s.id for s in sessions])
    needed = filled = 0
    for session in sessions:
        count: dict[str, int] = defaultdict(int)
        for a in assignments.get(session.id, []):
            if a.status in ("proposed", "confirmed"):
                count[a.role] += 1
        for spec in session.roles:
            minimum = int(spec.get("min", 1))
            needed += minimum
            filled += min(minimum, count[str(spec.get("role"))])
    return filled, needed


def overview(principal: Principal, today: date) -> list[CentreFill]:
    """Every centre the principal sees, with its fill this week and next."""
    if principal.role not in ("admin", "municipality"):
        raise NotFound("overview")
    centres = db.session.scalars(
        select(Centre).where(centre_filter(principal, Centre.id)).order_by(Centre.name)
    ).all()
    this_monday = monday_of(today)
    return [CentreFill(c, _fill(c, this_monday), _fill(c, this_monday + timedelta(days=7)))
            for c in centres]


def session_card(principal: Principal, session: Session, language: str = "en") -> SessionCard:
    """One session as the board shows it (the caller has checked the scope)."""
    activity: Activity = session.activity
    zone = ZoneInfo(activity.centre.municipality.timezone)
    start = session.start or session.window_start
    reasons = _reasons(activity.centre_id, start, start + timedelta(seconds=1), language,
                       [session.id])
    return _card(_Listed.of(session), _assignments_of([session.id]).get(session.id, []), zone,
                 reasons)
