"""build_result and build_failure_result: the medsam-result/1 document, the
explanations of unfilled slots and the KPIs."""

from __future__ import annotations

import json

import pytest

from solver.eligibility import RULES
from solver.kpis import gini
from solver.result import build_failure_result, build_result
from solver.scenario import Assignment, Plan, Scenario
from solver.score import compute_score

from .helpers import (
    activity,
    assignment,
    at,
    interval,
    option,
    place,
    role,
    scenario_of,
    session,
    volunteer,
)

SOLVER = {"name": "test", "seconds": 0.1}


def result_of(sc: Scenario, assignments: list[tuple[str, str, str]] = (), **schedule: int) -> dict:
    full = {s.id: 0 for s in sc.sessions if not s.is_open} | schedule
    plan = Plan(full, tuple(Assignment(*a) for a in assignments))
    return build(sc, plan)


def build(sc: Scenario, plan: Plan) -> dict:
    return build_result(sc, plan, status="feasible", bound=None, solver_info=SOLVER)


# -- the document --------------------------------------------------------------


def test_a_complete_result_document() -> None:
    sc = scenario_of(volunteers=[volunteer("v1")])
    result = result_of(sc, [("v1", "s1", "host")])
    assert result["format"] == "medsam-result/1"
    assert result["status"] == "feasible" and result["bound"] is None
    assert result["schedule"] == [{"session": "s1", "start": "2026-12-08T17:00:00+01:00",
                                   "end": "2026-12-08T19:00:00+01:00", "place": "p1"}]
    assert result["assignments"] == [{"volunteer": "v1", "session": "s1", "role": "host"}]
    assert result["unfilled"] == []
    assert result["solver"] == SOLVER
    assert result["score"] == compute_score(sc, Plan({"s1": 0}, (Assignment("v1", "s1", "host"),)))
    json.dumps(result, allow_nan=False)  # plain JSON


def test_times_are_written_in_the_scenario_zone_with_its_offset() -> None:
    summer = scenario_of(sessions=[session(start="2026-06-30T16:00:00Z", end="2026-06-30T18:00:00Z",
                                           place=None)])
    (entry,) = result_of(summer)["schedule"]
    assert entry == {"session": "s1", "start": "2026-06-30T18:00:00+02:00",
                     "end": "2026-06-30T20:00:00+02:00", "place": None}
    helsinki = scenario_of(timezone="Europe/Helsinki")
    assert result_of(helsinki)["schedule"][0]["start"] == "2026-12-08T18:00:00+02:00"


def test_schedule_and_assignments_are_sorted_by_time_then_id() -> None:
    sc = scenario_of(
        volunteers=[volunteer("v1"), volunteer("v2"), volunteer("v3")],
        sessions=[
            session("late", start=at("20:00"), end=at("21:00"), roles=[role("host")]),
            session("b", start=at("10:00"), end=at("11:00"), roles=[role("host"), role("cook")]),
            session("a", start=at("10:00"), end=at("11:00")),
            session("open", options=[option(at("08:00"), at("09:00")), option(at("12:00"), at("13:00"))]),
        ],
    )
    result = result_of(sc, [("v1", "late", "host"), ("v3", "b", "host"), ("v2", "b", "cook"),
                            ("v1", "b", "cook"), ("v2", "a", "host"), ("v3", "open", "host")],
                       open=1)
    assert [e["session"] for e in result["schedule"]] == ["a", "b", "open", "late"]
    assert [tuple(a.values()) for a in result["assignments"]] == [
        ("v2", "a", "host"), ("v1", "b", "cook"), ("v2", "b", "cook"), ("v3", "b", "host"),
        ("v3", "open", "host"), ("v1", "late", "host")]
    assert result["schedule"][2]["start"] == "2026-12-08T12:00:00+01:00"


def test_unscheduled_optional_session_is_not_in_the_schedule() -> None:
    sc = scenario_of(sessions=[session(), session("s2", options=[option(at("10:00"), at("11:00"))],
                                                    optional=True)])
    result = result_of(sc)
    assert [e["session"] for e in result["schedule"]] == ["s1"]
    assert [u["session"] for u in result["unfilled"]] == ["s1"]


# -- unfilled ------------------------------------------------------------------


def far_certified() -> Scenario:
    """Only bo has a police certificate, and he lives 300+ km from the place
    with a 10 km travel limit; ada lives next door but has none."""
    return scenario_of(
        places=[place("p1", lat=58.46, lon=8.77)],
        sessions=[session(roles=[role("host", certificate="police")])],
        volunteers=[
            volunteer("ada", lat=58.46, lon=8.77, max_travel_km=10),
            volunteer("bo", lat=59.91, lon=10.75, max_travel_km=10,
                      certificates={"police": "2027-01-01"}),
        ],
    )


def test_only_one_certified_volunteer_and_he_lives_too_far() -> None:
    (entry,) = result_of(far_certified())["unfilled"]
    assert entry["session"] == "s1" and entry["role"] == "host"
    assert (entry["missing"], entry["candidates"], entry["occupied"]) == (1, 0, 0)
    assert entry["excluded"] == {"availability": 0, "skills": 0, "languages": 0,
                                 "certificate": 1, "distance": 1, "forbidden": 0}
    assert list(entry["excluded"]) == list(RULES)
    assert "police certificate" in entry["reason"] and "travel limit" in entry["reason"]
    assert entry["reason"].startswith("Nobody")


def test_an_expired_certificate_is_excluded_on_the_session_date() -> None:
    sc = scenario_of(
        sessions=[session(roles=[role("host", certificate="police")])],
        volunteers=[volunteer("ada", certificates={"police": "2026-12-07"}),
                    volunteer("bo", certificates={"police": "2026-12-08"})],
    )
    (entry,) = result_of(sc, [])["unfilled"]
    assert entry["candidates"] == 1 and entry["excluded"]["certificate"] == 1


def test_a_volunteer_excluded_by_two_rules_counts_under_both() -> None:
    sc = scenario_of(
        sessions=[session(roles=[role("driver", skills=["driving"], languages=["ar"])])],
        volunteers=[volunteer("ada", availability=[]), volunteer("bo", languages=["ar"]),
                    volunteer("cy", skills=["driving"], languages=["so"])],
        forbidden=[{"volunteer": "ada", "session": "s1"}],
    )
    (entry,) = result_of(sc)["unfilled"]
    assert entry["excluded"] == {"availability": 1, "skills": 2, "languages": 2,
                                 "certificate": 0, "distance": 0, "forbidden": 1}
    assert entry["candidates"] == 0
    # Nobody who speaks Arabic has the skill, and the skilled one speaks only Somali.
    assert entry["reason"] == "Nobody with the skill driving speaks ar."


def test_a_single_rule_excluding_everybody_is_named() -> None:
    sc = scenario_of(volunteers=[volunteer("ada", availability=[interval(at("08:00"), at("09:00"))])])
    (entry,) = result_of(sc)["unfilled"]
    assert entry["excluded"]["availability"] == 1
    assert entry["reason"] == "Nobody is available at this time."


def test_occupied_counts_eligible_people_busy_elsewhere_or_at_their_limit() -> None:
    sc = scenario_of(
        sessions=[
            session("s1", roles=[role("host", min=2)]),
            session("s2", start=at("18:00"), end=at("20:00"), place=None),  # overlaps s1
            session("s3", start=at("10:00", "2026-12-09"), end=at("11:00", "2026-12-09"), place=None),
        ],
        volunteers=[volunteer("ada"), volunteer("bo"),
                    volunteer("cy", max_sessions_per_week=1), volunteer("di")],
    )
    result = result_of(sc, [("ada", "s1", "host"), ("bo", "s2", "host"), ("cy", "s3", "host")])
    (entry,) = [u for u in result["unfilled"] if u["session"] == "s1"]
    assert entry["missing"] == 1
    assert entry["candidates"] == 4  # everybody passes H1-H5
    assert entry["occupied"] == 2  # bo overlaps, cy is at his weekly limit; di is free
    assert "1 qualified volunteer is still free" in entry["reason"]


def test_everybody_occupied_is_said_so() -> None:
    sc = scenario_of(
        sessions=[session("s1", roles=[role("host", min=2)]),
                  session("s2", start=at("18:00"), end=at("20:00"), place=None)],
        volunteers=[volunteer("ada"), volunteer("bo")],
    )
    (entry,) = [u for u in result_of(sc, [("ada", "s1", "host"), ("bo", "s2", "host")])["unfilled"]
                if u["session"] == "s1"]
    assert (entry["candidates"], entry["occupied"]) == (2, 1)
    assert entry["reason"] == ("Only 2 volunteers qualify, 1 already serves here and 1 is busy "
                               "elsewhere at this time or at their weekly limit.")


def test_a_second_role_in_the_same_session_makes_one_occupied() -> None:
    sc = scenario_of(sessions=[session(roles=[role("host"), role("cook")])],
                     volunteers=[volunteer("ada")])
    (entry,) = result_of(sc, [("ada", "s1", "host")])["unfilled"]
    assert (entry["role"], entry["candidates"], entry["occupied"]) == ("cook", 1, 1)


def test_unfilled_follows_the_chosen_option() -> None:
    sc = scenario_of(
        places=[place("near", lat=58.46, lon=8.77), place("far", lat=59.91, lon=10.75)],
        sessions=[session(options=[option(at("17:00"), at("18:00"), "near"),
                                   option(at("17:00"), at("18:00"), "far")],
                          roles=[role("host", min=2)])],
        volunteers=[volunteer("ada", lat=58.46, lon=8.77, max_travel_km=5)],
    )
    near = result_of(sc, s1=0)["unfilled"][0]
    far = result_of(sc, s1=1)["unfilled"][0]
    assert (near["candidates"], near["excluded"]["distance"]) == (1, 0)
    assert (far["candidates"], far["excluded"]["distance"]) == (0, 1)


# -- kpis ----------------------------------------------------------------------


def test_kpis_of_a_plan() -> None:
    sc = scenario_of(
        activities=[activity("a1", interests=["music"])],
        places=[place("p1", lat=0.0, lon=0.0)],
        sessions=[session("s1", roles=[role("host", min=2, max=3)]),
                  session("s2", start=at("10:00", "2026-12-09"), end=at("14:00", "2026-12-09"))],
        volunteers=[volunteer("ada", interests=["music"], lat=0.0, lon=0.0),
                    volunteer("bo", lat=0.0, lon=0.1), volunteer("cy")],
        previous=[assignment("ada", "s1"), assignment("cy", "s1")],
    )
    kpis = result_of(sc, [("ada", "s1", "host"), ("bo", "s1", "host"), ("ada", "s2", "host")])["kpis"]
    assert kpis["sessions_scheduled"] == 2
    assert (kpis["slots_min"], kpis["filled_min"], kpis["fill_rate"]) == (3, 3, 1.0)
    assert (kpis["assignments"], kpis["volunteers_used"]) == (3, 2)
    assert kpis["interest_match_rate"] == pytest.approx(2 / 3)
    assert kpis["travel_km_total"] == pytest.approx(6371.0 * 3.141592653589793 / 1800)
    assert kpis["hours_max"] == 6.0
    # hours (0, 2, 6): Gini = sum |xi - xj| / (2 n^2 mean) = 24 / (2 * 9 * 8/3) = 0.5
    assert kpis["hours_gini"] == pytest.approx(0.5)
    # previous \ A = {(cy, s1)}, A \ previous = {(bo, s1), (ada, s2)}
    assert kpis["changes"] == 3
    assert set(kpis["score_terms"]) >= {"cover_min", "fairness", "option_penalty"}


def test_kpis_of_an_empty_plan() -> None:
    sc = scenario_of(sessions=[session(roles=[role("host", min=0)])])
    kpis = result_of(sc)["kpis"]
    assert (kpis["slots_min"], kpis["fill_rate"], kpis["hours_gini"], kpis["hours_max"]) == (0, 1.0, 0.0, 0.0)
    assert kpis["changes"] is None and kpis["interest_match_rate"] == 0.0


@pytest.mark.parametrize(("hours", "expected"), [
    ([], 0.0), ([0, 0, 0], 0.0), ([3, 3, 3], 0.0), ([0, 4], 0.5), ([0, 0, 0, 8], 0.75),
    ([1, 2, 3, 4], 0.25),
])
def test_gini(hours: list[float], expected: float) -> None:
    assert gini(hours) == pytest.approx(expected)


# -- failures and bad calls ------------------------------------------------------


def test_infeasible_result_carries_its_conflicts() -> None:
    result = build_failure_result(scenario_of(), status="infeasible",
                                  conflicts=["v1 is fixed to two sessions at once"],
                                  message=None, solver_info=SOLVER)
    assert result["format"] == "medsam-result/1" and result["status"] == "infeasible"
    assert result["conflicts"] == ["v1 is fixed to two sessions at once"]
    assert result["score"] is None and result["schedule"] == [] and result["assignments"] == []
    json.dumps(result)


def test_error_result_carries_its_message() -> None:
    result = build_failure_result(None, status="error", conflicts=None, message="out of memory",
                                  solver_info=SOLVER)
    assert result["status"] == "error" and result["message"] == "out of memory"
    assert "conflicts" not in result


def test_wrong_statuses_are_refused() -> None:
    with pytest.raises(ValueError):
        build_result(scenario_of(), Plan({}, ()), status="infeasible", bound=None, solver_info={})
    with pytest.raises(ValueError):
        build_failure_result(None, status="optimal", conflicts=None, message=None, solver_info={})
