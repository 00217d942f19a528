"""`sessions:generate`: many sessions of one activity from a weekly pattern.

Each pattern entry (`weekday` 0=Monday..6, `start`/`end` "HH:MM") is local
wall-clock time in the municipality's time zone, so Tuesday 17:00 stays 17:00
local on both sides of a daylight-saving change. A session is made for every
occurrence whose start lies in [from, to). With `options` (`[{place_id,
penalty}]`) every occurrence becomes an open session whose options are that
time at each listed place; otherwise a fixed session at `place_id`.

An occurrence at which the activity already has a session (same start, even
if cancelled) is skipped, so repeating a call or overlapping windows creates
no duplicates. All or nothing: every occurrence is checked before any is
stored, and all are committed together, so a failing call writes nothing.

An occurrence on a public holiday of the municipality's country (see
`services.holidays`: 17 May, Easter, Christmas, ..., and Christmas and New
Year's Eve) is left out unless `skip_holidays` is false; the answer lists the
occurrences left out, each with the holiday's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..auth import Principal
from ..domain_errors import Invalid
from ..extensions import db
from ..models import Session
from .activities import writable_activity
from .holidays import Holiday, holidays_between
from .sessions import build_session, municipality_zone

MAX_SESSIONS_PER_CALL = 500
MAX_WINDOW = timedelta(days=366)


@dataclass(frozen=True)
class WeeklySlot:
    """A weekly time, local wall clock: weekday 0=Monday..6=Sunday."""

    weekday: int
    start: time
    end: time


@dataclass(frozen=True)
class Occurrence:
    start: datetime  # aware, in the municipality's zone
    end: datetime


@dataclass(frozen=True)
class SkippedOccurrence:
    """An occurrence left out because it falls on a holiday."""

    start: datetime  # aware, in the municipality's zone
    end: datetime
    holiday: str

    @property
    def date(self) -> date:
        return self.start.date()


@dataclass(frozen=True)
class Generated:
    """What `generate_sessions` made and what it left out."""

    sessions: list[Session]
    skipped: list[SkippedOccurrence]


def weekly_occurrences(
    window_from: datetime, window_to: datetime, slots: list[WeeklySlot], zone: ZoneInfo
) -> list[Occurrence]:
    """Every occurrence of `slots` starting in [window_from, window_to), in time order.

    Local times are resolved with the zone's rules for that date. A time in a
    spring-forward gap does not exist and moves forward as the clocks do
    (02:30 on the night the clocks go from 02:00 to 03:00 becomes 03:30); a
    session that would then end at or before its start keeps its length. A
    repeated autumn time is its first occurrence.
    """
    occurrences: list[Occurrence] = []
    first_day: date = window_from.astimezone(zone).date()
    last_day: date = window_to.astimezone(zone).date()
    for offset in range((last_day - first_day).days + 1):
        day = first_day + timedelta(days=offset)
        for slot in slots:
            if day.weekday() != slot.weekday:
                continue
            start = _wall_clock(day, slot.start, zone)
            end = _wall_clock(day, slot.end, zone)
            if end.astimezone(UTC) <= start.astimezone(UTC):  # the gap swallowed it
                length = datetime.combine(day, slot.end) - datetime.combine(day, slot.start)
                end = (start.astimezone(UTC) + length).astimezone(zone)
            if window_from <= start < window_to:
                occurrences.append(Occurrence(start, end))
    occurrences.sort(key=lambda occurrence: (occurrence.start, occurrence.end))
    return occurrences


def _wall_clock(day: date, clock: time, zone: ZoneInfo) -> datetime:
    """The instant the zone's clocks show `clock` on `day`. A time that does
    not exist (in a spring-forward gap) is read with the offset before the
    change, which moves it forward by the gap, as the clocks do."""
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC).astimezone(zone)


def generate_sessions(
    principal: Principal, activity_id: int, data: dict[str, Any], locale: str | None = None
) -> Generated:
    """Create the sessions of the pattern; return them, soonest first, and the
    occurrences skipped for holidays (named in `locale`, else the municipality's)."""
    activity = writable_activity(principal, activity_id)
    window_from, window_to = data["from"], data["to"]
    if window_to <= window_from:
        raise Invalid({"to": ["to must be after from"]})
    if window_to - window_from > MAX_WINDOW:
        raise Invalid({"to": [f"the window may span at most {MAX_WINDOW.days} days"]})
    options = data.get("options")
    place_id = data.get("place_id")
    if options is not None and place_id is not None:
        raise Invalid({"place_id": ["give either place_id or options, not both"]})
    if data.get("optional") and options is None:
        raise Invalid({"optional": ["only open sessions (with options) can be optional"]})

    slots = [WeeklySlot(entry["weekday"], entry["start"], entry["end"]) for entry in data["weekly"]]
    occurrences = weekly_occurrences(window_from, window_to, slots, municipality_zone(activity))
    skipped: list[SkippedOccurrence] = []
    if data.get("skip_holidays", True):
        occurrences, skipped = _without_holidays(occurrences, activity, locale)
    if len(occurrences) > MAX_SESSIONS_PER_CALL:
        raise Invalid(
            {
                "to": [
                    f"the pattern makes {len(occurrences)} sessions in this window; "
                    f"at most {MAX_SESSIONS_PER_CALL} per call"
                ]
            }
        )

    taken = _existing_starts(activity.id, window_from, window_to)
    sessions = []
    for occurrence in occurrences:
        if occurrence.start.astimezone(UTC) in taken:
            continue  # already there (perhaps cancelled): a repeated call adds nothing
        session_options = None
        if options is not None:
            session_options = [
                {
                    "start": occurrence.start,
                    "end": occurrence.end,
                    "place_id": option.get("place_id"),
                    "penalty": option.get("penalty", 0.0),
                }
                for option in options
            ]
        try:
            session = build_session(
                activity,
                start=None if options is not None else occurrence.start,
                end=None if options is not None else occurrence.end,
                place_id=None if options is not None else place_id,
                options=session_options,
                optional=bool(data.get("optional", False)),
            )
        except Invalid as error:
            raise Invalid(_for_occurrence(error.errors, occurrence)) from None
        sessions.append(session)

    db.session.add_all(sessions)
    db.session.commit()
    return Generated(sessions, skipped)


def _without_holidays(
    occurrences: list[Occurrence], activity: Any, locale: str | None
) -> tuple[list[Occurrence], list[SkippedOccurrence]]:
    """The occurrences not on a holiday, and those that are (with its name)."""
    if not occurrences:
        return occurrences, []
    municipality = activity.centre.municipality
    found = holidays_between(
        municipality.country,
        occurrences[0].start.date(),
        occurrences[-1].start.date(),
        locale or municipality.locale,
    )
    by_day: dict[date, Holiday] = {holiday.day: holiday for holiday in found}
    kept: list[Occurrence] = []
    skipped: list[SkippedOccurrence] = []
    for occurrence in occurrences:
        holiday = by_day.get(occurrence.start.date())
        if holiday is None:
            kept.append(occurrence)
        else:
            skipped.append(SkippedOccurrence(occurrence.start, occurrence.end, holiday.name))
    return kept, skipped


def _existing_starts(activity_id: int, window_from: datetime, window_to: datetime) -> set[datetime]:
    """Start instants (UTC) of the activity's sessions, cancelled ones included, in the window."""
    return set(
        db.session.scalars(
            select(Session.window_start).where(
                Session.activity_id == activity_id,
                Session.window_start >= window_from,
                Session.window_start < window_to,
            )
        )
    )


def _for_occurrence(errors: dict[str, list[str]], occurrence: Occurrence) -> dict[str, list[str]]:
    """Errors of one generated session, told with the occurrence they concern."""
    when = occurrence.start.isoformat()
    return {
        path: [f"{message} (session at {when})" for message in messages]
        for path, messages in errors.items()
    }
