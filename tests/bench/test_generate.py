"""The benchmark generator: right sizes, repeatable, valid and believable."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest

from bench.generate import FIRST_MONDAY, SIZES, generate
from solver.parse import parse_scenario

SHORTEST_SESSION = timedelta(minutes=90)


@pytest.fixture(scope="module")
def small() -> dict:
    return generate("S", 0)


@pytest.fixture(scope="module")
def medium() -> dict:
    return generate("M", 0)


def local(moment: str) -> datetime:
    value = datetime.fromisoformat(moment)
    assert value.utcoffset() is not None, f"{moment} has no UTC offset"
    return value


def session_times(session: dict) -> list[tuple[datetime, datetime]]:
    if "options" in session:
        return [(local(o["start"]), local(o["end"])) for o in session["options"]]
    return [(local(session["start"]), local(session["end"]))]


def test_same_seed_same_document_other_seed_other_document():
    assert generate("S", 7) == generate("S", 7)
    assert generate("S", 7) != generate("S", 8)


def test_unknown_size_is_refused():
    with pytest.raises(ValueError, match="unknown size 'XXL'"):
        generate("XXL")


@pytest.mark.parametrize("size", ["S", "M", "L", pytest.param("XL", marks=pytest.mark.slow)])
def test_sizes_as_stated_and_the_document_parses(size):
    doc = generate(size, 1)
    expected = SIZES[size]
    assert len(doc["volunteers"]) == expected.volunteers
    assert len(doc["sessions"]) == expected.sessions
    assert len(doc["places"]) == expected.places
    scenario = parse_scenario(doc)  # raises ScenarioError listing every problem
    assert len(scenario.sessions) == expected.sessions

    first_day = FIRST_MONDAY
    last_day = FIRST_MONDAY + timedelta(days=7 * expected.weeks - 1)
    days = {start.date() for s in doc["sessions"] for start, _ in session_times(s)}
    assert min(days) >= first_day and max(days) <= last_day
    weeks = {d.isocalendar().week for d in days}
    assert len(weeks) == expected.weeks


def test_sessions_are_evenings_and_weekends_of_one_and_a_half_to_three_hours(medium):
    for session in medium["sessions"]:
        for start, end in session_times(session):
            assert timedelta(minutes=90) <= end - start <= timedelta(hours=3), session["id"]
            if start.weekday() < 5:
                assert start.hour >= 17, f"{session['id']} starts {start} on a weekday"
            assert end.hour <= 22 or end.date() == start.date()
        assert 1 <= len(session["roles"]) <= 3


@pytest.mark.parametrize(("size", "seed"), [("S", 0), ("S", 1), ("S", 2), ("S", 3), ("M", 0)])
def test_sessions_held_at_their_first_option_fit_their_places(size, seed):
    """A plan exists: with every open session at its first option, each session
    fits its place: room big enough, features there, no busy interval hit, no
    more than `parallel` at once."""
    doc = generate(size, seed)
    places = {p["id"]: p for p in doc["places"]}
    held: dict[str, list[tuple[datetime, datetime]]] = defaultdict(list)
    for session in doc["sessions"]:
        if "options" in session:
            first = session["options"][0]
            start, end, where = local(first["start"]), local(first["end"]), first["place"]
        else:
            start, end, where = local(session["start"]), local(session["end"]), session.get("place")
        if where is None:
            continue
        place = places[where]
        assert set(session.get("needs", [])) <= set(place["features"])
        assert session.get("participants", 0) <= place["capacity"]
        for busy in place.get("busy", []):
            assert not (local(busy["start"]) < end and start < local(busy["end"])), session["id"]
        held[where].append((start, end))
    for where, intervals in held.items():
        for start, _ in intervals:
            running = sum(1 for a, b in intervals if a <= start < b)
            assert running <= places[where]["parallel"], f"{where} at {start}"


def test_roles_need_skills_languages_and_police_certificates(medium):
    roles = [r for s in medium["sessions"] for r in s["roles"]]
    with_certificate = [r for r in roles if r.get("certificate") == "police"]
    with_language = [r for r in roles if r.get("languages")]
    with_skill = [r for r in roles if r.get("skills")]
    assert 0.05 * len(roles) < len(with_certificate) < 0.5 * len(roles)
    assert len(with_language) > 10
    assert {"ar", "ti", "uk", "so", "pl"} <= {
        lang for r in with_language for lang in r["languages"]
    }
    assert len(with_skill) > 0.1 * len(roles)
    assert all(r["min"] <= r.get("max", max(r["min"], 1)) for r in roles)


def test_about_a_tenth_of_sessions_are_open_with_two_to_four_options(medium):
    open_sessions = [s for s in medium["sessions"] if "options" in s]
    assert 0.05 * len(medium["sessions"]) < len(open_sessions) < 0.2 * len(medium["sessions"])
    assert all(2 <= len(s["options"]) <= 4 for s in open_sessions)
    assert any(s.get("optional") for s in open_sessions)
    assert any(o.get("penalty", 0) > 0 for s in open_sessions for o in s["options"])


def test_places_have_capacity_features_parallel_and_some_busy_time(medium):
    places = medium["places"]
    assert all(p["capacity"] > 0 and p["parallel"] >= 1 for p in places)
    assert any(p["parallel"] > 1 for p in places)
    assert any(p.get("busy") for p in places)
    assert {"wheelchair", "kitchen", "projector", "gym", "parking"} <= {
        f for p in places for f in p["features"]
    }


def test_volunteers_are_believable(medium):
    volunteers = medium["volunteers"]
    start = FIRST_MONDAY
    certificates = [
        date.fromisoformat(v["certificates"]["police"]) for v in volunteers if "certificates" in v
    ]
    assert any(valid < start for valid in certificates), "some police certificates expired"
    assert sum(valid >= start for valid in certificates) > len(certificates) / 2
    limits = [v.get("max_travel_km") for v in volunteers]
    assert any(limit is None for limit in limits)
    assert all(3 <= limit <= 20 for limit in limits if limit is not None)
    assert {v["max_sessions_per_week"] for v in volunteers} == {1, 2, 3}
    assert any(v.get("max_hours_per_week") for v in volunteers)
    assert all(1 <= len(v["interests"]) <= 4 for v in volunteers)
    assert len({i for v in volunteers for i in v["interests"]}) == 10
    assert any(set(v["languages"]) & {"ar", "ti", "uk", "so", "pl"} for v in volunteers)
    for v in volunteers:
        per_week: dict[int, int] = defaultdict(int)
        for window in v["availability"]:
            per_week[local(window["start"]).isocalendar().week] += 1
        assert all(1 <= n <= 4 for n in per_week.values()), v["id"]


def test_homes_lie_around_the_town_centre(medium):
    scenario = parse_scenario(medium)
    from solver.geo import haversine_km

    centre = (58.4615, 8.7725)
    distances = sorted(
        haversine_km(v.lat, v.lon, *centre) for v in scenario.volunteers if v.located
    )
    assert distances[len(distances) // 2] < 12  # the median volunteer lives in town
    assert len(distances) < len(scenario.volunteers)  # some gave no address


@pytest.mark.parametrize("size", ["S", "M", "L"])
def test_demand_exceeds_what_the_volunteers_could_give(size):
    """Even if everyone were eligible for everything, the volunteers could not
    fill every slot: their windows, weekly limits and hours hold fewer sessions
    (of the shortest length) than the sessions' minimum staffing asks for."""
    doc = generate(size, 2)
    demand = sum(r["min"] for s in doc["sessions"] for r in s["roles"])
    supply = 0
    for v in doc["volunteers"]:
        fits_per_week: dict[tuple[int, int], int] = defaultdict(int)
        for window in v["availability"]:
            start, end = local(window["start"]), local(window["end"])
            fits_per_week[start.isocalendar()[:2]] += (end - start) // SHORTEST_SESSION
        for fits in fits_per_week.values():
            cap = min(fits, v["max_sessions_per_week"])
            if v.get("max_hours_per_week"):
                cap = min(cap, int(v["max_hours_per_week"] / 1.5))
            supply += cap
    assert demand > supply
    assert demand < 1.4 * supply  # only a little above: coverage is tight, not hopeless


def test_command_line_writes_a_document(tmp_path):
    from bench.generate import main

    target = tmp_path / "s.json"
    assert main(["S", "--seed", "3", "-o", str(target)]) == 0
    import json

    assert json.loads(target.read_text(encoding="utf-8")) == generate("S", 3)
