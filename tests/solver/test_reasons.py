"""unfilled[].why and solver.reasons.render_reason: why a slot is empty, said
in English, Norwegian bokmål and nynorsk, and Danish.

Each code is produced by a real scenario through build_result, so the `why`
is the one the solver writes; its English rendering is checked against the
sentence the solver has always written for that situation.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from solver.reasons import CODES, LOCALES, render_reason, supported_locale
from solver.result import build_result
from solver.scenario import Assignment, Plan, Scenario

from .helpers import at, place, role, scenario_of, session, volunteer

RESULT_SCHEMA = json.loads(
    (Path(__file__).parents[2] / "docs" / "result.schema.json").read_text(encoding="utf-8"))


def unfilled_of(sc: Scenario, assignments: tuple[tuple[str, str, str], ...] = ()) -> list[dict]:
    plan = Plan({s.id: 0 for s in sc.sessions}, tuple(Assignment(*a) for a in assignments))
    result = build_result(sc, plan, status="feasible", bound=None,
                          solver_info={"name": "test", "seconds": 0.0})
    jsonschema.validate(result, RESULT_SCHEMA)
    return result["unfilled"]


# -- one scenario for every code ----------------------------------------------------


def no_volunteers() -> dict:
    (entry,) = unfilled_of(scenario_of(volunteers=[]))
    return entry


def nobody_speaks() -> dict:
    (entry,) = unfilled_of(scenario_of(
        sessions=[session(roles=[role("host", languages=["ti"])])],
        volunteers=[volunteer("ada", languages=["ar"]), volunteer("bo", languages=["so", "uk"])]))
    return entry


def certified_one_lives_too_far() -> dict:
    """Only bo has a police certificate; he lives in Oslo, 10 km is his limit."""
    (entry,) = unfilled_of(scenario_of(
        places=[place("p1", lat=58.46, lon=8.77)],
        sessions=[session(roles=[role("host", certificate="police")])],
        volunteers=[volunteer("ada", lat=58.46, lon=8.77, max_travel_km=10),
                    volunteer("bo", lat=59.91, lon=10.75, max_travel_km=10,
                              certificates={"police": "2027-01-01"})]))
    return entry


def each_misses_something_else() -> dict:
    """Any two requirements can be met together, all three cannot."""
    (entry,) = unfilled_of(scenario_of(
        sessions=[session(roles=[role("driver", skills=["driving"], languages=["ar"],
                                      certificate="police")])],
        volunteers=[
            volunteer("ada", languages=["ar"], certificates={"police": "2027-01-01"}),
            volunteer("bo", skills=["driving"], certificates={"police": "2027-01-01"}),
            volunteer("cy", skills=["driving"], languages=["ar"]),
        ]))
    return entry


def everyone_taken() -> dict:
    sc = scenario_of(
        sessions=[session("s1", roles=[role("host", min=2)]),
                  session("s2", start=at("18:00"), end=at("20:00"), place=None)],
        volunteers=[volunteer("ada"), volunteer("bo")])
    return next(u for u in unfilled_of(sc, (("ada", "s1", "host"), ("bo", "s2", "host")))
                if u["session"] == "s1")


def one_left_free() -> dict:
    (entry,) = unfilled_of(scenario_of(volunteers=[volunteer("ada")]))
    return entry


# code -> (scenario, its why, the English the solver has always written)
CASES: dict[str, tuple[Any, dict, str]] = {
    "no_volunteers": (no_volunteers, {"code": "no_volunteers", "params": {}},
                      "There are no volunteers in the scenario."),
    "nobody": (nobody_speaks,
               {"code": "nobody", "params": {"rule": "languages", "languages": ["ti"]}},
               "Nobody speaks ti."),
    "nobody_pair": (certified_one_lives_too_far,
                    {"code": "nobody_pair",
                     "params": {"rules": ["certificate", "distance"], "certificate": "police",
                                "date": "2026-12-08"}},
                    "Nobody with a valid police certificate lives within their travel limit "
                    "of the place."),
    "nobody_combined": (each_misses_something_else,
                        {"code": "nobody_combined",
                         "params": {"excluded": {"skills": 1, "languages": 1, "certificate": 1}}},
                        "Nobody meets every requirement at once (excluded by skills 1, "
                        "languages 1, certificate 1)."),
    "too_few": (everyone_taken,
                {"code": "too_few", "params": {"candidates": 2, "serving": 1, "occupied": 1}},
                "Only 2 volunteers qualify, 1 already serves here and 1 is busy elsewhere at "
                "this time or at their weekly limit."),
    "free_but_outweighed": (one_left_free,
                            {"code": "free_but_outweighed",
                             "params": {"free": 1, "candidates": 1, "serving": 0, "occupied": 0}},
                            "1 qualified volunteer is still free, but the plan weighs other goals "
                            "(fairness, travel, other sessions) above this slot."),
}


def test_every_code_has_a_case() -> None:
    assert set(CASES) == set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_the_solver_writes_the_why_and_its_english_is_the_reason(code: str) -> None:
    make, why, english = CASES[code]
    entry = make()
    assert entry["why"] == why
    assert entry["reason"] == english
    assert render_reason(entry["why"], "en") == english


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("code", CODES)
def test_every_code_reads_as_a_sentence_in_every_locale(code: str, locale: str) -> None:
    why = CASES[code][1]
    sentence = render_reason(why, locale)
    assert (sentence[0].isupper() or sentence[0].isdigit()) and sentence.endswith(".")
    for leftover in ("{", "}", "None", "  ", " ,", " ."):
        assert leftover not in sentence
    if locale != "en":
        assert sentence != render_reason(why, "en")


# -- by hand, per language -------------------------------------------------------

PAIR = CASES["nobody_pair"][1]
SPEAKS = CASES["nobody"][1]
TOO_FEW = CASES["too_few"][1]
COMBINED = CASES["nobody_combined"][1]
NO_VOLUNTEERS = CASES["no_volunteers"][1]
CERTIFICATE = {"code": "nobody", "params": {"rule": "certificate", "certificate": "police",
                                             "date": "2026-12-08"}}
SKILLED_SPEAKER = {"code": "nobody_pair", "params": {"rules": ["languages", "skills"],
                                                     "languages": ["ar", "so"],
                                                     "skills": ["first_aid", "driving"]}}
DISTANCE_FIRST = {"code": "nobody_pair", "params": {"rules": ["distance", "certificate"],
                                                    "certificate": "police", "date": "2027-05-17"}}


def free(n: int) -> dict:
    return {"code": "free_but_outweighed",
            "params": {"free": n, "candidates": n + 1, "serving": 1, "occupied": 0}}


@pytest.mark.parametrize(("why", "expected"), [
    (PAIR, "Ingen med gyldig politiattest bor innenfor reisegrensen sin."),
    (SPEAKS, "Ingen snakker ti."),
    (CERTIFICATE, "Ingen har gyldig politiattest per 8. desember 2026."),
    (SKILLED_SPEAKER, "Ingen som snakker ar eller so, har ferdighetene driving og first_aid."),
    (DISTANCE_FIRST, "Ingen som bor innenfor reisegrensen sin, har gyldig politiattest "
                     "per 17. mai 2027."),
    (TOO_FEW, "Bare 2 frivillige oppfyller kravene, 1 er allerede med her og 1 er satt opp et "
              "annet sted på dette tidspunktet eller har nådd ukegrensen sin."),
    (free(1), "1 kvalifisert frivillig er fortsatt ledig, men planen vekter andre mål "
              "(rettferdig fordeling, reiseavstand, andre økter) høyere enn denne rollen."),
    (free(3), "3 kvalifiserte frivillige er fortsatt ledige, men planen vekter andre mål "
              "(rettferdig fordeling, reiseavstand, andre økter) høyere enn denne rollen."),
    (COMBINED, "Ingen oppfyller alle kravene samtidig (utelukket per regel: ferdigheter 1, "
               "språk 1, attest 1)."),
    (NO_VOLUNTEERS, "Det finnes ingen frivillige å planlegge med."),
])
def test_bokmaal(why: dict, expected: str) -> None:
    assert render_reason(why, "nb") == expected


@pytest.mark.parametrize(("why", "expected"), [
    (PAIR, "Ingen med gyldig politiattest bur innanfor reisegrensa si."),
    (SPEAKS, "Ingen snakkar ti."),
    (CERTIFICATE, "Ingen har gyldig politiattest per 8. desember 2026."),
    (SKILLED_SPEAKER, "Ingen som snakkar ar eller so, har ferdigheitene driving og first_aid."),
    (TOO_FEW, "Berre 2 frivillige oppfyller krava, 1 er allereie med her og 1 er sett opp ein "
              "annan stad på dette tidspunktet eller har nådd vekegrensa si."),
    (free(1), "1 kvalifisert frivillig er framleis ledig, men planen vektar andre mål "
              "(rettferdig fordeling, reiseavstand, andre økter) høgare enn denne rolla."),
    (NO_VOLUNTEERS, "Det finst ingen frivillige å planleggje med."),
])
def test_nynorsk(why: dict, expected: str) -> None:
    assert render_reason(why, "nn") == expected


@pytest.mark.parametrize(("why", "expected"), [
    (PAIR, "Ingen med gyldig børneattest bor inden for deres rejsegrænse."),
    (SPEAKS, "Ingen taler ti."),
    (CERTIFICATE, "Ingen har en gyldig børneattest den 8. december 2026."),
    (SKILLED_SPEAKER, "Ingen, der taler ar eller so, har færdighederne driving og first_aid."),
    (TOO_FEW, "Kun 2 frivillige opfylder kravene, 1 er allerede med her og 1 er optaget "
              "andetsteds på dette tidspunkt eller har nået sin ugegrænse."),
    ({"code": "too_few", "params": {"candidates": 3, "serving": 0, "occupied": 3}},
     "Kun 3 frivillige opfylder kravene og 3 er optaget andetsteds på dette tidspunkt eller "
     "har nået deres ugegrænse."),
    (free(2), "2 kvalificerede frivillige er stadig ledige, men planen vægter andre mål "
              "(retfærdig fordeling, rejseafstand, andre arrangementer) højere end denne rolle."),
    (NO_VOLUNTEERS, "Der er ingen frivillige at planlægge med."),
])
def test_danish(why: dict, expected: str) -> None:
    assert render_reason(why, "da") == expected


def test_other_certificate_kinds_are_shown_as_given() -> None:
    why = {"code": "nobody", "params": {"rule": "certificate", "certificate": "food_hygiene",
                                        "date": "2026-12-08"}}
    assert render_reason(why, "en") == ("Nobody holds a food_hygiene certificate valid on "
                                        "2026-12-08.")
    assert render_reason(why, "nb") == ("Ingen har gyldig attest av typen food_hygiene per "
                                        "8. desember 2026.")
    assert render_reason(why, "da") == ("Ingen har en gyldig attest af typen food_hygiene den "
                                        "8. december 2026.")


@pytest.mark.parametrize(("locale", "written_in"), [
    ("nb", "nb"), ("nb-NO", "nb"), ("NB", "nb"), ("no", "nb"), ("nn_NO", "nn"), ("da-DK", "da"),
    ("en", "en"), ("sv", "en"), ("", "en"), ("xx-nb", "en"),
])
def test_locales_and_the_english_fallback(locale: str, written_in: str) -> None:
    assert supported_locale(locale) == written_in
    assert render_reason(PAIR, locale) == render_reason(PAIR, written_in)


def test_an_unknown_locale_gets_english() -> None:
    assert render_reason(PAIR, "sv") == CASES["nobody_pair"][2]


# -- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("why", [
    {},
    {"code": "nobody_knows", "params": {}},
    {"code": "nobody", "params": {}},
    {"code": "nobody", "params": {"rule": "weather"}},
    {"code": "nobody", "params": {"rule": "skills"}},
    {"code": "nobody", "params": {"rule": "skills", "skills": []}},
    {"code": "nobody", "params": {"rule": "languages", "languages": "ar"}},
    {"code": "nobody", "params": {"rule": "certificate", "certificate": "police"}},
    {"code": "nobody", "params": {"rule": "certificate", "certificate": "police",
                                  "date": "2026-02-30"}},
    {"code": "nobody", "params": {"rule": "certificate", "certificate": None,
                                  "date": "2026-12-08"}},
    {"code": "nobody_pair", "params": {"rules": ["availability"]}},
    {"code": "nobody_pair", "params": {"rules": ["skills", "skills"], "skills": ["x"]}},
    {"code": "nobody_combined", "params": {"excluded": {}}},
    {"code": "nobody_combined", "params": {"excluded": {"weather": 3}}},
    {"code": "too_few", "params": {"candidates": 2, "serving": 1}},
    {"code": "too_few", "params": {"candidates": "2", "serving": 1, "occupied": 1}},
    {"code": "free_but_outweighed", "params": {"free": -1}},
    {"code": "free_but_outweighed", "params": {"free": 0}},
    {"code": "free_but_outweighed", "params": {"free": True}},
    {"code": "free_but_outweighed", "params": []},
    "nobody",
])
def test_a_damaged_why_is_refused_not_phrased(why: Any) -> None:
    for locale in LOCALES:
        with pytest.raises(ValueError):
            render_reason(why, locale)


def test_the_schema_refuses_a_why_it_cannot_phrase() -> None:
    make, _, _ = CASES["nobody_pair"]
    entry = make()
    validator = jsonschema.Draft202012Validator(RESULT_SCHEMA["$defs"]["why"] | {
        "$defs": RESULT_SCHEMA["$defs"]})
    assert validator.is_valid(entry["why"])
    for bad in ({"code": "nobody_knows", "params": {}},
                {"code": "nobody", "params": {}},
                {"code": "nobody", "params": {"rule": "weather"}},
                {"code": "too_few", "params": {"candidates": 1}},
                {"code": "nobody_pair", "params": {"rules": ["skills"], "skills": ["x"]}},
                {"code": "nobody", "params": {"rule": "skills", "skills": ["x"], "mood": 1}}):
        assert not validator.is_valid(bad), bad
