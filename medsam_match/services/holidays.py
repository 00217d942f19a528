"""Days most volunteer centres are closed: public holidays of Norway and Denmark.

The dates and names come from the `holidays` package (its `public` category:
the statutory days off, e.g. 17 May in Norway, Easter, Ascension, Whit Monday,
25 and 26 December). Christmas Eve and New Year's Eve are not statutory public
holidays in either country (the package lists them for Denmark only, as
`optional`), yet almost every centre is closed on them, so they count here too
(`EVES`). Names are given in the reader's language where the package has it
(nb and nn read the Norwegian names, which are Bokmål).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import holidays as holiday_calendars

SUPPORTED_COUNTRIES = ("NO", "DK")

# Not statutory, but closing days at nearly every centre: (month, day) -> names.
EVES: dict[tuple[int, int], dict[str, str]] = {
    (12, 24): {"nb": "Julaften", "nn": "Julaftan", "da": "Juleaftensdag", "en": "Christmas Eve"},
    (12, 31): {"nb": "Nyttårsaften", "nn": "Nyårsaftan", "da": "Nytårsaften", "en": "New Year's Eve"},
}

# The package's language for each of ours, per country (else the country's own).
_PACKAGE_LANGUAGE = {"nb": "no", "nn": "no", "da": "da", "en": "en_US"}


@dataclass(frozen=True)
class Holiday:
    day: date
    name: str


def _package_language(country: str, locale: str) -> str | None:
    wanted = _PACKAGE_LANGUAGE.get(locale)
    supported = holiday_calendars.country_holidays(country).supported_languages
    return wanted if wanted in supported else None


@cache
def _year(country: str, year: int, locale: str) -> dict[date, str]:
    calendar = holiday_calendars.country_holidays(
        country, years=year, language=_package_language(country, locale)
    )
    days = {day: str(name) for day, name in calendar.items()}
    fallback = "da" if country == "DK" else "nb"
    for (month, day_of_month), names in EVES.items():
        days.setdefault(date(year, month, day_of_month), names.get(locale, names[fallback]))
    return days


def holidays_between(country: str, first: date, last: date, locale: str = "en") -> list[Holiday]:
    """The closing days of `country` from `first` to `last` (both included), in order.

    An unknown country has none. `locale` (nb, nn, da, en) picks the names' language.
    """
    if country not in SUPPORTED_COUNTRIES or last < first:
        return []
    found: list[Holiday] = []
    for year in range(first.year, last.year + 1):
        for day, name in _year(country, year, locale).items():
            if first <= day <= last:
                found.append(Holiday(day, name))
    found.sort(key=lambda holiday: holiday.day)
    return found


def holiday_on(country: str, day: date, locale: str = "en") -> Holiday | None:
    """The closing day on `day`, if it is one."""
    found = holidays_between(country, day, day, locale)
    return found[0] if found else None
