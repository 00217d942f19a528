"""Sessions: the occurrences of an activity, fixed or open.

A fixed session has `start`, `end` and (usually) a `place_id`. An open session
has `options` (`[{start, end, place_id, penalty}]`) from which a match run
picks one; only an open session may be `optional`. `window_start` and
`window_end` always span the session's possible times, so window queries find
open sessions too. Access follows the activity's centre (see `activities`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import contains_eager

from ..auth import Principal
from ..domain_errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Place, Session
from ..models.types import utcnow
from . import notifications
from .activities import get_activity, visible_centre, writable_activity
from .concurrency import claim
from .scope import MAX_ID, can_write_centre, centre_filter, municipality_filter, visible_or_404

_CANCELLED_WITH_SESSION = ("proposed", "confirmed")


def sessions_query(principal: Principal, filters: dict[str, Any]) -> Select[tuple[Session]]:
    """The sessions the principal may see, filtered, soonest first.

    `from`/`to` keep the sessions whose window overlaps [from, to). Parent ids
    (activity, centre, place) outside the principal's scope answer 404.
    """
    stmt = (
        select(Session)
        .join(Activity, Activity.id == Session.activity_id)
        .where(centre_filter(principal, Activity.centre_id))
    )
    if filters.get("activity_id") is not None:
        get_activity(principal, filters["activity_id"])
        stmt = stmt.where(Session.activity_id == filters["activity_id"])
    if filters.get("centre_id") is not None:
        visible_centre(principal, filters["centre_id"])
        stmt = stmt.where(Activity.centre_id == filters["centre_id"])
    if filters.get("place_id") is not None:
        _visible_place(principal, filters["place_id"])
        stmt = stmt.where(Session.place_id == filters["place_id"])
    if filters.get("status") is not None:
        stmt = stmt.where(Session.status == filters["status"])
    if filters.get("from") is not None:
        stmt = stmt.where(Session.window_end > filters["from"])
    if filters.get("to") is not None:
        stmt = stmt.where(Session.window_start < filters["to"])
    # Each row's times are shown in its municipality's zone (session ->
    # activity -> centre -> municipality): the activity comes from the join,
    # not from a lazy load per row.
    return stmt.order_by(Session.window_start, Session.id).options(
        contains_eager(Session.activity)
    )


def get_session(principal: Principal, session_id: int) -> Session:
    """The session, if the principal may see it; 404 otherwise."""
    visible_activities = select(Activity.id).where(centre_filter(principal, Activity.centre_id))
    session: Session = visible_or_404(
        Session, session_id, Session.activity_id.in_(visible_activities), "session"
    )
    return session


def create_session(principal: Principal, data: dict[str, Any]) -> Session:
    activity = _target_activity(principal, data["activity_id"])
    session = Session(activity_id=activity.id, status=data.get("status", "planned"),
                      participants=data.get("participants"))
    _apply_shape(
        session,
        activity,
        start=data.get("start"),
        end=data.get("end"),
        place_id=data.get("place_id"),
        options=data.get("options"),
        optional=data.get("optional", False),
    )
    db.session.add(session)
    db.session.commit()
    return session


def update_session(
    principal: Principal, session_id: int, data: dict[str, Any], expected: Collection[int] | None = None
) -> Session:
    """PATCH. Giving `options` makes the session open; `start`/`end` make it fixed.
    `expected`: the versions If-Match accepts (None: any)."""
    session = get_session(principal, session_id)
    activity = writable_activity(principal, session.activity_id)
    claim(session, expected, "session")
    # Locked now: decide on the row as it is, not as it was read before the
    # lock (a run may have published, or another request cancelled it).
    db.session.refresh(session)
    before = {"start": session.start, "end": session.end, "place_id": session.place_id}
    if "activity_id" in data and data["activity_id"] != session.activity_id:
        activity = _target_activity(principal, data["activity_id"])

    if "options" in data:
        if "start" in data or "end" in data:
            raise Invalid({"options": ["give either start and end or options, not both"]})
        if data.get("place_id") is not None:
            raise Invalid({"place_id": ["an open session has its places in options"]})
        shape = {"start": None, "end": None, "place_id": None, "options": data["options"]}
    elif "start" in data or "end" in data or session.options is None:
        shape = {
            "start": data.get("start", session.start),
            "end": data.get("end", session.end),
            "place_id": data.get("place_id", session.place_id),
            "options": None,
        }
    else:  # stays open; a run may have written its chosen time and place
        if "place_id" in data:
            raise Invalid({"place_id": ["an open session has its places in options"]})
        shape = {
            "start": session.start,
            "end": session.end,
            "place_id": session.place_id,
            "options": _stored_options(session.options),
            "keep_chosen": True,
        }
    _apply_shape(
        session,
        activity,
        # a session made fixed stops being optional unless the body says otherwise
        optional=data.get("optional", session.optional and shape["options"] is not None),
        check_busy=any(name in data for name in ("start", "end", "place_id", "activity_id")),
        **shape,
    )  # checks everything before it writes anything
    session.activity_id = activity.id

    new_status = data.get("status", session.status)
    # Its volunteers hear of a cancellation or a new time or place (outbox).
    if new_status == "cancelled" and session.status != "cancelled":
        notifications.on_session_changed(session, cancelled=True, before=before)
        _cancel_assignments(session.id)
    elif new_status != "cancelled" and session.start is not None and (
        (session.start, session.end, session.place_id)
        != (before["start"], before["end"], before["place_id"])
    ):
        notifications.on_session_changed(session, cancelled=False, before=before)
    session.status = new_status
    if "participants" in data:
        session.participants = data["participants"]
    db.session.commit()
    return session


def delete_session(principal: Principal, session_id: int, expected: Collection[int] | None = None) -> None:
    session = get_session(principal, session_id)
    writable_activity(principal, session.activity_id)
    claim(session, expected, "session")
    # Locked now: decide on the row as it is, not as it was read before the
    # lock (a run may have published, or another request cancelled it).
    db.session.refresh(session)
    count = db.session.scalar(
        select(func.count()).select_from(Assignment).where(Assignment.session_id == session.id)
    )
    if count:
        raise Conflict(
            f"the session has {count} assignment{'s' if count != 1 else ''}; "
            "cancel it (status cancelled) instead"
        )
    db.session.delete(session)
    db.session.commit()


def activity_places(activity: Activity, place_ids: Iterable[int]) -> dict[int, Place]:
    """Those of `place_ids` that are places of the activity's municipality, by id."""
    wanted = {place_id for place_id in place_ids if 0 < place_id <= MAX_ID}
    if not wanted:
        return {}
    places = db.session.scalars(
        select(Place).where(
            Place.id.in_(wanted),
            Place.municipality_id == activity.centre.municipality_id,
        )
    )
    return {place.id: place for place in places}


def municipality_zone(activity: Activity) -> ZoneInfo:
    """The time zone of the activity's municipality."""
    return ZoneInfo(activity.centre.municipality.timezone)


def busy_overlap(place: Place, start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    """The first of the place's busy intervals that overlaps [start, end), if any."""
    for interval in place.busy or []:
        busy_start = datetime.fromisoformat(interval["start"])
        busy_end = datetime.fromisoformat(interval["end"])
        if busy_start < end and start < busy_end:
            return busy_start, busy_end
    return None


def build_session(
    activity: Activity,
    *,
    start: datetime | None,
    end: datetime | None,
    place_id: int | None,
    options: list[dict[str, Any]] | None,
    optional: bool,
) -> Session:
    """A new, checked, unsaved session of `activity` (used by generation too)."""
    session = Session(activity_id=activity.id, status="planned")
    _apply_shape(
        session,
        activity,
        start=start,
        end=end,
        place_id=place_id,
        options=options,
        optional=optional,
    )
    return session


def _apply_shape(
    session: Session,
    activity: Activity,
    *,
    start: datetime | None,
    end: datetime | None,
    place_id: int | None,
    options: list[dict[str, Any]] | None,
    optional: bool,
    keep_chosen: bool = False,
    check_busy: bool = True,
) -> None:
    """Check the session's times, places and kind, then write them with its window.

    A fixed session may not sit in one of its place's busy intervals (the solver
    could never hold it); open sessions' options are left to the solver.
    """
    errors: dict[str, list[str]] = {}
    if options is not None:
        if not options:
            errors["options"] = ["an open session needs at least one option"]
        if not keep_chosen and (start is not None or end is not None):
            errors["options"] = ["give either start and end or options, not both"]
        for index, option in enumerate(options):
            if option["end"] <= option["start"]:
                errors[f"options.{index}.end"] = ["end must be after start"]
    else:
        if start is None:
            errors["start"] = ["a fixed session needs start and end (or give options)"]
        if end is None:
            errors["end"] = ["a fixed session needs start and end (or give options)"]
        if start is not None and end is not None and end <= start:
            errors["end"] = ["end must be after start"]
        if optional:
            errors["optional"] = ["only an open session (with options) can be optional"]
    errors.update(_place_errors(activity, place_id, options or []))
    if check_busy and not errors and options is None and place_id is not None:
        assert start is not None and end is not None
        place = activity_places(activity, [place_id])[place_id]
        clash = busy_overlap(place, start, end)
        if clash is not None:
            zone = municipality_zone(activity)
            errors["place_id"] = [
                f"the place is busy from {clash[0].astimezone(zone).isoformat()} "
                f"to {clash[1].astimezone(zone).isoformat()}"
            ]
    if errors:
        raise Invalid(errors)

    if options is not None:
        session.options = [_stored_option(option) for option in options]
        session.window_start = min(option["start"] for option in options)
        session.window_end = max(option["end"] for option in options)
    else:
        assert start is not None and end is not None
        session.options = None
        session.window_start = start
        session.window_end = end
    session.start = start
    session.end = end
    session.place_id = place_id
    session.optional = optional


def _place_errors(
    activity: Activity, place_id: int | None, options: list[dict[str, Any]]
) -> dict[str, list[str]]:
    named: dict[str, int] = {}
    if place_id is not None:
        named["place_id"] = place_id
    for index, option in enumerate(options):
        if option.get("place_id") is not None:
            named[f"options.{index}.place_id"] = option["place_id"]
    known = activity_places(activity, named.values())
    return {
        path: ["no such place in the activity's municipality"]
        for path, pid in named.items()
        if pid not in known
    }


def _stored_option(option: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": option["start"].astimezone(UTC).isoformat(),
        "end": option["end"].astimezone(UTC).isoformat(),
        "place_id": option.get("place_id"),
        "penalty": float(option.get("penalty", 0.0)),
    }


def _stored_options(stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored options (ISO strings) back to the shape services take (datetimes)."""
    return [
        {
            "start": datetime.fromisoformat(option["start"]),
            "end": datetime.fromisoformat(option["end"]),
            "place_id": option.get("place_id"),
            "penalty": option.get("penalty", 0.0),
        }
        for option in stored
    ]


def stored_options(session: Session) -> list[dict[str, Any]] | None:
    """The session's options with aware datetimes, for serialising."""
    return None if session.options is None else _stored_options(session.options)


def _target_activity(principal: Principal, activity_id: int) -> Activity:
    """An activity named in a body: 422 if unseen, 403 if seen but read-only."""
    try:
        activity = get_activity(principal, activity_id)
    except NotFound:
        raise Invalid({"activity_id": ["no such activity"]}) from None
    if not can_write_centre(principal, activity.centre_id):
        # Reuse the 403 wording of the activity itself.
        return writable_activity(principal, activity_id)
    return activity


def _visible_place(principal: Principal, place_id: int) -> None:
    """A place filter: the place must belong to a municipality the principal reads."""
    visible_or_404(Place, place_id, municipality_filter(principal, Place.municipality_id), "place")


def _cancel_assignments(session_id: int) -> None:
    db.session.execute(
        update(Assignment)
        .where(
            Assignment.session_id == session_id,
            Assignment.status.in_(_CANCELLED_WITH_SESSION),
        )
        .values(status="cancelled", updated_at=utcnow())
    )
