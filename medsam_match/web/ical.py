"""Writing iCalendar (RFC 5545) text: escaping, folding, UTC times.

Pure functions, no Flask: the feed module decides what goes in, this one
only makes sure it is well-formed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
# RFC 5545 §3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break.
MAX_LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value (§3.3.11): backslash, semicolon and comma escaped, line
    breaks as \\n, other control characters dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\n", "\\n")
    return "".join(ch for ch in value if ch == "\t" or ord(ch) >= 0x20 and ord(ch) != 0x7F)


def fold(line: str) -> str:
    """Split a content line into pieces of at most 75 octets (§3.1), never
    inside a UTF-8 character; continuation lines start with one space."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_LINE_OCTETS
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # The leading space of a continuation line counts towards its 75.
            current, size, limit = "", 0, MAX_LINE_OCTETS - 1
        current += ch
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC form (§3.3.5): 20270112T160000Z."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: give an aware one")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


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

    def lines(self) -> list[str]:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{escape_text(self.uid)}",
            f"DTSTAMP:{utc_stamp(self.stamp)}",
            f"DTSTART:{utc_stamp(self.start)}",
            f"DTEND:{utc_stamp(self.end)}",
            f"SUMMARY:{escape_text(self.summary)}",
            f"STATUS:{self.status}",
            f"SEQUENCE:{self.sequence}",
            "TRANSP:OPAQUE" if self.status != "CANCELLED" else "TRANSP:TRANSPARENT",
        ]
        if self.last_modified is not None:
            lines.append(f"LAST-MODIFIED:{utc_stamp(self.last_modified)}")
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        if self.geo is not None:
            lines.append(f"GEO:{self.geo[0]:.6f};{self.geo[1]:.6f}")
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.url:
            lines.append(f"URL:{self.url}")
        lines.append("END:VEVENT")
        return lines


def calendar(
    events: Iterable[Event],
    *,
    product_id: str,
    name: str,
    refresh_minutes: int = 60,
    headers: Sequence[str] = (),
) -> str:
    """A whole VCALENDAR, folded, with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{product_id}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        # RFC 7986 name and refresh interval, and the names most apps read.
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:PT{refresh_minutes}M",
        f"X-PUBLISHED-TTL:PT{refresh_minutes}M",
        *headers,
    ]
    for event in events:
        lines.extend(event.lines())
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
