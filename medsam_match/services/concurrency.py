"""Optimistic concurrency: change a row only if it is still the version the
caller read (If-Match), as one conditional UPDATE.

`claim(row, expected)` runs `UPDATE ... SET version = version WHERE id = :id
AND version IN (:expected)` before a service writes the row. The UPDATE locks
the row until the transaction ends (PostgreSQL; SQLite serialises writers),
and a second writer waiting for that lock re-reads the row when it gets it:
by then the first has raised the version (see `models.versioning`), so its
WHERE no longer matches and it gets `Stale` (412) instead of overwriting.
Without an If-Match (`expected` None) the write goes ahead, last one wins:
clients written before ETags existed keep working.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import update

from ..domain_errors import Stale
from ..extensions import db
from ..models.versioning import Versioned


def claim(row: Versioned, expected: Collection[int] | None, what: str) -> None:
    """Lock `row` for this transaction; `Stale` unless its version is one of
    `expected` (None: any version)."""
    model = type(row)
    stmt = update(model).where(model.id == row.id)  # type: ignore[attr-defined]
    if expected is not None:
        stmt = stmt.where(model.version.in_(list(expected)))
    result = db.session.execute(
        stmt.values(version=model.version).execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Stale(
            f"the {what} has changed since you read it (If-Match does not match its "
            "ETag): read it again, and apply your change to what it is now"
        )
