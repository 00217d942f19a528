"""greedy_plan: a plan a careful coordinator would make, that keeps every hard
rule, on hand-made cases and on seeded random scenarios."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from typing import Any

import pytest

from solver.eligibility import failed_rules
from solver.greedy import greedy_plan
from solver.parse import parse_scenario
from solver.scenario import Plan, Scenario
from solver.score import compute_score

from .helpers import (
    activity,
    assignment,
    at,
    interval,
    minimal_scenario,
    option,
    place,
    role,
    scenario_of,
    session,
    volunteer,
)


def broken_rules(sc: Scenario, plan: Plan) -> list[str]:
    """Every hard rule the plan breaks, checked one by one (H1-H10)."""
    problems = []
    options = {}
    for s in sc.sessions:
        if s.id in plan.schedule:
            options[s.id] = s.options[plan.schedule[s.id]]
        elif not s.is_open or not s.optional:
            problems.append(f"H10 {s.id} not scheduled")
    fixed = set(sc.fixed)
    per_volunteer = defaultdict(list)
    for a in plan.assignments:
        if a.session not in options:
            problems.append(f"H10 {a} on an unscheduled session")
            continue
        s, o = sc.session_by_id[a.session], options[a.session]
        if a not in fixed and failed_rules(sc, sc.volunteer_by_id[a.volunteer], s.role(a.role), o):
            problems.append(f"H1-H5 {a}")
        per_volunteer[a.volunteer].append(o)
    for v, held in per_volunteer.items():
        held.sort(key=lambda o: o.start)
        if any(x.end > y.start for x, y in zip(held, held[1:], strict=False)):
            problems.append(f"H6 {v}")
        vol = sc.volunteer_by_id[v]
        for week in {o.iso_week for o in held}:
            in_week = [o for o in held if o.iso_week == week]
            if vol.max_sessions_per_week is not None and len(in_week) > vol.max_sessions_per_week:
                problems.append(f"H7 sessions {v} {week}")
            if vol.max_hours_per_week is not None and \
                    sum(o.hours for o in in_week) > vol.max_hours_per_week + 1e-9:
                problems.append(f"H7 hours {v} {week}")
    counts = Counter((a.session, a.role) for a in plan.assignments)
    for (sid, role_name), n in counts.items():
        if n > sc.session_by_id[sid].role(role_name).max:
            problems.append(f"H8 {sid}.{role_name}")
    if not fixed <= set(plan.assignments):
        problems.append("H9 fixed dropped")
    if {(a.volunteer, a.session) for a in plan.assignments} & set(sc.forbidden):
        problems.append("H9 forbidden")
    by_place = defaultdict(list)
    for sid, o in options.items():
        if o.place is None:
            continue
        p, s = sc.place_by_id[o.place], sc.session_by_id[sid]
        if not s.needs <= p.features or (p.capacity is not None and s.participants > p.capacity):
            problems.append(f"H10 {sid} at {p.id}")
        if any(b.overlaps(o.interval) for b in p.busy):
            problems.append(f"H10 {sid} busy {p.id}")
        by_place[p.id].append((sid, o))
    for pid, held in by_place.items():
        for _sid, o in held:
            running = [x for x, y in held if y.start <= o.start < y.end]
            if len(running) > sc.place_by_id[pid].parallel:
                problems.append(f"H10 parallel {pid} {' '.join(sorted(running))}")
    return problems


def assigned(plan: Plan, session: str = "s1", role_name: str = "host") -> list[str]:
    return [a.volunteer for a in plan.assignments if a.session == session and a.role == role_name]


def planned(**overrides: Any) -> tuple[Scenario, Plan]:
    sc = scenario_of(**overrides)
    plan = greedy_plan(sc)
    assert broken_rules(sc, plan) == []
    return sc, plan


# -- who gets the slot ---------------------------------------------------------


def test_fills_a_slot_with_an_eligible_volunteer() -> None:
    _, plan = planned(sessions=[session(roles=[role("driver", skills=["car"])])],
                      volunteers=[volunteer("ada"), volunteer("bo", skills=["car"])])
    assert assigned(plan, role_name="driver") == ["bo"]


def test_prefers_interest_then_proximity() -> None:
    _, plan = planned(
        activities=[activity("a1", interests=["music"])],
        places=[place("p1", lat=58.46, lon=8.77)],
        volunteers=[volunteer("far", lat=58.60, lon=8.77), volunteer("near", lat=58.461, lon=8.77),
                    volunteer("keen", lat=58.47, lon=8.77, interests=["music"])],
    )
    assert assigned(plan) == ["keen"]
    _, plan = planned(places=[place("p1", lat=58.46, lon=8.77)],
                      volunteers=[volunteer("far", lat=58.60, lon=8.77),
                                  volunteer("near", lat=58.461, lon=8.77)])
    assert assigned(plan) == ["near"]


def test_prefers_a_volunteer_who_asked_for_the_activity() -> None:
    _, plan = planned(volunteers=[volunteer("ada"), volunteer("bo", preferred_activities=["a1"])])
    assert assigned(plan) == ["bo"]


def test_spreads_the_load() -> None:
    # Without continuity (which favours the same face: 2^2 + 10 > 4^2 - 2^2)
    # the second session goes to the one with fewer hours.
    _, plan = planned(
        weights={"continuity": 0},
        sessions=[session("s1"), session("s2", start=at("10:00", "2026-12-09"),
                                         end=at("12:00", "2026-12-09"))],
        volunteers=[volunteer("ada"), volunteer("bo")],
    )
    assert sorted(assigned(plan, "s1") + assigned(plan, "s2")) == ["ada", "bo"]


def test_the_same_face_when_continuity_outweighs_the_load() -> None:
    _, plan = planned(
        sessions=[session("s1"), session("s2", start=at("10:00", "2026-12-09"),
                                         end=at("12:00", "2026-12-09"))],
        volunteers=[volunteer("ada"), volunteer("bo")],
    )
    assert assigned(plan, "s1") == assigned(plan, "s2")


def test_keeps_the_published_plan() -> None:
    _, plan = planned(volunteers=[volunteer("ada"), volunteer("bo")],
                      previous=[assignment("bo", "s1")])
    assert assigned(plan) == ["bo"]


def test_hardest_role_first() -> None:
    # bo is the only driver, and also the more attractive host (interest):
    # taking roles in order would give him the host slot and leave no driver.
    _, plan = planned(
        activities=[activity("a1", interests=["music"])],
        sessions=[session(roles=[role("host"), role("driver", skills=["car"])])],
        volunteers=[volunteer("ada"), volunteer("bo", skills=["car"], interests=["music"])],
    )
    assert assigned(plan, role_name="driver") == ["bo"]
    assert assigned(plan, role_name="host") == ["ada"]


def test_moves_a_volunteer_to_the_slot_only_they_can_fill() -> None:
    # s1 comes first and bo is its most attractive host, but he is the only
    # driver for s2 at the same time: the plan must end with both filled.
    _, plan = planned(
        activities=[activity("a1", interests=["music"])],
        sessions=[session("s1", place=None), session("s2", place=None,
                                                     roles=[role("driver", skills=["car"])])],
        volunteers=[volunteer("ada"), volunteer("bo", skills=["car"], interests=["music"])],
    )
    assert assigned(plan, "s1") == ["ada"]
    assert assigned(plan, "s2", "driver") == ["bo"]


def test_keeps_a_scarce_volunteer_for_later_in_the_week() -> None:
    # bo may do one session a week and is the only driver for Thursday.
    _, plan = planned(
        activities=[activity("a1", interests=["music"])],
        sessions=[session("mon", start=at("17:00", "2026-12-07"), end=at("19:00", "2026-12-07")),
                  session("thu", start=at("17:00", "2026-12-10"), end=at("19:00", "2026-12-10"),
                          roles=[role("driver", skills=["car"])])],
        volunteers=[volunteer("ada"), volunteer("bo", skills=["car"], interests=["music"],
                                                max_sessions_per_week=1)],
    )
    assert assigned(plan, "mon") == ["ada"]
    assert assigned(plan, "thu", "driver") == ["bo"]


def test_adds_extra_hands_up_to_max() -> None:
    _, plan = planned(sessions=[session(roles=[role("host", min=1, max=2)])],
                      volunteers=[volunteer("ada"), volunteer("bo"), volunteer("cy")])
    assert len(assigned(plan)) == 2


def test_no_extra_hands_when_they_cost_more_than_they_bring() -> None:
    _, plan = planned(weights={"cover_extra": 1},  # 1 < continuity 10 + fairness 4
                      sessions=[session(roles=[role("host", min=1, max=2)])],
                      volunteers=[volunteer("ada"), volunteer("bo")])
    assert len(assigned(plan)) == 1


# -- hard rules ------------------------------------------------------------------


def test_no_volunteer_in_two_overlapping_sessions() -> None:
    _, plan = planned(sessions=[session("s1"), session("s2", start=at("18:00"), end=at("20:00"),
                                                        place=None)],
                      volunteers=[volunteer("ada")])
    assert len(plan.assignments) == 1


def test_back_to_back_sessions_do_not_overlap() -> None:
    _, plan = planned(sessions=[session("s1"), session("s2", start=at("19:00"), end=at("20:00"))],
                      volunteers=[volunteer("ada")])
    assert len(plan.assignments) == 2


def test_one_role_per_session() -> None:
    _, plan = planned(sessions=[session(roles=[role("host"), role("cook")])],
                      volunteers=[volunteer("ada")])
    assert len(plan.assignments) == 1


@pytest.mark.parametrize(("limits", "same_week", "expected"), [
    ({"max_sessions_per_week": 1}, True, 1),
    ({"max_sessions_per_week": 1}, False, 2),
    ({"max_hours_per_week": 3}, True, 1),
    ({"max_hours_per_week": 4}, True, 2),
    ({"max_sessions_per_week": 0}, True, 0),
])
def test_weekly_limits(limits: dict[str, Any], same_week: bool, expected: int) -> None:
    day = "2026-12-10" if same_week else "2026-12-15"
    _, plan = planned(sessions=[session("s1"), session("s2", start=at("17:00", day),
                                                        end=at("19:00", day))],
                      volunteers=[volunteer("ada", **limits)])
    assert len(plan.assignments) == expected


def test_availability_and_distance_are_respected() -> None:
    _, plan = planned(
        places=[place("p1", lat=58.46, lon=8.77)],
        volunteers=[volunteer("busy", availability=[interval(at("17:00"), at("18:00"))]),
                    volunteer("far", lat=59.9, lon=10.7, max_travel_km=20)],
    )
    assert plan.assignments == ()


def test_fixed_is_kept_even_when_ineligible_and_forbidden_is_avoided() -> None:
    sc, plan = planned(
        sessions=[session(roles=[role("driver", skills=["car"], max=2)])],
        volunteers=[volunteer("ada"), volunteer("bo", skills=["car"]), volunteer("cy", skills=["car"])],
        fixed=[assignment("ada", "s1", "driver")],
        forbidden=[{"volunteer": "bo", "session": "s1"}],
    )
    assert sorted(assigned(plan, role_name="driver")) == ["ada", "cy"]


def test_fixed_assignment_on_an_open_session_picks_an_option_the_volunteer_can_go_to() -> None:
    _, plan = planned(
        sessions=[session("s1"),
                  session("s2", options=[option(at("18:00"), at("20:00"), None),  # overlaps s1
                                         option(at("20:00"), at("21:00"), None, penalty=5)],
                          optional=True)],
        volunteers=[volunteer("ada")],
        fixed=[assignment("ada", "s1"), assignment("ada", "s2")],
    )
    assert plan.schedule["s2"] == 1


# -- open sessions ---------------------------------------------------------------


def test_open_session_takes_the_cheapest_option_that_fits() -> None:
    _, plan = planned(
        places=[place("p1", busy=[interval(at("10:00"), at("12:00"))]),
                place("small", capacity=5), place("p3", features=["kitchen"])],
        sessions=[session(participants=8, needs=["kitchen"], options=[
            option(at("10:00"), at("11:00"), "p1"),      # the place is busy
            option(at("12:00"), at("13:00"), "small"),   # too small
            option(at("13:00"), at("14:00"), "p3", penalty=4),
            option(at("15:00"), at("16:00"), "p3", penalty=9),
        ])],
    )
    assert plan.schedule["s1"] == 2


def test_open_session_avoids_a_full_place_and_respects_parallel() -> None:
    _, plan = planned(
        places=[place("p1", parallel=2), place("p2")],
        sessions=[session("fixed1"), session("fixed2"),
                  session("s3", options=[option(at("17:30"), at("18:30"), "p1"),
                                         option(at("17:30"), at("18:30"), "p2", penalty=1)])],
        volunteers=[volunteer("ada"), volunteer("bo"), volunteer("cy")],
    )
    assert plan.schedule["s3"] == 1


def test_open_session_goes_where_people_can_staff_it() -> None:
    _, plan = planned(
        places=[place("p1", lat=58.46, lon=8.77), place("p2", lat=59.91, lon=10.75)],
        sessions=[session(options=[option(at("10:00"), at("11:00"), "p1"),
                                   option(at("10:00"), at("11:00"), "p2")])],
        volunteers=[volunteer("oslo", lat=59.91, lon=10.75, max_travel_km=5)],
    )
    assert plan.schedule["s1"] == 1 and assigned(plan) == ["oslo"]


def test_optional_session_nobody_can_staff_is_left_out() -> None:
    _, plan = planned(
        sessions=[session(roles=[role("nurse", skills=["nursing"])], optional=True,
                          options=[option(at("10:00"), at("11:00"))])],
        volunteers=[volunteer("ada")],
    )
    assert "s1" not in plan.schedule


def test_optional_session_with_only_extra_hands_is_held_when_worth_it() -> None:
    _, plan = planned(
        sessions=[session(roles=[role("helper", min=0, max=2)], optional=True,
                          options=[option(at("10:00"), at("11:00"), penalty=20)])],
        volunteers=[volunteer("ada")],
    )
    assert plan.schedule == {"s1": 0} and assigned(plan, role_name="helper") == ["ada"]
    _, plan = planned(
        sessions=[session(roles=[role("helper", min=0, max=2)], optional=True,
                          options=[option(at("10:00"), at("11:00"), penalty=60)])],
        volunteers=[volunteer("ada")],
    )
    assert plan.schedule == {}


def test_non_optional_session_is_held_even_when_nobody_can_staff_it() -> None:
    _, plan = planned(
        sessions=[session(roles=[role("nurse", skills=["nursing"])],
                          options=[option(at("10:00"), at("11:00"), penalty=3),
                                   option(at("11:00"), at("12:00"))])],
        volunteers=[volunteer("ada")],
    )
    assert plan.schedule == {"s1": 1}


def test_empty_scenario() -> None:
    sc = parse_scenario({"format": "medsam-scenario/1"})
    assert greedy_plan(sc) == Plan({}, ())


# -- random scenarios ------------------------------------------------------------


def random_scenario(seed: int) -> dict[str, Any]:
    """A small believable scenario: a week of evening sessions, a few places,
    volunteers with windows, limits, skills, certificates and homes."""
    r = random.Random(seed)
    days = [f"2026-12-{d:02d}" for d in range(7, 14)]
    places = []
    for i in range(3):
        busy_start = at("18:00", r.choice(days))
        places.append(place(
            f"p{i}", lat=58.46 + r.uniform(-0.05, 0.05), lon=8.77 + r.uniform(-0.08, 0.08),
            capacity=r.choice([None, 6, 20]), parallel=r.choice([1, 1, 2]),
            features=r.sample(["kitchen", "ramp"], r.randint(0, 2)),
            busy=[interval(busy_start, busy_start.replace("18:00", "19:00"))],
        ))
    activities = [activity(f"a{i}", interests=r.sample(["music", "chess", "walk", "food"], 2))
                  for i in range(3)]

    def make_role(k: int) -> dict[str, Any]:
        extra = r.choice([{}, {}, {"skills": ["car"]}, {"languages": ["ar", "so"]},
                          {"certificate": "police"}])
        low = r.randint(0, 2)
        return role(f"r{k}", min=low, max=max(low, 1) + r.randint(0, 2), **extra)

    sessions = []
    for i in range(r.randint(3, 9)):
        hour, day = r.choice(["17:00", "18:00", "19:00"]), r.choice(days)
        end_hour = f"{int(hour[:2]) + r.choice([1, 2])}:30"
        roles = [make_role(k) for k in range(r.randint(1, 3))]
        common = {"activity": r.choice(activities)["id"], "roles": roles,
                  "participants": r.randint(0, 8), "needs": r.sample(["kitchen", "ramp"], r.randint(0, 1))}
        if r.random() < 0.3:
            opts = []
            for _ in range(r.randint(1, 3)):
                d, h = r.choice(days), r.choice(["16:00", "17:00", "18:00"])
                opts.append(option(at(h, d), at(f"{int(h[:2]) + 1}:30", d),
                                   r.choice([None, "p0", "p1", "p2"]), penalty=r.choice([0, 5])))
            sessions.append(session(f"s{i}", options=opts, optional=r.random() < 0.5, **common))
        else:
            # Fixed sessions have no place here, so any clash at a place is
            # one the plan made with the open sessions.
            sessions.append(session(f"s{i}", start=at(hour, day), end=at(end_hour, day),
                                    place=None, **common))
    volunteers = []
    for i in range(r.randint(2, 10)):
        windows = None
        if r.random() < 0.7:
            windows = []
            for d in r.sample(days, r.randint(1, 4)):
                windows.append(interval(at("16:00", d), at("22:00", d)))
        volunteers.append(volunteer(
            f"v{i}", lat=58.46 + r.gauss(0, 0.03), lon=8.77 + r.gauss(0, 0.05),
            max_travel_km=r.choice([None, 3, 8, 20]), availability=windows,
            skills=["car"] if r.random() < 0.3 else [],
            languages=r.sample(["no", "ar", "so"], r.randint(1, 2)),
            interests=r.sample(["music", "chess", "walk", "food"], r.randint(0, 2)),
            certificates={"police": "2027-01-01"} if r.random() < 0.4 else {},
            max_sessions_per_week=r.choice([None, 1, 2, 3]),
            max_hours_per_week=r.choice([None, 2, 5]),
            preferred_activities=r.sample([a["id"] for a in activities], r.randint(0, 1)),
        ))
    doc = minimal_scenario(places=places, activities=activities, sessions=sessions,
                           volunteers=volunteers)
    # Some volunteers declined a session.
    doc["forbidden"] = [{"volunteer": v["id"], "session": r.choice(sessions)["id"]}
                        for v in volunteers if r.random() < 0.2]
    return doc


@pytest.mark.parametrize("seed", range(60))
def test_random_scenarios_give_plans_that_keep_the_hard_rules(seed: int) -> None:
    sc = parse_scenario(random_scenario(seed))
    plan = greedy_plan(sc)
    problems = broken_rules(sc, plan)
    # The places may simply be too crowded for the non-optional open
    # sessions (the scenario is then infeasible); everything else must hold.
    must_hold = {s.id for s in sc.sessions if s.is_open and not s.optional}
    assert [p for p in problems if not (p.startswith("H10") and set(p.split()) & must_hold)] == []
    assert compute_score(sc, plan) >= compute_score(sc, Plan(
        {s.id: 0 for s in sc.sessions if not s.is_open or not s.optional}, ())) - 1e-6


def test_the_same_scenario_gives_the_same_plan() -> None:
    sc = parse_scenario(random_scenario(7))
    assert greedy_plan(sc) == greedy_plan(sc)
