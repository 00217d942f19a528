"""A volunteer's assignments as an iCalendar feed a calendar app subscribes to.

Calendar apps cannot send headers or cookies, so the feed's address carries
its own proof: `<volunteer id>-<HMAC-SHA256 under SECRET_KEY of the id and
the volunteer's random secret>` (services/volunteer_secrets.py), so an
address can be made neither from the secret key and an id alone nor from the
database alone. Changing the service's secret_key changes every address (all
subscriptions stop working and volunteers must add the new link); deleting a
volunteer's secret changes that volunteer's address (and message links) only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from ..extensions import db
from ..models import Volunteer
from ..models.types import utcnow
from ..services.notifications.calendar_part import assignment_uid
from ..services.volunteer_secrets import existing_secret, volunteer_secret
from .i18n import role_name
from .ical import Event, calendar
from .listing import AssignmentView, feed_views, volunteer_principal

# Calendars keep entries that ended this long ago, and learn of declined or
# cancelled ones (STATUS:CANCELLED) for this long after the change.
FEED_HISTORY = timedelta(days=14)
CANCELLED_KEPT = timedelta(days=30)
REFRESH_MINUTES = 60
ALARM_BEFORE = timedelta(hours=2)
PRODUCT_ID = "-//medsam-match//Volunteer assignments//EN"
_KEY_PATTERN = re.compile(r"(\d{1,18})-([0-9a-f]{32})")
_ICAL_STATUS = {"proposed": "TENTATIVE", "confirmed": "CONFIRMED",
                "declined": "CANCELLED", "cancelled": "CANCELLED"}
# Calendars update an event whose SEQUENCE grows; the lifecycle only moves forward.
_SEQUENCE = {"proposed": 0, "confirmed": 1, "declined": 2, "cancelled": 2}


def _mac(message: bytes) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def _key(volunteer_id: int, secret: str) -> str:
    proof = _mac(f"calendar-feed:{volunteer_id}:{secret}".encode())[:32]
    return f"{volunteer_id}-{proof}"


def feed_key(volunteer_id: int) -> str:
    """The secret part of a volunteer's feed address."""
    return _key(volunteer_id, volunteer_secret(volunteer_id))


def volunteer_for_key(key: str) -> Volunteer | None:
    """The volunteer whose feed this key opens, or None (wrong key, erased)."""
    match = _KEY_PATTERN.fullmatch(key)
    if match is None:
        return None
    volunteer_id = int(match[1])
    secret = existing_secret(volunteer_id)
    if secret is None or not hmac.compare_digest(_key(volunteer_id, secret), key):
        return None
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.erased_at is not None:
        return None
    return volunteer


def _event(view: AssignmentView, page_url: str, alarm: bool = True) -> Event:
    location = ", ".join(part for part in (view.place_name, view.place_address) if part)
    geo = (view.lat, view.lon) if view.lat is not None and view.lon is not None else None
    return Event(
        uid=assignment_uid(view.id),
        start=view.start,
        end=view.end,
        summary=f"{view.title} ({role_name(view.role)})",
        status=_ICAL_STATUS[view.status],
        sequence=_SEQUENCE[view.status],
        stamp=utcnow(),
        last_modified=view.updated_at,
        location=location or None,
        geo=geo,
        description=_("See the assignment and answer here: %(url)s", url=page_url),
        url=page_url,
        # Calendars remind too, unless the volunteer turned reminders off.
        alarm_before=ALARM_BEFORE if alarm else None,
    )


def feed_text(volunteer: Volunteer, page_url: str) -> str:
    """The whole VCALENDAR for one volunteer, in the current locale's language."""
    views = feed_views(volunteer_principal(volunteer), volunteer,
                       history=FEED_HISTORY, cancelled_kept=CANCELLED_KEPT)
    return calendar(
        (_event(view, page_url, volunteer.reminders) for view in views),
        product_id=PRODUCT_ID,
        name=_("Volunteer assignments"),
        refresh_minutes=REFRESH_MINUTES,
    )
