"""Rows that count their changes, for optimistic concurrency.

`version` starts at 1 and grows by one with every UPDATE the ORM makes of
the row (a change that changes nothing leaves it). The API shows it as the
row's `ETag` and compares `If-Match` with it in a conditional UPDATE (see
`services.concurrency`), so that of two writers who read the same version
only the first succeeds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, event, text
from sqlalchemy.orm import Mapped, Mapper, mapped_column, object_session


class Versioned:
    """Mixin: a `version` column, raised by one on every change of the row."""

    version: Mapped[int] = mapped_column(
        Integer, nullable=False, default=1, server_default=text("1")
    )


@event.listens_for(Versioned, "before_update", propagate=True)
def _count_the_change(mapper: Mapper[Any], connection: Any, target: Versioned) -> None:
    session = object_session(target)
    if session is None or not session.is_modified(target, include_collections=False):
        return
    # In SQL, so that the count is right even if the row changed since it was read.
    target.version = type(target).version + 1  # type: ignore[assignment]
