"""Activity templates: a coordinator publishes an activity's design; any
centre's staff browse the library and import one into their centre.

A template holds no personal data: title, description, language, interests,
roles with their requirements, place needs, the weekly pattern and length,
and what the activity achieved in the year before it was published (the
figures of services/reports.py, suppressed the same way, "< 5"). Importing
makes a new activity in the importer's centre; the template stays as it is.

Import and skills: a role needing a skill that none of the importing
centre's volunteers has cannot be filled there. Without `adapt` the import
is refused (422 naming `roles.N.skills` and the skills); with `adapt: true`
those skills are dropped from the role and the answer says so.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, or_, select

from ..auth import Principal
from ..domain_errors import Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Activity, ActivityTemplate, Centre, Municipality, Place, Session, Volunteer
from ..models.types import MAX_ID, utcnow
from . import reports
from .activities import writable_activity
from .scope import can_write_centre

ACHIEVED = ("sessions_held", "fill_rate", "participants_reached", "hours_given",
            "volunteers_engaged")


def _staff(p: Principal) -> None:
    if p.role == "volunteer":
        raise NotFound("template")


def publish(p: Principal, activity_id: int, data: dict[str, Any]) -> ActivityTemplate:
    """A template of the activity as it is now, with its last year's figures."""
    activity = writable_activity(p, activity_id)
    centre = db.session.get(Centre, activity.centre_id)
    assert centre is not None
    municipality = centre.municipality
    zone = _zone(municipality.timezone)
    today = utcnow().astimezone(zone).date()
    first = today - timedelta(days=365)
    scope = reports.Scope("centre", centre.id, centre.name, zone, None, municipality.locale,
                          (municipality.id,))
    report = reports.report(scope, first, today + timedelta(days=1), "year", by_activity=True)
    row = next((a for a in report.activities if a["activity_id"] == activity.id), {})
    template = ActivityTemplate(
        source_municipality_id=municipality.id,
        source_activity_id=activity.id,
        source_name=municipality.name,
        country=municipality.country,
        language=data.get("language") or municipality.locale,
        title=data.get("title") or activity.title,
        description=data.get("description", activity.description),
        interests=list(activity.interests or []),
        needs=list(activity.needs or []),
        roles=[dict(role) for role in activity.roles or []],
        pattern=_pattern(activity.id, zone),
        achieved={name: row.get(name, 0 if name != "fill_rate" else None) for name in ACHIEVED},
        created_by=f"{p.role}:{p.user_id or p.token_id or ''}",
    )
    db.session.add(template)
    db.session.commit()
    return template


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("Europe/Oslo")


def _pattern(activity_id: int, zone: ZoneInfo) -> dict[str, Any] | None:
    """The most common weekday, start and length of the activity's sessions
    (its latest 100 fixed ones)."""
    rows = db.session.execute(
        select(Session.start, Session.end).where(
            Session.activity_id == activity_id, Session.start.is_not(None),
            Session.status != "cancelled")
        .order_by(Session.start.desc()).limit(100)
    ).all()
    if not rows:
        return None
    counts = Counter(
        (start.astimezone(zone).weekday(), start.astimezone(zone).strftime("%H:%M"),
         int((end - start).total_seconds() // 60))
        for start, end in rows if end is not None
    )
    if not counts:
        return None
    (weekday, clock, minutes), _ = counts.most_common(1)[0]
    return {"weekday": weekday, "start": clock, "minutes": minutes}


def library(p: Principal, filters: dict[str, Any]) -> Select[Any]:
    """Templates, newest first: ?interest=, ?country=, ?language=, ?q= (title
    or description), ?size=small|medium|large (seats a session needs:
    1-3, 4-8, 9 or more)."""
    _staff(p)
    query = select(ActivityTemplate).order_by(ActivityTemplate.created_at.desc(),
                                              ActivityTemplate.id.desc())
    if filters.get("country"):
        query = query.where(ActivityTemplate.country == filters["country"])
    if filters.get("language"):
        query = query.where(ActivityTemplate.language == filters["language"])
    if filters.get("q"):
        pattern = f"%{filters['q'].lower()}%"
        query = query.where(or_(db.func.lower(ActivityTemplate.title).like(pattern),
                                db.func.lower(ActivityTemplate.description).like(pattern)))
    return query


def matches(template: ActivityTemplate, filters: dict[str, Any]) -> bool:
    """The filters on JSON fields (interest, size), checked per template."""
    if filters.get("interest") and filters["interest"] not in (template.interests or []):
        return False
    size = filters.get("size")
    if size:
        seats = seats_needed(template.roles)
        band = "small" if seats <= 3 else "medium" if seats <= 8 else "large"
        if band != size:
            return False
    return True


def seats_needed(roles: list[dict[str, Any]]) -> int:
    return sum(int(role.get("min", 1) or 0) for role in roles or [])


def get(p: Principal, template_id: int) -> ActivityTemplate:
    _staff(p)
    if not 0 < template_id <= MAX_ID:
        raise NotFound("template")
    template = db.session.get(ActivityTemplate, template_id)
    if template is None:
        raise NotFound("template")
    return template


@dataclass(frozen=True)
class Unfillable:
    """A role of a template needing skills no volunteer of a centre has."""

    index: int
    role: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class PlaceGap:
    """A chosen place lacking features the activity needs."""

    place: str
    lacking: tuple[str, ...]


def unfillable_roles(template: ActivityTemplate, centre_id: int) -> list[Unfillable]:
    """The template's roles the centre cannot fill: skills none of its
    active volunteers has (pages say so before the import is tried)."""
    known = _centre_skills(centre_id)
    found = []
    for index, role in enumerate(template.roles or []):
        missing = tuple(skill for skill in role.get("skills") or [] if skill not in known)
        if missing:
            found.append(Unfillable(index, str(role.get("role", "")), missing))
    return found


def centre_places(centre: Centre) -> list[Place]:
    """The places an importer may pick: its municipality's."""
    return list(db.session.scalars(select(Place).where(
        Place.municipality_id == centre.municipality_id).order_by(Place.name)))


def place_gaps(template: ActivityTemplate, places: list[Place]) -> list[PlaceGap]:
    gaps = []
    for place in places:
        lacking = tuple(need for need in template.needs or [] if need not in (place.features or []))
        if lacking:
            gaps.append(PlaceGap(place.name, lacking))
    return gaps


def import_template(p: Principal, template_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """A new activity in `centre_id` from the template. Returns
    {"activity": Activity, "adapted": [...], "notes": [...], "gaps": [PlaceGap],
    "places": [Place]}."""
    template = get(p, template_id)
    centre_id = data["centre_id"]
    centre = db.session.get(Centre, centre_id)
    if centre is None or not can_write_centre(p, centre_id):
        if centre is not None and p.role == "municipality" and p.municipality_id == centre.municipality_id:
            raise Forbidden("this token may not create activities in this centre")
        raise Invalid({"centre_id": ["no such centre"]})
    unfillable = {u.index: u for u in unfillable_roles(template, centre_id)}
    if unfillable and not data.get("adapt"):
        raise Invalid({
            f"roles.{u.index}.skills": [
                f"no volunteer of this centre has {', '.join(repr(s) for s in u.missing)}: the "
                f"role {u.role!r} could not be filled; import with adapt: true "
                "to drop these requirements, or add volunteers with them first"]
            for u in unfillable.values()
        })
    roles = []
    adapted = []
    for index, role in enumerate(template.roles or []):
        copy = dict(role)
        if index in unfillable:
            dropped = unfillable[index].missing
            copy["skills"] = [skill for skill in role.get("skills") or [] if skill not in dropped]
            adapted.append({"role": role.get("role", ""), "dropped_skills": list(dropped)})
        roles.append(copy)
    place_ids = data.get("place_ids") or []
    places: list[Place] = []
    if place_ids:
        places = [place for place in centre_places(centre) if place.id in place_ids]
        found = {place.id for place in places}
        wrong = [pid for pid in place_ids if pid not in found]
        if wrong:
            raise Invalid({"place_ids": [f"no such place in the centre's municipality: {wrong}"]})
    gaps = place_gaps(template, places)
    notes = [f"{gap.place} lacks {', '.join(gap.lacking)}, which the activity needs"
             for gap in gaps]
    activity = Activity(
        centre_id=centre_id,
        title=data.get("title") or template.title,
        description=template.description,
        interests=list(template.interests or []),
        needs=list(template.needs or []),
        participants=0,
        roles=roles,
    )
    db.session.add(activity)
    db.session.commit()
    return {"activity": activity, "adapted": adapted, "notes": notes, "gaps": gaps,
            "places": places, "pattern": template.pattern, "template_id": template.id}


def _centre_skills(centre_id: int) -> set[str]:
    """Skills any active volunteer of the centre has (their JSON lists, one
    small column per volunteer)."""
    skills: set[str] = set()
    for (values,) in db.session.execute(
        select(Volunteer.skills).where(Volunteer.centre_id == centre_id,
                                       Volunteer.active.is_(True))
    ):
        skills.update(values or [])
    return skills


def municipality_name(municipality_id: int | None) -> str:
    if municipality_id is None:
        return ""
    municipality = db.session.get(Municipality, municipality_id)
    return municipality.name if municipality else ""
