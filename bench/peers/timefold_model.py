"""The fixed-session scenarios as a Timefold Solver (Python) problem.

Timefold (the `timefold` package, optional extra `peer`; it brings its jars
and needs a Java 17 runtime) is a local-search planning engine. Here each
seat (session, role, k-th person up to `max`) is a planning entity whose
variable is a volunteer or nobody (`allows_unassigned`), chosen from the
seat's own candidates: those `solver.model.find_candidates` finds eligible
under H1-H5 and not forbidden (the eligibility rules are the scenario's,
not a solver's, so both optimisers get the same lists).

Hard constraints: H6 (one role per session, no overlapping sessions), H7
(weekly sessions and hours). Soft: the score of §4 in hundredths (cover by
role, interest, preferred and travel per assignment, fairness per volunteer,
continuity per (volunteer, activity), volunteer_used). Only scenarios whose
sessions are all fixed, with no `fixed`, `previous` or place rules to weigh,
can be expressed (`expressible`). The plan Timefold returns is written out
by `solver.result.build_result`, so its score is the format's, and checked
by `solver.validate` like ours.
"""

from __future__ import annotations

import math
import time
from typing import Any

from solver.eligibility import distance_km
from solver.model import find_candidates
from solver.parse import parse_scenario
from solver.result import build_result
from solver.scenario import Assignment, Plan, Scenario

#: soft score units per point of the format's score
SCALE = 100
#: seconds kept back from the limit for writing the result
END_SECONDS = 0.2
#: a weekly limit that is not set
NO_LIMIT = 10**9


def expressible(doc: dict[str, Any]) -> list[str]:
    """Why the scenario cannot be given to the peer (empty: it can)."""
    why = []
    if any("options" in s for s in doc.get("sessions", [])):
        why.append("open sessions")
    for key in ("fixed", "previous"):
        if doc.get(key):
            why.append(f"{key} assignments")
    return why


def fixed_sessions(doc: dict[str, Any]) -> dict[str, Any]:
    """The scenario with every open session held at its first option (in the
    generated scenarios that one is free), so that the peer can take it."""
    out = dict(doc)
    sessions = []
    for s in doc["sessions"]:
        if "options" in s:
            first = s["options"][0]
            s = {k: v for k, v in s.items() if k not in ("options", "optional")}
            s.update(start=first["start"], end=first["end"], place=first.get("place"))
        sessions.append(s)
    out["sessions"] = sessions
    return out


def solve_with_timefold(doc: dict[str, Any], time_limit: float) -> dict[str, Any]:
    """A `medsam-result/1` document of Timefold's best plan after `time_limit`
    seconds in all (building the problem included; call `warm_up` first, or
    the JVM's start and the classes' compilation count too)."""
    started = time.monotonic()
    problems = expressible(doc)
    if problems:
        raise ValueError("the peer cannot express " + ", ".join(problems))
    from . import timefold_domain as domain

    scenario = parse_scenario(doc)
    problem = _problem(scenario, domain)
    # Timefold's own limit (a timer thread in Python does not get the GIL
    # while it searches): what is left after building the problem. Handing
    # the problem to the JVM and the plan back (seconds on M, `overhead`)
    # comes on top: the peer searches for the whole limit, as ours does.
    left = started + time_limit - time.monotonic() - END_SECONDS
    solver = _solver(domain, scenario, max(left, 0.05))
    searching = time.monotonic()
    best = solver.solve(problem)
    searched = time.monotonic()
    plan = Plan(
        schedule={s.id: 0 for s in scenario.sessions},
        assignments=tuple(
            Assignment(seat.volunteer.id, seat.session, seat.role)
            for seat in best.seats if seat.volunteer is not None
        ),
    )
    result = build_result(
        scenario, plan, status="feasible", bound=None,
        solver_info={
            "name": "timefold", "time_limit": time_limit, "timefold_score": str(best.score),
            "phases": {
                "build": round(searching - started, 3),
                "search": round(max(left, 0.05), 3),
                "overhead": round(searched - searching - max(left, 0.05), 3),
            },
        },
    )
    ended = time.monotonic()
    result["solver"]["seconds"] = round(ended - started, 3)
    return result


def _solver(domain: Any, scenario: Scenario, seconds: float) -> Any:
    from timefold.solver import SolverFactory
    from timefold.solver.config import (
        Duration,
        ScoreDirectorFactoryConfig,
        SolverConfig,
        TerminationConfig,
    )

    config = SolverConfig(
        solution_class=domain.Roster,
        entity_class_list=[domain.Seat],
        score_director_factory_config=ScoreDirectorFactoryConfig(
            constraint_provider_function=domain.constraints(scenario.weights, SCALE)
        ),
        termination_config=TerminationConfig(
            spent_limit=Duration(milliseconds=max(1, int(1000 * seconds)))
        ),
    )
    return SolverFactory.create(config).build_solver()


def warm_up() -> None:
    """Starts the JVM and compiles the classes and constraints on a small
    scenario, so that a timed run measures the search, as for a service
    whose JVM is already up."""
    from bench.generate import generate

    solve_with_timefold(fixed_sessions(generate("S", 0)), 3.0)


def _problem(scenario: Scenario, domain: Any) -> Any:
    Volunteer, Seat, Roster = domain.Volunteer, domain.Seat, domain.Roster
    w = scenario.weights
    volunteers = {
        v.id: Volunteer(
            v.id,
            NO_LIMIT if v.max_sessions_per_week is None else v.max_sessions_per_week,
            NO_LIMIT if v.max_hours_per_week is None else math.floor(60 * v.max_hours_per_week + 1e-9),
        )
        for v in scenario.volunteers
    }
    candidates: dict[tuple[str, str], list[str]] = {}
    for a in find_candidates(scenario).triples:
        candidates.setdefault((a.session, a.role), []).append(a.volunteer)
    weeks: dict[tuple[int, int], int] = {}
    seats = []
    for s in scenario.sessions:
        option = s.options[0]
        activity = scenario.activity_by_id[s.activity]
        place = scenario.place_by_id.get(option.place) if option.place else None
        week = weeks.setdefault(option.iso_week, len(weeks))
        for role in s.roles:
            people = sorted(candidates.get((s.id, role.name), []))
            gain = {}
            for vid in people:
                v = scenario.volunteer_by_id[vid]
                points = (
                    w.interest * bool(v.interests & activity.interests)
                    + w.preferred * (s.activity in v.preferred_activities)
                    - w.travel_km * distance_km(v, place)
                )
                gain[vid] = round(SCALE * points)
            for k in range(role.max):
                seats.append(Seat(
                    id=f"{s.id}/{role.name}/{k}", session=s.id, role=role.name,
                    cover=f"{s.id}/{role.name}", activity=s.activity,
                    start=option.start // 60, end=option.end // 60, week=week,
                    wanted=role.min, candidates=[volunteers[v] for v in people], gain=gain,
                ))
    return Roster(volunteers=list(volunteers.values()), seats=seats)
