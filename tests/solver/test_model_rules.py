"""Each hard rule of the model on its own: where the rule binds, the
assignment it forbids is absent, and a `fixed` that forces it is infeasible.

Most tests build only the rule under test (plus the cover term, so the solver
wants to staff as much as it can) and show the same scenario without the rule
would break it, so each rule is seen to do the work.
"""

from __future__ import annotations

from typing import Any

from ortools.sat.python import cp_model

from solver.model import ModelData, build_model, find_candidates
from solver.model.conflicts import find_conflicts
from solver.model.rules import (
    h6_no_overlap,
    h6_one_role,
    h7_weekly_limits,
    h8_role_max,
    h9_fixed,
    h10_places,
    h10_sessions,
)
from solver.model.sweep import overlap_cliques
from solver.model.terms import cover, option_penalty
from solver.parse import parse_scenario
from solver.scenario import Assignment, Plan
from tests.solver.helpers import (
    activity,
    assignment,
    at,
    minimal_scenario,
    option,
    place,
    role,
    session,
    volunteer,
)


def solve_with(doc: dict[str, Any], rules: tuple = (), terms: tuple = (cover,)) -> Plan | None:
    """The best plan under only `rules` (and `terms`), None when infeasible."""
    scenario = parse_scenario(doc)
    data = ModelData.whole(scenario, find_candidates(scenario))
    built = build_model(data, rules=rules, terms=terms)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return None
    assert status == cp_model.OPTIMAL
    return built.vars.extract(solver.boolean_value)


def triples(plan: Plan | None) -> set[tuple[str, str, str]]:
    assert plan is not None
    return {tuple(a) for a in plan.assignments}


# -- sweep ------------------------------------------------------------------------


def test_cliques_are_maximal_sets_sharing_an_instant() -> None:
    spans = [(0, 10), (5, 15), (8, 20), (15, 25), (30, 40)]
    assert overlap_cliques(spans) == [[0, 1, 2], [2, 3]]


def test_touching_intervals_form_no_clique() -> None:
    assert overlap_cliques([(0, 10), (10, 20), (20, 30)]) == []


def test_three_sessions_sharing_an_instant_give_one_constraint_not_three() -> None:
    doc = minimal_scenario(sessions=[
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", start=at("17:30"), end=at("19:30")),
        session("s3", start=at("18:00"), end=at("20:00")),
    ], places=[place("p1", parallel=3)])
    scenario = parse_scenario(doc)
    built = build_model(ModelData.whole(scenario, find_candidates(scenario)),
                        rules=(h6_no_overlap,), terms=())
    assert len(built.model.proto.constraints) == 1


# -- H6 -----------------------------------------------------------------------------


def test_h6_one_role_per_session() -> None:
    doc = minimal_scenario(sessions=[session("s1", roles=[role("host"), role("helper")])])
    assert len(triples(solve_with(doc))) == 2  # without the rule: both roles
    assert len(triples(solve_with(doc, rules=(h6_one_role,)))) == 1


def test_h6_no_overlapping_sessions() -> None:
    doc = minimal_scenario(places=[place("p1", parallel=2)], sessions=[
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", start=at("18:00"), end=at("20:00")),
    ])
    assert len(triples(solve_with(doc))) == 2
    assert len(triples(solve_with(doc, rules=(h6_no_overlap,)))) == 1


def test_h6_back_to_back_sessions_do_not_overlap() -> None:
    doc = minimal_scenario(sessions=[
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", start=at("19:00"), end=at("21:00")),
    ])
    assert len(triples(solve_with(doc, rules=(h6_no_overlap,)))) == 2


def test_h6_open_session_takes_the_option_that_does_not_overlap() -> None:
    doc = minimal_scenario(places=[place("p1", parallel=2)], sessions=[
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", options=[option(at("18:00"), at("20:00")), option(at("19:00"), at("21:00"))]),
    ])
    plan = solve_with(doc, rules=(h6_no_overlap, h10_sessions))
    assert len(triples(plan)) == 2
    assert plan is not None and plan.schedule["s2"] == 1


def test_h6_fixed_overlap_is_infeasible_and_explained() -> None:
    doc = minimal_scenario(places=[place("p1", parallel=2)], sessions=[
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", start=at("18:00"), end=at("20:00")),
    ], fixed=[assignment("v1", "s1"), assignment("v1", "s2")])
    assert solve_with(doc, rules=(h6_no_overlap, h9_fixed)) is None
    conflicts = find_conflicts(parse_scenario(doc))
    assert conflicts == ["volunteer v1 is fixed to sessions that overlap in time: s1, s2"]


def test_h6_fixed_to_two_roles_is_infeasible() -> None:
    doc = minimal_scenario(sessions=[session("s1", roles=[role("host"), role("helper")])],
                           fixed=[assignment("v1", "s1", "host"), assignment("v1", "s1", "helper")])
    assert solve_with(doc, rules=(h6_one_role, h9_fixed)) is None
    assert "fixed to 2 roles" in find_conflicts(parse_scenario(doc))[0]


# -- H7 -----------------------------------------------------------------------------


def week_of_sessions(days: list[str]) -> list[dict[str, Any]]:
    return [session(f"s{i}", start=at("17:00", d), end=at("19:00", d)) for i, d in enumerate(days)]


def test_h7_sessions_per_week() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", max_sessions_per_week=2)],
                           sessions=week_of_sessions(["2026-12-07", "2026-12-08", "2026-12-09"]))
    assert len(triples(solve_with(doc))) == 3
    assert len(triples(solve_with(doc, rules=(h7_weekly_limits,)))) == 2


def test_h7_limits_count_per_iso_week() -> None:
    # Sunday 13 December is week 50, Monday 14 December week 51
    doc = minimal_scenario(volunteers=[volunteer("v1", max_sessions_per_week=1)],
                           sessions=week_of_sessions(["2026-12-13", "2026-12-14"]))
    assert len(triples(solve_with(doc, rules=(h7_weekly_limits,)))) == 2


def test_h7_hours_per_week_exactly_at_the_limit_is_allowed() -> None:
    days = ["2026-12-07", "2026-12-08", "2026-12-09"]
    at_limit = minimal_scenario(volunteers=[volunteer("v1", max_hours_per_week=4)],
                                sessions=week_of_sessions(days))
    assert len(triples(solve_with(at_limit, rules=(h7_weekly_limits,)))) == 2
    below = minimal_scenario(volunteers=[volunteer("v1", max_hours_per_week=3.99)],
                             sessions=week_of_sessions(days))
    assert len(triples(solve_with(below, rules=(h7_weekly_limits,)))) == 1


def test_h7_hours_follow_the_chosen_option() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", max_hours_per_week=3)], sessions=[
        session("s1", start=at("10:00"), end=at("12:00")),
        session("s2", options=[option(at("17:00"), at("19:00")), option(at("17:00"), at("18:00"))]),
    ])
    plan = solve_with(doc, rules=(h7_weekly_limits, h10_sessions))
    assert len(triples(plan)) == 2
    assert plan is not None and plan.schedule["s2"] == 1


def test_h7_fixed_over_the_limit_is_explained() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", max_hours_per_week=3)],
                           sessions=week_of_sessions(["2026-12-07", "2026-12-08"]),
                           fixed=[assignment("v1", "s0"), assignment("v1", "s1")])
    assert solve_with(doc, rules=(h7_weekly_limits, h9_fixed)) is None
    assert find_conflicts(parse_scenario(doc)) == [
        "volunteer v1 is fixed to 4 h in week 2026-W50, more than their 3 h a week"
    ]


# -- H8 -----------------------------------------------------------------------------


def test_h8_role_max() -> None:
    doc = minimal_scenario(volunteers=[volunteer(f"v{i}") for i in range(4)],
                           sessions=[session("s1", roles=[role("host", min=1, max=2)])])
    assert len(triples(solve_with(doc))) == 4
    assert len(triples(solve_with(doc, rules=(h8_role_max,)))) == 2


def test_h8_too_many_fixed_is_infeasible() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2")],
                           fixed=[assignment("v1", "s1"), assignment("v2", "s1")])
    assert solve_with(doc, rules=(h8_role_max, h9_fixed)) is None
    assert find_conflicts(parse_scenario(doc)) == [
        "session s1 role host has 2 fixed people, at most 1 allowed"
    ]


# -- H9 -----------------------------------------------------------------------------


def test_h9_fixed_is_kept_even_when_ineligible_and_costly() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", availability=[])],
                           fixed=[assignment("v1", "s1")])
    assert triples(solve_with(doc, rules=(h9_fixed,), terms=())) == {("v1", "s1", "host")}


def test_h9_forbidden_pair_never_assigned() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1"), volunteer("v2")],
                           sessions=[session("s1", roles=[role("host", min=2, max=2)])],
                           forbidden=[{"volunteer": "v1", "session": "s1"}])
    assert triples(solve_with(doc)) == {("v2", "s1", "host")}


def test_h9_fixed_and_forbidden_together_is_a_conflict() -> None:
    doc = minimal_scenario(fixed=[assignment("v1", "s1")],
                           forbidden=[{"volunteer": "v1", "session": "s1"}])
    assert find_conflicts(parse_scenario(doc)) == [
        "volunteer v1 is fixed to session s1 (role host) and also forbidden from it"
    ]


# -- H10 ----------------------------------------------------------------------------


def open_session(**fields: Any) -> dict[str, Any]:
    return session("s1", options=[option(at("10:00"), at("12:00"), "p1"),
                                  option(at("17:00"), at("19:00"), "p2")], **fields)


TWO_PLACES = [place("p1", features=["kitchen"], capacity=10), place("p2", capacity=30)]


def test_h10_non_optional_open_session_gets_exactly_one_option() -> None:
    doc = minimal_scenario(places=TWO_PLACES, sessions=[open_session()])
    plan = solve_with(doc, rules=(h10_sessions,), terms=())
    assert plan is not None and set(plan.schedule) == {"s1"}


def test_h10_needs_capacity_and_busy_filter_options() -> None:
    needs = minimal_scenario(places=TWO_PLACES, sessions=[open_session(needs=["kitchen"])])
    assert solve_with(needs, rules=(h10_sessions,)).schedule == {"s1": 0}  # type: ignore[union-attr]
    crowd = minimal_scenario(places=TWO_PLACES, sessions=[open_session(participants=20)])
    assert solve_with(crowd, rules=(h10_sessions,)).schedule == {"s1": 1}  # type: ignore[union-attr]
    busy_p2 = [TWO_PLACES[0], place("p2", busy=[{"start": at("18:00"), "end": at("20:00")}])]
    busy = minimal_scenario(places=busy_p2, sessions=[open_session()])
    assert solve_with(busy, rules=(h10_sessions,)).schedule == {"s1": 0}  # type: ignore[union-attr]


def test_h10_no_usable_option_is_infeasible_unless_optional() -> None:
    doc = minimal_scenario(places=TWO_PLACES, sessions=[open_session(needs=["pool"])])
    assert solve_with(doc, rules=(h10_sessions,)) is None
    assert find_conflicts(parse_scenario(doc)) == [
        "session s1 must be held but none of its options is usable"
    ]
    optional = minimal_scenario(places=TWO_PLACES,
                                sessions=[open_session(needs=["pool"], optional=True)])
    assert solve_with(optional, rules=(h10_sessions,)) == Plan(schedule={}, assignments=())
    assert find_conflicts(parse_scenario(optional)) == []


def test_h10_fixed_session_at_an_unfit_place_is_a_conflict() -> None:
    doc = minimal_scenario(sessions=[session("s1", needs=["projector"])])
    assert find_conflicts(parse_scenario(doc)) == ["session s1: place p1 lacks projector"]


def test_h10_optional_session_left_out_when_it_only_costs() -> None:
    doc = minimal_scenario(volunteers=[volunteer("v1", availability=[])], sessions=[
        session("s1", optional=True, options=[option(at("17:00"), at("19:00"), penalty=5)]),
    ])
    assert solve_with(doc, rules=(h10_sessions,), terms=(option_penalty,)).schedule == {}  # type: ignore[union-attr]


def test_h10_work_only_at_a_scheduled_session() -> None:
    # the optional session costs 5 to hold; staffing it is worth 1000
    doc = minimal_scenario(sessions=[
        session("s1", optional=True, options=[option(at("17:00"), at("19:00"), penalty=5)]),
    ])
    plan = solve_with(doc, rules=(h10_sessions,), terms=(cover, option_penalty))
    assert plan == Plan(schedule={"s1": 0}, assignments=(Assignment("v1", "s1", "host"),))


def test_h10_eligible_only_under_one_option_takes_that_option() -> None:
    # v1 lives next to p1 and travels at most 5 km: only the p1 option lets them work
    doc = minimal_scenario(
        places=[place("p1", lat=58.46, lon=8.77), place("p2", lat=59.0, lon=9.5)],
        volunteers=[volunteer("v1", lat=58.46, lon=8.77, max_travel_km=5)],
        sessions=[session("s1", options=[option(at("17:00"), at("19:00"), "p2"),
                                         option(at("17:00"), at("19:00"), "p1", penalty=1)])],
    )
    plan = solve_with(doc, rules=(h10_sessions,), terms=(cover, option_penalty))
    assert plan is not None and plan.schedule == {"s1": 1} and len(plan.assignments) == 1


def test_h10_parallel_at_a_place() -> None:
    sessions = [
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", options=[option(at("18:00"), at("20:00"), "p1"),
                               option(at("18:00"), at("20:00"), "p2", penalty=3)]),
    ]
    one = minimal_scenario(places=[place("p1"), place("p2")], sessions=sessions,
                           activities=[activity("a1")])
    assert solve_with(one, rules=(h10_sessions, h10_places), terms=(option_penalty,)).schedule == {"s1": 0, "s2": 1}  # type: ignore[union-attr]
    two = minimal_scenario(places=[place("p1", parallel=2), place("p2")], sessions=sessions)
    assert solve_with(two, rules=(h10_sessions, h10_places), terms=(option_penalty,)).schedule == {"s1": 0, "s2": 0}  # type: ignore[union-attr]


def test_h10_fixed_sessions_over_parallel_is_a_conflict() -> None:
    doc = minimal_scenario(sessions=[
        session("s1", start=at("17:00"), end=at("19:00")),
        session("s2", start=at("18:00"), end=at("20:00")),
    ])
    assert find_conflicts(parse_scenario(doc)) == [
        "place p1 runs 2 sessions at once (s1, s2), at most 1 allowed"
    ]


def test_h10_open_sessions_compete_for_a_place() -> None:
    # two must-hold sessions, each can only be at p1 17-19 or 19-21: one each
    options = [option(at("17:00"), at("19:00")), option(at("19:00"), at("21:00"))]
    doc = minimal_scenario(sessions=[session("s1", options=options), session("s2", options=options)])
    plan = solve_with(doc, rules=(h10_sessions, h10_places), terms=())
    assert plan is not None and sorted(plan.schedule.values()) == [0, 1]
