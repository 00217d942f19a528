"""parse_scenario: what a valid scenario becomes, and every class of bad input
reported with its JSON path, all problems at once."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from solver.errors import ScenarioError
from solver.parse import parse_scenario
from solver.scenario import Interval, Weights

from .helpers import (
    activity,
    assignment,
    at,
    interval,
    minimal_scenario,
    option,
    place,
    problems_of,
    role,
    scenario_of,
    session,
    volunteer,
)


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp())


# -- good input ---------------------------------------------------------------


def test_minimal_scenario_takes_the_defaults() -> None:
    sc = scenario_of()
    assert sc.timezone == "Europe/Oslo"
    assert sc.weights == Weights()
    (p,) = sc.places
    assert (p.capacity, p.parallel, p.features, p.busy) == (None, 1, frozenset(), ())
    (s,) = sc.sessions
    assert not s.is_open and not s.optional and s.participants == 0
    (r,) = s.roles
    assert (r.min, r.max, r.certificate) == (1, 1, None)
    (v,) = sc.volunteers
    assert v.availability is None and v.max_travel_km is None and v.certificates == {}


def test_absent_lists_and_timezone_default() -> None:
    sc = parse_scenario({"format": "medsam-scenario/1"})
    assert sc.sessions == () and sc.volunteers == () and sc.timezone == "Europe/Oslo"


@pytest.mark.parametrize(
    ("given", "expected"),
    [({}, (1, 1)), ({"min": 0}, (0, 1)), ({"min": 3}, (3, 3)), ({"min": 2, "max": 5}, (2, 5)),
     ({"min": 0, "max": 1}, (0, 1)), ({"min": 2.0}, (2, 2))],
)
def test_role_max_defaults_to_min_or_one(given: dict[str, Any], expected: tuple[int, int]) -> None:
    sc = scenario_of(sessions=[session(roles=[role("host", **given)])])
    r = sc.sessions[0].roles[0]
    assert (r.min, r.max) == expected


def test_fixed_session_becomes_one_option_without_penalty() -> None:
    sc = scenario_of()
    (s,) = sc.sessions
    (o,) = s.options
    assert (o.start, o.end, o.place, o.penalty) == (
        epoch("2026-12-08T17:00:00+01:00"), epoch("2026-12-08T19:00:00+01:00"), "p1", 0.0)
    assert o.local_date == date(2026, 12, 8) and o.iso_week == (2026, 50)


def test_open_session_keeps_its_options_in_order() -> None:
    sc = scenario_of(sessions=[session(options=[
        option(at("17:00"), at("19:00"), "p1", penalty=5),
        option(at("18:00"), at("20:00"), None),
    ], optional=True)])
    (s,) = sc.sessions
    assert s.is_open and s.optional
    assert [(o.place, o.penalty) for o in s.options] == [("p1", 5.0), (None, 0.0)]


def test_open_session_may_say_place_null() -> None:
    doc = minimal_scenario(sessions=[{**session(options=[option(at("17:00"), at("18:00"))]),
                                      "place": None}])
    assert parse_scenario(doc).sessions[0].is_open


def test_fixed_session_without_place_has_none() -> None:
    sc = scenario_of(sessions=[session(place=None)])
    assert sc.sessions[0].options[0].place is None
    sc = scenario_of(sessions=[{**session(), "place": None}])
    assert sc.sessions[0].options[0].place is None


def test_availability_is_merged_and_sorted() -> None:
    sc = scenario_of(volunteers=[volunteer(availability=[
        interval(at("20:00"), at("21:00")),
        interval(at("10:00"), at("12:00")),
        interval(at("12:00"), at("13:00")),  # touches the one before
        interval(at("12:30"), at("14:00")),  # overlaps
        interval(at("16:00"), at("18:00")),
    ])])
    assert sc.volunteers[0].availability == (
        Interval(epoch(at("10:00")), epoch(at("14:00"))),
        Interval(epoch(at("16:00")), epoch(at("18:00"))),
        Interval(epoch(at("20:00")), epoch(at("21:00"))),
    )
    assert scenario_of(volunteers=[volunteer(availability=[])]).volunteers[0].availability == ()


def test_volunteer_fields_are_read() -> None:
    sc = scenario_of(volunteers=[volunteer(
        "v1", name="Kari", lat=58.4, lon=8.7, max_travel_km=10, skills=["driver"],
        languages=["no", "ar"], interests=["music"], certificates={"police": "2027-03-01"},
        max_hours_per_week=6, max_sessions_per_week=2, preferred_activities=["a1"],
    )])
    v = sc.volunteers[0]
    assert v.name == "Kari" and (v.lat, v.lon, v.max_travel_km) == (58.4, 8.7, 10.0)
    assert v.languages == {"no", "ar"} and v.certificates == {"police": date(2027, 3, 1)}
    assert (v.max_hours_per_week, v.max_sessions_per_week) == (6.0, 2)
    assert v.preferred_activities == {"a1"}


def test_weights_override_the_defaults() -> None:
    sc = scenario_of(weights={"fairness": 0, "volunteer_used": -1.5})
    assert sc.weights.fairness == 0 and sc.weights.volunteer_used == -1.5
    assert sc.weights.cover_min == 1000


def test_fixed_forbidden_previous_are_read() -> None:
    sc = scenario_of(
        volunteers=[volunteer("v1"), volunteer("v2")],
        fixed=[assignment("v1", "s1")],
        forbidden=[{"volunteer": "v2", "session": "s1"}],
        previous=[assignment("v2", "s1")],
    )
    assert sc.fixed == (("v1", "s1", "host"),)
    assert sc.forbidden == (("v2", "s1"),)
    assert sc.previous == (("v2", "s1", "host"),)


# -- time zones ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "zone", "local", "week"),
    [
        # New Year's Eve in UTC is already 2027 in Oslo, but still ISO week 53 of 2026.
        ("2026-12-31T23:30:00+00:00", "Europe/Oslo", date(2027, 1, 1), (2026, 53)),
        ("2026-12-31T23:30:00Z", "Europe/Oslo", date(2027, 1, 1), (2026, 53)),
        # Summer time: 22:30 UTC is 00:30 the next day in Oslo (+02:00) ...
        ("2026-06-30T22:30:00+00:00", "Europe/Oslo", date(2026, 7, 1), (2026, 27)),
        # ... but only 23:30 the same day in winter (+01:00).
        ("2026-11-30T22:30:00+00:00", "Europe/Oslo", date(2026, 11, 30), (2026, 49)),
        # The night the clocks go forward (02:00 -> 03:00 on 2026-03-29).
        ("2026-03-29T01:30:00+00:00", "Europe/Oslo", date(2026, 3, 29), (2026, 13)),
        ("2026-03-28T23:30:00+00:00", "Europe/Oslo", date(2026, 3, 29), (2026, 13)),
        # Sunday 23:30 in Copenhagen is still Sunday, week 49.
        ("2026-12-06T23:30:00+01:00", "Europe/Copenhagen", date(2026, 12, 6), (2026, 49)),
        ("2026-12-08T03:00:00Z", "America/New_York", date(2026, 12, 7), (2026, 50)),
    ],
)
def test_local_date_and_iso_week_follow_the_scenario_zone(
    start: str, zone: str, local: date, week: tuple[int, int]
) -> None:
    sc = scenario_of(
        timezone=zone,
        sessions=[{**session(), "start": start, "end": _plus_hour(start)}],
    )
    (o,) = sc.sessions[0].options
    assert o.local_date == local
    assert o.iso_week == week


def _plus_hour(text: str) -> str:
    return (datetime.fromisoformat(text) + timedelta(hours=1)).isoformat()


def test_the_offset_given_is_honoured() -> None:
    a = scenario_of(sessions=[{**session(), "start": "2026-12-08T16:00:00Z",
                               "end": "2026-12-08T18:00:00Z"}]).sessions[0].options[0]
    b = scenario_of().sessions[0].options[0]
    assert (a.start, a.end) == (b.start, b.end)


# -- bad input ----------------------------------------------------------------

Doc = dict[str, Any]


def _with_session(**fields: Any) -> Doc:
    return minimal_scenario(sessions=[session(**fields)])


BAD_INPUT: list[tuple[str, Doc, str]] = [
    # format and top level
    ("wrong format", minimal_scenario(format="medsam-scenario/2"), "format: must be"),
    ("no format", minimal_scenario(drop=["format"]), "format: is required"),
    ("unknown top field", minimal_scenario(colour="red"), "colour: unknown field"),
    ("name not string", minimal_scenario(name=3), "name: must be a string"),
    ("places not list", minimal_scenario(places={"p1": {}}), "places: must be a list"),
    ("timezone invalid", minimal_scenario(timezone="Europe/Atlantis"),
     "timezone: 'Europe/Atlantis' is not an IANA time zone name"),
    ("timezone not string", minimal_scenario(timezone=1), "timezone: must be a string"),
    # weights
    ("unknown weight", minimal_scenario(weights={"foo": 1}), "weights.foo: unknown weight"),
    ("bool weight", minimal_scenario(weights={"fairness": True}), "weights.fairness: must be a number"),
    ("string weight", minimal_scenario(weights={"interest": "20"}), "weights.interest: must be a number"),
    ("infinite weight", minimal_scenario(weights={"interest": float("inf")}),
     "weights.interest: must be a finite number"),
    ("weights not object", minimal_scenario(weights=[1]), "weights: must be an object"),
    # ids
    ("empty id", minimal_scenario(volunteers=[volunteer("")]), "volunteers[0].id: must be a non-empty string"),
    ("number id", minimal_scenario(places=[place(7)]), "places[0].id: must be a non-empty string"),
    ("missing id", minimal_scenario(activities=[{"title": "x"}, activity("a1")]), "activities[0].id: is required"),
    ("duplicate id", minimal_scenario(volunteers=[volunteer("v1"), volunteer("v1")]),
     "volunteers[1].id: duplicate id 'v1' (also volunteers[0])"),
    ("duplicate session", minimal_scenario(sessions=[session("s1"), session("s1")]),
     "sessions[1].id: duplicate id 's1'"),
    # unknown fields at every level
    ("unknown place field", minimal_scenario(places=[place("p1", size=3)]), "places[0].size: unknown field"),
    ("unknown activity field", minimal_scenario(activities=[activity("a1", colour=1)]),
     "activities[0].colour: unknown field"),
    ("unknown session field", _with_session(strat=at("17:00")), "sessions[0].strat: unknown field"),
    ("unknown role field", _with_session(roles=[role("host", minimum=1)]),
     "sessions[0].roles[0].minimum: unknown field"),
    ("unknown option field", _with_session(options=[option(at("17:00"), at("18:00"), cost=1)]),
     "sessions[0].options[0].cost: unknown field"),
    ("unknown volunteer field", minimal_scenario(volunteers=[volunteer(phone="123")]),
     "volunteers[0].phone: unknown field"),
    ("unknown interval field", minimal_scenario(volunteers=[volunteer(availability=[
        {**interval(at("10:00"), at("12:00")), "note": "x"}])]),
     "volunteers[0].availability[0].note: unknown field"),
    ("unknown fixed field", minimal_scenario(fixed=[{**assignment("v1", "s1"), "why": "x"}]),
     "fixed[0].why: unknown field"),
    # types
    ("bool participants", _with_session(participants=True), "sessions[0].participants: must be an integer"),
    ("fractional min", _with_session(roles=[role(min=1.5)]), "sessions[0].roles[0].min: must be an integer"),
    ("string lat", minimal_scenario(places=[place("p1", lat="58", lon=8.7)]), "places[0].lat: must be a number"),
    ("bool optional", _with_session(options=[option(at("17:00"), at("18:00"))], optional="yes"),
     "sessions[0].optional: must be true or false"),
    ("skills not list", minimal_scenario(volunteers=[volunteer(skills="driver")]),
     "volunteers[0].skills: must be a list"),
    ("skill not string", minimal_scenario(volunteers=[volunteer(skills=[1])]),
     "volunteers[0].skills[0]: must be a string"),
    ("session not object", minimal_scenario(sessions=["s1"]), "sessions[0]: must be an object"),
    ("bool max_sessions", minimal_scenario(volunteers=[volunteer(max_sessions_per_week=False)]),
     "volunteers[0].max_sessions_per_week: must be an integer"),
    # references
    ("unknown activity", _with_session(activity="a9"), "sessions[0].activity: unknown activity 'a9'"),
    ("unknown place", _with_session(place="p9"), "sessions[0].place: unknown place 'p9'"),
    ("unknown option place", _with_session(options=[option(at("17:00"), at("18:00"), "p9")]),
     "sessions[0].options[0].place: unknown place 'p9'"),
    ("fixed unknown volunteer", minimal_scenario(fixed=[assignment("v9", "s1")]),
     "fixed[0].volunteer: unknown volunteer 'v9'"),
    ("fixed unknown session", minimal_scenario(fixed=[assignment("v1", "s9")]),
     "fixed[0].session: unknown session 's9'"),
    ("fixed unknown role", minimal_scenario(fixed=[assignment("v1", "s1", "driver")]),
     "fixed[0].role: session 's1' has no role 'driver'"),
    ("previous unknown role", minimal_scenario(previous=[assignment("v1", "s1", "cook")]),
     "previous[0].role: session 's1' has no role 'cook'"),
    ("forbidden unknown volunteer", minimal_scenario(forbidden=[{"volunteer": "x", "session": "s1"}]),
     "forbidden[0].volunteer: unknown volunteer 'x'"),
    ("forbidden with role", minimal_scenario(forbidden=[assignment("v1", "s1")]),
     "forbidden[0].role: unknown field"),
    ("fixed missing role", minimal_scenario(fixed=[{"volunteer": "v1", "session": "s1"}]),
     "fixed[0].role: is required"),
    ("unknown preferred activity", minimal_scenario(volunteers=[volunteer(preferred_activities=["a1", "a7"])]),
     "volunteers[0].preferred_activities[1]: unknown activity 'a7'"),
    # times
    ("time without offset", _with_session(start="2026-12-08T17:00:00"),
     "sessions[0].start: '2026-12-08T17:00:00' has no UTC offset"),
    ("date only", _with_session(start="2026-12-08"), "sessions[0].start: '2026-12-08' has no UTC offset"),
    ("garbage time", _with_session(end="tomorrow"), "sessions[0].end: 'tomorrow' is not an ISO 8601 time"),
    ("number time", _with_session(end=1796752800), "sessions[0].end: must be an ISO 8601 time string"),
    ("session ends before start", _with_session(start=at("19:00"), end=at("17:00")),
     "sessions[0].end: must be after start"),
    ("empty session", _with_session(start=at("17:00"), end=at("17:00")), "sessions[0].end: must be after start"),
    ("option ends before start", _with_session(options=[option(at("19:00"), at("18:00"))]),
     "sessions[0].options[0].end: must be after start"),
    ("busy ends before start", minimal_scenario(places=[place("p1", busy=[interval(at("12:00"), at("11:00"))])]),
     "places[0].busy[0].end: must be after start"),
    ("availability empty interval", minimal_scenario(volunteers=[volunteer(availability=[
        interval(at("12:00"), at("12:00"))])]), "volunteers[0].availability[0].end: must be after start"),
    ("availability missing end", minimal_scenario(volunteers=[volunteer(availability=[{"start": at("12:00")}])]),
     "volunteers[0].availability[0].end: is required"),
    ("session start without end", minimal_scenario(sessions=[{"id": "s1", "activity": "a1", "start": at("17:00"),
                                                             "roles": [role()]}]),
     "sessions[0].end: is required"),
    # roles
    ("max below min", _with_session(roles=[role(min=2, max=0)]), "sessions[0].roles[0].max: 0 is less than min 2"),
    ("max below one", _with_session(roles=[role(min=0, max=0)]), "sessions[0].roles[0].max: 0 is less than 1"),
    ("negative min", _with_session(roles=[role(min=-1)]), "sessions[0].roles[0].min: -1 is less than 0"),
    ("duplicate role", _with_session(roles=[role("host"), role("host")]),
     "sessions[0].roles[1].role: duplicate role 'host' in this session"),
    ("no roles", _with_session(roles=[]), "sessions[0].roles: needs at least one role"),
    ("roles missing", minimal_scenario(sessions=[{"id": "s1", "activity": "a1", "start": at("17:00"),
                                                  "end": at("18:00")}]), "sessions[0].roles: is required"),
    ("role without name", _with_session(roles=[{"min": 1}]), "sessions[0].roles[0].role: is required"),
    ("certificate not string", _with_session(roles=[role(certificate=1)]),
     "sessions[0].roles[0].certificate: must be a non-empty string or null"),
    # session shapes
    ("both fixed and open", minimal_scenario(sessions=[{**session(), "options": [option(at("17:00"), at("18:00"))]}]),
     "sessions[0]: has both options and start/end/place"),
    ("neither fixed nor open", minimal_scenario(sessions=[{"id": "s1", "activity": "a1", "roles": [role()]}]),
     "sessions[0]: needs either start and end (a fixed session) or options"),
    ("empty options", _with_session(options=[]), "sessions[0].options: must not be empty"),
    ("optional fixed session", _with_session(optional=True), "sessions[0].optional: only an open session can be optional"),
    # ranges
    ("negative participants", _with_session(participants=-2), "sessions[0].participants: -2 is less than 0"),
    ("negative capacity", minimal_scenario(places=[place("p1", capacity=-1)]), "places[0].capacity: -1 is less than 0"),
    ("zero parallel", minimal_scenario(places=[place("p1", parallel=0)]), "places[0].parallel: 0 is less than 1"),
    ("negative penalty", _with_session(options=[option(at("17:00"), at("18:00"), penalty=-1)]),
     "sessions[0].options[0].penalty: -1 is less than 0"),
    ("lat too big", minimal_scenario(places=[place("p1", lat=91, lon=0)]), "places[0].lat: 91 is greater than 90"),
    ("lon too small", minimal_scenario(volunteers=[volunteer(lat=0, lon=-180.5)]),
     "volunteers[0].lon: -180.5 is less than -180"),
    ("lat without lon", minimal_scenario(places=[place("p1", lat=58.0)]),
     "places[0].lon: lat and lon must be given together"),
    ("lon without lat", minimal_scenario(volunteers=[volunteer(lon=8.0)]),
     "volunteers[0].lat: lat and lon must be given together"),
    ("negative travel", minimal_scenario(volunteers=[volunteer(max_travel_km=-1)]),
     "volunteers[0].max_travel_km: -1 is less than 0"),
    ("negative weekly hours", minimal_scenario(volunteers=[volunteer(max_hours_per_week=-3)]),
     "volunteers[0].max_hours_per_week: -3 is less than 0"),
    # certificates
    ("certificate not a date", minimal_scenario(volunteers=[volunteer(certificates={"police": "next year"})]),
     "volunteers[0].certificates.police: 'next year' is not a date YYYY-MM-DD"),
    ("certificate impossible date", minimal_scenario(volunteers=[volunteer(certificates={"police": "2026-02-30"})]),
     "volunteers[0].certificates.police: '2026-02-30' is not a valid date"),
    ("certificate time", minimal_scenario(volunteers=[volunteer(certificates={"police": "2026-02-03T00:00"})]),
     "volunteers[0].certificates.police: '2026-02-03T00:00' is not a date YYYY-MM-DD"),
    ("certificates not object", minimal_scenario(volunteers=[volunteer(certificates=["police"])]),
     "volunteers[0].certificates: must be an object"),
    # duplicates in fixed / previous / forbidden
    ("duplicate fixed", minimal_scenario(fixed=[assignment("v1", "s1"), assignment("v1", "s1")]),
     "fixed[1]: duplicate of fixed[0]"),
    ("duplicate previous", minimal_scenario(previous=[assignment("v1", "s1"), assignment("v1", "s1")]),
     "previous[1]: duplicate of previous[0]"),
    ("duplicate forbidden", minimal_scenario(forbidden=[{"volunteer": "v1", "session": "s1"}] * 2),
     "forbidden[1]: duplicate of forbidden[0]"),
]


@pytest.mark.parametrize(("doc", "expected"), [case[1:] for case in BAD_INPUT],
                         ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_reported_with_its_path(doc: Doc, expected: str) -> None:
    problems = problems_of(doc)
    assert any(p.startswith(expected) for p in problems), problems


def test_not_an_object_is_rejected() -> None:
    assert problems_of([minimal_scenario()]) == ["scenario: must be an object"]


def test_every_problem_is_reported_at_once() -> None:
    doc = minimal_scenario(
        format="x",
        weights={"speed": 1},
        sessions=[
            session("s1", roles=[role(min=2, max=1)], optional=True),
            session("s2", start="2026-12-08T17:00:00", place="p9"),
        ],
        volunteers=[volunteer("v1", lat=100, lon=0), volunteer("v1")],
        fixed=[assignment("v2", "s1")],
    )
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(doc)
    problems = caught.value.problems
    for expected in [
        "format: must be",
        "weights.speed: unknown weight",
        "sessions[0].roles[0].max: 1 is less than min 2",
        "sessions[0].optional: only an open session can be optional",
        "sessions[1].start: '2026-12-08T17:00:00' has no UTC offset",
        "sessions[1].place: unknown place 'p9'",
        "volunteers[0].lat: 100 is greater than 90",
        "volunteers[1].id: duplicate id 'v1'",
        "fixed[0].volunteer: unknown volunteer 'v2'",
    ]:
        assert any(p.startswith(expected) for p in problems), (expected, problems)
    assert len(problems) == 9, problems
    assert str(caught.value).count(";") == 8  # the message lists them all


def test_each_problem_is_reported_once() -> None:
    problems = problems_of(minimal_scenario(volunteers=[volunteer(""), volunteer(3)]))
    assert problems == ["volunteers[0].id: must be a non-empty string",
                        "volunteers[1].id: must be a non-empty string"]


def test_reference_to_a_broken_session_is_not_called_unknown() -> None:
    problems = problems_of(minimal_scenario(
        sessions=[session("s1", roles=[])], fixed=[assignment("v1", "s1")]))
    assert problems == ["sessions[0].roles: needs at least one role"]


def test_a_scenario_with_errors_is_never_half_parsed() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2", lat="x", lon=1)])
    with pytest.raises(ScenarioError):
        parse_scenario(doc)
