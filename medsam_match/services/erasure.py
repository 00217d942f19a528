"""A volunteer asks to be erased; a coordinator confirms.

    (no request) --request (the volunteer)--> requested
    requested --withdraw (the volunteer)--> (no request)
    requested --confirm (the centre's coordinators)--> erased

Erasure itself is `volunteers.wipe_volunteer`: the row stays, anonymous, so
the hours given still count. Where the installation sets
`erasure_without_confirmation`, a request erases at once.

Concurrency: the request and its withdrawal are compare-and-sets on
`erasure_requested_at` (and `erased_at IS NULL`); confirming claims the
volunteer's row (`concurrency.claim`) before wiping, so a request confirmed
twice at once erases once, and the second confirmation finds it done.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import Select, select, update

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden
from ..extensions import db
from ..models import Volunteer
from ..models.types import utcnow
from .concurrency import claim
from .scope import can_write_centre, centre_filter
from .volunteers import get_volunteer, wipe_volunteer


def erasure_at_once() -> bool:
    """Whether a volunteer's request erases without a coordinator (setting
    `erasure_without_confirmation`)."""
    return bool(current_app.config.get("MEDSAM_ERASURE_WITHOUT_CONFIRMATION", False))


def _own(principal: Principal, volunteer_id: int) -> Volunteer:
    volunteer = get_volunteer(principal, volunteer_id)  # 404 outside the caller's scope
    if principal.role != "volunteer":
        raise Forbidden("the volunteer asks for erasure themselves; a coordinator erases "
                        "with DELETE /api/v1/volunteers/{id}")
    return volunteer


def _set_request(volunteer_id: int, requested: bool, now: datetime) -> bool:
    condition = (Volunteer.erasure_requested_at.is_(None) if requested
                 else Volunteer.erasure_requested_at.is_not(None))
    result = db.session.execute(
        update(Volunteer)
        .where(Volunteer.id == volunteer_id, Volunteer.erased_at.is_(None), condition)
        .values(erasure_requested_at=now if requested else None,
                version=Volunteer.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1  # type: ignore[attr-defined]


def request_erasure(principal: Principal, volunteer_id: int, *, at_once: bool | None = None,
                    now: datetime | None = None) -> Volunteer:
    """The volunteer asks to be erased. Returns the volunteer as it is now:
    `erasure_requested_at` set, or (erasure at once) `erased_at` set. Asking
    twice changes nothing."""
    volunteer = _own(principal, volunteer_id)
    now = now or utcnow()
    at_once = erasure_at_once() if at_once is None else at_once
    changed = _set_request(volunteer.id, True, now)
    if not changed and not at_once:
        db.session.rollback()
        db.session.refresh(volunteer)
        return volunteer  # asked before: nothing more to do
    if at_once:
        # The row lock before the look, as confirm_erasure does: two requests
        # at once (one asked before) must not both wipe and queue a repair.
        claim(volunteer, None, "volunteer")
        db.session.refresh(volunteer)
        if volunteer.erased_at is None:
            wipe_volunteer(volunteer, now)
    db.session.commit()
    db.session.refresh(volunteer)
    return volunteer


def withdraw_erasure_request(principal: Principal, volunteer_id: int,
                             now: datetime | None = None) -> Volunteer:
    """The volunteer takes the request back (409 when there is none)."""
    volunteer = _own(principal, volunteer_id)
    if not _set_request(volunteer.id, False, now or utcnow()):
        db.session.rollback()
        raise Conflict("no erasure request is pending", current="none")
    db.session.commit()
    db.session.refresh(volunteer)
    return volunteer


def erasure_requests_query(principal: Principal,
                           filters: Mapping[str, Any] | None = None) -> Select[Any]:
    """Volunteers the caller may see who asked to be erased and are not yet,
    oldest request first (filter: centre_id)."""
    stmt = select(Volunteer).where(centre_filter(principal, Volunteer.centre_id),
                                   Volunteer.erasure_requested_at.is_not(None),
                                   Volunteer.erased_at.is_(None))
    if principal.role == "volunteer":
        stmt = stmt.where(Volunteer.id == principal.volunteer_id)
    if filters and filters.get("centre_id") is not None:
        stmt = stmt.where(Volunteer.centre_id == filters["centre_id"])
    return stmt.order_by(Volunteer.erasure_requested_at, Volunteer.id)


def confirm_erasure(principal: Principal, volunteer_id: int,
                    now: datetime | None = None) -> None:
    """A coordinator erases a volunteer who asked for it (409 when they did
    not ask: then erase with DELETE /api/v1/volunteers/{id})."""
    volunteer = get_volunteer(principal, volunteer_id)
    if principal.role == "volunteer" or not can_write_centre(principal, volunteer.centre_id):
        raise Forbidden("only the centre's coordinators confirm an erasure")
    if volunteer.erased_at is not None:
        return
    claim(volunteer, None, "volunteer")
    db.session.refresh(volunteer)
    if volunteer.erased_at is not None:
        db.session.rollback()
        return
    if volunteer.erasure_requested_at is None:
        db.session.rollback()
        raise Conflict("the volunteer has not asked to be erased (or took the request back)",
                       current="none")
    wipe_volunteer(volunteer, now or utcnow())
    db.session.commit()


__all__ = ["confirm_erasure", "erasure_at_once", "erasure_requests_query", "request_erasure",
           "withdraw_erasure_request"]
