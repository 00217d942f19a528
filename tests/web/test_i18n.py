"""The pages' texts (gettext catalogues for nb, nn, da, en) and dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext

from medsam_match import create_app
from medsam_match.web.i18n import (
    LANGUAGES,
    TRANSLATIONS_DIR,
    choose_language,
    date_text,
    normalise,
    role_name,
    when,
)

OSLO = ZoneInfo("Europe/Oslo")
POT = TRANSLATIONS_DIR / "messages.pot"


def _catalogue(language: str):  # type: ignore[no-untyped-def]
    path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module")
def app():  # type: ignore[no-untyped-def]
    return create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "MEDSAM_SCHEDULER": "off"},
                      check_schema=False)


@pytest.mark.parametrize("language", ["nb", "nn", "da"])
def test_every_text_of_the_template_is_translated_with_the_same_fields(language: str) -> None:
    with POT.open("rb") as handle:
        template = read_po(handle)
    catalogue = _catalogue(language)
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id, context=message.context)
        assert found is not None and found.string, f"{message.id!r} has no {language} text"
        assert not found.fuzzy, f"{message.id!r} is fuzzy in {language}"
        # The same %(fields)s on both sides (python-format check by Babel).
        assert list(found.check(catalogue)) == [], message.id


def test_the_english_catalogue_says_every_text_as_written() -> None:
    """English is the code's own language: each msgstr is its msgid (none
    empty, so a catalogue tool never shows English as untranslated)."""
    with POT.open("rb") as handle:
        template = read_po(handle)
    catalogue = _catalogue("en")
    for message in template:
        if not message.id:
            continue
        found = catalogue.get(message.id, context=message.context)
        assert found is not None, f"{message.id!r} is missing from the English catalogue"
        expected = message.id if isinstance(message.id, str) else tuple(message.id)
        said = found.string if isinstance(found.string, str) else tuple(found.string)
        assert said == expected, (f"{message.id!r}: the English msgstr must repeat the msgid "
                                  "(docs/translations.md)")


def test_the_template_is_up_to_date_with_the_code() -> None:
    # Each text the code and the templates use is in the catalogue template
    # (`pybabel extract`, see docs/translations.md).
    with POT.open("rb") as handle:
        ids = {m.id for m in read_po(handle) if m.id}
    assert "The e-mail address or the password is wrong, or the account is disabled." in ids
    assert "Waiting for your answer" in ids


def test_the_compiled_catalogues_are_used(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        said = {}
        for language in LANGUAGES:
            with force_locale(language):
                said[language] = gettext("Upcoming assignments")
    assert said == {"nb": "Kommende oppdrag", "nn": "Komande oppdrag",
                    "da": "Kommende opgaver", "en": "Upcoming assignments"}
    with app.test_request_context(), force_locale("da"):
        assert gettext("Hello, %(name)s!", name="Mette") == "Hej Mette!"
        assert gettext("Too many wrong attempts. Wait %(seconds)s seconds and try again.",
                       seconds=12) == "For mange forkerte forsøg. Vent 12 sekunder, og prøv igen."


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
    assert when(start, end, today=datetime(2027, 1, 1, tzinfo=OSLO), language=language) == expected


def test_when_shows_the_year_when_it_is_not_this_one_and_both_days_across_midnight() -> None:
    start = datetime(2027, 12, 31, 22, 30, tzinfo=OSLO)
    end = datetime(2028, 1, 1, 0, 30, tzinfo=OSLO)
    text = when(start, end, today=datetime(2026, 11, 27, tzinfo=OSLO), language="en")
    assert text == "Friday 31 December 2027, 22:30–Saturday 1 January 2028 00:30"
    assert date_text(datetime(2027, 3, 6, tzinfo=OSLO), language="nn") == "laurdag 6. mars"
    assert date_text(datetime(2027, 5, 2, tzinfo=OSLO), language="da") == "søndag den 2. maj"


def test_roles_in_english_are_translated_others_kept(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        with force_locale("nn"):
            assert role_name("helper") == "hjelpar"
        with force_locale("da"):
            assert role_name("Host") == "vært"
        with force_locale("en"):
            assert role_name("driver") == "driver"
        with force_locale("nb"):
            assert role_name("Kafévert") == "Kafévert"
