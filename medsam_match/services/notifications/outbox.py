"""Enqueueing: what happened becomes outbox rows, in the caller's transaction.

Nothing here commits: the rows are written (or rolled back) together with
the change that causes them, so no message is lost and none is sent for a
change that did not happen. The sender (`delivery`) renders and delivers
them later, from another transaction.

Whom a volunteer's message goes to follows the volunteer's choice
(`notify_channel`: email, sms, both or none) and the addresses it has;
sign-in links and invites, asked for, go to every address it has. SMS wait
through the night (21:00-08:00 local) unless they are about today.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from ...extensions import db
from ...models import Assignment, Centre, OutboxMessage, Session, User, Volunteer
from ...models.types import utcnow
from .phones import BadPhone, to_e164

LANGUAGES = ("nb", "nn", "da", "en")
QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)


# --- whom, in which language, when ----------------------------------------------

def volunteer_language(volunteer: Volunteer) -> str:
    if volunteer.language in LANGUAGES:
        return str(volunteer.language)
    locale = volunteer.centre.municipality.locale
    return locale if locale in LANGUAGES else "nb"


def volunteer_channels(volunteer: Volunteer, *, asked: bool = False) -> list[tuple[str, str]]:
    """(channel, address) pairs this volunteer is reached on. `asked`: a
    message the volunteer (or its coordinator) asked for now, which goes to
    every address it has whatever it chose for notifications."""
    if volunteer.erased_at is not None or not volunteer.active and not asked:
        return []
    choice = "both" if asked else volunteer.notify_channel
    found: list[tuple[str, str]] = []
    if choice in ("email", "both") and volunteer.email:
        found.append(("email", volunteer.email))
    if choice in ("sms", "both") and volunteer.phone:
        phone = _e164(volunteer.phone, volunteer.centre.municipality.country)
        if phone is not None:
            found.append(("sms", phone))
    return found


def _e164(phone: str, country: str) -> str | None:
    """Numbers stored before they were kept in E.164 are read again."""
    if phone.startswith("+") and phone[1:].isdigit():
        return phone
    try:
        return to_e164(phone, country)
    except BadPhone:
        return None


def after_quiet_hours(now: datetime, zone: ZoneInfo) -> datetime:
    """`now`, or the next 08:00 local when `now` is within 21:00-08:00 local."""
    local = now.astimezone(zone)
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return now
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=zone)


def _row(
    *, kind: str, channel: str, address: str, language: str, payload: dict[str, Any],
    centre_id: int | None, volunteer_id: int | None = None, user_id: int | None = None,
    dedup_key: str | None = None, not_before: datetime | None = None, now: datetime,
) -> dict[str, Any]:
    return {
        "kind": kind, "channel": channel, "status": "queued", "address": address,
        "language": language, "payload": payload, "centre_id": centre_id,
        "volunteer_id": volunteer_id, "user_id": user_id, "dedup_key": dedup_key,
        "tries": 0, "next_attempt_at": not_before or now, "created_at": now,
    }


def volunteer_rows(
    volunteer: Volunteer, kind: str, payload: dict[str, Any], *, now: datetime,
    same_day: bool = False, asked: bool = False, dedup_key: str | None = None,
    not_before: datetime | None = None,
) -> list[dict[str, Any]]:
    """The rows of one message to a volunteer, one per channel it is reached on."""
    zone = ZoneInfo(volunteer.centre.municipality.timezone)
    rows = []
    for channel, address in volunteer_channels(volunteer, asked=asked):
        due = not_before or now
        if channel == "sms" and not same_day and not asked:
            due = after_quiet_hours(due, zone)
        rows.append(_row(
            kind=kind, channel=channel, address=address, language=volunteer_language(volunteer),
            payload=payload, centre_id=volunteer.centre_id, volunteer_id=volunteer.id,
            dedup_key=f"{dedup_key}:{channel}" if dedup_key else None, not_before=due, now=now,
        ))
    return rows


def coordinators(centre_id: int) -> list[User]:
    """The centre's active coordinators (staff users), by id."""
    return list(db.session.scalars(
        select(User).where(User.centre_id == centre_id, User.role == "coordinator",
                           User.active.is_(True)).order_by(User.id)
    ))


def coordinator_rows(
    centre: Centre, kind: str, payload: dict[str, Any], *, now: datetime,
    dedup_key: str | None = None, not_before: datetime | None = None,
) -> list[dict[str, Any]]:
    """One e-mail to each of the centre's coordinators; to the centre's own
    address when it has none."""
    locale = centre.municipality.locale if centre.municipality.locale in LANGUAGES else "nb"
    rows = [
        _row(kind=kind, channel="email", address=user.email,
             language=user.language if user.language in LANGUAGES else locale,
             payload=payload, centre_id=centre.id, user_id=user.id,
             dedup_key=f"{dedup_key}:u{user.id}" if dedup_key else None,
             not_before=not_before, now=now)
        for user in coordinators(centre.id)
    ]
    if not rows and centre.email:
        rows.append(_row(kind=kind, channel="email", address=centre.email, language=locale,
                         payload=payload, centre_id=centre.id,
                         dedup_key=f"{dedup_key}:centre" if dedup_key else None,
                         not_before=not_before, now=now))
    return rows


def add_rows(rows: list[dict[str, Any]]) -> int:
    """Insert the rows (one statement) in the caller's transaction."""
    if rows:
        db.session.execute(insert(OutboxMessage), rows)
    return len(rows)


def add_rows_once(rows: list[dict[str, Any]]) -> int:
    """Insert the rows whose dedup_key is not taken yet (a reminder or a
    digest exists once, however many processes tick). Returns how many were
    new. A row whose key a concurrent transaction takes between our look and
    our insert makes the insert fail on the unique key: the caller's
    transaction rolls back and its next tick finds it taken."""
    keys = [row["dedup_key"] for row in rows if row["dedup_key"]]
    taken = set(db.session.scalars(
        select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(keys))
    )) if keys else set()
    return add_rows([row for row in rows if row["dedup_key"] not in taken])


# --- the events ------------------------------------------------------------------

def _local_day(moment: datetime | None, zone: ZoneInfo) -> Any:
    return moment.astimezone(zone).date() if moment is not None else None


def on_published(run_id: int, centre: Centre, added: Iterable[Assignment],
                 removed: Iterable[dict[str, Any]]) -> int:
    """A publish (plan or repair): one message per volunteer listing its new
    proposed assignments and the proposed ones the plan took back.

    `added`: the new rows (flushed: they have ids, their sessions loaded);
    `removed`: snapshots of the deleted ones ({volunteer_id, session_id,
    role}). Returns the number of outbox rows written."""
    now = utcnow()
    zone = ZoneInfo(centre.municipality.timezone)
    today = now.astimezone(zone).date()
    by_volunteer: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"added": [], "removed": [], "same_day": False})
    session_ids: set[int] = set()
    for assignment in added:
        entry = by_volunteer[assignment.volunteer_id]
        entry["added"].append(assignment.id)
        session_ids.add(assignment.session_id)
    for snapshot in removed:
        by_volunteer[snapshot["volunteer_id"]]["removed"].append(snapshot)
        session_ids.add(snapshot["session_id"])
    if not by_volunteer:
        return 0
    starts = dict(db.session.execute(
        select(Session.id, Session.window_start).where(Session.id.in_(session_ids))
    ).all())
    for assignment in added:
        if _local_day(starts.get(assignment.session_id), zone) == today:
            by_volunteer[assignment.volunteer_id]["same_day"] = True
    for snapshot in removed:
        if _local_day(starts.get(snapshot["session_id"]), zone) == today:
            by_volunteer[snapshot["volunteer_id"]]["same_day"] = True
    volunteers = db.session.scalars(
        select(Volunteer).where(Volunteer.id.in_(list(by_volunteer)))
    ).all()
    rows: list[dict[str, Any]] = []
    for volunteer in volunteers:
        entry = by_volunteer[volunteer.id]
        payload = {"run_id": run_id, "added": sorted(entry["added"]), "removed": entry["removed"]}
        kind = "assignments_new" if entry["added"] else "assignment_cancelled"
        rows += volunteer_rows(volunteer, kind, payload, now=now, same_day=entry["same_day"],
                               dedup_key=f"run{run_id}:v{volunteer.id}")
    return add_rows(rows)


def on_declined(assignment: Assignment, was: str, reason: str | None) -> int:
    """A volunteer declined (`was` proposed) or can no longer come (`was`
    confirmed): each of the centre's coordinators gets an e-mail."""
    centre = assignment.session.activity.centre
    payload = {"assignment_id": assignment.id, "was": was, "reason": reason}
    return add_rows(coordinator_rows(centre, "declined", payload, now=utcnow()))


def on_availability_conflict(volunteer: Volunteer, broken: dict[int, tuple[str, ...]]) -> int:
    """A volunteer changed their own availability, away periods or limits
    and some of their coming seats no longer fit (`broken`: assignment id ->
    the rules they now break): each of the centre's coordinators gets an
    e-mail naming them. The seats stay the volunteer's until someone acts."""
    if not broken:
        return 0
    payload = {"volunteer_id": volunteer.id,
               "assignments": [{"assignment_id": assignment_id, "rules": list(rules)}
                               for assignment_id, rules in sorted(broken.items())]}
    return add_rows(coordinator_rows(volunteer.centre, "availability_conflict", payload,
                                     now=utcnow()))


def on_session_changed(session: Session, *, cancelled: bool, before: dict[str, Any],
                       skip_volunteers: set[int] | frozenset[int] = frozenset()) -> int:
    """A session cancelled, or moved (another time or place): every volunteer
    with a proposed or confirmed assignment there hears of it. `before`: the
    session's start, end and place_id before the change."""
    now = utcnow()
    zone = ZoneInfo(session.activity.centre.municipality.timezone)
    today = now.astimezone(zone).date()
    start = session.start or session.window_start
    same_day = today in (_local_day(start, zone), _local_day(before.get("start"), zone))
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.session_id == session.id,
                                 Assignment.status.in_(("proposed", "confirmed")))
    ).all()
    kind = "assignment_cancelled" if cancelled else "assignment_changed"
    rows: list[dict[str, Any]] = []
    for assignment in assignments:
        if assignment.volunteer_id in skip_volunteers:
            continue  # told in the publish's own message
        payload = {"assignment_id": assignment.id, "session_id": session.id,
                   "before": {key: value.isoformat() if isinstance(value, datetime) else value
                              for key, value in before.items()}}
        rows += volunteer_rows(assignment.volunteer, kind, payload, now=now, same_day=same_day)
    return add_rows(rows)


def on_invite(volunteer: Volunteer, path: str, expires_at: datetime) -> tuple[str, ...]:
    """A coordinator's invite: the link goes to every address the volunteer has.
    `path`: the link's path (/my/invite/<code>). Returns the channels used."""
    payload = {"path": path, "expires_at": expires_at.isoformat()}
    rows = volunteer_rows(volunteer, "invite", payload, now=utcnow(), asked=True)
    add_rows(rows)
    return tuple(row["channel"] for row in rows)


def on_signin_link(*, volunteer: Volunteer | None = None, user: User | None = None,
                   path: str, expires_at: datetime, channel: str | None = None) -> int:
    """A sign-in link someone asked for ("send me a link"): to the volunteer
    (on `channel`, or every address) or to the staff user's e-mail."""
    now = utcnow()
    payload = {"path": path, "expires_at": expires_at.isoformat()}
    if volunteer is not None:
        rows = [row for row in volunteer_rows(volunteer, "signin_link", payload, now=now, asked=True)
                if channel is None or row["channel"] == channel]
        return add_rows(rows)
    assert user is not None
    language = user.language if user.language in LANGUAGES else (
        user.municipality.locale if user.municipality is not None else "nb")
    return add_rows([_row(kind="signin_link", channel="email", address=user.email,
                          language=language if language in LANGUAGES else "nb", payload=payload,
                          centre_id=user.centre_id, user_id=user.id, now=now)])


def _about_today(session: Session) -> bool:
    zone = ZoneInfo(session.activity.centre.municipality.timezone)
    start = session.start or session.window_start
    return _local_day(start, zone) == utcnow().astimezone(zone).date()


def on_assigned(assignment: Assignment) -> int:
    """A coordinator put the volunteer in a session by hand (flushed row):
    the same message as a publish's, for this one assignment."""
    session = db.session.get(Session, assignment.session_id)
    volunteer = db.session.get(Volunteer, assignment.volunteer_id)
    assert session is not None and volunteer is not None
    payload = {"added": [assignment.id], "removed": []}
    return add_rows(volunteer_rows(volunteer, "assignments_new", payload, now=utcnow(),
                                   same_day=_about_today(session)))


def on_removed(assignment: Assignment) -> int:
    """A coordinator took the volunteer out of a session: it hears the
    assignment is cancelled (with a calendar cancellation)."""
    payload = {"assignment_id": assignment.id, "session_id": assignment.session_id,
               "before": {}}
    return add_rows(volunteer_rows(assignment.volunteer, "assignment_cancelled", payload,
                                   now=utcnow(), same_day=_about_today(assignment.session)))


def on_swap_offered(assignment: Assignment, volunteer_ids: Iterable[int], *, limit: int) -> int:
    """A volunteer offers their confirmed seat (services/swaps.py): the
    volunteers who may take it over (`volunteer_ids`, best fit first, by the
    solver's rules) hear of it, each on the channel it chose (none: nothing),
    the first `limit` of them who can be reached. Returns the rows written."""
    ids = [v for v in dict.fromkeys(volunteer_ids) if v != assignment.volunteer_id]
    if not ids or limit <= 0:
        return 0
    found = {v.id: v for v in db.session.scalars(select(Volunteer).where(Volunteer.id.in_(ids)))}
    now = utcnow()
    same_day = _about_today(assignment.session)
    payload = {"assignment_id": assignment.id, "session_id": assignment.session_id}
    rows: list[dict[str, Any]] = []
    told = 0
    for volunteer_id in ids:
        volunteer = found.get(volunteer_id)
        if volunteer is None:
            continue
        mine = volunteer_rows(volunteer, "swap_offered", payload, now=now, same_day=same_day)
        if mine:
            rows += mine
            told += 1
            if told == limit:
                break
    return add_rows(rows)


def on_swap_cancelled(assignment: Assignment) -> int:
    """A coordinator cancelled the volunteer's pending swap: it hears the
    seat is still theirs."""
    payload = {"assignment_id": assignment.id, "session_id": assignment.session_id}
    return add_rows(volunteer_rows(assignment.volunteer, "swap_cancelled", payload,
                                   now=utcnow(), same_day=_about_today(assignment.session)))
