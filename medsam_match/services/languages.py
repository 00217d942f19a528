"""Spoken languages as ISO 639-1 codes ("ar", "uk", "no"), named in the reader's language.

The codes and names come from Babel's CLDR locale data: every two-letter code
CLDR names in English is accepted (the 183 of ISO 639-1, plus the retired
"sh"), and `language_name("ar", "nb")` is "arabisk". Codes are stored in
lower case; input in any case is read as lower case.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel import Locale, UnknownLocaleError

FALLBACK_LOCALE = "en"


@cache
def iso_639_1_codes() -> frozenset[str]:
    """Every two-letter language code CLDR has a name for."""
    return frozenset(
        code
        for code in Locale.parse("en").languages
        if len(code) == 2 and code.isascii() and code.isalpha() and code.islower()
    )


def normalize_code(value: str) -> str | None:
    """The code in lower case if `value` is an ISO 639-1 code, else None."""
    code = value.strip().lower()
    return code if code in iso_639_1_codes() else None


@cache
def _names(locale: str) -> dict[str, str]:
    try:
        parsed = Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        parsed = Locale.parse(FALLBACK_LOCALE)
    return dict(parsed.languages)


def language_name(code: str, locale: str) -> str:
    """The language's name in `locale` (nb, nn, da, en, ...): "arabisk" for ("ar", "nb").

    An unknown code is returned as it is, so old data stays readable.
    """
    return _names(locale).get(code) or _names(FALLBACK_LOCALE).get(code) or code


def language_names(codes: Iterable[str], locale: str) -> list[str]:
    """The names of `codes` in `locale`, in the order given."""
    return [language_name(code, locale) for code in codes]


def language_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name) of every language, sorted by name in `locale`: for a picker."""
    return sorted(
        ((code, language_name(code, locale)) for code in iso_639_1_codes()),
        key=lambda pair: pair[1].casefold(),
    )
