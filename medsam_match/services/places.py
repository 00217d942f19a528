"""Meeting places, owned by the municipality; its centres' coordinators read them."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, cast, func, or_, select

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden
from ..extensions import db
from ..models import Activity, Centre, Place, Session
from .concurrency import claim
from .scope import (
    can_write_municipality,
    municipality_filter,
    require_writable_municipality,
    visible_or_404,
)


def _stored_intervals(intervals: list[dict[str, datetime]]) -> list[dict[str, str]]:
    """Busy intervals as kept in the JSON column: ISO strings in UTC."""
    return [
        {"start": interval["start"].isoformat(), "end": interval["end"].isoformat()}
        for interval in sorted(intervals, key=lambda i: i["start"])
    ]


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "busy" in values:
        values["busy"] = _stored_intervals(values["busy"] or [])
    if "features" in values:
        values["features"] = sorted(set(values["features"] or []))
    return values


def list_places(p: Principal, filters: dict[str, Any]) -> Select[Any]:
    stmt = select(Place).where(municipality_filter(p, Place.municipality_id))
    if filters.get("municipality_id") is not None:
        stmt = stmt.where(Place.municipality_id == filters["municipality_id"])
    if filters.get("feature"):
        # JSON containment differs between databases: match the quoted tag in
        # the stored list's text instead (ASCII tags such as "kitchen").
        quoted = json.dumps(filters["feature"])
        stmt = stmt.where(cast(Place.features, String).contains(quoted, autoescape=True))
    return stmt.order_by(Place.id)


def get_place(p: Principal, place_id: int) -> Place:
    return visible_or_404(Place, place_id, municipality_filter(p, Place.municipality_id), "place")


def create_place(p: Principal, data: dict[str, Any]) -> Place:
    require_writable_municipality(p, data["municipality_id"], "places")
    place = Place(**_values(data))
    db.session.add(place)
    db.session.commit()
    return place


def update_place(
    p: Principal, place_id: int, data: dict[str, Any], expected: Collection[int] | None = None
) -> Place:
    """PATCH; `expected`: the versions If-Match accepts (None: any)."""
    place = get_place(p, place_id)
    if not can_write_municipality(p, place.municipality_id):
        raise Forbidden("this token may not change the place")
    claim(place, expected, "place")
    for key, value in _values(data).items():
        setattr(place, key, value)
    db.session.commit()
    return place


def _sessions_using(place: Place) -> int:
    """Sessions held at the place or offering it as an option."""
    fixed = db.session.scalar(select(func.count()).where(Session.place_id == place.id)) or 0
    candidates = db.session.scalars(
        select(Session.options)
        .join(Activity, Session.activity_id == Activity.id)
        .join(Centre, Activity.centre_id == Centre.id)
        .where(Centre.municipality_id == place.municipality_id, Session.options.is_not(None),
               or_(Session.place_id.is_(None), Session.place_id != place.id))
    ).all()
    optional = sum(
        1 for options in candidates
        if any(isinstance(o, dict) and o.get("place_id") == place.id for o in options or [])
    )
    return fixed + optional


def delete_place(p: Principal, place_id: int, expected: Collection[int] | None = None) -> None:
    place = get_place(p, place_id)
    if not can_write_municipality(p, place.municipality_id):
        raise Forbidden("this token may not delete the place")
    claim(place, expected, "place")
    sessions = _sessions_using(place)
    if sessions:
        raise Conflict(f"place {place.id} is used by {sessions} session(s): move or delete them first")
    db.session.delete(place)
    db.session.commit()
