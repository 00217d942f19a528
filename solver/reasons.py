"""Why a slot stays empty, said in the coordinator's own language.

`solver.explain` gives every `unfilled` entry a `why`: a code from `CODES`
and the params needed to phrase it. `render_reason(why, locale)` turns it into
one sentence in English (`en`), Norwegian bokmål (`nb`), nynorsk (`nn`) or
Danish (`da`); any other locale gets English. The English sentence is the
entry's `reason`.

| code | params | said when |
|---|---|---|
| `no_volunteers` | — | the scenario has no volunteers at all |
| `nobody` | `rule` + facts | one rule alone excludes everybody |
| `nobody_pair` | `rules` [first, second] + facts | everybody who passes `first` fails `second` |
| `nobody_combined` | `excluded` {rule: count} | no rule or pair explains it; only all rules together |
| `too_few` | `candidates`, `serving`, `occupied` | everyone eligible already serves here or is taken |
| `free_but_outweighed` | `free`, `candidates`, `serving`, `occupied` | eligible people are free; the plan chose otherwise |

Facts, given for each rule a sentence names: `skills` and `languages` (sorted
lists) for those rules, `certificate` (the kind) and `date` (`YYYY-MM-DD`,
the session's local date) for the certificate rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .eligibility import RULES

NO_VOLUNTEERS = "no_volunteers"
NOBODY = "nobody"
NOBODY_PAIR = "nobody_pair"
NOBODY_COMBINED = "nobody_combined"
TOO_FEW = "too_few"
FREE_BUT_OUTWEIGHED = "free_but_outweighed"

CODES: tuple[str, ...] = (
    NO_VOLUNTEERS, NOBODY, NOBODY_PAIR, NOBODY_COMBINED, TOO_FEW, FREE_BUT_OUTWEIGHED,
)

#: The rules a `why` may name, in the order of `unfilled[].excluded`.
RULE_NAMES: tuple[str, ...] = RULES

LOCALES: tuple[str, ...] = ("en", "nb", "nn", "da")
FALLBACK_LOCALE = "en"

#: The certificate kind that is a politiattest in Norway, a børneattest in Denmark.
POLICE = "police"


@dataclass(frozen=True)
class Phrasebook:
    """Everything one language needs to phrase every code.

    `qualifiers` describe the people who pass a rule and are glued straight
    after "Nobody"/"Ingen", so each brings its own leading space or comma
    (Danish sets a relative clause off with commas on both sides, Norwegian
    after it). `predicates` say what fails a rule. Templates take the fields
    `skills`, `languages`, `certificate`, `date`, `names` and `n`; pairs
    are (one, many).
    """

    nobody: str
    and_: str
    or_: str
    skills: tuple[str, str]
    certificate: Callable[[str], str]
    date: Callable[[date], str]
    qualifiers: Mapping[str, str]
    predicates: Mapping[str, str]
    rule_names: Mapping[str, str]
    combined: str
    no_volunteers: str
    qualify: tuple[str, str]
    serving: tuple[str, str]
    occupied: tuple[str, str]
    free: tuple[str, str]


def _long_date(months: tuple[str, ...]) -> Callable[[date], str]:
    """`8. desember 2026`, as Norwegian and Danish write a date in prose."""
    return lambda day: f"{day.day}. {months[day.month - 1]} {day.year}"


def _certificate(police: str, other: str) -> Callable[[str], str]:
    return lambda kind: police if kind == POLICE else other.format(kind=kind)


_NO_MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
              "september", "oktober", "november", "desember")
_DA_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
              "september", "oktober", "november", "december")

ENGLISH = Phrasebook(
    nobody="Nobody",
    and_="and",
    or_="or",
    skills=("the skill {names}", "the skills {names}"),
    certificate=lambda kind: kind,
    date=date.isoformat,
    qualifiers={
        "availability": " available at this time",
        "skills": " with {skills}",
        "languages": " who speaks {languages}",
        "certificate": " with a valid {certificate} certificate",
        "distance": " living within their travel limit",
        "forbidden": " who has not declined this session",
    },
    predicates={
        "availability": "is available at this time",
        "skills": "has {skills}",
        "languages": "speaks {languages}",
        "certificate": "holds a {certificate} certificate valid on {date}",
        "distance": "lives within their travel limit of the place",
        "forbidden": "is left who has not declined this session",
    },
    rule_names={rule: rule for rule in RULE_NAMES},
    combined="Nobody meets every requirement at once (excluded by {counts}).",
    no_volunteers="There are no volunteers in the scenario.",
    qualify=("Only {n} volunteer qualifies", "Only {n} volunteers qualify"),
    serving=("{n} already serves here", "{n} already serve here"),
    occupied=("{n} is busy elsewhere at this time or at their weekly limit",
              "{n} are busy elsewhere at this time or at their weekly limit"),
    free=("{n} qualified volunteer is still free, but the plan weighs other goals "
          "(fairness, travel, other sessions) above this slot.",
          "{n} qualified volunteers are still free, but the plan weighs other goals "
          "(fairness, travel, other sessions) above this slot."),
)

BOKMAAL = Phrasebook(
    nobody="Ingen",
    and_="og",
    or_="eller",
    skills=("ferdigheten {names}", "ferdighetene {names}"),
    certificate=_certificate("politiattest", "attest av typen {kind}"),
    date=_long_date(_NO_MONTHS),
    qualifiers={
        "availability": " som er ledig på dette tidspunktet,",
        "skills": " med {skills}",
        "languages": " som snakker {languages},",
        "certificate": " med gyldig {certificate}",
        "distance": " som bor innenfor reisegrensen sin,",
        "forbidden": " som ikke har takket nei til denne økten,",
    },
    predicates={
        "availability": "er ledig på dette tidspunktet",
        "skills": "har {skills}",
        "languages": "snakker {languages}",
        "certificate": "har gyldig {certificate} per {date}",
        "distance": "bor innenfor reisegrensen sin",
        "forbidden": "er igjen som ikke har takket nei til denne økten",
    },
    rule_names={"availability": "ledig tid", "skills": "ferdigheter", "languages": "språk",
                "certificate": "attest", "distance": "reisegrense", "forbidden": "takket nei"},
    combined="Ingen oppfyller alle kravene samtidig (utelukket per regel: {counts}).",
    no_volunteers="Det finnes ingen frivillige å planlegge med.",
    qualify=("Bare {n} frivillig oppfyller kravene", "Bare {n} frivillige oppfyller kravene"),
    serving=("{n} er allerede med her", "{n} er allerede med her"),
    occupied=("{n} er satt opp et annet sted på dette tidspunktet eller har nådd ukegrensen sin",
              "{n} er satt opp et annet sted på dette tidspunktet eller har nådd ukegrensen sin"),
    free=("{n} kvalifisert frivillig er fortsatt ledig, men planen vekter andre mål "
          "(rettferdig fordeling, reiseavstand, andre økter) høyere enn denne rollen.",
          "{n} kvalifiserte frivillige er fortsatt ledige, men planen vekter andre mål "
          "(rettferdig fordeling, reiseavstand, andre økter) høyere enn denne rollen."),
)

NYNORSK = Phrasebook(
    nobody="Ingen",
    and_="og",
    or_="eller",
    skills=("ferdigheita {names}", "ferdigheitene {names}"),
    certificate=_certificate("politiattest", "attest av typen {kind}"),
    date=_long_date(_NO_MONTHS),
    qualifiers={
        "availability": " som er ledig på dette tidspunktet,",
        "skills": " med {skills}",
        "languages": " som snakkar {languages},",
        "certificate": " med gyldig {certificate}",
        "distance": " som bur innanfor reisegrensa si,",
        "forbidden": " som ikkje har takka nei til denne økta,",
    },
    predicates={
        "availability": "er ledig på dette tidspunktet",
        "skills": "har {skills}",
        "languages": "snakkar {languages}",
        "certificate": "har gyldig {certificate} per {date}",
        "distance": "bur innanfor reisegrensa si",
        "forbidden": "er att som ikkje har takka nei til denne økta",
    },
    rule_names={"availability": "ledig tid", "skills": "ferdigheiter", "languages": "språk",
                "certificate": "attest", "distance": "reisegrense", "forbidden": "takka nei"},
    combined="Ingen oppfyller alle krava samstundes (tal som fell ut per regel: {counts}).",
    no_volunteers="Det finst ingen frivillige å planleggje med.",
    qualify=("Berre {n} frivillig oppfyller krava", "Berre {n} frivillige oppfyller krava"),
    serving=("{n} er allereie med her", "{n} er allereie med her"),
    occupied=("{n} er sett opp ein annan stad på dette tidspunktet eller har nådd vekegrensa si",
              "{n} er sett opp ein annan stad på dette tidspunktet eller har nådd vekegrensa si"),
    free=("{n} kvalifisert frivillig er framleis ledig, men planen vektar andre mål "
          "(rettferdig fordeling, reiseavstand, andre økter) høgare enn denne rolla.",
          "{n} kvalifiserte frivillige er framleis ledige, men planen vektar andre mål "
          "(rettferdig fordeling, reiseavstand, andre økter) høgare enn denne rolla."),
)

DANISH = Phrasebook(
    nobody="Ingen",
    and_="og",
    or_="eller",
    skills=("færdigheden {names}", "færdighederne {names}"),
    certificate=_certificate("børneattest", "attest af typen {kind}"),
    date=_long_date(_DA_MONTHS),
    qualifiers={
        "availability": ", der er til rådighed på dette tidspunkt,",
        "skills": " med {skills}",
        "languages": ", der taler {languages},",
        "certificate": " med gyldig {certificate}",
        "distance": ", der bor inden for deres rejsegrænse,",
        "forbidden": ", der ikke har meldt fra til dette arrangement,",
    },
    predicates={
        "availability": "er til rådighed på dette tidspunkt",
        "skills": "har {skills}",
        "languages": "taler {languages}",
        "certificate": "har en gyldig {certificate} den {date}",
        "distance": "bor inden for deres rejsegrænse",
        "forbidden": "er tilbage, der ikke har meldt fra til dette arrangement",
    },
    rule_names={"availability": "ledig tid", "skills": "færdigheder", "languages": "sprog",
                "certificate": "attest", "distance": "rejsegrænse", "forbidden": "meldt fra"},
    combined="Ingen opfylder alle krav på én gang (udelukket pr. regel: {counts}).",
    no_volunteers="Der er ingen frivillige at planlægge med.",
    qualify=("Kun {n} frivillig opfylder kravene", "Kun {n} frivillige opfylder kravene"),
    serving=("{n} er allerede med her", "{n} er allerede med her"),
    occupied=("{n} er optaget andetsteds på dette tidspunkt eller har nået sin ugegrænse",
              "{n} er optaget andetsteds på dette tidspunkt eller har nået deres ugegrænse"),
    free=("{n} kvalificeret frivillig er stadig ledig, men planen vægter andre mål "
          "(retfærdig fordeling, rejseafstand, andre arrangementer) højere end denne rolle.",
          "{n} kvalificerede frivillige er stadig ledige, men planen vægter andre mål "
          "(retfærdig fordeling, rejseafstand, andre arrangementer) højere end denne rolle."),
)

PHRASEBOOKS: dict[str, Phrasebook] = {"en": ENGLISH, "nb": BOKMAAL, "nn": NYNORSK, "da": DANISH}


def supported_locale(locale: str | None) -> str:
    """The locale a sentence is written in: `nb-NO`, `NB` and `nb_NO` are
    `nb`, `no` (Norwegian without a written standard) is `nb`, anything
    unknown is English."""
    primary = (locale or "").replace("_", "-").split("-")[0].strip().lower()
    if primary == "no":
        primary = "nb"
    return primary if primary in PHRASEBOOKS else FALLBACK_LOCALE


def render_reason(why: Mapping[str, Any], locale: str) -> str:
    """The sentence for `why` in `locale` (English for an unknown locale).

    Raises ValueError when `why` is not a code of `CODES` with the params it
    needs, so a damaged entry is noticed rather than phrased wrongly."""
    book = PHRASEBOOKS[supported_locale(locale)]
    if not isinstance(why, Mapping):
        raise ValueError("why must be an object with a code and params")
    code = why.get("code")
    params = why.get("params", {})
    if not isinstance(params, Mapping):
        raise ValueError("why.params must be an object")
    try:
        if code == NO_VOLUNTEERS:
            return book.no_volunteers
        if code == NOBODY:
            return f"{book.nobody} {_predicate(book, params['rule'], params)}."
        if code == NOBODY_PAIR:
            first, second = params["rules"]
            if first == second:
                raise ValueError("a pair names two different rules")
            return (f"{book.nobody}{_qualifier(book, first, params)} "
                    f"{_predicate(book, second, params)}.")
        if code == NOBODY_COMBINED:
            return _combined(book, params["excluded"])
        if code == TOO_FEW:
            return _too_few(book, _count(params, "candidates"), _count(params, "serving"),
                            _count(params, "occupied"))
        if code == FREE_BUT_OUTWEIGHED:
            free = _count(params, "free")
            if free == 0:
                raise ValueError("free_but_outweighed means someone is free")
            return _plural(book.free, free)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"why {code!r} lacks what it needs: {error!r}") from error
    raise ValueError(f"unknown why code {code!r}; expected one of {', '.join(CODES)}")


# -- the pieces ----------------------------------------------------------------


def _words(items: Any, joiner: str) -> str:
    """`a`, `a and b`, `a, b and c` (sorted, as the English always was)."""
    if isinstance(items, str) or not items:
        raise ValueError("expected a non-empty list of names")
    names = sorted(str(item) for item in items)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {joiner} " + names[-1]


def _fields(book: Phrasebook, rule: str, params: Mapping[str, Any]) -> dict[str, str]:
    """The template fields the rule's phrases use, and only those (so a `why`
    need not carry facts about rules it does not name)."""
    if rule == "skills":
        skills = params["skills"]
        names = _words(skills, book.and_)
        return {"skills": _plural(book.skills, len(skills), names=names)}
    if rule == "languages":
        return {"languages": _words(params["languages"], book.or_)}
    if rule == "certificate":
        kind = params["certificate"]
        if not isinstance(kind, str) or not kind:
            raise ValueError("certificate must be a kind such as 'police'")
        return {"certificate": book.certificate(kind),
                "date": book.date(date.fromisoformat(params["date"]))}
    if rule in RULE_NAMES:
        return {}
    raise ValueError(f"unknown rule {rule!r}")


def _qualifier(book: Phrasebook, rule: str, params: Mapping[str, Any]) -> str:
    return book.qualifiers[rule].format(**_fields(book, rule, params))


def _predicate(book: Phrasebook, rule: str, params: Mapping[str, Any]) -> str:
    return book.predicates[rule].format(**_fields(book, rule, params))


def _plural(forms: tuple[str, str], n: int, **fields: str) -> str:
    """The (one, many) form for `n`, filled with `n` and `fields`."""
    return (forms[0] if n == 1 else forms[1]).format(n=n, **fields)


def _count(params: Mapping[str, Any], key: str) -> int:
    value = params[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key} must be a count, not {value!r}")
    return value


def _combined(book: Phrasebook, excluded: Mapping[str, Any]) -> str:
    unknown = set(excluded) - set(RULE_NAMES)
    if unknown or not excluded:
        raise ValueError(f"excluded must count some of {', '.join(RULE_NAMES)}")
    counts = ", ".join(
        f"{book.rule_names[rule]} {_count(excluded, rule)}"
        for rule in RULE_NAMES if rule in excluded
    )
    return book.combined.format(counts=counts)


def _too_few(book: Phrasebook, candidates: int, serving: int, occupied: int) -> str:
    parts = [_plural(book.qualify, candidates)]
    if serving:
        parts.append(_plural(book.serving, serving))
    if occupied:
        parts.append(_plural(book.occupied, occupied))
    if len(parts) == 1:
        return parts[0] + "."
    return ", ".join(parts[:-1]) + f" {book.and_} " + parts[-1] + "."
