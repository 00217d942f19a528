"""The score of §4, term by term, against numbers worked out by hand."""

from __future__ import annotations

import math

import pytest

from solver.scenario import Assignment, Plan, Scenario
from solver.score import TERMS, compute_score, score_terms

from .helpers import activity, assignment, at, option, place, role, scenario_of, session, volunteer

# On the equator, 0.1 degree of longitude is 6371 * pi / 1800 km.
KM_PER_TENTH_DEGREE = 6371.0 * math.pi / 1800


def two_sessions(**weights: float) -> Scenario:
    """s1 and s2: 2 h each, activity a1 (interest "music") at p1 on the
    equator; s3: an open session of a2 with options of penalty 0 and 7."""
    return scenario_of(
        weights=weights,
        places=[place("p1", lat=0.0, lon=0.0)],
        activities=[activity("a1", interests=["music"]), activity("a2")],
        sessions=[
            session("s1", roles=[role("host", min=1, max=3)]),
            session("s2", start=at("10:00", "2026-12-09"), end=at("12:00", "2026-12-09")),
            session("s3", activity="a2", options=[
                option(at("13:00"), at("14:00"), None),
                option(at("14:00"), at("15:30"), None, penalty=7),
            ], optional=True),
        ],
        volunteers=[
            volunteer("ann", lat=0.0, lon=0.0, interests=["music", "chess"]),
            volunteer("bob", lat=0.0, lon=0.1, preferred_activities=["a1"]),
            volunteer("cem"),
        ],
        previous=[assignment("cem", "s1"), assignment("ann", "s1")],
    )


def plan(assignments: list[tuple[str, str, str]], **schedule: int) -> Plan:
    return Plan(schedule={"s1": 0, "s2": 0, **schedule},
                assignments=tuple(Assignment(*a) for a in assignments))


A = [("ann", "s1", "host"), ("bob", "s1", "host"), ("ann", "s2", "host")]


def test_cover_min_and_cover_extra() -> None:
    terms = score_terms(two_sessions(), plan(A))
    # s1.host: n = 2, min 1 -> 1 covered + 1 extra; s2.host: n = 1 -> 1 covered.
    assert terms["cover_min"] == 1000 * 2
    assert terms["cover_extra"] == 50 * 1


def test_cover_counts_unscheduled_sessions_not_at_all() -> None:
    sc = two_sessions()
    empty = plan([])
    assert score_terms(sc, empty)["cover_min"] == 0
    # s3 scheduled but nobody there: still 0; a fixed session is scheduled even if omitted.
    assert score_terms(sc, Plan({"s3": 0}, (Assignment("cem", "s2", "host"),)))["cover_min"] == 1000


def test_interest_counts_assignments_with_a_shared_tag() -> None:
    terms = score_terms(two_sessions(), plan(A))
    assert terms["interest"] == 20 * 2  # ann twice at a1; bob has no interests


def test_preferred_counts_assignments_to_a_preferred_activity() -> None:
    assert score_terms(two_sessions(), plan(A))["preferred"] == 30 * 1  # bob at s1


def test_travel_uses_the_chosen_place_and_no_place_costs_nothing() -> None:
    terms = score_terms(two_sessions(), plan(A))
    assert terms["travel_km"] == pytest.approx(-2 * KM_PER_TENTH_DEGREE, rel=1e-9)
    # cem has no home, s3 has no place: both cost 0.
    terms = score_terms(two_sessions(), plan([("cem", "s1", "host"), ("bob", "s3", "host")], s3=0))
    assert terms["travel_km"] == 0


def test_fairness_is_the_sum_of_squared_hours() -> None:
    terms = score_terms(two_sessions(), plan(A))
    assert terms["fairness"] == -(4.0**2 + 2.0**2)  # ann 4 h, bob 2 h, cem 0
    terms = score_terms(two_sessions(fairness=3), plan([("cem", "s3", "host")], s3=1))
    assert terms["fairness"] == -3 * 1.5**2  # the chosen option lasts 1.5 h


def test_volunteer_used_counts_people_not_assignments() -> None:
    assert score_terms(two_sessions(volunteer_used=5), plan(A))["volunteer_used"] == 5 * 2
    assert score_terms(two_sessions(volunteer_used=-1), plan(A))["volunteer_used"] == -2
    assert score_terms(two_sessions(), plan(A))["volunteer_used"] == 0


def test_continuity_counts_distinct_volunteer_activity_pairs() -> None:
    # (ann, a1) twice counts once; (bob, a1) once.
    assert score_terms(two_sessions(), plan(A))["continuity"] == -10 * 2
    with_a2 = A + [("ann", "s3", "host")]
    assert score_terms(two_sessions(), plan(with_a2, s3=0))["continuity"] == -10 * 3


def test_stability_counts_previous_assignments_missing_from_the_plan() -> None:
    # previous: (cem, s1, host) is missing, (ann, s1, host) is kept.
    assert score_terms(two_sessions(), plan(A))["stability"] == -200 * 1
    assert score_terms(two_sessions(), plan([]))["stability"] == -200 * 2
    kept = A + [("cem", "s1", "host")]
    assert score_terms(two_sessions(), plan(kept))["stability"] == 0


def test_option_penalty_counts_the_chosen_option_of_scheduled_open_sessions() -> None:
    sc = two_sessions()
    assert score_terms(sc, plan(A))["option_penalty"] == 0  # s3 not scheduled
    assert score_terms(sc, plan(A, s3=0))["option_penalty"] == 0
    assert score_terms(sc, plan(A, s3=1))["option_penalty"] == -7


def test_the_score_is_the_sum_of_the_terms() -> None:
    sc = two_sessions()
    terms = score_terms(sc, plan(A, s3=1))
    assert set(terms) == set(TERMS)
    expected = (2000 + 50 + 40 + 30 - 2 * KM_PER_TENTH_DEGREE - 20 - 20 - 200 - 7)
    assert compute_score(sc, plan(A, s3=1)) == pytest.approx(expected, rel=1e-12)


def test_zero_weights_give_zero_terms() -> None:
    names = ["cover_min", "cover_extra", "interest", "preferred", "travel_km", "fairness",
             "continuity", "stability"]
    sc = two_sessions(**dict.fromkeys(names, 0))
    terms = score_terms(sc, plan(A))
    assert all(terms[name] == 0 and math.copysign(1, terms[name]) == 1 for name in names)
    assert compute_score(sc, plan(A)) == 0


def test_a_repeated_assignment_counts_once() -> None:
    sc = two_sessions()
    assert compute_score(sc, plan(A + A[:1])) == compute_score(sc, plan(A))
