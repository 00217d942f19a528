"""Rules H1-H5: may this volunteer take this role at this session, held this way?

Shared by the model (which only makes variables for eligible triples), the
greedy baseline and the explanations of unfilled slots. The validator does not
use it: it checks the rules again on its own.
"""

from __future__ import annotations

from .geo import haversine_km
from .scenario import Interval, Option, Place, Role, Scenario, Volunteer

AVAILABILITY = "availability"
SKILLS = "skills"
LANGUAGES = "languages"
CERTIFICATE = "certificate"
DISTANCE = "distance"
FORBIDDEN = "forbidden"

#: The order in which `unfilled[].excluded` lists the rules.
RULES: tuple[str, ...] = (AVAILABILITY, SKILLS, LANGUAGES, CERTIFICATE, DISTANCE, FORBIDDEN)


def available(volunteer: Volunteer, option: Option) -> bool:
    """H1: the option lies inside one (merged) availability interval."""
    if volunteer.availability is None:
        return True
    want = Interval(option.start, option.end)
    return any(iv.contains(want) for iv in volunteer.availability)


def has_skills(volunteer: Volunteer, role: Role) -> bool:
    """H2."""
    return role.skills <= volunteer.skills


def speaks(volunteer: Volunteer, role: Role) -> bool:
    """H3."""
    return not role.languages or bool(role.languages & volunteer.languages)


def certified(volunteer: Volunteer, role: Role, option: Option) -> bool:
    """H4: the certificate is valid on the local date of the session's start."""
    if role.certificate is None:
        return True
    valid_until = volunteer.certificates.get(role.certificate)
    return valid_until is not None and valid_until >= option.local_date


def distance_km(volunteer: Volunteer, place: Place | None) -> float:
    """dist(v, s) of the score: 0 when either has no location."""
    if place is None or not place.located or not volunteer.located:
        return 0.0
    assert volunteer.lat is not None and volunteer.lon is not None
    assert place.lat is not None and place.lon is not None
    return haversine_km(volunteer.lat, volunteer.lon, place.lat, place.lon)


def within_reach(volunteer: Volunteer, place: Place | None) -> bool:
    """H5."""
    if volunteer.max_travel_km is None:
        return True
    return distance_km(volunteer, place) <= volunteer.max_travel_km


def failed_rules(
    scenario: Scenario, volunteer: Volunteer, role: Role, option: Option
) -> list[str]:
    """The rules among H1-H5 that exclude this volunteer from this role when the
    session is held as `option` (empty: eligible). `forbidden` is pair-level and
    checked by `is_forbidden`."""
    place = scenario.place_by_id.get(option.place) if option.place else None
    failed = []
    if not available(volunteer, option):
        failed.append(AVAILABILITY)
    if not has_skills(volunteer, role):
        failed.append(SKILLS)
    if not speaks(volunteer, role):
        failed.append(LANGUAGES)
    if not certified(volunteer, role, option):
        failed.append(CERTIFICATE)
    if not within_reach(volunteer, place):
        failed.append(DISTANCE)
    return failed


def is_eligible(scenario: Scenario, volunteer: Volunteer, role: Role, option: Option) -> bool:
    return not failed_rules(scenario, volunteer, role, option)
