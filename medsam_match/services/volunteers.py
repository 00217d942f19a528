"""Volunteers: their records, their own view of themselves, and GDPR erasure.

Access: admin everything; a municipality its centres' volunteers; a
coordinator its centre's; a volunteer only itself, and of itself only its
profile and availability (not `centre_id` nor `active`). Out of scope is 404.

Erasure (DELETE) keeps the row so that the hours given stay in the
statistics, but wipes everything that says who the person was: name,
contact, location, skills, languages, interests, certificates,
preferences, availability, the reasons they gave when declining and the
notes beside hours they logged (the hours stay). Their future proposed and confirmed assignments are cancelled (nobody can be
asked to come any more), their past ones stay; their tokens are revoked;
their entries in the scenarios stored with match runs are wiped. An erased
volunteer is hidden from everyone but an admin who asks for them
(`include_erased`). A volunteer token cannot erase itself: it asks
(services/erasure.py), and the coordinator confirms, and so learns what
the volunteer had agreed to do (or the request erases at once where the
installation is configured so).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    cast,
    delete,
    event,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.orm import selectinload

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import (
    Activity,
    ApiToken,
    Assignment,
    CalendarFeedSecret,
    Centre,
    HoursEntry,
    MatchRun,
    Session,
    Volunteer,
)
from ..models.types import utcnow
from .assignments import with_session_and_activity
from .concurrency import claim
from .scope import MAX_ID, can_write_centre, centre_filter

# What a volunteer may change about itself: who it is, how to reach it, where
# it lives, what it likes and when it has time. Not what the coordinator must
# verify (skills and certificates, which the planner treats as hard
# qualifications, e.g. a police certificate for work with children), nor its
# centre or whether it is active. docs/self-editable-fields.md says why, for
# every field of every resource.
SELF_EDITABLE = frozenset(
    {
        "name",
        "email",
        "phone",
        "lat",
        "lon",
        "max_travel_km",
        "languages",
        "interests",
        "max_hours_per_week",
        "max_sessions_per_week",
        "preferred_activity_ids",
        "weekly_availability",
        "unavailable",
        "notify_channel",
        "reminders",
        "language",
    }
)
_PLAIN_FIELDS = (
    "name",
    "email",
    "phone",
    "lat",
    "lon",
    "max_travel_km",
    "max_hours_per_week",
    "max_sessions_per_week",
    "active",
    "notify_channel",
    "reminders",
    "language",
)
_TAG_FIELDS = ("skills", "languages", "interests")
# What erasure wipes: every personal field but the centre (the hours given
# are still counted for it).
_ERASED_TO_NULL = (
    "email",
    "phone",
    "lat",
    "lon",
    "max_travel_km",
    "max_hours_per_week",
    "max_sessions_per_week",
)
_ERASED_TO_EMPTY = (
    *_TAG_FIELDS,
    "certificates",
    "preferred_activity_ids",
    "weekly_availability",
    "unavailable",
)
# Assignments an erased or moved volunteer can no longer be held to.
_RELEASED_STATUSES = ("proposed", "confirmed")


# --- reading ----------------------------------------------------------------


def volunteers_query(principal: Principal, filters: dict[str, Any]) -> Select[Any]:
    """The volunteers the principal may see, filtered, sorted by id.

    Filters: centre_id (404 if out of scope), active, skill, language,
    interest (exact tag), q (part of the name, any case), include_erased
    (admin only).
    """
    stmt = _visible(principal)
    if filters.get("include_erased"):
        if not principal.is_admin:
            raise Forbidden("only an admin may list erased volunteers")
    else:
        stmt = stmt.where(Volunteer.erased_at.is_(None))
    centre_id = filters.get("centre_id")
    if centre_id is not None:
        _visible_centre(principal, centre_id)
        stmt = stmt.where(Volunteer.centre_id == centre_id)
    if filters.get("active") is not None:
        stmt = stmt.where(Volunteer.active == filters["active"])
    for filter_name, column in (
        ("skill", Volunteer.skills),
        ("language", Volunteer.languages),
        ("interest", Volunteer.interests),
    ):
        if filters.get(filter_name):
            stmt = stmt.where(_json_list_contains(column, filters[filter_name]))
    if filters.get("q"):
        stmt = stmt.where(_name_contains(filters["q"]))
    # Each row's times are shown in its municipality's zone (volunteer ->
    # centre -> municipality): one query per relation for the whole page,
    # not a lazy load per row.
    return stmt.order_by(Volunteer.id).options(
        selectinload(Volunteer.centre).selectinload(Centre.municipality)
    )


def get_volunteer(principal: Principal, volunteer_id: int) -> Volunteer:
    """The volunteer, if the principal may see it (erased ones: admin only)."""
    if not 0 < volunteer_id <= MAX_ID:  # the database could not even compare it
        raise NotFound("volunteer")
    stmt = _visible(principal).where(Volunteer.id == volunteer_id)
    if not principal.is_admin:
        stmt = stmt.where(Volunteer.erased_at.is_(None))
    volunteer = db.session.scalars(stmt).first()
    if volunteer is None:
        raise NotFound("volunteer")
    return volunteer


def acting_volunteer(principal: Principal, volunteer_id: int | None, missing: str) -> Volunteer:
    """The volunteer a self-service call is about: a volunteer's own record
    (another id is 404); for staff the `volunteer_id` they give, one of the
    volunteers they see (422 naming it, with `missing`, when left out). An
    erased volunteer is 404 to everyone here, admins too."""
    if principal.role == "volunteer":
        if volunteer_id is not None and volunteer_id != principal.volunteer_id:
            raise NotFound("volunteer")
        volunteer_id = principal.volunteer_id
    if volunteer_id is None:
        raise Invalid({"volunteer_id": [missing]})
    volunteer = get_volunteer(principal, volunteer_id)
    if volunteer.erased_at is not None:
        raise NotFound("volunteer")
    return volunteer


def volunteer_assignments_query(
    principal: Principal, volunteer_id: int, filters: dict[str, Any]
) -> Select[Any]:
    """A volunteer's assignments, soonest first; filters status, from, to (UTC)."""
    volunteer = get_volunteer(principal, volunteer_id)
    # Each row shows its session's times and activity (in the zone of the
    # activity's municipality): read with the rows, not lazily per row.
    stmt = (
        select(Assignment)
        .join(Session, Session.id == Assignment.session_id)
        .join(Activity, Activity.id == Session.activity_id)
        .where(Assignment.volunteer_id == volunteer.id)
        .options(with_session_and_activity())
    )
    if filters.get("status"):
        stmt = stmt.where(Assignment.status == filters["status"])
    if filters.get("from") is not None:
        stmt = stmt.where(Session.window_end > filters["from"])
    if filters.get("to") is not None:
        stmt = stmt.where(Session.window_start < filters["to"])
    return stmt.order_by(func.coalesce(Session.start, Session.window_start), Assignment.id)


# --- writing ----------------------------------------------------------------


def create_volunteer(principal: Principal, data: dict[str, Any]) -> Volunteer:
    if principal.role == "volunteer":
        raise Forbidden("a volunteer token may not create volunteers")
    _check_target_centre(principal, data["centre_id"])
    _check_preferred_activities(data["centre_id"], data.get("preferred_activity_ids", []))
    _phone_in_e164(data, data["centre_id"])
    volunteer = Volunteer(centre_id=data["centre_id"])
    _apply(volunteer, data)
    db.session.add(volunteer)
    db.session.commit()
    return volunteer


def update_volunteer(
    principal: Principal, volunteer_id: int, data: dict[str, Any], expected: Collection[int] | None = None,
    *, commit: bool = True,
) -> Volunteer:
    """PATCH: only the fields given change. Nothing is stored if anything is wrong.
    `expected`: the versions If-Match accepts (None: any). With `commit`
    False the change is left in the caller's transaction, the row claimed."""
    volunteer = _writable(principal, volunteer_id)
    if principal.role == "volunteer":
        refused = sorted(set(data) - SELF_EDITABLE)
        if refused:
            raise Forbidden(
                f"a volunteer may not change {', '.join(refused)}: "
                "the centre's coordinator does"
            )
        if "interests" in data:
            from .interests import check_chosen_interests

            check_chosen_interests(volunteer.centre_id, data["interests"], volunteer.interests)
    claim(volunteer, expected, "volunteer")
    new_centre_id = data.get("centre_id", volunteer.centre_id)
    if new_centre_id != volunteer.centre_id:
        _check_target_centre(principal, new_centre_id)
    lat, lon = data.get("lat", volunteer.lat), data.get("lon", volunteer.lon)
    if (lat is None) != (lon is None):
        missing = "lon" if lon is None else "lat"
        raise Invalid({missing: ["lat and lon go together: give both or neither"]})
    preferred = data.get("preferred_activity_ids", volunteer.preferred_activity_ids)
    _check_preferred_activities(new_centre_id, preferred)
    _phone_in_e164(data, new_centre_id)
    if new_centre_id != volunteer.centre_id:
        # The old centre's sessions stay the old centre's: the volunteer
        # leaves them (in this same transaction), and the old centre refills them.
        _release_future_assignments(volunteer, utcnow())
    volunteer.centre_id = new_centre_id
    _apply(volunteer, data)
    if commit:
        db.session.commit()
    return volunteer


def erase_volunteer(principal: Principal, volunteer_id: int, expected: Collection[int] | None = None) -> None:
    """GDPR erasure; see the module docstring. Erasing twice changes nothing."""
    volunteer = _writable(principal, volunteer_id, allow_erased=True)
    if principal.role == "volunteer":
        # The coordinator erases, on the person's request: the centre must
        # know, since it loses whatever the volunteer had agreed to do.
        raise Forbidden("a volunteer token may not erase; ask the centre's coordinator")
    if volunteer.erased_at is not None:
        return
    claim(volunteer, expected, "volunteer")
    wipe_volunteer(volunteer, utcnow())
    db.session.commit()


def wipe_volunteer(volunteer: Volunteer, now: datetime) -> None:
    """The erasure itself (see the module docstring), for a volunteer row
    already locked or claimed by the caller. Does not commit."""
    volunteer.name = ""
    for name in _ERASED_TO_NULL:
        setattr(volunteer, name, None)
    for name in _ERASED_TO_EMPTY:
        setattr(volunteer, name, [])
    volunteer.active = False
    volunteer.erased_at = now

    _release_future_assignments(volunteer, now)
    # A reason given when declining is the person's own words.
    db.session.execute(
        update(Assignment)
        .where(Assignment.volunteer_id == volunteer.id, Assignment.decline_reason.is_not(None))
        .values(decline_reason=None)
    )
    _scrub_stored_scenarios(volunteer)
    # So is the note they wrote beside hours they logged; the hours stay.
    db.session.execute(
        update(HoursEntry)
        .where(HoursEntry.volunteer_id == volunteer.id, HoursEntry.note != "")
        .values(note="")
    )
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.volunteer_id == volunteer.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    # Ends the calendar address and every link in messages sent to the person.
    db.session.execute(delete(CalendarFeedSecret).where(CalendarFeedSecret.volunteer_id == volunteer.id))


# --- helpers ----------------------------------------------------------------


def _release_future_assignments(volunteer: Volunteer, now: datetime) -> None:
    """Cancel the volunteer's future proposed and confirmed assignments and
    queue a repair run for the centre whose slots they leave open, as after a
    decline. Used when the volunteer is erased or moves to another centre (the
    old centre's sessions are no business of the new one). Does not commit."""
    future_sessions = select(Session.id).where(Session.window_start >= now)
    # The slots this person leaves open are refilled by a repair run.
    latest_opened = db.session.scalars(
        select(Session)
        .join(Assignment, Assignment.session_id == Session.id)
        .where(
            Assignment.volunteer_id == volunteer.id,
            Assignment.status.in_(_RELEASED_STATUSES),
            Session.window_start >= now,
        )
        .order_by(Session.window_start.desc())
    ).first()
    db.session.execute(
        update(Assignment)
        .where(
            Assignment.volunteer_id == volunteer.id,
            Assignment.status.in_(_RELEASED_STATUSES),
            Assignment.session_id.in_(future_sessions),
        )
        .values(status="cancelled", locked=False, updated_at=now)
    )
    if latest_opened is not None:
        from .match_runs import queue_repair

        queue_repair(latest_opened.activity.centre_id, latest_opened)


def _scrub_stored_scenarios(volunteer: Volunteer) -> None:
    """Wipe the volunteer from the scenarios stored with match runs.

    A run keeps the `medsam-scenario/1` document it solved, and that holds the
    volunteer's name, home, skills and availability. Only the id stays, so the
    run's result still resolves. Runs of every centre the volunteer was
    planned in are searched: its own, and those of its assignments' sessions.
    """
    key = str(volunteer.id)
    assignment_centres = (
        select(Activity.centre_id)
        .join(Session, Session.activity_id == Activity.id)
        .join(Assignment, Assignment.session_id == Session.id)
        .where(Assignment.volunteer_id == volunteer.id)
    )
    runs = db.session.scalars(
        select(MatchRun).where(
            MatchRun.scenario.is_not(None),
            (MatchRun.centre_id == volunteer.centre_id)
            | MatchRun.centre_id.in_(assignment_centres),
        )
    )
    for run in runs:
        entries = (run.scenario or {}).get("volunteers")
        if not isinstance(entries, list):
            continue
        if any(isinstance(e, dict) and e.get("id") == key for e in entries):
            scrubbed = [
                {"id": key, "name": ""} if isinstance(e, dict) and e.get("id") == key else e
                for e in entries
            ]
            # A new dict, so that the JSON column sees the change.
            run.scenario = {**(run.scenario or {}), "volunteers": scrubbed}



def _visible(principal: Principal) -> Select[Any]:
    stmt = select(Volunteer).where(centre_filter(principal, Volunteer.centre_id))
    if principal.role == "volunteer":
        stmt = stmt.where(Volunteer.id == principal.volunteer_id)
    return stmt


def _writable(principal: Principal, volunteer_id: int, *, allow_erased: bool = False) -> Volunteer:
    """404 if unseen; 403 if seen but read-only; 409 for an erased record."""
    volunteer = get_volunteer(principal, volunteer_id)
    # A volunteer token sees only itself (see _visible), and may change itself.
    if principal.role != "volunteer" and not can_write_centre(principal, volunteer.centre_id):
        raise Forbidden("this token may read this volunteer but not change it")
    if volunteer.erased_at is not None and not allow_erased:
        raise Conflict("the volunteer was erased; an erased record cannot be changed")
    return volunteer


def _visible_centre(principal: Principal, centre_id: int) -> Centre:
    centre = db.session.scalars(
        select(Centre).where(Centre.id == centre_id, centre_filter(principal, Centre.id))
    ).first()
    if centre is None:
        raise NotFound("centre")
    return centre


def _check_target_centre(principal: Principal, centre_id: int) -> Centre:
    """A centre named in a body: 422 if unseen, 403 if seen but read-only."""
    centre = db.session.scalars(
        select(Centre).where(Centre.id == centre_id, centre_filter(principal, Centre.id))
    ).first()
    if centre is None:
        raise Invalid({"centre_id": ["no such centre"]})
    if not can_write_centre(principal, centre_id):
        raise Forbidden("this token may not add or move volunteers in this centre")
    return centre


def _check_preferred_activities(centre_id: int, activity_ids: list[int]) -> None:
    """Every preferred activity must be one of the volunteer's centre."""
    if not activity_ids:
        return
    found = set(
        db.session.scalars(
            select(Activity.id).where(
                Activity.id.in_(set(activity_ids)), Activity.centre_id == centre_id
            )
        )
    )
    errors = {
        f"preferred_activity_ids.{index}": ["no such activity in the volunteer's centre"]
        for index, activity_id in enumerate(activity_ids)
        if activity_id not in found
    }
    if errors:
        raise Invalid(errors)


def _phone_in_e164(data: dict[str, Any], centre_id: int) -> None:
    """A phone number given is stored in E.164 (+4791234567); one without a
    country code is read in the centre's municipality's country. 422 naming
    `phone` when it is no valid number."""
    if not data.get("phone"):
        return
    from ..models import Municipality
    from .notifications.phones import BadPhone, to_e164

    country = db.session.scalar(
        select(Municipality.country).join(Centre, Centre.municipality_id == Municipality.id)
        .where(Centre.id == centre_id)
    )
    try:
        data["phone"] = to_e164(data["phone"], country)
    except BadPhone as bad:
        raise Invalid({"phone": [str(bad)]}) from None


def _apply(volunteer: Volunteer, data: dict[str, Any]) -> None:
    """Copy validated fields onto the row, in the form the JSON columns keep."""
    for name in _PLAIN_FIELDS:
        if name in data:
            setattr(volunteer, name, data[name])
    for name in _TAG_FIELDS:
        if name in data:
            setattr(volunteer, name, _unique(data[name]))
    if "preferred_activity_ids" in data:
        volunteer.preferred_activity_ids = _unique(data["preferred_activity_ids"])
    if "certificates" in data:
        volunteer.certificates = [
            {"kind": c["kind"], "valid_until": _iso_date(c["valid_until"])}
            for c in data["certificates"]
        ]
    if "weekly_availability" in data:
        volunteer.weekly_availability = [
            {"weekday": w["weekday"], "start": w["start"], "end": w["end"]}
            for w in sorted(
                data["weekly_availability"], key=lambda w: (w["weekday"], w["start"], w["end"])
            )
        ]
    if "unavailable" in data:
        volunteer.unavailable = [
            {"start": u["start"].isoformat(), "end": u["end"].isoformat()}
            for u in sorted(data["unavailable"], key=lambda u: (u["start"], u["end"]))
        ]


def _iso_date(value: date | str) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


def _name_contains(text: str) -> ColumnElement[bool]:
    """Part of the name, in any case, Ø and Å included."""
    pattern = "%" + _escape_like(text.lower()) + "%"
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite's lower() and LIKE fold ASCII only ("Øystein" stays "Øystein").
        return func.medsam_lower(Volunteer.name).like(pattern, escape="\\")
    return func.lower(Volunteer.name).like(pattern, escape="\\")


@event.listens_for(Engine, "connect")
def _register_sqlite_lower(dbapi_connection: Any, connection_record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function(
            "medsam_lower", 1, lambda value: value.lower() if value else value, deterministic=True
        )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json_list_contains(column: Any, value: str) -> ColumnElement[bool]:
    """The JSON list in `column` holds `value` (SQLite and PostgreSQL)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column, JSONB).contains([value])
    items = func.json_each(column).table_valued("value")
    return exists(select(literal(1)).select_from(items).where(items.c.value == value))
