"""One page of a query's rows, and how many rows there are in all: the
database side of every paginated list (the API's `paginate` calls it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from ..extensions import db


@dataclass(frozen=True)
class Page:
    items: list[Any]
    total: int


def page_of(stmt: Select[Any], first_item: int, page_size: int) -> Page:
    """Rows `first_item` .. `first_item + page_size - 1` of `stmt` (give it an
    ORDER BY so that pages are stable) and the total. A page past the end is
    empty without asking the database for it (huge page numbers stay cheap)."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    if first_item >= total:
        return Page([], total)
    return Page(list(db.session.scalars(stmt.limit(page_size).offset(first_item)).all()), total)
