"""expand_availability: weekly local patterns and holidays to UTC intervals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medsam_match.services.availability import expand_availability

ZONES = ["Europe/Oslo", "Europe/Copenhagen"]
TUESDAY = 1
SUNDAY = 6


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def weekly(weekday: int, start: str, end: str) -> dict:
    return {"weekday": weekday, "start": start, "end": end}


@pytest.mark.parametrize("tz", ZONES)
def test_tuesday_evening_is_17_local_on_both_sides_of_the_autumn_change(tz: str) -> None:
    # Summer time ends on Sunday 2026-10-25.
    spans = expand_availability(
        [weekly(TUESDAY, "17:00", "19:00")], [], utc(2026, 10, 19), utc(2026, 11, 2), tz
    )
    assert spans == [
        (utc(2026, 10, 20, 15), utc(2026, 10, 20, 17)),  # CEST, +02:00
        (utc(2026, 10, 27, 16), utc(2026, 10, 27, 18)),  # CET, +01:00
    ]
    for start, end in spans:
        assert start.astimezone(ZoneInfo(tz)).strftime("%a %H:%M") == "Tue 17:00"
        assert end.astimezone(ZoneInfo(tz)).strftime("%a %H:%M") == "Tue 19:00"


@pytest.mark.parametrize("tz", ZONES)
def test_tuesday_evening_is_17_local_on_both_sides_of_the_spring_change(tz: str) -> None:
    # Summer time starts on Sunday 2027-03-28.
    spans = expand_availability(
        [weekly(TUESDAY, "17:00", "19:00")], [], utc(2027, 3, 22), utc(2027, 4, 5), tz
    )
    assert spans == [
        (utc(2027, 3, 23, 16), utc(2027, 3, 23, 18)),  # CET
        (utc(2027, 3, 30, 15), utc(2027, 3, 30, 17)),  # CEST
    ]


@pytest.mark.parametrize("tz", ZONES)
def test_spring_forward_night_skipped_local_times_never_happen(tz: str) -> None:
    # 2027-03-28: the clock jumps from 02:00 CET (01:00Z) to 03:00 CEST.
    window = (utc(2027, 3, 27, 12), utc(2027, 3, 28, 12))

    def sunday(start: str, end: str) -> list:
        return expand_availability([weekly(SUNDAY, start, end)], [], *window, tz)

    # Ends when the clock jumps over 02:30: one hour of real time.
    assert sunday("01:00", "02:30") == [(utc(2027, 3, 28, 0), utc(2027, 3, 28, 1))]
    # Wholly inside the skipped hour: nothing that night.
    assert sunday("02:15", "02:45") == []
    # Starts when the clock jumps over 02:30, i.e. at 03:00 CEST.
    assert sunday("02:30", "04:00") == [(utc(2027, 3, 28, 1), utc(2027, 3, 28, 2))]
    # Across the jump: 01:00 CET to 04:00 CEST is two hours of real time.
    assert sunday("01:00", "04:00") == [(utc(2027, 3, 28, 0), utc(2027, 3, 28, 2))]


@pytest.mark.parametrize("tz", ZONES)
def test_fall_back_night_repeated_local_times_count_twice(tz: str) -> None:
    # 2026-10-25: the clock turns back from 03:00 CEST (01:00Z) to 02:00 CET.
    window = (utc(2026, 10, 24, 12), utc(2026, 10, 25, 12))

    def sunday(start: str, end: str) -> list:
        return expand_availability([weekly(SUNDAY, start, end)], [], *window, tz)

    assert sunday("02:15", "02:45") == [
        (utc(2026, 10, 25, 0, 15), utc(2026, 10, 25, 0, 45)),  # first pass, CEST
        (utc(2026, 10, 25, 1, 15), utc(2026, 10, 25, 1, 45)),  # second pass, CET
    ]
    # 01:00 CEST to 04:00 CET: four hours of real time.
    assert sunday("01:00", "04:00") == [(utc(2026, 10, 24, 23), utc(2026, 10, 25, 3))]
    # Up to the repeated hour: until the clock first shows 02:00, and the whole
    # repeated hour 02:00-02:59 is not part of it.
    assert sunday("00:00", "02:00") == [(utc(2026, 10, 24, 22), utc(2026, 10, 25, 0))]


def test_empty_weekly_means_never_available() -> None:
    assert expand_availability([], [], utc(2026, 12, 1), utc(2026, 12, 31), "Europe/Oslo") == []


def test_every_weekday_is_expanded_in_local_time() -> None:
    pattern = [weekly(day, "09:00", "10:00") for day in range(7)]
    spans = expand_availability(pattern, [], utc(2026, 12, 7), utc(2026, 12, 14), "Europe/Oslo")
    assert [(s.astimezone(ZoneInfo("Europe/Oslo")).strftime("%a %H:%M")) for s, _ in spans] == [
        "Mon 09:00", "Tue 09:00", "Wed 09:00", "Thu 09:00", "Fri 09:00", "Sat 09:00", "Sun 09:00"
    ]
    assert all(end - start == timedelta(hours=1) for start, end in spans)


def test_holidays_cut_holes() -> None:
    pattern = [weekly(day, "09:00", "17:00") for day in range(5)]  # Mon-Fri, CET in December
    holidays = [
        # Wednesday afternoon off, given with an offset.
        {"start": "2026-12-09T12:00:00+01:00", "end": "2026-12-09T14:00:00+01:00"},
        # All of Thursday and Friday morning, given in UTC as a datetime.
        {"start": utc(2026, 12, 10, 0), "end": utc(2026, 12, 11, 10)},
    ]
    spans = expand_availability(pattern, holidays, utc(2026, 12, 9), utc(2026, 12, 12), "Europe/Oslo")
    assert spans == [
        (utc(2026, 12, 9, 8), utc(2026, 12, 9, 11)),
        (utc(2026, 12, 9, 13), utc(2026, 12, 9, 16)),
        (utc(2026, 12, 11, 10), utc(2026, 12, 11, 16)),
    ]


def test_a_holiday_covering_the_whole_window_leaves_nothing() -> None:
    pattern = [weekly(day, "00:00", "24:00") for day in range(7)]
    holidays = [{"start": "2026-07-01T00:00:00Z", "end": "2026-08-01T00:00:00Z"}]
    assert expand_availability(pattern, holidays, utc(2026, 7, 6), utc(2026, 7, 20), "Europe/Oslo") == []


def test_clipped_to_the_window() -> None:
    spans = expand_availability(
        [weekly(TUESDAY, "17:00", "19:00")],
        [],
        utc(2026, 12, 8, 17),  # 18:00 local, in the middle of the first Tuesday
        utc(2026, 12, 15, 17),  # 18:00 local, a week later
        "Europe/Oslo",
    )
    assert spans == [
        (utc(2026, 12, 8, 17), utc(2026, 12, 8, 18)),
        (utc(2026, 12, 15, 16), utc(2026, 12, 15, 17)),
    ]


def test_overlapping_and_touching_windows_are_merged() -> None:
    pattern = [
        weekly(TUESDAY, "09:00", "12:00"),
        weekly(TUESDAY, "12:00", "15:00"),  # touches the first
        weekly(TUESDAY, "14:00", "16:00"),  # overlaps the second
        weekly(TUESDAY, "10:00", "11:00"),  # inside the first
        weekly(SUNDAY, "22:00", "24:00"),
        weekly(0, "00:00", "01:00"),  # Monday, continues Sunday's evening
    ]
    spans = expand_availability(pattern, [], utc(2026, 12, 6), utc(2026, 12, 10), "Europe/Oslo")
    assert spans == [
        (utc(2026, 12, 6, 21), utc(2026, 12, 7, 0)),
        (utc(2026, 12, 8, 8), utc(2026, 12, 8, 15)),
    ]


def test_a_window_ending_before_its_start_crosses_midnight() -> None:
    spans = expand_availability(
        [weekly(4, "22:00", "02:00")], [], utc(2026, 12, 7), utc(2026, 12, 14), "Europe/Oslo"
    )
    assert spans == [(utc(2026, 12, 11, 21), utc(2026, 12, 12, 1))]  # Fri 22:00 - Sat 02:00


def test_midnight_crossing_from_the_day_before_the_window_is_kept() -> None:
    spans = expand_availability(
        [weekly(4, "22:00", "02:00")], [], utc(2026, 12, 12, 0), utc(2026, 12, 13), "Europe/Oslo"
    )
    assert spans == [(utc(2026, 12, 12, 0), utc(2026, 12, 12, 1))]


def test_results_are_aware_utc() -> None:
    spans = expand_availability(
        [weekly(TUESDAY, "17:00", "19:00")],
        [],
        datetime(2026, 12, 7, tzinfo=ZoneInfo("Europe/Copenhagen")),
        datetime(2026, 12, 14, tzinfo=ZoneInfo("Europe/Copenhagen")),
        "Europe/Copenhagen",
    )
    assert spans and all(s.tzinfo is UTC and e.tzinfo is UTC for s, e in spans)


def test_an_empty_or_reversed_window_gives_nothing() -> None:
    pattern = [weekly(TUESDAY, "17:00", "19:00")]
    assert expand_availability(pattern, [], utc(2026, 12, 8), utc(2026, 12, 8), "Europe/Oslo") == []
    assert expand_availability(pattern, [], utc(2026, 12, 9), utc(2026, 12, 1), "Europe/Oslo") == []


@pytest.mark.parametrize(
    ("pattern", "holidays", "message"),
    [
        ([weekly(7, "17:00", "19:00")], [], "weekday"),
        ([weekly(-1, "17:00", "19:00")], [], "weekday"),
        ([{"weekday": "1", "start": "17:00", "end": "19:00"}], [], "weekday"),
        ([weekly(1, "25:00", "26:00")], [], "time of day"),
        ([weekly(1, "17:60", "19:00")], [], "time of day"),
        ([weekly(1, "24:00", "19:00")], [], "time of day"),
        ([weekly(1, "7:00", "9:00")], [], "HH:MM"),
        ([weekly(1, "17:00", "17:00")], [], "differ"),
        ([{"weekday": 1, "start": "17:00"}], [], "time of day"),
        ([], [{"start": "2026-12-08T17:00:00", "end": "2026-12-08T19:00:00+01:00"}], "offset"),
        ([], [{"start": "2026-12-08T19:00:00Z", "end": "2026-12-08T17:00:00Z"}], "after start"),
        ([], [{"start": "2026-12-08T17:00:00Z"}], r"unavailable\[0\]"),
        ([], [{"start": "yesterday", "end": "2026-12-08T17:00:00Z"}], "ISO 8601"),
    ],
)
def test_malformed_input_is_refused(pattern: list, holidays: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        expand_availability(pattern, holidays, utc(2026, 12, 7), utc(2026, 12, 14), "Europe/Oslo")


def test_a_naive_window_is_refused() -> None:
    with pytest.raises(ValueError, match="offset"):
        expand_availability([], [], datetime(2026, 12, 7), utc(2026, 12, 14), "Europe/Oslo")


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="Mars"):
        expand_availability([], [], utc(2026, 12, 7), utc(2026, 12, 14), "Europe/Mars")


# The property behind every rule above: an instant is available exactly when
# its local wall-clock time lies in a weekly window of its local day (or of the
# day before, for windows crossing midnight) and no holiday covers it.

def _available_by_wall_clock(instant: datetime, pattern: list[dict], holidays: list, tz: str) -> bool:
    if any(h["start"] <= instant < h["end"] for h in holidays):
        return False
    local = instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    for entry in pattern:
        start_h, start_m = map(int, entry["start"].split(":"))
        end_h, end_m = map(int, entry["end"].split(":"))
        start = timedelta(hours=start_h, minutes=start_m)
        end = timedelta(hours=end_h, minutes=end_m)
        if end <= start:
            end += timedelta(days=1)
        for day_back in (0, 1):
            day = local.date() - timedelta(days=day_back)
            if day.weekday() != entry["weekday"]:
                continue
            midnight = datetime.combine(day, datetime.min.time())
            if midnight + start <= local < midnight + end:
                return True
    return False


clock = st.tuples(st.integers(0, 23), st.sampled_from([0, 15, 30, 45])).map(
    lambda hm: f"{hm[0]:02d}:{hm[1]:02d}"
)
entry = st.builds(
    lambda day, start, end: {"weekday": day, "start": start, "end": end},
    st.integers(0, 6),
    clock,
    st.one_of(clock, st.just("24:00")),
).filter(lambda e: e["start"] != e["end"])


@settings(max_examples=40, deadline=None)
@given(
    pattern=st.lists(entry, max_size=4),
    tz=st.sampled_from(ZONES),
    change=st.sampled_from([utc(2026, 10, 25, 1), utc(2027, 3, 28, 1)]),
    hole_hours=st.lists(st.tuples(st.integers(-60, 60), st.integers(1, 30)), max_size=2),
)
def test_matches_the_wall_clock_around_a_change(
    pattern: list[dict], tz: str, change: datetime, hole_hours: list[tuple[int, int]]
) -> None:
    window_from, window_to = change - timedelta(days=3), change + timedelta(days=3)
    holidays = [
        {"start": change + timedelta(hours=a), "end": change + timedelta(hours=a + length)}
        for a, length in hole_hours
    ]
    spans = expand_availability(pattern, holidays, window_from, window_to, tz)

    assert all(s < e for s, e in spans)
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))  # sorted, merged
    instant = window_from
    while instant < window_to:
        inside = any(s <= instant < e for s, e in spans)
        assert inside == _available_by_wall_clock(instant, pattern, holidays, tz), instant
        instant += timedelta(minutes=15)
