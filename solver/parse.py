"""`medsam-scenario/1` JSON -> `Scenario`, checking every rule of the format.

All problems are collected and raised together as one `ScenarioError`, each
starting with its JSON path (`sessions[3].roles[0].max: 0 is less than min 2`),
so a coordinator fixes a file in one round instead of one error at a time.

Choices where the format is silent: the top-level lists default to `[]`;
`null` counts as absent for the fields whose default is "none" or null
(lat, lon, capacity, place, certificate, max_travel_km, availability, the
weekly limits); an integer field accepts a number with no fraction (`2.0`),
as JSON Schema's `integer` does; times must be whole seconds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ScenarioError
from .scenario import (
    WEIGHT_NAMES,
    Activity,
    Assignment,
    Interval,
    Option,
    Pair,
    Place,
    Role,
    Scenario,
    Session,
    Volunteer,
    Weights,
)

FORMAT = "medsam-scenario/1"
DEFAULT_TIMEZONE = "Europe/Oslo"

TOP_FIELDS = frozenset(
    {"format", "name", "timezone", "weights", "places", "activities", "sessions",
     "volunteers", "fixed", "forbidden", "previous"}
)
PLACE_FIELDS = frozenset({"id", "name", "lat", "lon", "capacity", "parallel", "features", "busy"})
ACTIVITY_FIELDS = frozenset({"id", "title", "interests"})
SESSION_FIELDS = frozenset(
    {"id", "activity", "start", "end", "place", "options", "optional", "participants",
     "needs", "roles"}
)
OPTION_FIELDS = frozenset({"start", "end", "place", "penalty"})
ROLE_FIELDS = frozenset({"role", "min", "max", "skills", "languages", "certificate"})
VOLUNTEER_FIELDS = frozenset(
    {"id", "name", "lat", "lon", "max_travel_km", "skills", "languages", "interests",
     "certificates", "availability", "max_hours_per_week", "max_sessions_per_week",
     "preferred_activities"}
)
INTERVAL_FIELDS = frozenset({"start", "end"})
TRIPLE_FIELDS = frozenset({"volunteer", "session", "role"})
PAIR_FIELDS = frozenset({"volunteer", "session"})

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_scenario(doc: Any) -> Scenario:
    """Check `doc` against the format and build the `Scenario`; raise
    `ScenarioError` listing every problem found."""
    return _Parser().parse(doc)


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _quiet_id(obj: dict[str, Any]) -> str | None:
    """The entry's id if valid; `unique_ids` has already reported a bad one."""
    value = obj.get("id")
    return value if isinstance(value, str) and value else None


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Reader:
    """Typed field readers: each returns the value (or the default) and records
    a problem when the value is wrong. `None` back means "absent or invalid"."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}" if path else message)

    def obj(
        self, value: Any, path: str, allowed: frozenset[str], required: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.problem(path or "scenario", "must be an object")
            return None
        for key in value:
            if key not in allowed:
                self.problem(join(path, str(key)), "unknown field")
        for key in required:
            if key not in value:
                self.problem(join(path, key), "is required")
        return value

    def items(self, obj: dict[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        """A list field (default []) as (path, item) pairs."""
        value = obj.get(key, [])
        where = join(path, key)
        if not isinstance(value, list):
            self.problem(where, "must be a list")
            return []
        return [(join(where, i), item) for i, item in enumerate(value)]

    def text(self, obj: dict[str, Any], key: str, path: str, default: str = "") -> str:
        value = obj.get(key, default)
        if not isinstance(value, str):
            self.problem(join(path, key), "must be a string")
            return default
        return value

    def ident(self, obj: dict[str, Any], key: str, path: str) -> str | None:
        """A required, non-empty string (an id or a reference)."""
        if key not in obj:
            return None  # reported by obj(required=...)
        value = obj[key]
        if not isinstance(value, str) or not value:
            self.problem(join(path, key), "must be a non-empty string")
            return None
        return value

    def flag(self, obj: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
        value = obj.get(key, default)
        if not isinstance(value, bool):
            self.problem(join(path, key), "must be true or false")
            return default
        return value

    def number(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        """An optional number; absent or null gives None."""
        value = obj.get(key)
        if value is None:
            return None
        where = join(path, key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(where, f"must be a number, not {_describe(value)}")
            return None
        if not math.isfinite(value):
            self.problem(where, "must be a finite number")
            return None
        if low is not None and value < low:
            self.problem(where, f"{value} is less than {low:g}")
            return None
        if high is not None and value > high:
            self.problem(where, f"{value} is greater than {high:g}")
            return None
        return float(value)

    def integer(
        self, obj: dict[str, Any], key: str, path: str, *, low: int | None = None
    ) -> int | None:
        """An optional integer; absent or null gives None."""
        value = obj.get(key)
        if value is None:
            return None
        where = join(path, key)
        if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not value.is_integer()
        ):
            self.problem(where, f"must be an integer, not {_describe(value)}")
            return None
        if low is not None and value < low:
            self.problem(where, f"{value:g} is less than {low}")
            return None
        return int(value)

    def strings(self, obj: dict[str, Any], key: str, path: str) -> frozenset[str]:
        value = obj.get(key, [])
        if type(value) is list and all(type(item) is str for item in value):
            return frozenset(value)  # the usual case, without a path per item
        found = set()
        for where, item in self.items(obj, key, path):
            if isinstance(item, str):
                found.add(item)
            else:
                self.problem(where, "must be a string")
        return frozenset(found)

    def time(self, obj: dict[str, Any], key: str, path: str) -> int | None:
        """An ISO 8601 time with a UTC offset, as epoch seconds."""
        if key not in obj:
            return None
        value = obj[key]
        where = join(path, key)
        if not isinstance(value, str):
            self.problem(where, "must be an ISO 8601 time string with a UTC offset")
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.problem(where, f"{value!r} is not an ISO 8601 time")
            return None
        if moment.tzinfo is None or moment.utcoffset() is None:
            self.problem(where, f"{value!r} has no UTC offset (write e.g. +01:00 or Z)")
            return None
        if moment.microsecond:
            self.problem(where, f"{value!r}: times must be whole seconds")
            return None
        return int(moment.timestamp())

    def interval(self, value: Any, path: str) -> Interval | None:
        obj = self.obj(value, path, INTERVAL_FIELDS, ("start", "end"))
        if obj is None:
            return None
        start, end = self.time(obj, "start", path), self.time(obj, "end", path)
        if start is None or end is None:
            return None
        if end <= start:
            self.problem(join(path, "end"), "must be after start")
            return None
        return Interval(start, end)

    def intervals(self, obj: dict[str, Any], key: str, path: str) -> list[Interval]:
        found = [self.interval(item, where) for where, item in self.items(obj, key, path)]
        return [iv for iv in found if iv is not None]


def merge_intervals(intervals: Iterable[Interval]) -> tuple[Interval, ...]:
    """Sorted, with touching or overlapping intervals joined."""
    merged: list[Interval] = []
    for iv in sorted(intervals, key=lambda i: (i.start, i.end)):
        if merged and iv.start <= merged[-1].end:
            if iv.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, iv.end)
        else:
            merged.append(iv)
    return tuple(merged)


@dataclass(frozen=True)
class _References:
    """What fixed, forbidden and previous may refer to."""

    volunteers: set[str]
    sessions: set[str]
    roles: dict[str, set[str]]  # roles of each valid session


class _Parser(_Reader):
    def __init__(self) -> None:
        super().__init__()
        self.zone = ZoneInfo("UTC")

    def parse(self, doc: Any) -> Scenario:
        top = self.obj(doc, "", TOP_FIELDS, ("format",))
        if top is None:
            raise ScenarioError(self.problems)
        self.check_format(top)
        name = self.text(top, "name", "")
        timezone = self.parse_timezone(top)
        weights = self.parse_weights(top)
        places = self.parse_places(top)
        activities = self.parse_activities(top)
        place_ids = {p.id for p in places}
        activity_ids = {a.id for a in activities}
        sessions, session_ids = self.parse_sessions(top, place_ids, activity_ids)
        volunteers = self.parse_volunteers(top, activity_ids)
        refs = _References(
            volunteers={v.id for v in volunteers},
            sessions=session_ids,
            roles={s.id: {r.name for r in s.roles} for s in sessions},
        )
        fixed = self.parse_triples(top, "fixed", refs)
        forbidden = self.parse_pairs(top, refs)
        previous = self.parse_triples(top, "previous", refs)
        if self.problems:
            raise ScenarioError(self.problems)
        return Scenario(
            name=name,
            timezone=timezone,
            weights=weights,
            places=tuple(places),
            activities=tuple(activities),
            sessions=tuple(sessions),
            volunteers=tuple(volunteers),
            fixed=tuple(Assignment(*t) for t in fixed),
            forbidden=tuple(Pair(*p) for p in forbidden),
            previous=tuple(Assignment(*t) for t in previous),
        )

    # -- top level ---------------------------------------------------------

    def check_format(self, top: dict[str, Any]) -> None:
        if "format" in top and top["format"] != FORMAT:
            self.problem("format", f"must be {FORMAT!r}, not {_describe(top['format'])}")

    def parse_timezone(self, top: dict[str, Any]) -> str:
        name = self.text(top, "timezone", "", DEFAULT_TIMEZONE)
        try:
            self.zone = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.problem("timezone", f"{name!r} is not an IANA time zone name")
            return DEFAULT_TIMEZONE
        return name

    def parse_weights(self, top: dict[str, Any]) -> Weights:
        raw = top.get("weights", {})
        if not isinstance(raw, dict):
            self.problem("weights", "must be an object")
            return Weights()
        values: dict[str, float] = {}
        for key in raw:
            if key not in WEIGHT_NAMES:
                self.problem(join("weights", str(key)), "unknown weight")
                continue
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.problem(join("weights", key), f"must be a number, not {_describe(value)}")
            elif not math.isfinite(value):
                self.problem(join("weights", key), "must be a finite number")
            else:
                values[key] = float(value)
        return Weights(**values)

    def unique_ids(self, entries: list[tuple[str, Any]]) -> dict[str, str]:
        """Check each entry's `id`; return id -> path of its first occurrence."""
        seen: dict[str, str] = {}
        for where, item in entries:
            if not isinstance(item, dict):
                continue
            ident = self.ident(item, "id", where)
            if ident is None:
                continue
            if ident in seen:
                self.problem(join(where, "id"), f"duplicate id {ident!r} (also {seen[ident]})")
            else:
                seen[ident] = where
        return seen

    # -- places and activities --------------------------------------------

    def location(self, obj: dict[str, Any], path: str) -> tuple[float | None, float | None]:
        lat = self.number(obj, "lat", path, low=-90, high=90)
        lon = self.number(obj, "lon", path, low=-180, high=180)
        has_lat, has_lon = obj.get("lat") is not None, obj.get("lon") is not None
        if has_lat != has_lon:
            missing = "lon" if has_lat else "lat"
            self.problem(join(path, missing), "lat and lon must be given together")
        if lat is None or lon is None:
            return None, None
        return lat, lon

    def parse_places(self, top: dict[str, Any]) -> list[Place]:
        entries = self.items(top, "places", "")
        self.unique_ids(entries)
        places = []
        for where, item in entries:
            obj = self.obj(item, where, PLACE_FIELDS, ("id",))
            if obj is None:
                continue
            ident = _quiet_id(obj)
            lat, lon = self.location(obj, where)
            capacity = self.integer(obj, "capacity", where, low=0)
            parallel = self.integer(obj, "parallel", where, low=1)
            busy = merge_intervals(self.intervals(obj, "busy", where))
            place = Place(
                id=ident or "",
                name=self.text(obj, "name", where),
                lat=lat,
                lon=lon,
                capacity=capacity,
                parallel=parallel if parallel is not None else 1,
                features=self.strings(obj, "features", where),
                busy=busy,
            )
            if ident is not None:
                places.append(place)
        return places

    def parse_activities(self, top: dict[str, Any]) -> list[Activity]:
        entries = self.items(top, "activities", "")
        self.unique_ids(entries)
        activities = []
        for where, item in entries:
            obj = self.obj(item, where, ACTIVITY_FIELDS, ("id",))
            if obj is None:
                continue
            ident = _quiet_id(obj)
            title = self.text(obj, "title", where)
            interests = self.strings(obj, "interests", where)
            if ident is not None:
                activities.append(Activity(ident, title, interests))
        return activities

    # -- sessions ------------------------------------------------------------

    def reference(
        self, obj: dict[str, Any], key: str, path: str, known: set[str], kind: str
    ) -> str | None:
        ident = self.ident(obj, key, path)
        if ident is not None and ident not in known:
            self.problem(join(path, key), f"unknown {kind} {ident!r}")
            return None
        return ident

    def place_reference(self, obj: dict[str, Any], path: str, place_ids: set[str]) -> str | None:
        if obj.get("place") is None:
            return None
        return self.reference(obj, "place", path, place_ids, "place")

    def make_option(self, start: int, end: int, place: str | None, penalty: float) -> Option:
        local = datetime.fromtimestamp(start, self.zone)
        iso = local.isocalendar()
        return Option(start, end, place, penalty, local.date(), (iso.year, iso.week))

    def timed(self, obj: dict[str, Any], path: str) -> tuple[int, int] | None:
        """start and end of a fixed session or an option, end after start."""
        for key in ("start", "end"):
            if key not in obj:
                self.problem(join(path, key), "is required")
        start, end = self.time(obj, "start", path), self.time(obj, "end", path)
        if start is None or end is None:
            return None
        if end <= start:
            self.problem(join(path, "end"), "must be after start")
            return None
        return start, end

    def parse_options(
        self, obj: dict[str, Any], path: str, place_ids: set[str]
    ) -> tuple[list[Option], bool]:
        """The session's options and whether it is open."""
        # `place: null` says "no place", which does not contradict options.
        fixed_keys = [k for k in ("start", "end", "place") if obj.get(k) is not None]
        if "options" in obj:
            if fixed_keys:
                self.problem(
                    path, f"has both options and {'/'.join(fixed_keys)}: a session is "
                    "either fixed (start, end, place) or open (options), never both"
                )
            entries = self.items(obj, "options", path)
            if not entries and isinstance(obj["options"], list):
                self.problem(join(path, "options"), "must not be empty")
            options = []
            for where, item in entries:
                opt = self.obj(item, where, OPTION_FIELDS, ("start", "end"))
                if opt is None:
                    continue
                span = self.timed(opt, where) if "start" in opt and "end" in opt else None
                place = self.place_reference(opt, where, place_ids)
                penalty = self.number(opt, "penalty", where, low=0)
                if span is not None:
                    options.append(self.make_option(*span, place, penalty or 0.0))
            return options, True
        if "start" not in obj and "end" not in obj:
            self.problem(path, "needs either start and end (a fixed session) or options")
            return [], False
        span = self.timed(obj, path)
        place = self.place_reference(obj, path, place_ids)
        if span is None:
            return [], False
        return [self.make_option(*span, place, 0.0)], False

    def parse_role(self, value: Any, path: str) -> Role | None:
        obj = self.obj(value, path, ROLE_FIELDS, ("role",))
        if obj is None:
            return None
        name = self.ident(obj, "role", path)
        low = self.integer(obj, "min", path, low=0)
        low = 1 if low is None else low
        high = self.integer(obj, "max", path)
        if high is None:
            high = max(low, 1)
        elif high < max(low, 1):
            reason = f"less than min {low}" if low >= 1 else "less than 1"
            self.problem(join(path, "max"), f"{high} is {reason}")
        certificate = obj.get("certificate")
        if certificate is not None and (not isinstance(certificate, str) or not certificate):
            self.problem(join(path, "certificate"), "must be a non-empty string or null")
            certificate = None
        skills = self.strings(obj, "skills", path)
        languages = self.strings(obj, "languages", path)
        if name is None:
            return None
        return Role(name, low, high, skills, languages, certificate)

    def parse_roles(self, obj: dict[str, Any], path: str) -> list[Role]:
        if "roles" not in obj:
            return []  # reported as required
        entries = self.items(obj, "roles", path)
        if not entries and isinstance(obj["roles"], list):
            self.problem(join(path, "roles"), "needs at least one role")
        roles: list[Role] = []
        seen: set[str] = set()
        for where, item in entries:
            role = self.parse_role(item, where)
            if role is None:
                continue
            if role.name in seen:
                self.problem(join(where, "role"), f"duplicate role {role.name!r} in this session")
                continue
            seen.add(role.name)
            roles.append(role)
        return roles

    def parse_sessions(
        self, top: dict[str, Any], place_ids: set[str], activity_ids: set[str]
    ) -> tuple[list[Session], set[str]]:
        """The valid sessions, and the ids of all sessions (valid or not), so
        that a reference to a broken session is not reported as unknown."""
        entries = self.items(top, "sessions", "")
        session_ids = set(self.unique_ids(entries))
        sessions = []
        for where, item in entries:
            obj = self.obj(item, where, SESSION_FIELDS, ("id", "activity", "roles"))
            if obj is None:
                continue
            ident = _quiet_id(obj)
            activity = self.reference(obj, "activity", where, activity_ids, "activity")
            options, is_open = self.parse_options(obj, where, place_ids)
            optional = self.flag(obj, "optional", where)
            if optional and not is_open:
                self.problem(join(where, "optional"), "only an open session can be optional")
            participants = self.integer(obj, "participants", where, low=0)
            needs = self.strings(obj, "needs", where)
            roles = self.parse_roles(obj, where)
            if ident is None or activity is None or not options or not roles:
                continue
            sessions.append(
                Session(
                    id=ident,
                    activity=activity,
                    options=tuple(options),
                    is_open=is_open,
                    optional=optional and is_open,
                    participants=participants or 0,
                    needs=needs,
                    roles=tuple(roles),
                )
            )
        return sessions, session_ids

    # -- volunteers ----------------------------------------------------------

    def certificates(self, obj: dict[str, Any], path: str) -> dict[str, date]:
        raw = obj.get("certificates", {})
        where = join(path, "certificates")
        if not isinstance(raw, dict):
            self.problem(where, "must be an object of kind -> YYYY-MM-DD")
            return {}
        found = {}
        for kind, value in raw.items():
            at = join(where, str(kind))
            if not isinstance(value, str) or not _DATE.match(value):
                self.problem(at, f"{_describe(value)} is not a date YYYY-MM-DD")
                continue
            try:
                found[kind] = date.fromisoformat(value)
            except ValueError:
                self.problem(at, f"{value!r} is not a valid date")
        return found

    def availability(self, obj: dict[str, Any], path: str) -> tuple[Interval, ...] | None:
        if obj.get("availability") is None:
            return None
        return merge_intervals(self.intervals(obj, "availability", path))

    def parse_volunteers(self, top: dict[str, Any], activity_ids: set[str]) -> list[Volunteer]:
        entries = self.items(top, "volunteers", "")
        self.unique_ids(entries)
        volunteers = []
        for where, item in entries:
            obj = self.obj(item, where, VOLUNTEER_FIELDS, ("id",))
            if obj is None:
                continue
            ident = _quiet_id(obj)
            lat, lon = self.location(obj, where)
            preferred = self.strings(obj, "preferred_activities", where)
            for i, activity in enumerate(obj.get("preferred_activities") or []):
                if isinstance(activity, str) and activity not in activity_ids:
                    self.problem(
                        join(join(where, "preferred_activities"), i),
                        f"unknown activity {activity!r}",
                    )
            volunteer = Volunteer(
                id=ident or "",
                name=self.text(obj, "name", where),
                lat=lat,
                lon=lon,
                max_travel_km=self.number(obj, "max_travel_km", where, low=0),
                skills=self.strings(obj, "skills", where),
                languages=self.strings(obj, "languages", where),
                interests=self.strings(obj, "interests", where),
                certificates=self.certificates(obj, where),
                availability=self.availability(obj, where),
                max_hours_per_week=self.number(obj, "max_hours_per_week", where, low=0),
                max_sessions_per_week=self.integer(obj, "max_sessions_per_week", where, low=0),
                preferred_activities=preferred,
            )
            if ident is not None:
                volunteers.append(volunteer)
        return volunteers

    # -- fixed, forbidden, previous -----------------------------------------

    def parse_triples(
        self,
        top: dict[str, Any],
        key: str,
        refs: _References,
    ) -> list[tuple[str, str, str]]:
        triples: list[tuple[str, str, str]] = []
        seen: dict[tuple[str, str, str], str] = {}
        for where, item in self.items(top, key, ""):
            obj = self.obj(item, where, TRIPLE_FIELDS, ("volunteer", "session", "role"))
            if obj is None:
                continue
            volunteer = self.reference(obj, "volunteer", where, refs.volunteers, "volunteer")
            session = self.reference(obj, "session", where, refs.sessions, "session")
            role = self.ident(obj, "role", where)
            roles = refs.roles.get(session or "")
            if role is not None and roles is not None and role not in roles:
                self.problem(join(where, "role"), f"session {session!r} has no role {role!r}")
                role = None
            if volunteer is None or session is None or role is None:
                continue
            triple = (volunteer, session, role)
            if triple in seen:
                self.problem(where, f"duplicate of {seen[triple]}")
                continue
            seen[triple] = where
            triples.append(triple)
        return triples

    def parse_pairs(self, top: dict[str, Any], refs: _References) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        seen: dict[tuple[str, str], str] = {}
        for where, item in self.items(top, "forbidden", ""):
            obj = self.obj(item, where, PAIR_FIELDS, ("volunteer", "session"))
            if obj is None:
                continue
            volunteer = self.reference(obj, "volunteer", where, refs.volunteers, "volunteer")
            session = self.reference(obj, "session", where, refs.sessions, "session")
            if volunteer is None or session is None:
                continue
            pair = (volunteer, session)
            if pair in seen:
                self.problem(where, f"duplicate of {seen[pair]}")
                continue
            seen[pair] = where
            pairs.append(pair)
        return pairs
