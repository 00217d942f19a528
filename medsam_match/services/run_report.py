"""A run's result told for people: sessions by title, local time and place,
volunteers by name, reasons and languages in the reader's language, how close
the plan is to the best possible one, and who carries how many hours.

A run stores bare ids (`"session": "229"`, `"volunteer_id": 17`) so that its
result stays exact; this module looks the names up when the run is shown,
with one query for the sessions and one for the volunteers, whatever the
number of entries. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Activity, Centre, MatchRun, Place, Session, Volunteer
from .explanations import localize_unfilled
from .planning_scenario import schedule_rows


@dataclass(frozen=True)
class SessionFacts:
    """What a person needs to recognise a session."""

    id: int
    title: str
    start: datetime | None  # aware, in the municipality's zone
    end: datetime | None
    place_id: int | None
    place: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.id,
            "title": self.title,
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "place_id": self.place_id,
            "place": self.place,
        }


def run_locale(run: MatchRun, locale: str | None) -> str:
    """`locale` if given, else the run's municipality's."""
    return locale or run.centre.municipality.locale


def session_facts(run: MatchRun, session_ids: Iterable[int]) -> dict[int, SessionFacts]:
    """Title, local start and end, and place of each session, as this run plans
    it (an open session at the time and place the run chose for it)."""
    ids = sorted(set(session_ids))
    if not ids:
        return {}
    sessions = db.session.scalars(
        select(Session)
        .where(Session.id.in_(ids))
        .options(
            selectinload(Session.activity)
            .selectinload(Activity.centre)
            .selectinload(Centre.municipality),
            selectinload(Session.place),
        )
    ).all()
    scheduled = schedule_rows(run.result or {})
    chosen_places = {place_id for _s, _e, place_id in scheduled.values() if place_id is not None}
    place_names = dict(
        db.session.execute(select(Place.id, Place.name).where(Place.id.in_(chosen_places))).all()
    ) if chosen_places else {}
    facts: dict[int, SessionFacts] = {}
    for session in sessions:
        zone = ZoneInfo(session.activity.centre.municipality.timezone)
        start, end, place_id = session.start, session.end, session.place_id
        place = session.place.name if session.place is not None else None
        if session.id in scheduled:
            start, end, place_id = scheduled[session.id]
            place = place_names.get(place_id) if place_id is not None else None
        facts[session.id] = SessionFacts(
            id=session.id,
            title=session.activity.title,
            start=_local(start, zone),
            end=_local(end, zone),
            place_id=place_id,
            place=place,
        )
    return facts


def volunteer_names(volunteer_ids: Iterable[int]) -> dict[int, str]:
    ids = sorted(set(volunteer_ids))
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Volunteer.id, Volunteer.name).where(Volunteer.id.in_(ids))).all()
    )


def unfilled_for_people(run: MatchRun, locale: str | None = None) -> list[dict[str, Any]] | None:
    """The run's unfilled slots, each with the session's title, local start,
    place and role, and the reason in `locale` (else the municipality's)."""
    if run.unfilled is None:
        return None
    entries = localize_unfilled(run.unfilled, run_locale(run, locale))
    facts = session_facts(run, (_int(e.get("session")) for e in entries if _int(e.get("session"))))
    told = []
    for entry in entries:
        session_id = _int(entry.get("session"))
        session = facts.get(session_id) if session_id is not None else None
        told.append({**entry, **(session.as_dict() if session else {"session_id": session_id})})
    return told


def changes_for_people(run: MatchRun) -> dict[str, Any] | None:
    """The run's changes against the plan before it, each with the volunteer's
    name and the session's title, local start and place."""
    if run.changes is None:
        return None
    changes = run.changes
    lists = ("added", "removed", "moved", "sessions_moved")
    session_ids = {
        entry["session_id"] for name in lists for entry in changes.get(name, []) or []
        if isinstance(entry, dict) and isinstance(entry.get("session_id"), int)
    }
    facts = session_facts(run, session_ids)
    names = volunteer_names(
        entry["volunteer_id"] for name in lists for entry in changes.get(name, []) or []
        if isinstance(entry, dict) and isinstance(entry.get("volunteer_id"), int)
    )

    def told(entry: dict[str, Any]) -> dict[str, Any]:
        session = facts.get(entry.get("session_id"))  # type: ignore[arg-type]
        extra: dict[str, Any] = session.as_dict() if session else {}
        if "volunteer_id" in entry:
            extra["volunteer"] = names.get(entry["volunteer_id"])
        return {**entry, **extra}

    result: dict[str, Any] = dict(changes)
    for name in lists:
        result[name] = [told(entry) for entry in changes.get(name, []) or [] if isinstance(entry, dict)]
    return result


@dataclass(frozen=True)
class Closeness:
    """How close the plan's score is to the best any plan could reach."""

    proven_best: bool
    gap: float | None  # (bound - score) / |bound|; None when no bound is known

    @property
    def percent_of_best(self) -> float | None:
        """100 for a plan proven best; e.g. 99.9 for a gap of 0.1 %."""
        return None if self.gap is None else round(100.0 * (1.0 - self.gap), 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "proven_best": self.proven_best,
            "gap": self.gap,
            "percent_of_best": self.percent_of_best,
        }


def closeness(run: MatchRun) -> Closeness | None:
    """None for a run without a plan."""
    if run.score is None:
        return None
    status = (run.result or {}).get("status")
    if run.bound is None:
        return Closeness(proven_best=status == "optimal", gap=None)
    gap = max(0.0, (run.bound - run.score) / max(abs(run.bound), 1e-9))
    proven = status == "optimal" or gap <= 1e-6
    return Closeness(proven_best=proven, gap=0.0 if proven else gap)


def hours_by_volunteer(run: MatchRun) -> list[dict[str, Any]]:
    """Hours each volunteer works in the run's plan, within its window, most first:
    `[{volunteer_id, name, hours, sessions}]`. Volunteers without work are left out."""
    result = run.result or {}
    scheduled = schedule_rows(result)
    window_from = _aware(run.window_from)
    window_to = _aware(run.window_to)
    hours: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    seen: set[tuple[int, int]] = set()
    for entry in result.get("assignments", []) or []:
        volunteer_id, session_id = _int(entry.get("volunteer")), _int(entry.get("session"))
        if volunteer_id is None or session_id is None or session_id not in scheduled:
            continue
        start, end, _place = scheduled[session_id]
        if not (window_from <= start < window_to) or (volunteer_id, session_id) in seen:
            continue
        seen.add((volunteer_id, session_id))
        hours[volunteer_id] += (end - start).total_seconds() / 3600.0
        counts[volunteer_id] += 1
    names = volunteer_names(hours)
    rows = [
        {"volunteer_id": v, "name": names.get(v, str(v)), "hours": round(h, 2),
         "sessions": counts[v]}
        for v, h in hours.items()
    ]
    rows.sort(key=lambda row: (-row["hours"], row["name"]))
    return rows


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    return None if moment is None else _aware(moment).astimezone(zone)
