"""The scenario as typed, checked, immutable values.

`solver.parse.parse_scenario` turns a `medsam-scenario/1` JSON document into a
`Scenario`; everything else in the solver (model, greedy, result, explanations)
works on these values, never on raw JSON. Times are integer seconds since the
Unix epoch (UTC), so CP-SAT can use them directly; each option also carries the
local date and ISO week of its start in the scenario's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple


@dataclass(frozen=True)
class Interval:
    """A half-open interval [start, end) in epoch seconds."""

    start: int
    end: int

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 3600.0


@dataclass(frozen=True)
class Weights:
    cover_min: float = 1000
    cover_extra: float = 50
    interest: float = 20
    preferred: float = 30
    travel_km: float = 2
    fairness: float = 1
    volunteer_used: float = 0
    continuity: float = 10
    stability: float = 200


WEIGHT_NAMES: tuple[str, ...] = tuple(Weights.__dataclass_fields__)


@dataclass(frozen=True)
class Place:
    id: str
    name: str = ""
    lat: float | None = None
    lon: float | None = None
    capacity: int | None = None  # None: unlimited
    parallel: int = 1
    features: frozenset[str] = frozenset()
    busy: tuple[Interval, ...] = ()

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True)
class Activity:
    id: str
    title: str = ""
    interests: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Option:
    """One way to hold a session: a time and a place. A fixed session has one."""

    start: int
    end: int
    place: str | None
    penalty: float
    local_date: date  # date of `start` in the scenario's time zone
    iso_week: tuple[int, int]  # (ISO year, ISO week) of `start` in that zone

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 3600.0


@dataclass(frozen=True)
class Role:
    name: str
    min: int = 1
    max: int = 1
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    certificate: str | None = None


@dataclass(frozen=True)
class Session:
    id: str
    activity: str
    options: tuple[Option, ...]  # exactly one for a fixed session
    is_open: bool = False
    optional: bool = False  # only ever True for open sessions
    participants: int = 0
    needs: frozenset[str] = frozenset()
    roles: tuple[Role, ...] = ()

    def role(self, name: str) -> Role:
        for role in self.roles:
            if role.name == name:
                return role
        raise KeyError(name)


@dataclass(frozen=True)
class Volunteer:
    id: str
    name: str = ""
    lat: float | None = None
    lon: float | None = None
    max_travel_km: float | None = None
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    certificates: dict[str, date] = field(default_factory=dict, hash=False)
    # None: available all the time. Otherwise merged (touching/overlapping
    # intervals joined), sorted, disjoint.
    availability: tuple[Interval, ...] | None = None
    max_hours_per_week: float | None = None
    max_sessions_per_week: int | None = None
    preferred_activities: frozenset[str] = frozenset()

    @property
    def located(self) -> bool:
        return self.lat is not None and self.lon is not None


class Assignment(NamedTuple):
    volunteer: str
    session: str
    role: str


class Pair(NamedTuple):
    volunteer: str
    session: str


@dataclass(frozen=True)
class Scenario:
    name: str
    timezone: str
    weights: Weights
    places: tuple[Place, ...]
    activities: tuple[Activity, ...]
    sessions: tuple[Session, ...]
    volunteers: tuple[Volunteer, ...]
    fixed: tuple[Assignment, ...] = ()
    forbidden: tuple[Pair, ...] = ()
    previous: tuple[Assignment, ...] = ()

    # Look-ups by id; built once in __post_init__.
    place_by_id: dict[str, Place] = field(init=False, repr=False, compare=False, hash=False)
    activity_by_id: dict[str, Activity] = field(init=False, repr=False, compare=False, hash=False)
    session_by_id: dict[str, Session] = field(init=False, repr=False, compare=False, hash=False)
    volunteer_by_id: dict[str, Volunteer] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "place_by_id", {p.id: p for p in self.places})
        object.__setattr__(self, "activity_by_id", {a.id: a for a in self.activities})
        object.__setattr__(self, "session_by_id", {s.id: s for s in self.sessions})
        object.__setattr__(self, "volunteer_by_id", {v.id: v for v in self.volunteers})


@dataclass(frozen=True)
class Plan:
    """A solver's answer before it is written out: which option each scheduled
    session got (index into `Session.options`; unscheduled sessions absent) and
    the assignments (fixed ones included)."""

    schedule: dict[str, int]
    assignments: tuple[Assignment, ...]
