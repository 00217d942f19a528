"""The four languages (nb, nn, da, en) and how each writes dates, times and
role names: plain functions any layer may use (the services writing e-mail
and SMS, the web pages, the reports). The page's choice of language (the
request, the switch, Flask-Babel's locale selector) lives in web/i18n.py.

Texts live in gettext catalogues under medsam_match/translations (the
message ids are the English texts; see docs/translations.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from babel.dates import format_date
from flask_babel import get_locale, lazy_pgettext

LANGUAGES = ("nb", "nn", "da", "en")
DEFAULT_LANGUAGE = "nb"
# Each language's name in itself, for the switch.
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "da": "Dansk", "en": "English"}
# Browser language tags that mean one of ours ("no" is Norwegian without a
# written standard named: bokmål is what most mean).
_TAG_ALIASES = {"no": "nb", "nb": "nb", "nn": "nn", "da": "da", "en": "en"}

# Role names a coordinator may have entered in English are shown in the
# page's language; others show as entered.
ROLE_NAMES = {
    "host": lazy_pgettext("role name", "host"),
    "helper": lazy_pgettext("role name", "helper"),
    "driver": lazy_pgettext("role name", "driver"),
    "interpreter": lazy_pgettext("role name", "interpreter"),
}

# Weekday and month names come from Babel's locale data; the order of the
# parts is each language's habit.
_DATE_PATTERNS = {"nb": "EEEE d. MMMM", "nn": "EEEE d. MMMM", "da": "EEEE 'den' d. MMMM",
                  "en": "EEEE d MMMM"}


def normalise(language: str | None) -> str | None:
    """One of LANGUAGES for a tag like 'nb', 'nb-NO', 'no', 'da_DK'; else None."""
    if not language:
        return None
    primary = language.strip().lower().replace("_", "-").split("-")[0]
    return _TAG_ALIASES.get(primary)


def choose_language(
    picked: str | None,
    municipality_locale: str | None,
    accepted: Iterable[str] = (),
) -> str:
    """The page's language: the user's pick, their municipality's locale,
    the browser's preferences (best first), or bokmål."""
    for candidate in (picked, municipality_locale, *accepted):
        language = normalise(candidate)
        if language is not None:
            return language
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of what is being rendered now (a request or force_locale)."""
    return normalise(str(get_locale())) or DEFAULT_LANGUAGE


# --- dates, times, roles ---------------------------------------------------------

def date_text(moment: datetime, *, with_year: bool = False, language: str | None = None) -> str:
    """'tirsdag 12. januar' / 'tirsdag den 12. januar' / 'Tuesday 12 January'."""
    language = language or current_language()
    pattern = _DATE_PATTERNS[language] + (" y" if with_year else "")
    return format_date(moment, pattern, locale=language)


def clock(moment: datetime, language: str | None = None) -> str:
    # Norwegian and Danish write 17.00; English 17:00.
    separator = ":" if (language or current_language()) == "en" else "."
    return f"{moment.hour:02d}{separator}{moment.minute:02d}"


def when_parts(start: datetime, end: datetime, *, today: datetime | None = None,
               language: str | None = None) -> tuple[str, str]:
    """('Tirsdag 12. januar', 'kl. 17.00–19.00'). The year is shown only
    when it is not the current one; a span past midnight names both days."""
    language = language or current_language()
    with_year = today is not None and start.year != today.year
    day = date_text(start, with_year=with_year, language=language)
    span = f"{clock(start, language)}–"
    if end.date() == start.date():
        span += clock(end, language)
    else:
        span += f"{date_text(end, with_year=with_year, language=language)} {clock(end, language)}"
    prefix = "" if language == "en" else "kl. "
    return day[0].upper() + day[1:], prefix + span


def when(start: datetime, end: datetime, *, today: datetime | None = None,
         language: str | None = None) -> str:
    """A local time span in one line: 'Tirsdag 12. januar kl. 17.00–19.00'."""
    language = language or current_language()
    day, span = when_parts(start, end, today=today, language=language)
    return f"{day}, {span}" if language == "en" else f"{day} {span}"


def role_name(role: str) -> str:
    name = ROLE_NAMES.get(role.strip().lower())
    return str(name) if name is not None else role


def upper_first(text: str) -> str:
    """'tirsdag 18. mai' -> 'Tirsdag 18. mai' (Jinja's capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "LANGUAGE_NAMES", "ROLE_NAMES", "choose_language",
           "clock", "current_language", "date_text", "normalise", "role_name", "upper_first",
           "when", "when_parts"]
