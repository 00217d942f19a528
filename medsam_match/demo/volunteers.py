"""Volunteers: names and languages by background, availability, skills,
interests, certificates, homes and limits; then a centre tops up the skills
its roles need."""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from . import data
from .data import CentreFact, MunicipalityFact
from .rows import ActivityRow, DemoNetwork, VolunteerRow

KM_PER_DEGREE = 111.32


def volunteers_per_centre() -> list[int]:
    """data.TOTAL_VOLUNTEERS spread over the centres by size (largest remainder)."""
    sizes = [c.size for m in data.MUNICIPALITIES for c in m.centres]
    exact = [data.TOTAL_VOLUNTEERS * s / sum(sizes) for s in sizes]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(sizes)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: data.TOTAL_VOLUNTEERS - sum(counts)]:
        counts[i] += 1
    return counts


def draw_volunteer(
    rng: random.Random,
    town: MunicipalityFact,
    centre: CentreFact,
    c_index: int,
    activities: list[int],
    net: DemoNetwork,
    today: date,
    number: int,
) -> VolunteerRow:
    local = data.LOCAL_LANGUAGE[town.country]
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


def recruit_for_roles(
    rng: random.Random,
    volunteers: list[VolunteerRow],
    activities: list[ActivityRow],
    today: date,
) -> None:
    """A centre recruits for what it runs: every role gets at least min + 1
    people who have its skills, a language it asks for and a certificate valid
    through the four weeks (drawn by chance, a small centre might have none)."""
    last_day = (today + timedelta(days=data.DAYS)).isoformat()
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
        first = today + timedelta(days=rng.randint(1, data.DAYS))
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


# Mobile number series that exist (the API checks numbers with `phonenumbers`).
_MOBILE_PREFIXES = {"NO": (40, 41, 45, 46, 47, 48, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99),
                    "DK": (26, 27, 28)}


def _phone(rng: random.Random, country: str) -> str:
    """A mobile number in E.164, as the API stores it (+4791234567)."""
    code = "+47" if country == "NO" else "+45"
    prefix = rng.choice(_MOBILE_PREFIXES["NO" if country == "NO" else "DK"])
    return f"{code}{prefix}{rng.randint(0, 999999):06d}"
