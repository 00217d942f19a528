"""Activities, their weekly sessions and the bookings of each meeting place.

A session only goes where the place has the features and room it needs and
is free (fewer than `parallel` sessions at once); intervals booked by others
(`busy`) are drawn last, around our own sessions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from solver.geo import haversine_km

from . import data
from .data import ActivityDesign, CentreFact, MunicipalityFact, PlaceFact, Slot
from .rows import ActivityRow, DemoNetwork, OptionRow, PlaceRow, SessionRow


@dataclass
class _Booking:
    start: datetime
    end: datetime


class Timetable:
    """One municipality's meeting places and the bookings made in them so far."""

    def __init__(
        self, rng: random.Random, fact: MunicipalityFact, m_index: int, today: date, first_place: int
    ) -> None:
        self.rng = rng
        self.fact = fact
        self.m_index = m_index
        self.zone = ZoneInfo(fact.timezone)
        self.today = today
        self.first_place = first_place
        self.bookings: list[list[_Booking]] = [[] for _ in fact.places]
        self.days = [
            d
            for d in (today + timedelta(days=n) for n in range(1, data.DAYS + 1))
            if (d.month, d.day) not in data.CLOSED_DAYS
        ]

    def at(self, day: date, hhmm: str) -> datetime:
        """A local wall-clock time on `day`, as aware UTC."""
        hour, minute = (int(x) for x in hhmm.split(":"))
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def dates_of(self, weekday: int) -> list[date]:
        return [d for d in self.days if d.weekday() == weekday]

    def free(self, p: int, start: datetime, end: datetime) -> bool:
        """Room for one more session at place p in [start, end)?"""
        overlapping = sum(1 for b in self.bookings[p] if b.start < end and start < b.end)
        return overlapping < self.fact.places[p].parallel

    def book(self, p: int, start: datetime, end: datetime) -> None:
        self.bookings[p].append(_Booking(start, end))

    def candidate_places(self, design: ActivityDesign, centre: CentreFact) -> list[int]:
        """Places that fit the design, the preferred kinds first, then the nearest."""

        def fits(place: PlaceFact) -> bool:
            return all(n in place.features for n in design.needs) and place.capacity >= design.participants

        def rank(p: int) -> tuple[int, float]:
            place = self.fact.places[p]
            kind = design.place_kinds.index(place.kind) if place.kind in design.place_kinds else 9
            return kind, haversine_km(centre.lat, centre.lon, place.lat, place.lon)

        fitting = [p for p, place in enumerate(self.fact.places) if fits(place)]
        return sorted(fitting, key=rank)

    def weekly_fits(self, p: int, slot: Slot) -> bool:
        return all(
            self.free(p, self.at(d, slot.start), self.at(d, slot.end)) for d in self.dates_of(slot.weekday)
        )

    def plan_centre(self, net: DemoNetwork, c_index: int, centre: CentreFact) -> None:
        """The centre's activities, each on a weekly slot at the best place
        free every week; the workshop if the centre runs one."""
        locale = self.fact.locale
        for key in centre.designs:
            design = data.ACTIVITY_DESIGNS[key]
            a_index = len(net.activities)
            net.activities.append(activity_row(design, c_index, locale, self.fact.country, {}))
            # Big centres hold their language café twice a week.
            times = 2 if key == "language_cafe" and centre.size >= 5 else 1
            slots = list(design.slots)
            self.rng.shuffle(slots)
            placed = 0
            for slot in slots:
                if placed == times:
                    break
                place = next(
                    (p for p in self.candidate_places(design, centre) if self.weekly_fits(p, slot)), None
                )
                if place is None:
                    continue
                placed += 1
                for day in self.dates_of(slot.weekday):
                    start, end = self.at(day, slot.start), self.at(day, slot.end)
                    self.book(place, start, end)
                    net.sessions.append(
                        SessionRow(a_index, start=start, end=end, place=self.first_place + place)
                    )
        if centre.park is not None:
            self.plan_workshop(net, c_index, centre, centre.park)

    def plan_workshop(self, net: DemoNetwork, c_index: int, centre: CentreFact, park: str) -> None:
        """One open session, usually in the second week: 2-3 time/place
        options, the first the cheapest."""
        design = data.WORKSHOP
        a_index = len(net.activities)
        net.activities.append(
            activity_row(design, c_index, self.fact.locale, self.fact.country, {"park": park})
        )
        options: list[OptionRow] = []
        wanted = self.rng.choice((2, 3, 3))
        places = self.candidate_places(design, centre)
        # The second week; the third if holidays leave too few evenings free.
        for week in (1, 2):
            for slot in design.slots:
                days = [
                    d for d in self.days
                    if d.weekday() == slot.weekday and (d - self.today).days // 7 == week
                ]
                if not days or len(options) == wanted:
                    continue
                start, end = self.at(days[0], slot.start), self.at(days[0], slot.end)
                free = [p for p in places if self.free(p, start, end)]
                if not free:
                    continue
                place = free[len(options) % len(free)]
                self.book(place, start, end)
                options.append(OptionRow(start, end, self.first_place + place, 10.0 * len(options)))
        if options:
            net.sessions.append(SessionRow(a_index, options=tuple(options)))

    def place_rows(self) -> list[PlaceRow]:
        """The places, each with a few intervals booked by others, never over
        one of our sessions."""
        rows = []
        for p, place in enumerate(self.fact.places):
            busy: list[dict[str, str]] = []
            for _ in range(self.rng.randint(1, 4)):
                for _attempt in range(10):
                    day = self.rng.choice(self.days)
                    hour = self.rng.randint(9, 19)
                    start = self.at(day, f"{hour:02d}:00")
                    end = start + timedelta(hours=self.rng.choice((2, 3)))
                    if all(not (b.start < end and start < b.end) for b in self.bookings[p]):
                        self.book(p, start, end)
                        busy.append({"start": start.isoformat(), "end": end.isoformat()})
                        break
            busy.sort(key=lambda b: b["start"])
            rows.append(
                PlaceRow(
                    municipality=self.m_index,
                    name=place.name,
                    address=place.address,
                    lat=place.lat,
                    lon=place.lon,
                    capacity=place.capacity,
                    parallel=place.parallel,
                    features=sorted(place.features),
                    busy=busy,
                )
            )
        return rows


def activity_row(
    design: ActivityDesign, c_index: int, locale: str, country: str, words: dict[str, str]
) -> ActivityRow:
    local = data.LOCAL_LANGUAGE[country]
    roles: list[dict[str, Any]] = []
    for role in design.roles:
        languages = {"": [], "local": [local], "immigrant": list(data.IMMIGRANT_LANGUAGES)}[role.languages]
        roles.append(
            {
                "role": role.names[locale],
                "min": role.min,
                "max": role.max,
                "skills": list(role.skills),
                "languages": languages,
                "certificate": role.certificate,
            }
        )
    return ActivityRow(
        centre=c_index,
        title=design.titles[locale].format(**words),
        description=design.descriptions[locale].format(**words),
        interests=list(design.interests),
        needs=list(design.needs),
        participants=design.participants,
        roles=roles,
    )
