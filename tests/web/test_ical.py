"""RFC 5545 text: escaping, folding at 75 octets, UTC times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medsam_match.web.ical import CRLF, Event, calendar, escape_text, fold, utc_stamp


def unfold(text: str) -> str:
    return text.replace(CRLF + " ", "")


def test_escape_text_escapes_the_four_specials() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"
    assert escape_text("one\r\ntwo\rthree") == "one\\ntwo\\nthree"
    assert escape_text("bell\x07 and del\x7f") == "bell and del"
    assert escape_text("Språkkafé: «velkommen»") == "Språkkafé: «velkommen»"


def test_short_lines_are_not_folded() -> None:
    line = "SUMMARY:" + "x" * 67  # exactly 75 octets
    assert fold(line) == line


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "DESCRIPTION:" + "æøå€" * 40
    folded = fold(line)
    pieces = folded.split(CRLF)
    assert len(pieces) > 1
    for index, piece in enumerate(pieces):
        assert len(piece.encode("utf-8")) <= 75
        if index:
            assert piece.startswith(" ")
        piece.encode("utf-8").decode("utf-8")  # each piece is whole characters
    assert unfold(folded) == line


@given(st.text(min_size=0, max_size=400))
def test_fold_then_unfold_gives_back_the_line(text: str) -> None:
    line = "X-TEST:" + escape_text(text)
    folded = fold(line)
    assert unfold(folded) == line
    assert all(len(piece.encode("utf-8")) <= 75 for piece in folded.split(CRLF))


def test_utc_stamp_converts_and_refuses_naive_times() -> None:
    oslo_winter = timezone(timedelta(hours=1))
    assert utc_stamp(datetime(2027, 1, 12, 17, 0, tzinfo=oslo_winter)) == "20270112T160000Z"
    with pytest.raises(ValueError):
        utc_stamp(datetime(2027, 1, 12, 17, 0))


def test_calendar_has_crlf_line_ends_and_one_event_block_per_event() -> None:
    start = datetime(2027, 1, 12, 16, tzinfo=UTC)
    event = Event(uid="assignment-1@x", start=start, end=start + timedelta(hours=2),
                  summary="Språkkafé, vert; kl. 17", status="TENTATIVE", stamp=start,
                  location="Arendal bibliotek, Torvet 6")
    text = calendar([event, event], product_id="-//t//t//EN", name="Frivilligoppdrag")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert text.count("BEGIN:VEVENT") == 2
    assert "SUMMARY:Språkkafé\\, vert\\; kl. 17\r\n" in text
    assert "LOCATION:Arendal bibliotek\\, Torvet 6\r\n" in text
