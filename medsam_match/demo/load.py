"""Writes the generated demo network into an empty database, in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import Activity, Centre, Municipality, Place, Session, Volunteer
from .data import DAYS
from .generate import generate
from .rows import DemoNetwork, OptionRow

DEFAULT_SEED = 2026


class DatabaseNotEmpty(Exception):
    """The demo only goes into a database without municipalities."""


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    first_day: date  # sessions run from first_day to last_day, both included
    last_day: date
    municipalities: int
    centres: int
    places: int
    volunteers: int
    activities: int
    sessions: int


def database_is_empty() -> bool:
    return db.session.scalar(select(Municipality.id).limit(1)) is None


def load_demo(seed: int = DEFAULT_SEED, today: date | None = None) -> DemoSummary:
    """Fill an empty database with the demo network: the same seed and day give
    the same rows. Sessions fall on the 28 days after `today` (default: the
    machine's date). Raises DatabaseNotEmpty when municipalities exist."""
    today = today or date.today()
    if not database_is_empty():
        raise DatabaseNotEmpty("the database already holds municipalities")
    net = generate(seed, today)
    _insert(net)
    db.session.commit()
    return DemoSummary(
        seed=seed,
        first_day=today + timedelta(days=1),
        last_day=today + timedelta(days=DAYS),
        municipalities=len(net.municipalities),
        centres=len(net.centres),
        places=len(net.places),
        volunteers=len(net.volunteers),
        activities=len(net.activities),
        sessions=len(net.sessions),
    )


def _insert(net: DemoNetwork) -> None:
    """Rows in dependency order; each level is flushed so the next can use its ids."""
    municipalities = [
        Municipality(name=m.name, country=m.country, timezone=m.timezone, locale=m.locale)
        for m in net.municipalities
    ]
    _flush(municipalities)
    centres = [
        Centre(municipality_id=municipalities[c.municipality].id, name=c.name, email=c.email)
        for c in net.centres
    ]
    places = [
        Place(
            municipality_id=municipalities[p.municipality].id,
            name=p.name,
            address=p.address,
            lat=p.lat,
            lon=p.lon,
            capacity=p.capacity,
            parallel=p.parallel,
            features=p.features,
            busy=p.busy,
        )
        for p in net.places
    ]
    _flush([*centres, *places])
    activities = [
        Activity(
            centre_id=centres[a.centre].id,
            title=a.title,
            description=a.description,
            interests=a.interests,
            needs=a.needs,
            participants=a.participants,
            roles=a.roles,
        )
        for a in net.activities
    ]
    _flush(activities)

    def option(o: OptionRow) -> dict[str, object]:
        return {
            "start": o.start.isoformat(),
            "end": o.end.isoformat(),
            "place_id": places[o.place].id,
            "penalty": o.penalty,
        }

    sessions = [
        Session(
            activity_id=activities[s.activity].id,
            start=s.start,
            end=s.end,
            place_id=None if s.place is None else places[s.place].id,
            options=[option(o) for o in s.options] if s.options else None,
            optional=False,
            status="planned",
            window_start=s.window_start,
            window_end=s.window_end,
        )
        for s in net.sessions
    ]
    volunteers = [
        Volunteer(
            centre_id=centres[v.centre].id,
            name=v.name,
            email=v.email,
            phone=v.phone,
            lat=v.lat,
            lon=v.lon,
            max_travel_km=v.max_travel_km,
            skills=v.skills,
            languages=v.languages,
            interests=v.interests,
            certificates=v.certificates,
            max_hours_per_week=v.max_hours_per_week,
            max_sessions_per_week=v.max_sessions_per_week,
            preferred_activity_ids=[activities[a].id for a in v.preferred_activities],
            weekly_availability=v.weekly_availability,
            unavailable=v.unavailable,
            active=v.active,
        )
        for v in net.volunteers
    ]
    _flush([*sessions, *volunteers])


def _flush(rows: Sequence[object]) -> None:
    db.session.add_all(rows)
    db.session.flush()
