"""Writing iCalendar (RFC 5545) text with the `icalendar` library.

The library escapes text values, folds lines at 75 octets (never inside a
UTF-8 character) and ends them with CRLF. This module only maps the feed's
plain values onto its components: UTC times, and text without the control
characters a content line may not hold. No Flask here: the feed module
decides what goes in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar
from icalendar import Event as VEvent
from icalendar.prop import vDuration

CRLF = "\r\n"
# Control characters other than tab and line breaks (line breaks are escaped).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def _utc(moment: datetime) -> datetime:
    """A DATE-TIME in UTC form (written 20270112T160000Z)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give an aware one")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class Event:
    """One VEVENT. Text fields are plain text; they are escaped on output."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    status: str  # TENTATIVE, CONFIRMED or CANCELLED
    stamp: datetime
    sequence: int = 0
    last_modified: datetime | None = None
    location: str | None = None
    description: str | None = None
    url: str | None = None
    geo: tuple[float, float] | None = None
    # A VALARM this long before the start (not for cancelled events).
    alarm_before: timedelta | None = None

    def component(self) -> VEvent:
        event = VEvent()
        event.add("uid", _text(self.uid))
        event.add("dtstamp", _utc(self.stamp))
        event.add("dtstart", _utc(self.start))
        event.add("dtend", _utc(self.end))
        event.add("summary", _text(self.summary))
        event.add("status", self.status)
        event.add("sequence", self.sequence)
        event.add("transp", "TRANSPARENT" if self.status == "CANCELLED" else "OPAQUE")
        if self.last_modified is not None:
            event.add("last-modified", _utc(self.last_modified))
        if self.location:
            event.add("location", _text(self.location))
        if self.geo is not None:
            event.add("geo", (round(self.geo[0], 6), round(self.geo[1], 6)))
        if self.description:
            event.add("description", _text(self.description))
        if self.url:
            event.add("url", self.url)
        if self.alarm_before is not None and self.status != "CANCELLED":
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", _text(self.summary))
            alarm.add("trigger", -self.alarm_before)
            event.add_component(alarm)
        return event


def calendar(
    events: Iterable[Event],
    *,
    product_id: str,
    name: str,
    refresh_minutes: int = 60,
) -> str:
    """A whole VCALENDAR, folded, with CRLF line ends."""
    feed = Calendar()
    feed.add("version", "2.0")
    feed.add("prodid", product_id)
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    # RFC 7986 name and refresh interval, and the names most apps read.
    refresh = timedelta(minutes=refresh_minutes)
    feed.add("name", _text(name))
    feed.add("x-wr-calname", _text(name))
    feed.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", vDuration(refresh))
    for event in events:
        feed.add_component(event.component())
    return feed.to_ical().decode("utf-8")
