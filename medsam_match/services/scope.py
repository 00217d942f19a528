"""What a principal may see and change, as SQL filters and checks.

Reading out of scope looks like "not found" (404), never 403: callers filter
their queries with these and raise NotFound when nothing is left.

- admin: everything
- municipality: its municipality, that municipality's centres and places
- coordinator: its centre; reads its municipality (and its places)
- volunteer: reads its own centre's activities and sessions and its
  municipality's places; changes only itself (checked by the services)
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, select, true

from ..auth import Principal
from ..extensions import db
from ..models import Centre
from ..models.types import MAX_ID  # noqa: F401  (the one id bound, re-exported)


def municipality_filter(p: Principal, column: Any) -> ColumnElement[bool]:
    """Rows whose municipality id (in `column`) the principal may read."""
    if p.is_admin:
        return true()
    if p.municipality_id is None:
        return false()
    return column == p.municipality_id


def centre_filter(p: Principal, centre_id_column: Any) -> ColumnElement[bool]:
    """Rows whose centre id (in `centre_id_column`) the principal may read."""
    if p.is_admin:
        return true()
    if p.role == "municipality" and p.municipality_id is not None:
        return centre_id_column.in_(
            select(Centre.id).where(Centre.municipality_id == p.municipality_id)
        )
    if p.role in ("coordinator", "volunteer") and p.centre_id is not None:
        return centre_id_column == p.centre_id
    return false()


def can_read_centre(p: Principal, centre_id: int | None) -> bool:
    if centre_id is None:
        return False
    if p.is_admin:
        return db.session.get(Centre, centre_id) is not None
    if p.role == "municipality":
        centre = db.session.get(Centre, centre_id)
        return centre is not None and centre.municipality_id == p.municipality_id
    return p.centre_id == centre_id


def can_write_centre(p: Principal, centre_id: int | None) -> bool:
    """May change the centre's own data and what belongs to it."""
    if p.role == "volunteer":
        return False
    return can_read_centre(p, centre_id)


def can_write_municipality(p: Principal, municipality_id: int | None) -> bool:
    """May change the municipality itself, its centres and places."""
    if municipality_id is None:
        return False
    if p.is_admin:
        return True
    return p.role == "municipality" and p.municipality_id == municipality_id


def visible_or_404(model: Any, row_id: int, where: ColumnElement[bool], what: str) -> Any:
    """The row with this id if `where` lets the caller see it, else NotFound."""
    from ..domain_errors import NotFound

    if not 0 < row_id <= MAX_ID:  # a larger number cannot be compared with a 32-bit column
        raise NotFound(what)
    row = db.session.scalars(select(model).where(model.id == row_id, where)).one_or_none()
    if row is None:
        raise NotFound(what)
    return row


def require_writable_municipality(p: Principal, municipality_id: int, what: str) -> None:
    """Before creating a centre or place in a municipality: 422 naming
    `municipality_id` if the caller cannot see it, 403 if it may only read it."""
    from ..domain_errors import Forbidden, Invalid
    from ..models import Municipality

    visible = db.session.scalar(
        select(Municipality.id).where(
            Municipality.id == municipality_id, municipality_filter(p, Municipality.id)
        )
    )
    if visible is None:
        raise Invalid({"municipality_id": ["no such municipality"]})
    if not can_write_municipality(p, municipality_id):
        raise Forbidden(f"this token may not create {what}")
