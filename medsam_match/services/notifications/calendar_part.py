"""The iCalendar part of an e-mail (RFC 5546 iTIP), made with `icalendar`:
METHOD:REQUEST for new or changed assignments, METHOD:CANCEL for cancelled
ones. Each assignment has one UID for its whole life (the same one the
calendar feed uses), so a calendar updates or removes the event it has."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from flask import current_app
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from ...models.types import utcnow

PRODUCT_ID = "-//medsam-match//Volunteer assignments//EN"
_STATUS = {"proposed": "TENTATIVE", "confirmed": "CONFIRMED", "cancelled": "CANCELLED",
           "declined": "CANCELLED"}


def assignment_uid(assignment_id: int) -> str:
    """Stable per assignment (the feed and every e-mail use it); the tag,
    keyed by the secret key, keeps two installations' UIDs apart."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    installation = hmac.new(secret, b"calendar-uid", hashlib.sha256).hexdigest()[:10]
    return f"assignment-{assignment_id}-{installation}@medsam-match"


def calendar_document(items: Iterable[Any], method: str, attendee: str) -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    now = utcnow()
    for item in items:
        event = Event()
        event.add("uid", assignment_uid(item.assignment_id))
        event.add("dtstamp", now)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", f"{item.title} ({item.role})")
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if method == "CANCEL" else _STATUS.get(item.status, "TENTATIVE"))
        location = ", ".join(part for part in (item.place, item.address) if part)
        if location:
            event.add("location", location)
        address = vCalAddress(f"mailto:{attendee}")
        address.params["ROLE"] = vText("REQ-PARTICIPANT")
        address.params["PARTSTAT"] = vText("NEEDS-ACTION" if item.status == "proposed" else "ACCEPTED")
        event.add("attendee", address)
        event.add("organizer", vCalAddress("mailto:noreply@medsam.invalid"))
        if method == "REQUEST":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.title)
            alarm.add("trigger", -_hours(2))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def _hours(hours: int):  # type: ignore[no-untyped-def]
    from datetime import timedelta

    return timedelta(hours=hours)
