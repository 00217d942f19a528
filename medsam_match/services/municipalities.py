"""Municipalities, the tenants. Only admin creates and deletes them."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, func, select

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden
from ..extensions import db
from ..models import Centre, Municipality, Place
from .concurrency import claim
from .scope import can_write_municipality, municipality_filter, visible_or_404

DEFAULTS_BY_COUNTRY = {
    "NO": {"timezone": "Europe/Oslo", "locale": "nb"},
    "DK": {"timezone": "Europe/Copenhagen", "locale": "da"},
}


def list_municipalities(p: Principal, filters: dict[str, Any]) -> Select[Any]:
    stmt = select(Municipality).where(municipality_filter(p, Municipality.id))
    if filters.get("country"):
        stmt = stmt.where(Municipality.country == filters["country"])
    return stmt.order_by(Municipality.id)


def get_municipality(p: Principal, municipality_id: int) -> Municipality:
    return visible_or_404(
        Municipality, municipality_id, municipality_filter(p, Municipality.id), "municipality"
    )


def create_municipality(p: Principal, data: dict[str, Any]) -> Municipality:
    if not p.is_admin:
        raise Forbidden("only an admin token creates municipalities")
    values = {**DEFAULTS_BY_COUNTRY[data["country"]], **data}
    municipality = Municipality(**values)
    db.session.add(municipality)
    db.session.commit()
    return municipality


def update_municipality(
    p: Principal, municipality_id: int, data: dict[str, Any], expected: Collection[int] | None = None
) -> Municipality:
    """PATCH; `expected`: the versions If-Match accepts (None: any)."""
    municipality = get_municipality(p, municipality_id)
    if not can_write_municipality(p, municipality.id):
        raise Forbidden("this token may not change the municipality")
    claim(municipality, expected, "municipality")
    for key, value in data.items():
        setattr(municipality, key, value)
    db.session.commit()
    return municipality


def delete_municipality(p: Principal, municipality_id: int, expected: Collection[int] | None = None) -> None:
    municipality = get_municipality(p, municipality_id)
    if not p.is_admin:
        raise Forbidden("only an admin token deletes municipalities")
    claim(municipality, expected, "municipality")
    centres = db.session.scalar(
        select(func.count()).where(Centre.municipality_id == municipality.id)
    )
    places = db.session.scalar(select(func.count()).where(Place.municipality_id == municipality.id))
    if centres or places:
        raise Conflict(
            f"municipality {municipality.id} still has {centres} centre(s) and {places} place(s): "
            "delete those first"
        )
    db.session.delete(municipality)
    db.session.commit()
