"""The demo network as plain values, before it meets the database. Rows refer
to each other by their position in the network's lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class MunicipalityRow:
    name: str
    country: str
    timezone: str
    locale: str


@dataclass(frozen=True)
class CentreRow:
    municipality: int
    name: str
    email: str


@dataclass(frozen=True)
class PlaceRow:
    municipality: int
    name: str
    address: str
    lat: float
    lon: float
    capacity: int
    parallel: int
    features: list[str]
    busy: list[dict[str, str]]


@dataclass(frozen=True)
class ActivityRow:
    centre: int
    title: str
    description: str
    interests: list[str]
    needs: list[str]
    participants: int
    roles: list[dict[str, Any]]


@dataclass(frozen=True)
class OptionRow:
    start: datetime
    end: datetime
    place: int
    penalty: float


@dataclass(frozen=True)
class SessionRow:
    """A fixed session (start, end, place) or an open one (options)."""

    activity: int
    start: datetime | None = None
    end: datetime | None = None
    place: int | None = None
    options: tuple[OptionRow, ...] = ()

    @property
    def window_start(self) -> datetime:
        if self.start is not None:
            return self.start
        return min(o.start for o in self.options)

    @property
    def window_end(self) -> datetime:
        if self.end is not None:
            return self.end
        return max(o.end for o in self.options)


@dataclass(frozen=True)
class VolunteerRow:
    centre: int
    name: str
    email: str | None
    phone: str
    lat: float
    lon: float
    max_travel_km: float | None
    skills: list[str]
    languages: list[str]
    interests: list[str]
    certificates: list[dict[str, str]]
    max_hours_per_week: float | None
    max_sessions_per_week: int
    preferred_activities: list[int]
    weekly_availability: list[dict[str, Any]]
    unavailable: list[dict[str, str]]
    active: bool


@dataclass
class DemoNetwork:
    municipalities: list[MunicipalityRow] = field(default_factory=list)
    centres: list[CentreRow] = field(default_factory=list)
    places: list[PlaceRow] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    sessions: list[SessionRow] = field(default_factory=list)
    volunteers: list[VolunteerRow] = field(default_factory=list)
