"""Each volunteer's random secret for the addresses that work without signing in.

A calendar feed address and the links in messages (answer and settings links)
are proofs made with the service's secret key AND this per-volunteer random
secret, so they can be made neither from the secret key and a volunteer id
alone nor from the database alone. Deleting a volunteer's row ends all of that
volunteer's addresses and links at once (erasure deletes it with the volunteer).

The row is made on first use in a short transaction of its own, committed at
once (an insert that does nothing when a parallel one made it first): the
sender renders a batch of messages inside one long read, and SQLite allows
only one writer, so the caller's session must not start writing for it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import Select, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import CalendarFeedSecret

# Secrets looked up once for a batch of messages (`known_secrets`).
_KNOWN: ContextVar[dict[int, str] | None] = ContextVar("known_volunteer_secrets", default=None)


def ensure_secrets(volunteer_ids: Iterable[int]) -> dict[int, str]:
    """The secrets of these volunteers, the missing ones made first: one
    insert and one select for them all, committed apart from the caller's
    transaction (the sender renders a batch of messages with them)."""
    ids = sorted(set(volunteer_ids))
    if not ids:
        return {}
    with db.engine.begin() as connection:
        have = set(connection.execute(select(CalendarFeedSecret.volunteer_id).where(
            CalendarFeedSecret.volunteer_id.in_(ids))).scalars())
        missing = [i for i in ids if i not in have]
        if missing:
            insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
            connection.execute(
                insert(CalendarFeedSecret)
                .values([{"volunteer_id": i, "secret": secrets.token_urlsafe(32)} for i in missing])
                .on_conflict_do_nothing(index_elements=["volunteer_id"])
            )
        return dict(connection.execute(
            select(CalendarFeedSecret.volunteer_id, CalendarFeedSecret.secret)
            .where(CalendarFeedSecret.volunteer_id.in_(ids))).all())


@contextmanager
def known_secrets(known: dict[int, str]) -> Iterator[None]:
    """Within the block, these volunteers' secrets come from `known`."""
    token = _KNOWN.set(known)
    try:
        yield
    finally:
        _KNOWN.reset(token)


def volunteer_secret(volunteer_id: int) -> str:
    """The volunteer's secret, made (and committed, apart from the caller's
    transaction) on first use."""
    known = existing_secret(volunteer_id)
    if known is not None:
        return known
    return ensure_secrets([volunteer_id])[volunteer_id]


def existing_secret(volunteer_id: int) -> str | None:
    """The volunteer's secret if one was made; None otherwise (never makes one)."""
    cached = (_KNOWN.get() or {}).get(volunteer_id)
    if cached is not None:
        return cached
    return db.session.execute(_secret_of(volunteer_id)).scalar_one_or_none()


def _secret_of(volunteer_id: int) -> Select[tuple[str]]:
    return select(CalendarFeedSecret.secret).where(CalendarFeedSecret.volunteer_id == volunteer_id)
