"""Reminders before a session: `reminder_hours` (default 24) before its
start, counted on the local clock (24 hours before 10:00 on the Sunday
summer time begins is 10:00 on the Saturday, not 09:00), for proposed and
confirmed assignments of volunteers who have reminders on.

`enqueue_due_reminders` runs on every tick of the sender; each reminder
exists once (the dedup key names the assignment and the session's start, so
a session moved to another day gets a new reminder), however many
processes tick.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...models import Activity, Assignment, Centre, Municipality, Session, Volunteer
from ...models.types import utcnow
from .outbox import add_rows_once, volunteer_rows

# Sessions up to this far ahead are looked at (the largest reminder_hours
# plus a day of summer-time slack).
LOOK_AHEAD = timedelta(hours=168 + 25)


def reminder_moment(start: datetime, zone: ZoneInfo, hours: int) -> datetime:
    """`hours` before `start` on the local wall clock."""
    local = start.astimezone(zone).replace(tzinfo=None) - timedelta(hours=hours)
    return local.replace(tzinfo=zone)


def enqueue_due_reminders(hours: int, now: datetime | None = None) -> int:
    """Enqueue (and commit) the reminders whose moment has come; returns how many."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Assignment, Municipality.timezone)
        .join(Session, Assignment.session_id == Session.id)
        .join(Activity, Session.activity_id == Activity.id)
        .join(Centre, Activity.centre_id == Centre.id)
        .join(Municipality, Centre.municipality_id == Municipality.id)
        .join(Volunteer, Assignment.volunteer_id == Volunteer.id)
        .where(Assignment.status.in_(("proposed", "confirmed")),
               Session.status != "cancelled", Session.start.is_not(None),
               Session.start > now, Session.start <= now + LOOK_AHEAD,
               Volunteer.reminders.is_(True), Volunteer.erased_at.is_(None))
        .options(joinedload(Assignment.session), joinedload(Assignment.volunteer))
    ).unique().all()
    new_rows = []
    for assignment, zone_name in rows:
        start = assignment.session.start
        if reminder_moment(start, ZoneInfo(zone_name), hours) > now:
            continue
        new_rows += volunteer_rows(
            assignment.volunteer, "reminder", {"assignment_id": assignment.id}, now=now,
            same_day=True, dedup_key=f"reminder:a{assignment.id}:{int(start.timestamp())}")
    count = add_rows_once(new_rows)
    db.session.commit()
    return count
