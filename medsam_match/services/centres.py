"""Volunteer centres. Municipality tokens manage their own; admin all."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, func, select

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden
from ..extensions import db
from ..models import Activity, Centre, MatchRun, Volunteer
from .concurrency import claim
from .scope import (
    can_write_municipality,
    centre_filter,
    require_writable_municipality,
    visible_or_404,
)


def list_centres(p: Principal, filters: dict[str, Any]) -> Select[Any]:
    stmt = select(Centre).where(centre_filter(p, Centre.id))
    if filters.get("municipality_id") is not None:
        stmt = stmt.where(Centre.municipality_id == filters["municipality_id"])
    if filters.get("active") is not None:
        stmt = stmt.where(Centre.active == filters["active"])
    return stmt.order_by(Centre.id)


def get_centre(p: Principal, centre_id: int) -> Centre:
    return visible_or_404(Centre, centre_id, centre_filter(p, Centre.id), "centre")


def create_centre(p: Principal, data: dict[str, Any]) -> Centre:
    require_writable_municipality(p, data["municipality_id"], "centres")
    centre = Centre(**data)
    db.session.add(centre)
    db.session.commit()
    return centre


def update_centre(
    p: Principal, centre_id: int, data: dict[str, Any], expected: Collection[int] | None = None
) -> Centre:
    """PATCH; `expected`: the versions If-Match accepts (None: any)."""
    centre = get_centre(p, centre_id)
    if not can_write_municipality(p, centre.municipality_id):
        raise Forbidden("this token may not change the centre")
    claim(centre, expected, "centre")
    for key, value in data.items():
        setattr(centre, key, value)
    db.session.commit()
    return centre


def delete_centre(p: Principal, centre_id: int, expected: Collection[int] | None = None) -> None:
    centre = get_centre(p, centre_id)
    if not can_write_municipality(p, centre.municipality_id):
        raise Forbidden("this token may not delete the centre")
    claim(centre, expected, "centre")
    children = {
        "volunteer(s)": Volunteer.centre_id,
        "activity(ies)": Activity.centre_id,
        "match run(s)": MatchRun.centre_id,
    }
    counts = {
        name: db.session.scalar(select(func.count()).where(column == centre.id))
        for name, column in children.items()
    }
    still = [f"{count} {name}" for name, count in counts.items() if count]
    if still:
        raise Conflict(f"centre {centre.id} still has {', '.join(still)}: delete those first")
    db.session.delete(centre)
    db.session.commit()
