"""The outbox as people may see it: a coordinator (and above) its centres'
messages, a volunteer its own; and resending a failed one."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from ...auth import Principal
from ...domain_errors import Conflict, Forbidden, NotFound
from ...extensions import db
from ...models import OutboxMessage
from ..scope import can_write_centre, centre_filter
from .delivery import resend


def messages_query(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
    stmt = select(OutboxMessage)
    if principal.role == "volunteer":
        stmt = stmt.where(OutboxMessage.volunteer_id == principal.volunteer_id)
    else:
        stmt = stmt.where(centre_filter(principal, OutboxMessage.centre_id))
    for name in ("status", "channel", "kind", "volunteer_id", "centre_id"):
        if filters.get(name) is not None:
            stmt = stmt.where(getattr(OutboxMessage, name) == filters[name])
    return stmt.order_by(OutboxMessage.id.desc())


def get_message(principal: Principal, message_id: int) -> OutboxMessage:
    row = db.session.scalars(
        messages_query(principal, {}).where(OutboxMessage.id == message_id)).one_or_none()
    if row is None:
        raise NotFound("message")
    return row


def resend_message(principal: Principal, message_id: int) -> OutboxMessage:
    """A failed message queued again (a conditional UPDATE: of two resends at
    once one moves it; the other answers 409)."""
    row = get_message(principal, message_id)
    if principal.role == "volunteer" or not can_write_centre(principal, row.centre_id):
        raise Forbidden("only the centre's coordinator can resend a message")
    if row.status != "failed" or not resend(row.id):
        db.session.rollback()
        current = db.session.get(OutboxMessage, message_id, populate_existing=True)
        state = current.status if current is not None else "gone"
        raise Conflict(f"the message is {state}; only a failed message can be resent",
                       current=state)
    db.session.commit()
    return get_message(principal, message_id)
