"""The one place where database rows become a `medsam-scenario/1` document and
a solver result becomes rows again.

Scenario ids are the database ids as strings. What goes in, for a centre and
a window `[from, to)`:

- every session of the centre's activities that may start in the window and
  is not cancelled (fixed ones at their time, open ones with their options);
- the places those sessions may use, with their booked intervals, plus the
  sessions of *other* centres at the same place when that place holds only one
  session at a time (they are booked by others, as far as this plan goes);
- the centre's active volunteers, their weekly availability expanded over the
  window in the municipality's time zone (DST-correct), holidays cut out;
- confirmed and locked assignments as `fixed`, declined ones as `forbidden`,
  the current proposed plan as `previous`;
- frozen: the sessions outside the window but in the ISO weeks it touches that
  have people assigned, with those people as `fixed` and no room for more, so
  weekly limits and overlaps count the whole week (a window starting on a
  Wednesday still knows about Monday's assignments).

A `repair` run uses the same scenario with a heavier `stability` weight, so the
solver keeps the published plan and only fills what declines opened.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Activity, Assignment, Centre, Place, Session, Volunteer
from .availability import expand_availability

SCENARIO_FORMAT = "medsam-scenario/1"
#: Repair keeps the published plan: taking a planned person away from their
#: slot costs more (1500) than filling a minimum slot elsewhere gains (1000),
#: so the holes a decline opens are filled with people who are still free,
#: and nobody else is moved.
REPAIR_WEIGHTS = {"stability": 1500}


@dataclass(frozen=True)
class PlanRow:
    """One assignment of a result, with database ids."""

    volunteer_id: int
    session_id: int
    role: str


def _iso(instant: datetime, zone: ZoneInfo) -> str:
    return instant.astimezone(zone).isoformat()


def _utc(value: str | datetime) -> datetime:
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    return instant.astimezone(UTC)


def window_sessions(centre_id: int, window_from: datetime, window_to: datetime) -> list[Session]:
    """The centre's sessions that may start in [from, to), cancelled ones left out."""
    stmt = (
        select(Session)
        .join(Activity, Session.activity_id == Activity.id)
        .where(
            Activity.centre_id == centre_id,
            Session.status != "cancelled",
            Session.window_start >= window_from,
            Session.window_start < window_to,
        )
        .order_by(Session.window_start, Session.id)
        .options(selectinload(Session.activity))
    )
    return list(db.session.scalars(stmt))


def _session_doc(session: Session, zone: ZoneInfo) -> dict[str, Any]:
    activity = session.activity
    doc: dict[str, Any] = {"id": str(session.id), "activity": str(activity.id)}
    if session.options:
        doc["options"] = [
            {
                "start": _iso(_utc(option["start"]), zone),
                "end": _iso(_utc(option["end"]), zone),
                "place": None if option.get("place_id") is None else str(option["place_id"]),
                "penalty": float(option.get("penalty") or 0.0),
            }
            for option in session.options
        ]
        doc["optional"] = bool(session.optional)
    else:
        assert session.start is not None and session.end is not None
        doc["start"] = _iso(session.start, zone)
        doc["end"] = _iso(session.end, zone)
        doc["place"] = None if session.place_id is None else str(session.place_id)
    doc["participants"] = int(activity.participants or 0)
    doc["needs"] = sorted(set(activity.needs or []))
    doc["roles"] = [_role_doc(role) for role in activity.roles or []]
    return doc


def role_max(role: dict[str, Any]) -> int:
    """The most people an activity's role (a row's `roles` entry) takes."""
    return int(role.get("max") or max(int(role.get("min", 1)), 1))


def _role_doc(role: dict[str, Any]) -> dict[str, Any]:
    return {
        "role": role["role"],
        "min": int(role.get("min", 1)),
        "max": role_max(role),
        "skills": sorted(set(role.get("skills") or [])),
        "languages": sorted(set(role.get("languages") or [])),
        "certificate": role.get("certificate"),
    }


def _place_ids(sessions: Iterable[Session]) -> set[int]:
    ids: set[int] = set()
    for session in sessions:
        if session.options:
            ids.update(o["place_id"] for o in session.options if o.get("place_id") is not None)
        elif session.place_id is not None:
            ids.add(session.place_id)
    return ids


def _others_at_places(
    place_ids: list[int], centre_id: int, span_from: datetime, span_to: datetime
) -> dict[int, list[tuple[datetime, datetime]]]:
    """Fixed or already scheduled sessions of other centres at these places."""
    found: dict[int, list[tuple[datetime, datetime]]] = {}
    if not place_ids:
        return found
    stmt = (
        select(Session.place_id, Session.start, Session.end)
        .join(Activity, Session.activity_id == Activity.id)
        .where(
            Session.place_id.in_(place_ids),
            Activity.centre_id != centre_id,
            Session.status != "cancelled",
            Session.start.is_not(None),
            Session.start < span_to,
            Session.end > span_from,
        )
    )
    for place_id, start, end in db.session.execute(stmt):
        if start and end:
            found.setdefault(place_id, []).append((start, end))
    return found


def _place_doc(
    place: Place, others: list[tuple[datetime, datetime]], span_from: datetime,
    span_to: datetime, zone: ZoneInfo,
) -> dict[str, Any]:
    """A place; `others`: other centres' sessions there (when it holds one at a time)."""
    busy = [(_utc(b["start"]), _utc(b["end"])) for b in place.busy or []]
    busy = [(s, e) for s, e in busy if s < span_to and e > span_from]
    busy.extend(others)
    doc: dict[str, Any] = {
        "id": str(place.id),
        "name": place.name,
        "parallel": int(place.parallel or 1),
        "features": sorted(set(place.features or [])),
        "busy": [{"start": _iso(s, zone), "end": _iso(e, zone)} for s, e in sorted(busy)],
    }
    if place.lat is not None and place.lon is not None:
        doc["lat"], doc["lon"] = place.lat, place.lon
    if place.capacity is not None:
        doc["capacity"] = int(place.capacity)
    return doc


# What a volunteer's part of the scenario is made of (read as plain columns:
# an M centre has a thousand volunteers, and whole rows would cost twice).
_VOLUNTEER_COLUMNS = (
    Volunteer.id, Volunteer.name, Volunteer.skills, Volunteer.languages, Volunteer.interests,
    Volunteer.certificates, Volunteer.weekly_availability, Volunteer.unavailable,
    Volunteer.preferred_activity_ids, Volunteer.lat, Volunteer.lon, Volunteer.max_travel_km,
    Volunteer.max_hours_per_week, Volunteer.max_sessions_per_week,
)


def _certificates(volunteer: Any) -> dict[str, str]:
    latest: dict[str, str] = {}
    for cert in volunteer.certificates or []:
        kind, until = cert.get("kind"), str(cert.get("valid_until"))
        if kind and (kind not in latest or until > latest[kind]):
            latest[kind] = until
    return latest


def _volunteer_doc(
    volunteer: Any,
    span_from: datetime,
    span_to: datetime,
    zone_name: str,
    activity_ids: set[str],
) -> dict[str, Any]:
    zone = ZoneInfo(zone_name)
    spans = expand_availability(
        volunteer.weekly_availability or [], volunteer.unavailable or [], span_from, span_to,
        zone_name,
    )
    doc: dict[str, Any] = {
        "id": str(volunteer.id),
        "name": volunteer.name or "",
        "skills": sorted(set(volunteer.skills or [])),
        "languages": sorted(set(volunteer.languages or [])),
        "interests": sorted(set(volunteer.interests or [])),
        "certificates": _certificates(volunteer),
        "availability": [{"start": _iso(s, zone), "end": _iso(e, zone)} for s, e in spans],
        "preferred_activities": sorted(
            {str(a) for a in volunteer.preferred_activity_ids or []} & activity_ids
        ),
    }
    if volunteer.lat is not None and volunteer.lon is not None:
        doc["lat"], doc["lon"] = volunteer.lat, volunteer.lon
    if volunteer.max_travel_km is not None:
        doc["max_travel_km"] = float(volunteer.max_travel_km)
    if volunteer.max_hours_per_week is not None:
        doc["max_hours_per_week"] = float(volunteer.max_hours_per_week)
    if volunteer.max_sessions_per_week is not None:
        doc["max_sessions_per_week"] = int(volunteer.max_sessions_per_week)
    return doc


def _triple(a: Assignment | Standing) -> dict[str, str]:
    return {"volunteer": str(a.volunteer_id), "session": str(a.session_id), "role": a.role}


def _week_bounds(window_from: datetime, window_to: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Monday 00:00 local of the week `from` falls in, and the Monday after `to`'s week."""
    first = window_from.astimezone(zone).date()
    last = (window_to - timedelta(microseconds=1)).astimezone(zone).date()
    monday = first - timedelta(days=first.weekday())
    next_monday = last + timedelta(days=7 - last.weekday())
    return (
        datetime.combine(monday, time(0), tzinfo=zone).astimezone(UTC),
        datetime.combine(next_monday, time(0), tzinfo=zone).astimezone(UTC),
    )


@dataclass(frozen=True)
class FrozenSession:
    """A session outside the window, as the scenario needs it."""

    id: int
    activity_id: int
    start: datetime
    end: datetime
    window_start: datetime
    window_end: datetime


@dataclass(frozen=True)
class Standing:
    """A proposed or confirmed assignment at a frozen session."""

    volunteer_id: int
    session_id: int
    role: str


def context_sessions(
    centre_id: int, window_from: datetime, window_to: datetime, zone: ZoneInfo, window_ids: set[int],
    volunteer_id: int | None = None,
) -> tuple[list[FrozenSession], list[Standing]]:
    """Sessions outside the window but in the weeks it touches, with their
    standing (proposed or confirmed) assignments.

    They enter the scenario frozen (see `_context_session_doc`), so the weekly
    limits and the overlap rule see the whole week of every volunteer, not
    only the part inside the window. Read as plain columns in one query: a
    week of an M centre holds well over a thousand of them. With
    `volunteer_id`, only that volunteer's own assignments (and the sessions
    holding them)."""
    week_from, week_to = _week_bounds(window_from, window_to, zone)
    stmt = (
        select(Assignment.volunteer_id, Assignment.session_id, Assignment.role,
               Session.activity_id, Session.start, Session.end, Session.window_start,
               Session.window_end)
        .join(Session, Assignment.session_id == Session.id)
        .join(Activity, Session.activity_id == Activity.id)
        .where(
            Activity.centre_id == centre_id,
            Session.status != "cancelled",
            Session.start.is_not(None),
            Session.window_start >= week_from,
            Session.window_start < week_to,
            Assignment.status.in_(("proposed", "confirmed")),
        )
        .order_by(Assignment.id)
    )
    if volunteer_id is not None:
        stmt = stmt.where(Assignment.volunteer_id == volunteer_id)
    sessions: dict[int, FrozenSession] = {}
    assignments = []
    for row in db.session.execute(stmt):
        if row.session_id in window_ids:
            continue
        assignments.append(Standing(row.volunteer_id, row.session_id, row.role))
        if row.session_id not in sessions:
            sessions[row.session_id] = FrozenSession(
                row.session_id, row.activity_id, row.start, row.end, row.window_start,
                row.window_end)
    return sorted(sessions.values(), key=lambda s: (s.window_start, s.id)), assignments


def _context_session_doc(session: FrozenSession, standing: list[Standing], zone: ZoneInfo,
                         ) -> dict[str, Any]:
    """A frozen session: its own time and place, one role per role held, each
    with min 0 and max = the people holding it, who come in as `fixed`. Nobody
    can be added, and it adds nothing to the slots to fill."""
    held: dict[str, int] = {}
    for a in standing:
        held[a.role] = held.get(a.role, 0) + 1
    return {
        "id": str(session.id),
        "activity": str(session.activity_id),
        "start": _iso(session.start, zone),
        "end": _iso(session.end, zone),
        # No place: its place was settled when it was planned, and a frozen
        # session must not make this plan infeasible over a place.
        "place": None,
        "participants": 0,
        "roles": [{"role": role, "min": 0, "max": count} for role, count in sorted(held.items())],
    }


def build_scenario(
    centre: Centre,
    window_from: datetime,
    window_to: datetime,
    *,
    mode: str = "plan",
    weights: dict[str, float] | None = None,
    focus: int | Collection[int] | None = None,
    volunteer: int | None = None,
) -> dict[str, Any]:
    """The scenario a run for `centre` over [from, to) solves.

    With `focus` (a session id in the window) it is the scenario of that one
    session, as its candidates need it (services/candidates.py): the session
    alone is open, every other session of its ISO week with people in it is
    frozen around it, and the volunteers' availability covers the focused
    session only (nobody can be added to a frozen session).

    With `volunteer` as well (a volunteer id; only with `focus`) it is that
    session as one volunteer sees it (open slots, services/candidates.py):
    of the centre's volunteers only that one and the people holding or having
    declined a seat in the focused session (so its seat counts and its
    `fixed`, `previous` and `forbidden` stay whole), and of the rest of the
    week only that volunteer's own standing assignments (their overlaps and
    weekly load). Every rule about that volunteer comes out as in the full
    focused scenario, at the cost of a handful of volunteers instead of
    the centre's thousand.

    `focus` may also be several sessions of one ISO week (the open slots
    check a volunteer's whole week against one scenario): each is then in
    the window, the rest of the week frozen around them as above."""
    if volunteer is not None and focus is None:
        raise ValueError("volunteer= needs focus=")
    zone_name = centre.municipality.timezone
    zone = ZoneInfo(zone_name)
    sessions = window_sessions(centre.id, window_from, window_to)
    if focus is not None:
        focused = {focus} if isinstance(focus, int) else set(focus)
        sessions = [s for s in sessions if s.id in focused]
    session_ids = {s.id for s in sessions}
    span_from = min([s.window_start for s in sessions], default=window_from)
    span_to = max([s.window_end for s in sessions], default=window_to)
    available_over = (span_from, span_to)

    frozen, frozen_assignments = context_sessions(
        centre.id, window_from, window_to, zone, session_ids, volunteer
    )
    if frozen:
        span_from = min(span_from, *(s.window_start for s in frozen))
        span_to = max(span_to, *(s.window_end for s in frozen))

    activities: dict[int, Any] = {s.activity_id: s.activity for s in sessions}
    missing = {s.activity_id for s in frozen} - activities.keys()
    if missing:
        activities.update((a.id, a) for a in db.session.execute(
            select(Activity.id, Activity.title, Activity.interests)
            .where(Activity.id.in_(missing))))
    activity_ids = {str(a) for a in activities}
    place_ids = _place_ids(sessions)
    places = list(db.session.scalars(
        select(Place).where(Place.id.in_(place_ids)).order_by(Place.id))) if place_ids else []

    assignments = (
        list(
            db.session.scalars(
                select(Assignment)
                .where(Assignment.session_id.in_(session_ids))
                .order_by(Assignment.id)
            )
        )
        if session_ids
        else []
    )
    fixed: list[Assignment | Standing] = [
        a for a in assignments if a.status == "confirmed" or (a.locked and a.status == "proposed")
    ]
    fixed += frozen_assignments
    forbidden = [a for a in assignments if a.status == "declined"]
    previous = [a for a in assignments if a.status == "proposed" and not a.locked]

    wanted = select(*_VOLUNTEER_COLUMNS).where(
        Volunteer.centre_id == centre.id,
        Volunteer.active.is_(True),
        Volunteer.erased_at.is_(None),
    )
    if volunteer is not None:
        wanted = wanted.where(
            Volunteer.id.in_({volunteer} | {a.volunteer_id for a in assignments}))
    volunteers: list[Any] = list(db.session.execute(wanted.order_by(Volunteer.id)))
    # A fixed assignment stands even if its volunteer has since been set
    # inactive: the coordinator decided, so the volunteer stays in the scenario.
    known = {v.id for v in volunteers}
    unknown = {a.volunteer_id for a in fixed} - known
    if unknown:
        volunteers += db.session.execute(
            select(*_VOLUNTEER_COLUMNS)
            .where(Volunteer.id.in_(unknown), Volunteer.erased_at.is_(None))
            .order_by(Volunteer.id)
        )
        known = {v.id for v in volunteers}
    fixed = [a for a in fixed if a.volunteer_id in known]
    previous = [a for a in previous if a.volunteer_id in known]
    forbidden_pairs = sorted(
        {(a.volunteer_id, a.session_id) for a in forbidden if a.volunteer_id in known}
    )
    fixed_keys = {(a.volunteer_id, a.session_id, a.role) for a in fixed}
    previous = [a for a in previous if (a.volunteer_id, a.session_id, a.role) not in fixed_keys]

    standing: dict[int, list[Standing]] = {}
    for a in frozen_assignments:
        standing.setdefault(a.session_id, []).append(a)

    others = _others_at_places(
        [p.id for p in places if (p.parallel or 1) == 1], centre.id, span_from, span_to)
    doc_weights = dict(weights or {})
    if mode == "repair":
        doc_weights = {**REPAIR_WEIGHTS, **doc_weights}

    return {
        "format": SCENARIO_FORMAT,
        "name": f"{centre.name}, {_iso(window_from, zone)[:10]} to {_iso(window_to, zone)[:10]}",
        "timezone": zone_name,
        "weights": doc_weights,
        "places": [_place_doc(p, others.get(p.id, []), span_from, span_to, zone) for p in places],
        "activities": [
            {"id": str(a.id), "title": a.title, "interests": sorted(set(a.interests or []))}
            for a in sorted(activities.values(), key=lambda a: a.id)
        ],
        "sessions": [_session_doc(s, zone) for s in sessions]
        + [_context_session_doc(s, standing.get(s.id, []), zone) for s in frozen],
        "volunteers": [
            _volunteer_doc(v, *(available_over if focus is not None else (span_from, span_to)),
                           zone_name, activity_ids)
            for v in volunteers
        ],
        "fixed": [_triple(a) for a in fixed],
        "forbidden": [{"volunteer": str(v), "session": str(s)} for v, s in forbidden_pairs],
        "previous": [_triple(a) for a in previous],
    }


def plan_rows(result: dict[str, Any], session_ids: set[int] | None = None) -> list[PlanRow]:
    """A result's assignments with database ids (only at `session_ids` if given:
    the window's sessions, leaving out the frozen ones from around it)."""
    rows = [
        PlanRow(int(a["volunteer"]), int(a["session"]), a["role"])
        for a in result.get("assignments", [])
    ]
    return rows if session_ids is None else [r for r in rows if r.session_id in session_ids]


def schedule_rows(result: dict[str, Any]) -> dict[int, tuple[datetime, datetime, int | None]]:
    """A result's schedule: session id -> (start, end, place id) in UTC."""
    return {
        int(entry["session"]): (
            _utc(entry["start"]),
            _utc(entry["end"]),
            None if entry.get("place") is None else int(entry["place"]),
        )
        for entry in result.get("schedule", [])
    }


def assignments_in_window(centre_id: int, window_from: datetime, window_to: datetime):  # type: ignore[no-untyped-def]
    """A select of the centre's assignments at sessions starting in the window."""
    return (
        select(Assignment)
        .join(Session, Assignment.session_id == Session.id)
        .join(Activity, Session.activity_id == Activity.id)
        .where(
            and_(
                Activity.centre_id == centre_id,
                Session.window_start >= window_from,
                Session.window_start < window_to,
            )
        )
    )
