"""Random small scenarios: the result validates and scores at least greedy's;
on tiny ones the score is the optimum found by enumerating every plan.

The enumeration checks the hard rules itself (eligibility H1-H5 through
`solver.eligibility`, which the model shares, but H6-H10 written out here) and
scores with `solver.score`, so it does not lean on the model it checks.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.compact_lp import compact_relaxation, compact_relaxation_by_week
from solver.eligibility import is_eligible
from solver.flow_bound import flow_bound
from solver.model import find_candidates
from solver.parse import parse_scenario
from solver.scenario import Assignment, Plan, Scenario
from solver.score import compute_score
from solver.solve import greedy, solve
from solver.validator import validate
from tests.solver.helpers import (
    activity,
    at,
    minimal_scenario,
    option,
    place,
    role,
    session,
    volunteer,
)

DAYS = ["2026-12-07", "2026-12-08", "2026-12-14"]  # two in ISO week 50, one in 51
HOURS = ["17:00", "18:00", "19:00"]
PLACES = {"p1": (58.46, 8.77), "p2": (58.50, 8.85)}


@st.composite
def slots(draw: st.DrawFn) -> tuple[str, str, str | None]:
    day = draw(st.sampled_from(DAYS))
    start = draw(st.sampled_from(HOURS))
    length = draw(st.sampled_from([1, 2]))
    end = f"{int(start[:2]) + length}:00"
    return at(start, day), at(end, day), draw(st.sampled_from(["p1", "p2", None]))


@st.composite
def scenarios(draw: st.DrawFn, volunteers: int, sessions: int, roles: int) -> dict[str, Any]:
    n_sessions = draw(st.integers(1, sessions))
    docs = []
    for i in range(n_sessions):
        session_roles = [
            role(name, min=draw(st.integers(0, 2)), max=2,
                 skills=draw(st.sampled_from([[], ["first_aid"]])))
            for name in ["host", "helper"][: draw(st.integers(1, roles))]
        ]
        act = draw(st.sampled_from(["a1", "a2"]))
        if draw(st.booleans()) and i == 0:  # at most one open session
            options = [option(*slot, penalty=draw(st.sampled_from([0, 5, 50])))
                       for slot in draw(st.lists(slots(), min_size=1, max_size=2))]
            docs.append(session(f"s{i}", activity=act, options=options, roles=session_roles,
                                optional=draw(st.booleans())))
        else:
            start, end, where = draw(slots())
            docs.append(session(f"s{i}", activity=act, start=start, end=end, place=where,
                                roles=session_roles))
    people = []
    for i in range(draw(st.integers(1, volunteers))):
        lat, lon = PLACES[draw(st.sampled_from(list(PLACES)))]
        fields: dict[str, Any] = {"lat": lat, "lon": lon}
        if draw(st.booleans()):
            fields["max_travel_km"] = 3
        if draw(st.booleans()):
            day = draw(st.sampled_from(DAYS))
            fields["availability"] = [{"start": at("16:00", day), "end": at("21:00", day)}]
        fields["max_sessions_per_week"] = draw(st.sampled_from([None, 1, 2]))
        fields["max_hours_per_week"] = draw(st.sampled_from([None, 2, 3.5]))
        fields["skills"] = draw(st.sampled_from([[], ["first_aid"]]))
        fields["interests"] = draw(st.sampled_from([[], ["coffee"]]))
        fields["preferred_activities"] = draw(st.sampled_from([[], ["a2"]]))
        people.append(volunteer(f"v{i}", **fields))
    weights = {
        "cover_min": draw(st.sampled_from([100, 1000])),
        "cover_extra": draw(st.sampled_from([0, 50])),
        "travel_km": draw(st.sampled_from([0, 2])),
        "fairness": draw(st.sampled_from([0, 1, 30])),
        "volunteer_used": draw(st.sampled_from([-40, 0, 40])),
        "continuity": draw(st.sampled_from([0, 10])),
    }
    extra: dict[str, Any] = {}
    pairs = [(v["id"], s["id"]) for v in people for s in docs]
    if draw(st.booleans()):
        v, s = draw(st.sampled_from(pairs))
        extra["previous"] = [{"volunteer": v, "session": s, "role": "host"}]
    if draw(st.booleans()):
        v, s = draw(st.sampled_from(pairs))
        extra["forbidden"] = [{"volunteer": v, "session": s}]
    if draw(st.booleans()):
        v, s = draw(st.sampled_from(pairs))
        extra["fixed"] = [{"volunteer": v, "session": s, "role": "host"}]
    return minimal_scenario(
        places=[place("p1", lat=58.46, lon=8.77, parallel=draw(st.sampled_from([1, 2]))),
                place("p2", lat=58.50, lon=8.85, capacity=draw(st.sampled_from([5, 100])))],
        activities=[activity("a1", interests=["coffee"]), activity("a2")],
        sessions=docs, volunteers=people, weights=weights, **extra,
    )


# -- brute force ---------------------------------------------------------------------


def _feasible(sc: Scenario, schedule: dict[str, int], plan: list[Assignment]) -> bool:
    """H6-H10 (H1-H5 are applied while enumerating)."""
    held = {s: sc.session_by_id[s].options[o] for s, o in schedule.items()}
    if not set(sc.fixed) <= set(plan):
        return False
    if any((a.volunteer, a.session) in set(sc.forbidden) for a in plan):
        return False
    per_volunteer: dict[str, list[str]] = defaultdict(list)
    per_role: dict[tuple[str, str], int] = defaultdict(int)
    for a in plan:
        per_volunteer[a.volunteer].append(a.session)
        per_role[a.session, a.role] += 1
    for (s, r), n in per_role.items():
        if n > sc.session_by_id[s].role(r).max:
            return False
    for v, own in per_volunteer.items():
        if len(own) != len(set(own)):
            return False
        for a, b in itertools.combinations(own, 2):
            if held[a].start < held[b].end and held[b].start < held[a].end:
                return False
        volunteer_ = sc.volunteer_by_id[v]
        weeks: dict[tuple[int, int], list[float]] = defaultdict(list)
        for s in own:
            weeks[held[s].iso_week].append(held[s].hours)
        for hours in weeks.values():
            if volunteer_.max_sessions_per_week is not None and len(hours) > volunteer_.max_sessions_per_week:
                return False
            if volunteer_.max_hours_per_week is not None and sum(hours) > volunteer_.max_hours_per_week + 1e-9:
                return False
    for s, option_ in held.items():
        if option_.place is None:
            continue
        p = sc.place_by_id[option_.place]
        session_ = sc.session_by_id[s]
        if not session_.needs <= p.features or (p.capacity is not None and session_.participants > p.capacity):
            return False
        if any(option_.interval.overlaps(b) for b in p.busy):
            return False
        # the most sessions running at once there: at some session's start
        here = [o for o in held.values() if o.place == p.id]
        if any(sum(o.start <= t.start < o.end for o in here) > p.parallel for t in here):
            return False
    return True


def brute_force_optimum(sc: Scenario, using: Assignment | None = None) -> float | None:
    """The best score of any plan keeping every hard rule (that has `using`
    among its assignments, when given); None when there is no such plan."""
    best: float | None = None
    forbidden = set(sc.forbidden)
    fixed = set(sc.fixed)
    choices_per_session = [
        [0] if not s.is_open else list(range(len(s.options))) + ([None] if s.optional else [])
        for s in sc.sessions
    ]
    for picks in itertools.product(*choices_per_session):
        schedule = {s.id: o for s, o in zip(sc.sessions, picks, strict=True) if o is not None}
        # per (volunteer, session): nothing, or one role it may take
        pair_choices = []
        for v in sc.volunteers:
            for s in sc.sessions:
                options = [None]
                if s.id in schedule:
                    held = s.options[schedule[s.id]]
                    for r in s.roles:
                        a = Assignment(v.id, s.id, r.name)
                        if a in fixed or ((v.id, s.id) not in forbidden and is_eligible(sc, v, r, held)):
                            options.append(a)
                pair_choices.append(options)
        for combo in itertools.product(*pair_choices):
            plan = [a for a in combo if a is not None]
            if using is not None and using not in plan:
                continue
            if _feasible(sc, schedule, plan):
                score = compute_score(sc, Plan(schedule=schedule, assignments=tuple(plan)))
                best = score if best is None else max(best, score)
    return best


# -- properties ----------------------------------------------------------------------

SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(scenarios(volunteers=6, sessions=5, roles=2))
def test_result_validates_and_beats_greedy(doc: dict[str, Any]) -> None:
    result = solve(doc, time_limit=5.0, workers=1)
    baseline = greedy(doc)
    if result["status"] == "infeasible":
        # Greedy cannot plan it either: it says so, or (having no proof) errs.
        assert baseline["status"] in ("infeasible", "error") and result["conflicts"]
        return
    assert validate(doc, result) == []
    assert result["status"] == "optimal"
    assert validate(doc, baseline) == []
    assert result["score"] >= baseline["score"] - 1e-6 * max(1.0, abs(baseline["score"]))
    scenario = parse_scenario(doc)
    bound = flow_bound(scenario, find_candidates(scenario))
    if bound is not None:  # the flow's bound holds over the proven optimum
        assert bound >= result["score"] - 1e-6 * max(1.0, abs(result["score"]))
    for tight in (True, False):  # and so does the compact LP's
        relaxation = compact_relaxation(scenario, find_candidates(scenario), 5.0, tight=tight)
        if relaxation is not None:
            assert relaxation.bound >= result["score"] - 1e-6 * max(1.0, abs(result["score"]))


@SETTINGS
@given(scenarios(volunteers=3, sessions=3, roles=2))
def test_tiny_scenarios_reach_the_brute_force_optimum(doc: dict[str, Any]) -> None:
    result = solve(doc, time_limit=5.0, workers=1)
    optimum = brute_force_optimum(parse_scenario(doc))
    if optimum is None:
        assert result["status"] == "infeasible" and result["conflicts"]
        return
    assert validate(doc, result) == []
    assert result["status"] == "optimal"
    assert result["score"] == pytest.approx(optimum, rel=1e-6, abs=1e-6)
    assert result["bound"] >= optimum - 1e-6 * max(1.0, abs(optimum))
    scenario = parse_scenario(doc)
    bound = flow_bound(scenario, find_candidates(scenario))
    if bound is not None:
        assert bound >= optimum - 1e-6 * max(1.0, abs(optimum))
    for relax, tight, pdlp in itertools.product(
        (compact_relaxation, compact_relaxation_by_week), (True, False), (False, True)
    ):
        # PDLP stopped early too: its bound holds whatever duals it has
        relaxation = relax(
            scenario, find_candidates(scenario), 0.2 if pdlp else 5.0, tight=tight, pdlp=pdlp
        )
        if relaxation is None:
            continue
        assert relaxation.bound >= optimum - 1e-6 * max(1.0, abs(optimum))
        for t, triple in enumerate(relaxation.triples):
            # what the search leaves out relies on this: a plan with the
            # triple scores at most the bound plus its reduced cost (< 0)
            best_with = brute_force_optimum(scenario, using=triple)
            if best_with is not None:
                ceiling = relaxation.bound + min(float(relaxation.reduced[t]), 0.0)
                assert ceiling >= best_with - 1e-6 * max(1.0, abs(best_with))
