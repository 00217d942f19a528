"""A centre of issue 3's size M written into the database, for bench.planning.

The rows come from the scenario `bench.generate` draws for M (Arendal, the
week from Monday 2027-01-11): the same places, sessions and volunteers, stored
the way the service stores them, so that the run's scenario built from the
database is the generated one again:

- volunteers keep their weekly pattern (1-4 windows, local wall-clock time);
  a week they are away (the generator's occasional volunteers) or a day of
  holiday becomes an `unavailable` interval, as a coordinator would enter it;
- certificates become `[{kind, valid_until}]`; preferred activities point at
  the database's activities;
- the generator draws the crew (roles, participants, needs) per session; the
  database keeps them per activity, so sessions of one generated activity
  whose crews differ become activities of their own (with the smallest
  group of their sessions as `participants`, so no place is too small).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from medsam_match.extensions import db
from medsam_match.models import Activity, Centre, Municipality, Place, Session, Volunteer

from .generate import FIRST_MONDAY, SIZES, TIMEZONE, _Generator

SIZE = "M"
ZONE = ZoneInfo(TIMEZONE)


@dataclass(frozen=True)
class BuiltCentre:
    centre_id: int
    name: str
    volunteers: int
    sessions: int
    activities: int
    places: int
    window: tuple[datetime, datetime]


class _PatternRecorder(_Generator):
    """The generator, remembering each volunteer's weekly pattern."""

    def __init__(self, seed: int) -> None:
        super().__init__(SIZE, SIZES[SIZE], seed)
        self.patterns: list[list[tuple[int, int, int]]] = []

    def _availability(
        self, pattern: list[tuple[int, int, int]], present: float
    ) -> tuple[list[dict[str, str]], dict[int, int]]:
        self.patterns.append(pattern)
        return super()._availability(pattern, present)


def _utc_iso(value: str | datetime) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).isoformat()


def _local(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZONE) + timedelta(minutes=minute)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _weekly(pattern: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    return [{"weekday": d, "start": _clock(a), "end": _clock(b)} for d, a, b in pattern]


def _unavailable(pattern: list[tuple[int, int, int]], windows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The days of the week the pattern promises but the volunteer is away;
    the whole week when they are away all of it."""
    given = {datetime.fromisoformat(w["start"]) for w in windows}
    if not given:
        return [{"start": _utc_iso(_local(FIRST_MONDAY, 0)),
                 "end": _utc_iso(_local(FIRST_MONDAY + timedelta(days=7), 0))}]
    away = []
    for day, first, _ in pattern:
        date_ = FIRST_MONDAY + timedelta(days=day)
        if _local(date_, first) not in given:
            away.append({"start": _utc_iso(_local(date_, 0)),
                         "end": _utc_iso(_local(date_ + timedelta(days=1), 0))})
    return away


def _crew_key(session: dict[str, Any]) -> str:
    return json.dumps([session["activity"], session["roles"], session.get("needs", [])], sort_keys=True)


def build_m_centre(seed: int = 0) -> BuiltCentre:
    """Write the M centre (in a municipality of its own) and commit; needs an app context."""
    generator = _PatternRecorder(seed)
    doc = generator.document()
    municipality = Municipality(name="Arendal (M benchmark)", country="NO", timezone=TIMEZONE,
                                locale="nb")
    db.session.add(municipality)
    db.session.flush()
    centre = Centre(municipality_id=municipality.id, name="Arendal frivilligsentral (M benchmark)")
    places = {
        p["id"]: Place(
            municipality_id=municipality.id, name=p["name"], lat=p["lat"], lon=p["lon"],
            capacity=p["capacity"], parallel=p["parallel"], features=p["features"],
            busy=[{"start": _utc_iso(b["start"]), "end": _utc_iso(b["end"])} for b in p.get("busy", [])],
        )
        for p in doc["places"]
    }
    db.session.add_all([centre, *places.values()])
    db.session.flush()

    titles = {a["id"]: a for a in doc["activities"]}
    crews: dict[str, list[dict[str, Any]]] = {}
    for session in doc["sessions"]:
        crews.setdefault(_crew_key(session), []).append(session)
    activity_of: dict[str, Activity] = {}  # crew key -> row
    by_generated: dict[str, list[Activity]] = {}
    for key, sessions in crews.items():
        first = sessions[0]
        generated = titles[first["activity"]]
        row = Activity(
            centre_id=centre.id, title=generated["title"], interests=generated["interests"],
            needs=first.get("needs", []), roles=first["roles"],
            participants=min(s.get("participants", 0) for s in sessions),
        )
        activity_of[key] = row
        by_generated.setdefault(first["activity"], []).append(row)
    db.session.add_all(activity_of.values())
    db.session.flush()

    def place_id(ref: str | None) -> int | None:
        return None if ref is None else places[ref].id

    session_rows = []
    for session in doc["sessions"]:
        activity = activity_of[_crew_key(session)]
        if "options" in session:
            options: list[dict[str, Any]] = [{"start": _utc_iso(o["start"]), "end": _utc_iso(o["end"]),
                        "place_id": place_id(o["place"]), "penalty": float(o.get("penalty", 0))}
                       for o in session["options"]]
            session_rows.append(Session(
                activity_id=activity.id, options=options, optional=session.get("optional", False),
                status="planned",
                window_start=min(datetime.fromisoformat(o["start"]) for o in options),
                window_end=max(datetime.fromisoformat(o["end"]) for o in options),
            ))
        else:
            start, end = datetime.fromisoformat(session["start"]), datetime.fromisoformat(session["end"])
            session_rows.append(Session(
                activity_id=activity.id, start=start, end=end, place_id=place_id(session.get("place")),
                status="planned", window_start=start, window_end=end,
            ))

    volunteer_rows = []
    for v, pattern in zip(doc["volunteers"], generator.patterns, strict=True):
        preferred = [a.id for g in v.get("preferred_activities", []) for a in by_generated.get(g, [])]
        volunteer_rows.append(Volunteer(
            centre_id=centre.id, name=v["name"], lat=v.get("lat"), lon=v.get("lon"),
            max_travel_km=v.get("max_travel_km"), skills=v["skills"], languages=v["languages"],
            interests=v["interests"],
            certificates=[{"kind": k, "valid_until": d} for k, d in v.get("certificates", {}).items()],
            max_hours_per_week=v.get("max_hours_per_week"),
            max_sessions_per_week=v.get("max_sessions_per_week"),
            preferred_activity_ids=sorted(preferred),
            weekly_availability=_weekly(pattern),
            unavailable=_unavailable(pattern, v["availability"]),
            active=True,
        ))
    db.session.add_all([*session_rows, *volunteer_rows])
    db.session.commit()
    week = _local(FIRST_MONDAY, 0)
    return BuiltCentre(
        centre_id=centre.id, name=centre.name, volunteers=len(volunteer_rows),
        sessions=len(session_rows), activities=len(activity_of), places=len(places),
        window=(week, week + timedelta(days=7)),
    )
