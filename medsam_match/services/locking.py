"""Row locks that work the same on PostgreSQL and SQLite.

A state change that must see the latest committed state before it decides
(e.g. "is a run for this centre in progress?", "how many runs are queued?")
first takes the lock of the row that owns that state and keeps it until the
transaction ends:

- PostgreSQL: `SELECT ... FOR UPDATE` on the row; other transactions asking
  for the same lock wait.
- SQLite: it has one writer at a time and no row locks; a no-op `UPDATE` of
  the row starts the write transaction now (waiting for any other writer,
  up to the busy timeout), so the reads that follow see every commit before
  ours and no other writer comes in between.

Single-row state changes use a conditional UPDATE instead (`transition`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.engine import CursorResult

from ..extensions import db


def lock_row(model: Any, row_id: int) -> bool:
    """Lock the row until the transaction ends; False when there is no such row."""
    if db.session.get_bind().dialect.name == "sqlite":
        table = model.__table__.name
        result = db.session.execute(
            text(f'UPDATE "{table}" SET id = id WHERE id = :id'), {"id": row_id}
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
    found = db.session.scalar(select(model.id).where(model.id == row_id).with_for_update())
    return found is not None


def transition(model: Any, row_id: int, from_states: tuple[str, ...], **values: Any) -> bool:
    """Compare-and-set: `UPDATE model SET values WHERE id = row_id AND status
    IN from_states`. True when this call made the change; False when the row
    is gone or another transaction changed its status first (PostgreSQL
    re-checks the condition after waiting for the other's row lock)."""
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(model)
        .where(model.id == row_id, model.status.in_(from_states))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def commit_as_written(*rows: Any) -> None:
    """Commit, keeping `rows` as this transaction left them. A re-read after the
    commit could show another request's later change as this one's result (a
    confirm answered "declined" because a decline landed just after it)."""
    for row in rows:
        db.session.refresh(row)
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
