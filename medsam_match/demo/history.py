"""A year of past sessions with attendance for the demo network, so that the
figures (services/reports.py), the dashboard and the network page have
something believable to show. The same seed and day give the same rows.

Each activity repeats weekly, at the weekday, time and place of its first
coming session, over the 52 weeks before `today`. A crew of the centre's
volunteers twice the size of a session's seats takes the seats; a quarter of
the crew changes every quarter (new volunteers, some who stay, some who
leave). About 4% of the sessions are cancelled, about 8% of the seats are
no-shows, and attendance of the last two weeks is partly not yet recorded.
Nobody is given a seat that would break their weekly limits (hours,
sessions) or overlap another of their seats: the plan of the current week
takes these seats as given, so they must be a plan the rules allow.
Each municipality publishes its first activity as a template.
The municipalities get their population; five of the seven share their
figures in the learning network (Oslo and Aarhus do not, to show that a
municipality that has not opted in appears nowhere).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

from ..extensions import db
from ..models import Activity, Assignment, Centre, Municipality, Session, Volunteer

WEEKS = 52
# Inhabitants, rounded (Statistics Norway and Statistics Denmark, 2024).
POPULATION = {
    "Arendal": 46000, "Steinkjer": 24500, "Levanger": 20500, "Oslo": 717700,
    "Voss": 16000, "Aarhus": 373000, "Sønderborg": 74000,
}
NOT_IN_NETWORK = ("Oslo", "Aarhus")


@dataclass(frozen=True)
class HistorySummary:
    sessions: int
    assignments: int
    templates: int = 0


def add_history(seed: int, today: date) -> HistorySummary:
    """Adds the past year to a freshly loaded demo network (load_demo)."""
    rng = random.Random(seed * 7919 + 11)
    for municipality in db.session.scalars(select(Municipality).order_by(Municipality.id)):
        municipality.population = POPULATION.get(municipality.name)
        municipality.network_opt_in = municipality.name not in NOT_IN_NETWORK
    cutoff = datetime.combine(today, time(0), tzinfo=UTC)
    volunteers: dict[int, list[int]] = {}
    week_load = _WeekLoad()
    for volunteer_id, centre_id, hours, count in db.session.execute(
        select(Volunteer.id, Volunteer.centre_id, Volunteer.max_hours_per_week,
               Volunteer.max_sessions_per_week).order_by(Volunteer.id)
    ):
        volunteers.setdefault(centre_id, []).append(volunteer_id)
        week_load.limits[volunteer_id] = (hours, count)
    activities = list(db.session.execute(
        select(Activity.id, Activity.centre_id, Activity.roles, Activity.participants)
        .join(Centre, Centre.id == Activity.centre_id).order_by(Activity.id)
    ))
    sessions = 0
    seats = 0
    for activity_id, centre_id, roles, participants in activities:
        pattern = _first_session(activity_id)
        pool = volunteers.get(centre_id, [])
        if pattern is None or not pool or not roles:
            continue
        start, end, place_id = pattern
        size = sum(int(role.get("max", role.get("min", 1)) or 1) for role in roles)
        crew = rng.sample(pool, min(len(pool), 2 * size))
        rows: list[dict[str, Any]] = []
        weeks: list[int] = []
        for week in range(WEEKS + 8, 0, -1):
            moment = start - timedelta(weeks=week)
            if moment < cutoff - timedelta(weeks=WEEKS) or moment + (end - start) > cutoff:
                continue
            weeks.append(week)
            rows.append({
                "activity_id": activity_id, "start": moment, "end": moment + (end - start),
                "place_id": place_id, "options": None, "optional": False,
                "status": "cancelled" if rng.random() < 0.04 else "scheduled",
                "window_start": moment, "window_end": moment + (end - start),
                "participants": (None if rng.random() < 0.1 else
                                 max(0, round((participants or 6) * rng.uniform(0.6, 1.3)))),
            })
        if not rows:
            continue
        ids = list(db.session.scalars(
            insert(Session).returning(Session.id, sort_by_parameter_order=True), rows))
        sessions += len(ids)
        seat_rows: list[dict[str, Any]] = []
        for index, (session_id, row) in enumerate(zip(ids, rows, strict=True)):
            if index and index % 13 == 0:  # a quarter of the crew changes each quarter
                leaving = rng.sample(crew, max(1, len(crew) // 4))
                others = [v for v in pool if v not in crew]
                crew = [v for v in crew if v not in leaving] + rng.sample(
                    others, min(len(others), len(leaving)))
            if row["status"] == "cancelled":
                continue
            free = rng.sample(crew, len(crew))
            recent = weeks[index] <= 2
            for role in roles:
                low = int(role.get("min", 1) or 0)
                high = int(role.get("max", low) or low)
                draw = rng.random()  # mostly the minimum, some short, some more
                count = (max(0, low - 1) if draw < 0.12 else
                         rng.randint(low, max(low, high)) if draw > 0.8 else low)
                for _ in range(count):
                    taker = week_load.take(free, row["start"], row["end"])
                    if taker is None:
                        break
                    roll = rng.random()
                    seat_rows.append({
                        "volunteer_id": taker, "session_id": session_id,
                        "role": role.get("role", "host"), "status": "confirmed",
                        "locked": False,
                        "attendance": (None if recent and roll < 0.3 else
                                       "no_show" if roll > 0.92 else "attended"),
                    })
        if seat_rows:
            db.session.execute(insert(Assignment), seat_rows)
            seats += len(seat_rows)
    db.session.commit()
    templates = _publish_templates()
    return HistorySummary(sessions=sessions, assignments=seats, templates=templates)


class _WeekLoad:
    """Each volunteer's seats per ISO week, against their weekly limits."""

    def __init__(self) -> None:
        self.limits: dict[int, tuple[float | None, int | None]] = {}
        self.seats: dict[tuple[int, tuple[int, int]], list[tuple[datetime, datetime]]] = {}

    def take(self, free: list[int], start: datetime, end: datetime) -> int | None:
        """The next of `free` (taken off it) who may sit at [start, end)."""
        iso = start.isocalendar()
        week = (iso[0], iso[1])
        hours = (end - start).total_seconds() / 3600
        while free:
            volunteer = free.pop()
            held = self.seats.setdefault((volunteer, week), [])
            max_hours, max_count = self.limits.get(volunteer, (None, None))
            if max_count is not None and len(held) + 1 > max_count:
                continue
            if max_hours is not None and hours + sum(
                    (e - s).total_seconds() / 3600 for s, e in held) > max_hours + 1e-9:
                continue
            if any(s < end and start < e for s, e in held):
                continue
            held.append((start, end))
            return volunteer
        return None


def _publish_templates() -> int:
    """One template per municipality: its first activity's design and year."""
    from ..auth import Principal
    from ..services.templates import publish

    admin = Principal("admin")
    published = 0
    for (municipality_id,) in db.session.execute(select(Municipality.id).order_by(Municipality.id)):
        activity_id = db.session.scalar(
            select(Activity.id).join(Centre, Centre.id == Activity.centre_id)
            .where(Centre.municipality_id == municipality_id).order_by(Activity.id).limit(1))
        if activity_id is not None:
            publish(admin, activity_id, {})
            published += 1
    return published


def _first_session(activity_id: int) -> tuple[datetime, datetime, int | None] | None:
    """Weekday, time and place of the activity's first coming session."""
    session = db.session.scalars(
        select(Session).where(Session.activity_id == activity_id)
        .order_by(Session.window_start, Session.id).limit(1)
    ).first()
    if session is None:
        return None
    if session.start is not None and session.end is not None:
        return session.start, session.end, session.place_id
    if session.options:
        option = session.options[0]
        return (datetime.fromisoformat(option["start"]).astimezone(UTC),
                datetime.fromisoformat(option["end"]).astimezone(UTC), option.get("place_id"))
    return None
