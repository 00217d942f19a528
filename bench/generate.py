"""A seeded generator of believable `medsam-scenario/1` documents.

A Norwegian town (Arendal, Europe/Oslo) with its volunteer centre: evening and
weekend sessions of recurring activities (language café, homework help,
digital help for seniors ...) at meeting places around the town centre, and
volunteers living around it with weekly availability windows, holidays,
skills, languages, police certificates (some expired) and travel limits.
Demand is set a little above what the volunteers can give, so coverage is
tight and the solver has real choices to make.

    python -m bench.generate M --seed 1 -o m1.json
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

FORMAT = "medsam-scenario/1"
TIMEZONE = "Europe/Oslo"
FIRST_MONDAY = date(2027, 1, 11)
TOWN = "Arendal"
CENTRE_LAT, CENTRE_LON = 58.4615, 8.7725

OPEN_SHARE = 0.1
#: How much the demand (Σ role min) exceeds the volunteers' weekly capacity.
DEMAND_OVER_SUPPLY = 1.08


@dataclass(frozen=True)
class Size:
    volunteers: int
    sessions: int
    weeks: int
    places: int


SIZES: dict[str, Size] = {
    "S": Size(60, 40, 1, 5),
    "M": Size(1_000, 600, 1, 40),
    "L": Size(5_000, 2_500, 2, 150),
    "XL": Size(20_000, 8_000, 4, 400),
    # between S and M: the peer comparison's 400 volunteers and 240 sessions
    "P": Size(400, 240, 1, 16),
}

INTERESTS = (
    "language", "children", "seniors", "outdoors", "food",
    "technology", "culture", "crafts", "sport", "integration",
)  # fmt: skip
LANGUAGES = (
    "ar",
    "ti",
    "uk",
    "so",
    "pl",
    "en",
)  # Arabic, Tigrinya, Ukrainian, Somali, Polish, English
#: Share of volunteers who speak each language besides Norwegian.
LANGUAGE_SHARE = {"en": 0.6, "ar": 0.12, "ti": 0.07, "uk": 0.1, "so": 0.07, "pl": 0.09}
SKILL_SHARE = {
    "digital": 0.3, "driver_license": 0.6, "first_aid": 0.35, "cooking": 0.25,
    "food_safety": 0.1, "teaching": 0.15, "music": 0.12, "sewing": 0.15, "facilitation": 0.15,
}  # fmt: skip
#: Most who cook at the centre have taken the food safety course.
FOOD_SAFETY_AMONG_COOKS = 0.6
POLICE_CERTIFICATE_SHARE = 0.5
FEATURES = ("wheelchair", "kitchen", "projector", "gym", "parking")


@dataclass(frozen=True)
class RoleTemplate:
    role: str
    min_range: tuple[int, int]
    skills: tuple[str, ...] = ()
    language: bool = False  # needs one of the community languages
    certificate: bool = False  # needs a valid police certificate


@dataclass(frozen=True)
class ActivityKind:
    title: str
    interests: tuple[str, ...]
    roles: tuple[RoleTemplate, ...]
    needs: tuple[str, ...] = ()
    outdoors: bool = False  # no place
    weekend: bool = False  # usually on Saturday or Sunday
    participants: tuple[int, int] = (6, 25)


KINDS: tuple[ActivityKind, ...] = (
    ActivityKind("Språkkafé", ("language", "integration"), (
        RoleTemplate("host", (1, 1)), RoleTemplate("conversation", (1, 3)),
        RoleTemplate("interpreter", (1, 1), language=True))),
    ActivityKind("Leksehjelp", ("children", "language"), (
        RoleTemplate("helper", (1, 3), certificate=True), RoleTemplate("host", (1, 1)))),
    ActivityKind("Digital hjelp for seniorer", ("technology", "seniors"), (
        RoleTemplate("helper", (1, 3), skills=("digital",)),), needs=("projector",)),
    ActivityKind("Turgruppe", ("outdoors", "sport", "seniors"), (
        RoleTemplate("leader", (1, 1), skills=("first_aid",)), RoleTemplate("walker", (1, 2))),
        outdoors=True, weekend=True),
    ActivityKind("Middag for alle", ("food", "integration"), (
        RoleTemplate("cook", (1, 2), skills=("cooking", "food_safety")),
        RoleTemplate("helper", (1, 3))), needs=("kitchen",), participants=(15, 60)),
    ActivityKind("Kjøring til aktiviteter", ("seniors",), (
        RoleTemplate("driver", (1, 3), skills=("driver_license",)),), needs=("parking",)),
    ActivityKind("Idrett for barn", ("children", "sport"), (
        RoleTemplate("coach", (1, 2), certificate=True), RoleTemplate("helper", (1, 1))),
        needs=("gym",), weekend=True, participants=(10, 30)),
    ActivityKind("Lesevenn", ("children", "culture", "language"), (
        RoleTemplate("reader", (1, 2), certificate=True),)),
    ActivityKind("Strikke- og sykafé", ("crafts",), (
        RoleTemplate("host", (1, 1), skills=("sewing",)), RoleTemplate("helper", (0, 1)))),
    ActivityKind("Besøksvenn", ("seniors",), (
        RoleTemplate("visitor", (1, 2), certificate=True),), participants=(0, 0)),
    ActivityKind("Medvirkningsverksted: den nye parken", ("culture", "integration", "outdoors"), (
        RoleTemplate("facilitator", (1, 1), skills=("facilitation",)),
        RoleTemplate("interpreter", (1, 2), language=True), RoleTemplate("helper", (0, 2))),
        needs=("projector", "wheelchair"), participants=(15, 50)),
    ActivityKind("Musikkafé", ("culture", "seniors"), (
        RoleTemplate("musician", (1, 2), skills=("music",)), RoleTemplate("host", (1, 1))),
        weekend=True, participants=(10, 40)),
)  # fmt: skip

PLACE_NAMES = (
    "Frivilligsentralen", "Biblioteket", "Kulturhuset", "Skolen", "Menighetshuset",
    "Bydelshuset", "Idrettshallen", "Omsorgssenteret", "Ungdomsklubben", "Innbyggertorget",
)  # fmt: skip
FIRST_NAMES = (
    "Ola", "Kari", "Nora", "Jakob", "Emma", "Lars", "Ingrid", "Ahmed", "Fatima", "Olena",
    "Yonas", "Hodan", "Piotr", "Anna", "Sigrid", "Erik", "Aisha", "Mohammed", "Liv", "Per",
    "Astrid", "Jonas", "Maja", "Tor", "Sara", "Mariam", "Dawit", "Oksana", "Filip", "Hanne",
)  # fmt: skip
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Haugen", "Berg", "Ali", "Hassan", "Tesfay", "Kowalski", "Shevchenko",
    "Mohamed", "Dahl", "Lie",
)  # fmt: skip

EVENING_STARTS = (17 * 60, 17 * 60 + 30, 18 * 60, 18 * 60 + 30, 19 * 60)
WEEKEND_STARTS = (10 * 60, 11 * 60, 12 * 60, 13 * 60, 14 * 60)
DURATIONS = (90, 120, 150, 180)  # minutes


def generate(size: str, seed: int = 0) -> dict[str, Any]:
    """A medsam-scenario/1 document of the given size (S, M, L or XL)."""
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}; choose one of {', '.join(SIZES)}")
    return _Generator(size, SIZES[size], seed).document()


class _Clock:
    """Local wall-clock times of the planning weeks as ISO strings with offset."""

    def __init__(self) -> None:
        self.zone = ZoneInfo(TIMEZONE)

    def at(self, week: int, weekday: int, minute: int) -> datetime:
        day = FIRST_MONDAY + timedelta(days=7 * week + weekday)
        return datetime(day.year, day.month, day.day, tzinfo=self.zone) + timedelta(minutes=minute)

    @staticmethod
    def iso(moment: datetime) -> str:
        return moment.isoformat()


class _PlaceCalendar:
    """What is already booked at each place, so fixed sessions never clash."""

    def __init__(self) -> None:
        self.booked: dict[str, list[tuple[datetime, datetime]]] = {}

    def fits(self, place: dict[str, Any], start: datetime, end: datetime) -> bool:
        clashes = [b for b in self.booked.get(place["id"], []) if b[0] < end and start < b[1]]
        if len(clashes) >= place.get("parallel", 1):
            return False
        # Peak overlap among the clashing bookings (they may not all overlap each other).
        points = sorted({max(b[0], start) for b in clashes} | {start})
        peak = max(sum(1 for b in clashes if b[0] <= p < b[1]) for p in points)
        return peak < place.get("parallel", 1)

    def book(self, place_id: str, start: datetime, end: datetime) -> None:
        self.booked.setdefault(place_id, []).append((start, end))


class _Generator:
    def __init__(self, size_name: str, size: Size, seed: int):
        self.name = size_name
        self.size = size
        self.rng = random.Random(f"medsam-bench-{size_name}-{seed}")
        self.clock = _Clock()
        self.calendar = _PlaceCalendar()
        # The town grows with the number of places: a city district is wider than a village.
        self.spread_km = 3.0 * (size.places / 5) ** 0.25

    # -- geography -------------------------------------------------------
    def _near_centre(self, sigma_km: float) -> tuple[float, float]:
        north = self.rng.gauss(0, sigma_km)
        east = self.rng.gauss(0, sigma_km)
        lat = CENTRE_LAT + north / 111.2
        lon = CENTRE_LON + east / (111.2 * math.cos(math.radians(CENTRE_LAT)))
        return round(lat, 5), round(lon, 5)

    # -- places ----------------------------------------------------------
    def places(self) -> list[dict[str, Any]]:
        result = []
        for i in range(self.size.places):
            lat, lon = self._near_centre(self.spread_km * 0.6)
            big = self.rng.random() < 0.3
            features = [f for f in FEATURES if self.rng.random() < (0.6 if big else 0.3)]
            if i < len(FEATURES):  # every feature exists somewhere
                features = sorted(set(features) | {FEATURES[i]})
            place: dict[str, Any] = {
                "id": f"p{i + 1}",
                "name": f"{PLACE_NAMES[i % len(PLACE_NAMES)]} {i // len(PLACE_NAMES) + 1}",
                "lat": lat,
                "lon": lon,
                "capacity": self.rng.choice((60, 80, 120))
                if big
                else self.rng.choice((12, 20, 30, 40)),
                "parallel": self.rng.choice((2, 3)) if big else 1,
                "features": features,
            }
            busy = []
            for _ in range(self.rng.choice((0, 0, 1, 2))):  # rented out to others now and then
                week = self.rng.randrange(self.size.weeks)
                day = self.rng.randrange(7)
                start = self.clock.at(week, day, self.rng.choice((16 * 60, 18 * 60, 10 * 60)))
                end = start + timedelta(hours=self.rng.choice((2, 3, 4)))
                busy.append({"start": self.clock.iso(start), "end": self.clock.iso(end)})
                for _ in range(place["parallel"]):  # busy blocks the whole place
                    self.calendar.book(place["id"], start, end)
            if busy:
                place["busy"] = busy
            result.append(place)
        return result

    # -- activities and sessions ----------------------------------------
    def activities(self, places: list[dict[str, Any]]) -> list[dict[str, Any]]:
        count = max(len(KINDS), round(self.size.sessions / self.size.weeks / 1.5))
        self.kinds: dict[str, ActivityKind] = {}
        self.usual: dict[str, tuple[int, int, int, str | None]] = {}
        result = []
        for i in range(count):
            kind = KINDS[i % len(KINDS)] if i < len(KINDS) else self.rng.choice(KINDS)
            aid = f"a{i + 1}"
            self.kinds[aid] = kind
            result.append({"id": aid, "title": kind.title, "interests": list(kind.interests)})
            day = self.rng.choice((5, 6)) if kind.weekend else self.rng.randrange(5)
            starts = WEEKEND_STARTS if day >= 5 else EVENING_STARTS
            home = None if kind.outdoors else self.rng.choice(places)["id"]
            self.usual[aid] = (day, self.rng.choice(starts), self.rng.choice(DURATIONS), home)
        return result

    def _roles(self, kind: ActivityKind) -> list[dict[str, Any]]:
        templates = list(kind.roles)
        if len(templates) > 1 and self.rng.random() < 0.3:  # a smaller gathering this time
            templates = templates[: self.rng.randint(1, len(templates))]
        roles = []
        for t in templates:
            low, high = t.min_range
            # Mostly the lower end of the range: big crews are the exception.
            minimum = low + int((high - low + 1) * self.rng.random() ** 1.6)
            if minimum == 0 and len(templates) == 1:
                minimum = 1
            role: dict[str, Any] = {"role": t.role, "min": minimum}
            if self.rng.random() < 0.4:
                role["max"] = max(minimum, 1) + 1
            if t.skills:
                role["skills"] = list(t.skills)
            if t.language:
                role["languages"] = self.rng.sample(LANGUAGES[:5], self.rng.choice((1, 1, 2)))
            if t.certificate:
                role["certificate"] = "police"
            roles.append(role)
        if all(r["min"] == 0 for r in roles):
            roles[0]["min"] = 1
        return roles

    def _suitable(
        self, places: list[dict[str, Any]], needs: tuple[str, ...], people: int
    ) -> list[dict[str, Any]]:
        return [
            p for p in places
            if set(needs) <= set(p["features"]) and people <= p["capacity"]
        ]  # fmt: skip

    def _pick_slot(
        self,
        aid: str,
        week: int,
        candidates: list[dict[str, Any]],
        attempt: int,
    ) -> tuple[datetime, datetime, str | None] | None:
        """A time and place for one session of `aid` in `week`, free at that place."""
        kind = self.kinds[aid]
        day, start_minute, duration, home = self.usual[aid]
        if attempt > 0:  # the usual slot was taken: try another day or time
            day = self.rng.choice((5, 6)) if kind.weekend else self.rng.randrange(5)
            start_minute = self.rng.choice(WEEKEND_STARTS if day >= 5 else EVENING_STARTS)
        start = self.clock.at(week, day, start_minute)
        end = start + timedelta(minutes=duration)
        if kind.outdoors:
            return start, end, None
        by_id = {p["id"]: p for p in candidates}
        order = ([by_id[home]] if home in by_id and attempt == 0 else []) + self.rng.sample(
            candidates, min(len(candidates), 6)
        )
        for place in order:
            if self.calendar.fits(place, start, end):
                return start, end, place["id"]
        return None

    def sessions(
        self, places: list[dict[str, Any]], activities: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        per_week = [self.size.sessions // self.size.weeks] * self.size.weeks
        for w in range(self.size.sessions - sum(per_week)):
            per_week[w] += 1
        aids = [a["id"] for a in activities]
        # One in ten is open: the coordinator leaves time and place to the plan.
        self.open_sessions = set(
            self.rng.sample(range(self.size.sessions), round(OPEN_SHARE * self.size.sessions))
        )
        result: list[dict[str, Any]] = []
        for week, count in enumerate(per_week):
            # Every activity meets once a week; the busiest ones twice.
            weekly = (aids * (count // len(aids) + 1))[:count]
            for aid in weekly:
                session = self._session(f"s{len(result) + 1}", aid, week, places)
                result.append(session)
        return result

    def _session(
        self, sid: str, aid: str, week: int, places: list[dict[str, Any]]
    ) -> dict[str, Any]:
        kind = self.kinds[aid]
        low, high = kind.participants
        people = self.rng.randint(low, high)
        candidates = self._suitable(places, kind.needs, people)
        if not candidates and not kind.outdoors:  # no room is big enough: a smaller group
            people = min(
                people,
                max((p["capacity"] for p in self._suitable(places, kind.needs, 0)), default=0),
            )
            candidates = self._suitable(places, kind.needs, people)
        slot = None
        for attempt in range(12):
            slot = self._pick_slot(aid, week, candidates, attempt)
            if slot is not None:
                break
        if slot is None:  # every suitable room is taken all week: meet outdoors / online
            start = self.clock.at(week, self.rng.randrange(5), self.rng.choice(EVENING_STARTS))
            slot = (start, start + timedelta(minutes=self.rng.choice(DURATIONS)), None)
        start, end, place = slot
        session: dict[str, Any] = {"id": sid, "activity": aid}
        if people:
            session["participants"] = people
        if kind.needs and place is not None:
            session["needs"] = list(kind.needs)
        session["roles"] = self._roles(kind)
        if place is not None:
            self.calendar.book(place, start, end)
        if int(sid[1:]) - 1 in self.open_sessions:
            session["options"] = self._options(start, end, place, week, kind, candidates)
            if self.rng.random() < 0.3:
                session["optional"] = True
        else:
            session["start"], session["end"] = self.clock.iso(start), self.clock.iso(end)
            if place is not None:
                session["place"] = place
        return session

    def _options(
        self,
        start: datetime,
        end: datetime,
        place: str | None,
        week: int,
        kind: ActivityKind,
        candidates: list[dict[str, Any]],
    ) -> list[dict[str, Any]]:
        # The first option is the booked (free) one; the others may clash with other sessions.
        options: list[dict[str, Any]] = [
            {"start": self.clock.iso(start), "end": self.clock.iso(end), "place": place}
        ]
        duration = end - start
        for _ in range(self.rng.randint(1, 3)):
            day = self.rng.choice((5, 6)) if kind.weekend else self.rng.randrange(5)
            other = self.clock.at(
                week, day, self.rng.choice(WEEKEND_STARTS if day >= 5 else EVENING_STARTS)
            )
            other_place = (
                None if kind.outdoors or not candidates else self.rng.choice(candidates)["id"]
            )
            options.append({
                "start": self.clock.iso(other),
                "end": self.clock.iso(other + duration),
                "place": other_place,
                "penalty": self.rng.choice((0, 5, 10, 20)),
            })  # fmt: skip
        return options

    # -- volunteers ------------------------------------------------------
    def _weekly_pattern(self) -> list[tuple[int, int, int]]:
        """1-4 weekly windows as (weekday, from minute, to minute)."""
        count = self.rng.choices((1, 2, 3, 4), weights=(35, 35, 20, 10))[0]
        days = self.rng.sample(range(7), count)
        windows = []
        for day in days:
            if day >= 5:
                first = self.rng.choice((9 * 60, 10 * 60, 12 * 60))
                windows.append((day, first, first + self.rng.choice((4, 5, 6, 8)) * 60))
            else:
                first = self.rng.choice((16 * 60, 16 * 60 + 30, 17 * 60, 18 * 60))
                windows.append((day, first, min(first + self.rng.choice((3, 4, 5)) * 60, 22 * 60)))
        return sorted(windows)

    def _weekly_capacity(
        self, volunteer: dict[str, Any], pattern: list[tuple[int, int, int]]
    ) -> int:
        """Most sessions a week this volunteer could give: bounded by the weekly
        limits and by how many of the shortest (1.5 h) sessions fit in the windows."""
        cap = sum((last - first) // min(DURATIONS) for _, first, last in pattern)
        if volunteer.get("max_sessions_per_week"):
            cap = min(cap, volunteer["max_sessions_per_week"])
        if volunteer.get("max_hours_per_week"):
            cap = min(cap, int(volunteer["max_hours_per_week"] * 60 // min(DURATIONS)))
        return cap

    def volunteers(self, activities: list[dict[str, Any]], demand: int) -> list[dict[str, Any]]:
        drafts = []
        for i in range(self.size.volunteers):
            v = self._volunteer(f"v{i + 1}", activities)
            pattern = self._weekly_pattern()
            drafts.append((v, pattern, self._weekly_capacity(v, pattern)))
        # A big town has more registered volunteers than each week needs: many give
        # a session now and then. Each week a volunteer is away with a probability
        # chosen so that the capacity stays a little below the demand.
        capacity = sum(cap for _, _, cap in drafts) * self.size.weeks
        present = min(1.0, demand / (DEMAND_OVER_SUPPLY * capacity))
        self.capacity = 0  # what the volunteers can give, counted on their actual windows
        for v, pattern, cap in drafts:
            v["availability"], weeks = self._availability(pattern, present)
            for per_week in weeks.values():
                self.capacity += min(cap, per_week)
        return [v for v, _, _ in drafts]

    def top_up(self, sessions: list[dict[str, Any]], demand: int) -> None:
        """A small town may have more hands than its sessions ask for: then some
        roles ask for one more person, until demand is above capacity again."""
        roles = [r for s in sessions for r in s["roles"] if "certificate" not in r]
        missing = math.ceil(DEMAND_OVER_SUPPLY * self.capacity) - demand
        for role in self.rng.sample(roles, min(len(roles), max(0, missing))):
            role["min"] += 1
            if "max" in role:
                role["max"] = max(role["max"], role["min"])

    def _availability(
        self, pattern: list[tuple[int, int, int]], present: float
    ) -> tuple[list[dict[str, str]], dict[int, int]]:
        """The windows of the weeks this volunteer is around, and per week how
        many of the shortest sessions fit in them."""
        weeks = [w for w in range(self.size.weeks) if self.rng.random() < present]
        holiday: tuple[date, date] | None = None
        if self.rng.random() < 0.1:  # a few days away
            away = FIRST_MONDAY + timedelta(days=self.rng.randrange(7 * self.size.weeks))
            holiday = (away, away + timedelta(days=self.rng.randint(2, 6)))
        windows = []
        fits: dict[int, int] = {}
        for week in weeks:
            for day, first, last in pattern:
                start = self.clock.at(week, day, first)
                if holiday and holiday[0] <= start.date() <= holiday[1]:
                    continue
                end = self.clock.at(week, day, last)
                windows.append({"start": self.clock.iso(start), "end": self.clock.iso(end)})
                fits[week] = fits.get(week, 0) + (last - first) // min(DURATIONS)
        return windows, fits

    def _volunteer(self, vid: str, activities: list[dict[str, Any]]) -> dict[str, Any]:
        rng = self.rng
        volunteer: dict[str, Any] = {
            "id": vid,
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        }
        if rng.random() < 0.97:  # a few never gave an address
            volunteer["lat"], volunteer["lon"] = self._near_centre(self.spread_km)
        if rng.random() < 0.85:
            volunteer["max_travel_km"] = rng.choice((3, 5, 5, 8, 10, 10, 15, 20))
        skills = {s for s, share in SKILL_SHARE.items() if rng.random() < share}
        if "cooking" in skills and rng.random() < FOOD_SAFETY_AMONG_COOKS:
            skills.add("food_safety")
        volunteer["skills"] = sorted(skills)
        volunteer["languages"] = ["nb"] + sorted(
            lang for lang, share in LANGUAGE_SHARE.items() if rng.random() < share
        )
        volunteer["interests"] = rng.sample(INTERESTS, rng.randint(1, 4))
        if (
            rng.random() < POLICE_CERTIFICATE_SHARE
        ):  # politiattest: most valid, some expired, a few expiring soon
            roll = rng.random()
            if roll < 0.15:
                valid = FIRST_MONDAY - timedelta(days=rng.randint(1, 400))
            elif roll < 0.22:
                valid = FIRST_MONDAY + timedelta(days=rng.randrange(7 * self.size.weeks))
            else:
                valid = FIRST_MONDAY + timedelta(days=rng.randint(100, 1500))
            volunteer["certificates"] = {"police": valid.isoformat()}
        volunteer["max_sessions_per_week"] = rng.choices((1, 2, 3), weights=(55, 33, 12))[0]
        if rng.random() < 0.3:
            volunteer["max_hours_per_week"] = rng.choice((3, 4, 5, 6, 8))
        if rng.random() < 0.35:
            liked = [a for a in activities if set(a["interests"]) & set(volunteer["interests"])]
            if liked:
                volunteer["preferred_activities"] = sorted(
                    {a["id"] for a in rng.sample(liked, min(len(liked), rng.randint(1, 2)))}
                )
        return volunteer

    # -- the whole document ---------------------------------------------
    def document(self) -> dict[str, Any]:
        places = self.places()
        activities = self.activities(places)
        sessions = self.sessions(places, activities)
        demand = sum(r["min"] for s in sessions for r in s["roles"])
        volunteers = self.volunteers(activities, demand)
        self.top_up(sessions, demand)
        first = FIRST_MONDAY
        week_label = f"week {first.isocalendar().week}"
        if self.size.weeks > 1:
            week_label = (
                f"weeks {first.isocalendar().week}-{first.isocalendar().week + self.size.weeks - 1}"
            )
        return {
            "format": FORMAT,
            "name": f"{TOWN} frivilligsentral, {week_label} {first.year} (bench {self.name})",
            "timezone": TIMEZONE,
            "places": places,
            "activities": activities,
            "sessions": sessions,
            "volunteers": volunteers,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("size", choices=list(SIZES))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    doc = generate(args.size, args.seed)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
