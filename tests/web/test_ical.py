"""The iCalendar text of the feed: escaping, folding at 75 octets, CRLF, UTC
times. Written by the icalendar library; these are the properties a
calendar app depends on, checked on the output and by reading it back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from medsam_match.web.ical import CRLF, Event, calendar

START = datetime(2027, 1, 12, 16, tzinfo=UTC)


def unfold(text: str) -> str:
    return text.replace(CRLF + " ", "")


def _event(**fields: object) -> Event:
    values: dict[str, object] = {
        "uid": "assignment-1@x", "start": START, "end": START + timedelta(hours=2),
        "summary": "Språkkafé", "status": "TENTATIVE", "stamp": START}
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def _feed(*events: Event) -> str:
    return calendar(events, product_id="-//t//t//EN", name="Frivilligoppdrag")


def test_text_values_escape_the_four_specials() -> None:
    text = _feed(_event(summary="a\\b;c,d\ne", location="one\r\ntwo\rthree",
                        description="bell\x07 and del\x7f"))
    assert "SUMMARY:a\\\\b\\;c\\,d\\ne\r\n" in text
    assert "LOCATION:one\\ntwo\\nthree\r\n" in text
    assert "DESCRIPTION:bell and del\r\n" in text


def test_short_lines_are_not_folded() -> None:
    summary = "x" * 66  # "SUMMARY:" + 66 = 74 octets (the library folds from 75 on)
    assert f"SUMMARY:{summary}\r\n" in _feed(_event(summary=summary))


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    description = "æøå€" * 40
    text = _feed(_event(description=description))
    for line in text.split(CRLF):
        assert len(line.encode("utf-8")) <= 75
        line.encode("utf-8").decode("utf-8")  # each line is whole characters
    assert f"DESCRIPTION:{description}\r\n" in unfold(text)


@given(st.text(min_size=0, max_size=400))
def test_any_text_survives_the_round_trip(text: str) -> None:
    written = _feed(_event(summary=text or "x"))
    assert all(len(line.encode("utf-8")) <= 75 for line in written.split(CRLF))
    event = Calendar.from_ical(written).walk("VEVENT")[0]
    kept = "".join(ch for ch in (text or "x").replace("\r\n", "\n").replace("\r", "\n")
                   if ch in "\t\n" or ord(ch) >= 0x20 and ord(ch) != 0x7F)
    assert str(event["SUMMARY"]) == kept


def test_times_are_written_in_utc_and_naive_times_are_refused() -> None:
    oslo_winter = timezone(timedelta(hours=1))
    text = _feed(_event(start=datetime(2027, 1, 12, 17, 0, tzinfo=oslo_winter),
                        end=datetime(2027, 1, 12, 19, 0, tzinfo=oslo_winter)))
    assert "DTSTART:20270112T160000Z\r\n" in text
    assert "DTEND:20270112T180000Z\r\n" in text
    with pytest.raises(ValueError):
        _feed(_event(start=datetime(2027, 1, 12, 17, 0)))


def test_calendar_has_crlf_line_ends_and_one_event_block_per_event() -> None:
    event = _event(summary="Språkkafé, vert; kl. 17", location="Arendal bibliotek, Torvet 6",
                   geo=(58.4615, 8.7725), url="http://localhost/my/")
    text = _feed(event, event)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Språkkafé\\, vert\\; kl. 17\r\n" in text
    assert "LOCATION:Arendal bibliotek\\, Torvet 6\r\n" in text
    assert "GEO:58.4615;8.7725\r\n" in text
    assert "X-WR-CALNAME:Frivilligoppdrag\r\n" in text
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in text
