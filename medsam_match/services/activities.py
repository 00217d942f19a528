"""Activities: the co-creation activities a centre runs, with the roles they need.

Access: admin everything; a municipality its centres'; a coordinator its
centre's; a volunteer reads its own centre's activities. Deleting an activity
that still has sessions is refused with 409 (saying how many): sessions carry
the history of who gave how many hours, so they are never removed as a side
effect.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, func, select

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Centre, Municipality, Session
from .concurrency import claim
from .scope import can_write_centre, centre_filter, municipality_filter, visible_or_404

# Assignment states that still bind a volunteer to a role.
_LIVE_ASSIGNMENT_STATUSES = ("proposed", "confirmed")


def activities_query(principal: Principal, filters: dict[str, Any]) -> Select[tuple[Activity]]:
    """The activities the principal may see, filtered and sorted by id.

    A `centre_id` or `municipality_id` filter outside the principal's scope is
    answered 404, as if it did not exist.
    """
    stmt = select(Activity).where(centre_filter(principal, Activity.centre_id))
    centre_id = filters.get("centre_id")
    if centre_id is not None:
        visible_centre(principal, centre_id)
        stmt = stmt.where(Activity.centre_id == centre_id)
    municipality_id = filters.get("municipality_id")
    if municipality_id is not None:
        visible_or_404(
            Municipality,
            municipality_id,
            municipality_filter(principal, Municipality.id),
            "municipality",
        )
        stmt = stmt.where(
            Activity.centre_id.in_(
                select(Centre.id).where(Centre.municipality_id == municipality_id)
            )
        )
    return stmt.order_by(Activity.id)


def visible_centre(principal: Principal, centre_id: int) -> Centre:
    centre: Centre = visible_or_404(
        Centre, centre_id, centre_filter(principal, Centre.id), "centre"
    )
    return centre


def get_activity(principal: Principal, activity_id: int) -> Activity:
    """The activity, if the principal may see it; 404 otherwise."""
    activity: Activity = visible_or_404(
        Activity, activity_id, centre_filter(principal, Activity.centre_id), "activity"
    )
    return activity


def writable_activity(principal: Principal, activity_id: int) -> Activity:
    """The activity, if the principal may change it: 404 unseen, 403 read-only."""
    activity = get_activity(principal, activity_id)
    if not can_write_centre(principal, activity.centre_id):
        raise Forbidden("this token may read this activity but not change it")
    return activity


def create_activity(principal: Principal, data: dict[str, Any]) -> Activity:
    _check_target_centre(principal, data["centre_id"])
    activity = Activity(
        centre_id=data["centre_id"],
        title=data["title"],
        description=data.get("description", ""),
        interests=list(data.get("interests", [])),
        needs=list(data.get("needs", [])),
        participants=data.get("participants", 0),
        roles=[dict(role) for role in data["roles"]],
    )
    db.session.add(activity)
    db.session.commit()
    return activity


def update_activity(
    principal: Principal, activity_id: int, data: dict[str, Any], expected: Collection[int] | None = None
) -> Activity:
    """PATCH; `expected`: the versions If-Match accepts (None: any)."""
    activity = writable_activity(principal, activity_id)
    claim(activity, expected, "activity")
    new_centre_id = data.get("centre_id", activity.centre_id)
    if new_centre_id != activity.centre_id:
        new_centre = _check_target_centre(principal, new_centre_id)
        # Sessions' places belong to the municipality: they stay valid only
        # if the activity stays in it.
        if new_centre.municipality_id != activity.centre.municipality_id and _session_count(
            activity.id
        ):
            raise Invalid(
                {"centre_id": ["an activity with sessions cannot move to another municipality"]}
            )
    if "roles" in data:
        _check_dropped_roles(activity, {role["role"] for role in data["roles"]})

    # Everything is checked: write.
    activity.centre_id = new_centre_id
    if "roles" in data:
        activity.roles = [dict(role) for role in data["roles"]]
    for name in ("title", "description", "participants"):
        if name in data:
            setattr(activity, name, data[name])
    for name in ("interests", "needs"):
        if name in data:
            setattr(activity, name, list(data[name]))
    db.session.commit()
    return activity


def delete_activity(principal: Principal, activity_id: int, expected: Collection[int] | None = None) -> None:
    activity = writable_activity(principal, activity_id)
    claim(activity, expected, "activity")
    count = _session_count(activity.id)
    if count:
        raise Conflict(
            f"the activity has {count} session{'s' if count != 1 else ''}; "
            "delete or cancel them first"
        )
    db.session.delete(activity)
    db.session.commit()


def _check_target_centre(principal: Principal, centre_id: int) -> Centre:
    """A centre named in a body: 422 if unseen, 403 if seen but read-only."""
    try:
        centre = visible_centre(principal, centre_id)
    except NotFound:
        raise Invalid({"centre_id": ["no such centre"]}) from None
    if not can_write_centre(principal, centre_id):
        raise Forbidden("this token may not create or move activities in this centre")
    return centre


def _session_count(activity_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(Session).where(Session.activity_id == activity_id)
        )
        or 0
    )


def _check_dropped_roles(activity: Activity, kept: set[str]) -> None:
    """Refuse to drop a role that live assignments still hold."""
    dropped = {role["role"] for role in activity.roles} - kept
    if not dropped:
        return
    rows = db.session.execute(
        select(Assignment.role, func.count())
        .join(Session, Session.id == Assignment.session_id)
        .where(
            Session.activity_id == activity.id,
            Assignment.role.in_(dropped),
            Assignment.status.in_(_LIVE_ASSIGNMENT_STATUSES),
        )
        .group_by(Assignment.role)
        .order_by(Assignment.role)
    ).all()
    if rows:
        held = ", ".join(f"{role} ({count})" for role, count in rows)
        raise Conflict(f"roles still held by proposed or confirmed assignments: {held}")
