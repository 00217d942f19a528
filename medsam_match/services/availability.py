"""A volunteer's availability as absolute UTC intervals.

Volunteers state their availability the way people think of it: a weekly
pattern in local wall-clock time ("Tuesdays 17:00-19:00") plus exceptions
(holidays, given as absolute times). `expand_availability` turns both into
the half-open `[start, end)` UTC intervals the solver works with.

The rules, chosen so that the answer is always what a wall clock shows:

- An instant is available when the local wall-clock time at that instant
  lies inside one of the weekly windows of that local day, and no
  `unavailable` interval covers it. Tuesday 17:00-19:00 is therefore
  17:00 local on both sides of a daylight-saving change (16:00Z in winter,
  15:00Z in summer).
- `end` "24:00" means midnight at the end of the day. A window whose end is
  earlier than its start crosses midnight: Friday 22:00-02:00 runs from
  Friday 22:00 to Saturday 02:00. A window whose end equals its start is
  rejected (empty or a whole day: too easy to mean the wrong one).
- Spring forward (the clock jumps 02:00 -> 03:00): local times in the
  skipped hour never happen. A window 01:00-02:30 ends when the clock jumps
  (one hour of real time); a window wholly inside the skipped hour is empty
  that day.
- Fall back (the clock turns 03:00 -> 02:00): local times in the repeated
  hour happen twice, and both count. A window 02:15-02:45 gives two
  intervals that night; 01:00-04:00 gives four hours of real time.

Pure Python (zoneinfo): no database, no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Span = tuple[datetime, datetime]

_CLOCK = re.compile(r"^(\d{2}):(\d{2})$")
_MINUTES_PER_DAY = 24 * 60


def parse_clock(text: str, *, allow_midnight_end: bool = False) -> int:
    """Minutes after local midnight for "HH:MM" (00:00..23:59, or 24:00 as an end)."""
    match = _CLOCK.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError("not a time of day, expected HH:MM")
    hours, minutes = int(match[1]), int(match[2])
    if allow_midnight_end and hours == 24 and minutes == 0:
        return _MINUTES_PER_DAY
    if hours > 23 or minutes > 59:
        raise ValueError("not a time of day, expected HH:MM between 00:00 and 23:59")
    return hours * 60 + minutes


def weekly_window_minutes(start: str, end: str) -> tuple[int, int]:
    """A weekly window's start and end in minutes after the day's midnight.

    The end may exceed 24*60 when the window crosses midnight.
    """
    if isinstance(start, str) and isinstance(end, str):
        return _window_minutes(start, end)  # the same few clock pairs, over and over
    return _window_minutes.__wrapped__(start, end)


@lru_cache(maxsize=4096)
def _window_minutes(start: str, end: str) -> tuple[int, int]:
    start_min = parse_clock(start)
    end_min = parse_clock(end, allow_midnight_end=True)
    if end_min == start_min:
        raise ValueError("end must differ from start")
    if end_min < start_min:
        end_min += _MINUTES_PER_DAY
    return start_min, end_min


def parse_instant(value: datetime | str) -> datetime:
    """An aware datetime (or ISO 8601 string with offset) as aware UTC."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not an ISO 8601 time: {value!r}") from None
    if not isinstance(value, datetime):
        raise ValueError("expected a time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("time needs a UTC offset, e.g. 2026-12-08T17:00:00+01:00")
    return value.astimezone(UTC)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, with overlapping or touching spans joined; empty spans dropped."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def subtract(spans: list[Span], holes: list[Span]) -> list[Span]:
    """`spans` minus `holes`; both sorted and merged."""
    result: list[Span] = []
    hole_index = 0
    for start, end in spans:
        cursor = start
        while hole_index < len(holes) and holes[hole_index][1] <= cursor:
            hole_index += 1
        index = hole_index
        while index < len(holes) and holes[index][0] < end:
            hole_start, hole_end = holes[index]
            if hole_start > cursor:
                result.append((cursor, hole_start))
            cursor = max(cursor, hole_end)
            index += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def clip(spans: Iterable[Span], window_from: datetime, window_to: datetime) -> list[Span]:
    clipped = ((max(s, window_from), min(e, window_to)) for s, e in spans)
    return [(s, e) for s, e in clipped if s < e]


# A scenario expands every volunteer over the same window: find its offsets once.
@lru_cache(maxsize=64)
def _offset_segments(
    zone: ZoneInfo, start: datetime, end: datetime
) -> tuple[tuple[datetime, datetime, timedelta], ...]:
    """[from, to, utc offset] pieces of constant offset covering [start, end) in UTC.

    Scans hour by hour and pins each change to the second; zones change their
    offset at most a few times a year, never twice within an hour.
    """

    def offset_at(instant: datetime) -> timedelta:
        offset = instant.astimezone(zone).utcoffset()
        assert offset is not None
        return offset

    segments: list[tuple[datetime, datetime, timedelta]] = []
    segment_start = start
    current = offset_at(start)
    probe = start
    step = timedelta(hours=1)
    while probe < end:
        following = min(probe + step, end)
        if offset_at(following) != current:
            low, high = probe, following  # offset(low) == current != offset(high)
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if offset_at(middle) == current:
                    low = middle
                else:
                    high = middle
            change = high.replace(microsecond=0)
            if offset_at(change) == current:
                change += timedelta(seconds=1)
            segments.append((segment_start, change, current))
            segment_start, current = change, offset_at(change)
        probe = following
    segments.append((segment_start, end, current))
    return tuple(segments)


def _local_windows(
    weekly: Sequence[Mapping[str, Any]], first_day: date, last_day: date
) -> list[tuple[datetime, datetime]]:
    """Each weekly window on each local day, as naive local wall-clock datetimes."""
    by_weekday: dict[int, list[tuple[int, int]]] = {}
    for index, entry in enumerate(weekly):
        weekday = entry.get("weekday")
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            raise ValueError(f"weekly[{index}].weekday must be 0 (Monday) to 6 (Sunday)")
        try:
            window = weekly_window_minutes(entry.get("start", ""), entry.get("end", ""))
        except ValueError as error:
            raise ValueError(f"weekly[{index}]: {error}") from None
        by_weekday.setdefault(weekday, []).append(window)
    windows = []
    day = first_day
    while day <= last_day:
        midnight = datetime.combine(day, time())
        for start_min, end_min in by_weekday.get(day.weekday(), []):
            windows.append(
                (midnight + timedelta(minutes=start_min), midnight + timedelta(minutes=end_min))
            )
        day += timedelta(days=1)
    return windows


def _parse_unavailable(unavailable: Sequence[Mapping[str, Any]]) -> list[Span]:
    holes = []
    for index, entry in enumerate(unavailable):
        try:
            hole_start, hole_end = parse_instant(entry["start"]), parse_instant(entry["end"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"unavailable[{index}]: {error}") from None
        if hole_end <= hole_start:
            raise ValueError(f"unavailable[{index}]: end must be after start")
        holes.append((hole_start, hole_end))
    return holes


def expand_availability(
    weekly: Sequence[Mapping[str, Any]],
    unavailable: Sequence[Mapping[str, Any]],
    window_from: datetime,
    window_to: datetime,
    tz: str,
) -> list[Span]:
    """The volunteer's available time in `[window_from, window_to)` as aware UTC spans.

    Sorted, merged (touching spans joined) and clipped to the window; see the
    module docstring for the rules at midnight and daylight-saving changes.
    An empty `weekly` means never available. Raises ValueError on a malformed
    entry, a naive time or an unknown zone.
    """
    window_from, window_to = parse_instant(window_from), parse_instant(window_to)
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone: {tz!r}") from None
    holes = _parse_unavailable(unavailable)
    if window_to <= window_from or not weekly:
        return []

    # Local days whose windows can reach into the UTC window: one day of margin
    # each side covers any offset, and windows that cross midnight.
    first_day = window_from.astimezone(zone).date() - timedelta(days=1)
    last_day = window_to.astimezone(zone).date() + timedelta(days=1)
    # Pieces outside the window would be clipped away, so offsets inside it suffice.
    segments = _offset_segments(zone, window_from, window_to)

    pieces: list[Span] = []
    for local_start, local_end in _local_windows(weekly, first_day, last_day):
        # Within a segment the offset is fixed, so local time = UTC + offset and
        # the instants showing [local_start, local_end) are a single interval.
        for seg_start, seg_end, offset in segments:
            start = max(seg_start, (local_start - offset).replace(tzinfo=UTC))
            end = min(seg_end, (local_end - offset).replace(tzinfo=UTC))
            if start < end:
                pieces.append((start, end))

    available = subtract(merge(pieces), merge(holes))
    return clip(available, window_from, window_to)
