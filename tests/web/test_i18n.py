"""The page's texts and dates in nb, nn, da and en."""

from __future__ import annotations

import string
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from medsam_match.web.i18n import (
    LANGUAGES,
    TEXTS,
    Translator,
    choose_language,
    normalise,
)

OSLO = ZoneInfo("Europe/Oslo")


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_exists_in_every_language_with_the_same_fields(key: str) -> None:
    texts = TEXTS[key]
    assert set(texts) == set(LANGUAGES)
    fields = {
        language: {name for _, name, _, _ in string.Formatter().parse(text) if name}
        for language, text in texts.items()
    }
    assert len(set(map(frozenset, fields.values()))) == 1, fields
    for language in ("nb", "nn", "da"):
        if key != "time_prefix":
            assert texts[language], f"{key} is empty in {language}"


def test_the_languages_say_different_things() -> None:
    # A text copied into the wrong language would show up here.
    assert len({TEXTS["upcoming_heading"][lang] for lang in LANGUAGES}) == 4
    assert TEXTS["confirm_button"]["nn"] == "Stadfest"
    assert TEXTS["confirm_button"]["da"] == "Bekræft"


@pytest.mark.parametrize(
    ("picked", "locale", "accepted", "expected"),
    [
        ("nn", "da", ["en"], "nn"),
        (None, "da", ["en"], "da"),
        (None, None, ["en-GB", "nb"], "en"),
        (None, None, ["de-DE", "da-DK"], "da"),
        (None, None, ["no"], "nb"),
        (None, None, ["sv", "de"], "nb"),
        ("xx", None, [], "nb"),
        ("EN_us", "nb", [], "en"),
    ],
)
def test_choose_language(picked: str | None, locale: str | None, accepted: list[str],
                         expected: str) -> None:
    assert choose_language(picked, locale, accepted) == expected


def test_normalise_rejects_what_is_not_ours() -> None:
    assert normalise("") is None
    assert normalise("sv-SE") is None
    assert normalise("nn-NO") == "nn"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Tirsdag 12. januar kl. 17.00–19.00"),
        ("nn", "Tysdag 12. januar kl. 17.00–19.00"),
        ("da", "Tirsdag den 12. januar kl. 17.00–19.00"),
        ("en", "Tuesday 12 January, 17:00–19:00"),
    ],
)
def test_when_in_each_language(language: str, expected: str) -> None:
    start = datetime(2027, 1, 12, 17, 0, tzinfo=OSLO)
    end = datetime(2027, 1, 12, 19, 0, tzinfo=OSLO)
    assert Translator(language).when(start, end, today=datetime(2027, 1, 1, tzinfo=OSLO)) == expected


def test_when_shows_the_year_when_it_is_not_this_one_and_both_days_across_midnight() -> None:
    start = datetime(2027, 12, 31, 22, 30, tzinfo=OSLO)
    end = datetime(2028, 1, 1, 0, 30, tzinfo=OSLO)
    text = Translator("en").when(start, end, today=datetime(2026, 11, 27, tzinfo=OSLO))
    assert text == "Friday 31 December 2027, 22:30–Saturday 1 January 2028 00:30"
    assert Translator("nn").date(datetime(2027, 3, 6, tzinfo=OSLO)) == "laurdag 6. mars"
    assert Translator("da").date(datetime(2027, 5, 2, tzinfo=OSLO)) == "søndag den 2. maj"


def test_roles_in_english_are_translated_others_kept() -> None:
    assert Translator("nn").role("helper") == "hjelpar"
    assert Translator("da").role("Host") == "vært"
    assert Translator("en").role("driver") == "driver"
    assert Translator("nb").role("Kafévert") == "Kafévert"


def test_fields_are_filled() -> None:
    assert Translator("da")("greeting", name="Mette") == "Hej Mette!"
    assert Translator("en")("signin_too_many", seconds=12) == (
        "Too many wrong attempts. Wait 12 seconds and try again.")
