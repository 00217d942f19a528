"""Draws the demo network from the facts in `data`, without touching the database.

Everything comes from one `random.Random(seed)` and the given `today`, and
nothing iterates over a set, so the same seed and day give the same network in
every process. Rows refer to each other by position in their lists; `load`
turns positions into database ids.
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from solver.geo import haversine_km

from . import data
from .data import ActivityDesign, CentreFact, MunicipalityFact, PlaceFact, Slot

DAYS = 28  # sessions on the 28 days after `today`
TOTAL_VOLUNTEERS = 400
KM_PER_DEGREE = 111.32
# Days without sessions: Christmas and New Year in both countries.
CLOSED_DAYS = ((12, 24), (12, 25), (12, 26), (12, 31), (1, 1))
LOCAL_LANGUAGE = {"NO": "no", "DK": "da"}


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


def generate(seed: int, today: date) -> DemoNetwork:
    """The whole demo network for `seed`, with sessions on the 28 days after `today`."""
    rng = random.Random(seed)
    net = DemoNetwork()
    share = _volunteers_per_centre()
    centre_no = 0
    for m_index, fact in enumerate(data.MUNICIPALITIES):
        net.municipalities.append(MunicipalityRow(fact.name, fact.country, fact.timezone, fact.locale))
        town = _Town(rng, fact, m_index, today, len(net.places))
        for centre_fact in fact.centres:
            c_index = len(net.centres)
            net.centres.append(CentreRow(m_index, centre_fact.name, centre_fact.email))
            first_activity = len(net.activities)
            town.plan_centre(net, c_index, centre_fact)
            activities = list(range(first_activity, len(net.activities)))
            volunteers = [
                _volunteer(rng, fact, centre_fact, c_index, activities, net, today, len(net.volunteers) + i)
                for i in range(share[centre_no])
            ]
            _recruit_for_roles(rng, volunteers, [net.activities[a] for a in activities], fact, today)
            net.volunteers.extend(volunteers)
            centre_no += 1
        net.places.extend(town.place_rows())
    return net


# ---- Places, activities and sessions ---------------------------------------


@dataclass
class _Booking:
    start: datetime
    end: datetime


class _Town:
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
            for d in (today + timedelta(days=n) for n in range(1, DAYS + 1))
            if (d.month, d.day) not in CLOSED_DAYS
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
        locale = self.fact.locale
        for key in centre.designs:
            design = data.ACTIVITY_DESIGNS[key]
            a_index = len(net.activities)
            net.activities.append(_activity_row(design, c_index, locale, self.fact.country, {}))
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
            self.plan_workshop(net, c_index, centre)

    def plan_workshop(self, net: DemoNetwork, c_index: int, centre: CentreFact) -> None:
        """One open session, usually in the second week: 2-3 time/place
        options, the first the cheapest."""
        design = data.WORKSHOP
        a_index = len(net.activities)
        net.activities.append(
            _activity_row(design, c_index, self.fact.locale, self.fact.country, {"park": centre.park})
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
                    features=list(place.features),
                    busy=busy,
                )
            )
        return rows


def _activity_row(
    design: ActivityDesign, c_index: int, locale: str, country: str, words: dict[str, str]
) -> ActivityRow:
    local = LOCAL_LANGUAGE[country]
    roles = []
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


# ---- Volunteers -------------------------------------------------------------


def _volunteers_per_centre() -> list[int]:
    """TOTAL_VOLUNTEERS spread over the centres by size (largest remainder)."""
    sizes = [c.size for m in data.MUNICIPALITIES for c in m.centres]
    exact = [TOTAL_VOLUNTEERS * s / sum(sizes) for s in sizes]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: TOTAL_VOLUNTEERS - sum(counts)]:
        counts[i] += 1
    return counts


def _volunteer(
    rng: random.Random,
    town: MunicipalityFact,
    centre: CentreFact,
    c_index: int,
    activities: list[int],
    net: DemoNetwork,
    today: date,
    number: int,
) -> VolunteerRow:
    local = LOCAL_LANGUAGE[town.country]
    if rng.random() < town.immigrant_share:
        background = rng.choice(data.IMMIGRANT_LANGUAGES)
        first = rng.choice(data.FIRST_NAMES[background])
        family = rng.choice(data.FAMILY_NAMES[background])
        languages = [background]
        if rng.random() < (0.5 if background == "uk" else 0.8):
            languages.append(local)
        if rng.random() < 0.6:
            languages.append("en")
    else:
        first = rng.choice(data.FIRST_NAMES[local])
        families = data.FAMILY_NAMES["nn"] if town.locale == "nn" and rng.random() < 0.5 else None
        family = rng.choice(families or data.FAMILY_NAMES[local])
        languages = [local]
        if rng.random() < 0.8:
            languages.append("en")
        if rng.random() < 0.1:
            languages.append(rng.choice(("de", "sv", "fr", "es")))
    name = f"{first} {family}"

    pattern = _pick_weighted(rng, data.AVAILABILITY_SHARE)
    windows = list(data.AVAILABILITY_PATTERNS[pattern])
    if len(windows) > 2 and rng.random() < 0.3:
        windows.pop(rng.randrange(len(windows)))
    weekly = [{"weekday": d, "start": s, "end": e} for d, s, e in windows]

    skills = [s for s in data.SKILLS if rng.random() < data.SKILL_SHARE[s]]
    interests = sorted(rng.sample(data.INTERESTS, rng.randint(2, 4)), key=data.INTERESTS.index)
    wants_children = "children" in interests
    certificates = []
    if rng.random() < (0.75 if wants_children else 0.35):
        certificates.append({"kind": data.POLICE_CERTIFICATE, "valid_until": _certificate_end(rng, today)})

    mine = [a for a in activities if set(net.activities[a].interests) & set(interests)]
    preferred = sorted(rng.sample(mine, min(len(mine), rng.randint(0, 2))))

    radius = min(abs(rng.gauss(0.0, 2.5)), 9.0)
    angle = rng.uniform(0.0, 2.0 * math.pi)
    lat = centre.lat + radius * math.cos(angle) / KM_PER_DEGREE
    lon = centre.lon + radius * math.sin(angle) / (KM_PER_DEGREE * math.cos(math.radians(centre.lat)))

    return VolunteerRow(
        centre=c_index,
        name=name,
        email=None if rng.random() < 0.1 else _email(first, family, number),
        phone=_phone(rng, town.country),
        lat=round(lat, 5),
        lon=round(lon, 5),
        max_travel_km=None if rng.random() < 0.15 else float(rng.choice((2, 3, 5, 5, 8, 10, 10, 15, 20, 25))),
        skills=skills,
        languages=languages,
        interests=interests,
        certificates=certificates,
        max_hours_per_week=None if rng.random() < 0.4 else float(rng.choice((2, 3, 4, 6, 8))),
        max_sessions_per_week=rng.choice((1, 1, 2, 2, 2, 3)),
        preferred_activities=preferred,
        weekly_availability=weekly,
        unavailable=_holidays(rng, town, today),
        active=rng.random() < 0.97,
    )


def _recruit_for_roles(
    rng: random.Random,
    volunteers: list[VolunteerRow],
    activities: list[ActivityRow],
    town: MunicipalityFact,
    today: date,
) -> None:
    """A centre recruits for what it runs: every role gets at least min + 1
    people who have its skills, a language it asks for and a certificate valid
    through the four weeks (drawn by chance, a small centre might have none)."""
    last_day = (today + timedelta(days=DAYS)).isoformat()
    for activity in activities:
        for role in activity.roles:
            if role["min"] == 0:
                continue

            others = [v for v in volunteers if v.active and not _can_fill(v, role, last_day)]
            missing = role["min"] + 1 - sum(1 for v in volunteers if v.active and _can_fill(v, role, last_day))
            for v in rng.sample(others, max(0, min(missing, len(others)))):
                v.skills[:] = [s for s in data.SKILLS if s in v.skills or s in role["skills"]]
                if role["languages"] and not any(x in v.languages for x in role["languages"]):
                    v.languages.append(role["languages"][0])
                if role["certificate"] is not None:
                    v.certificates[:] = [c for c in v.certificates if c["kind"] != role["certificate"]]
                    v.certificates.append(
                        {"kind": role["certificate"], "valid_until": _valid_certificate_end(rng, today)}
                    )


def _can_fill(v: VolunteerRow, role: dict[str, Any], last_day: str) -> bool:
    """Skills, a language asked for, and a certificate valid after `last_day`."""
    return (
        all(skill in v.skills for skill in role["skills"])
        and (not role["languages"] or any(x in v.languages for x in role["languages"]))
        and (
            role["certificate"] is None
            or any(c["kind"] == role["certificate"] and c["valid_until"] > last_day for c in v.certificates)
        )
    )


def _pick_weighted(rng: random.Random, shares: dict[str, float]) -> str:
    keys = list(shares)
    return rng.choices(keys, weights=[shares[k] for k in keys])[0]


def _certificate_end(rng: random.Random, today: date) -> str:
    """Most certificates are valid; some expired, some run out within the four weeks."""
    roll = rng.random()
    if roll < 0.15:
        return (today - timedelta(days=rng.randint(1, 400))).isoformat()
    if roll < 0.25:
        return (today + timedelta(days=rng.randint(5, 20))).isoformat()
    return _valid_certificate_end(rng, today)


def _valid_certificate_end(rng: random.Random, today: date) -> str:
    return (today + timedelta(days=rng.randint(60, 1000))).isoformat()


def _holidays(rng: random.Random, town: MunicipalityFact, today: date) -> list[dict[str, str]]:
    """A week or so away for about one in five volunteers, local midnight to midnight."""
    zone = ZoneInfo(town.timezone)
    away: list[dict[str, str]] = []
    for _ in range(2 if rng.random() < 0.05 else 1):
        if rng.random() >= 0.2:
            continue
        first = today + timedelta(days=rng.randint(1, DAYS))
        last = first + timedelta(days=rng.randint(3, 10))
        start = datetime.combine(first, time(0), tzinfo=zone).astimezone(UTC)
        end = datetime.combine(last, time(0), tzinfo=zone).astimezone(UTC)
        away.append({"start": start.isoformat(), "end": end.isoformat()})
    return sorted(away, key=lambda a: a["start"])


def _ascii(text: str) -> str:
    text = text.replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "Ae")
    text = text.replace("ł", "l").replace("Ł", "L")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-")


def _email(first: str, family: str, number: int) -> str:
    # The running number keeps addresses unique; example.org is never delivered.
    return f"{_ascii(first)}.{_ascii(family)}{number}@example.org"


def _phone(rng: random.Random, country: str) -> str:
    if country == "NO":
        return f"+47 {rng.choice((4, 9))}{rng.randint(0, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 999):03d}"
    return f"+45 {rng.randint(20, 99)} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"
