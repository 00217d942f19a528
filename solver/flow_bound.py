"""A proven upper bound on the score from one min-cost flow, at any size.

The LP relaxation of the whole model is the tight bound, but on L and XL
building it and solving it takes longer than the time limit. This bound is
a relaxation too, solved exactly as a min-cost flow (OR-Tools' network
simplex, seconds on XL):

    source -> volunteer            the k-th unit of a volunteer's work costs
                                   what the fairness cross terms add at least:
                                   fairness · 2(k-1) · d², d the shortest
                                   session the volunteer could take (and the
                                   first one earns volunteer_used when > 0)
           -> (volunteer, week)    capacity: the most sessions the week
                                   allows: weekly session limit, hours over
                                   the shortest session, and the most
                                   pairwise disjoint candidate sessions
           -> (volunteer, day)     capacity: the most pairwise disjoint
                                   candidate sessions that day (local date)
           -> (volunteer, session) capacity 1 (one role per session)
           -> (session, role)      one arc per candidate triple, worth its
                                   own terms at their best over its options:
                                   interest, preferred, travel, stability,
                                   fairness · d_i² of the session itself,
                                   continuity / (the volunteer's candidate
                                   sessions of that activity), and
                                   volunteer_used / (the volunteer's most
                                   sessions) when that weight is negative
           -> sink                 `min` units worth cover_min, `max - min`
                                   worth cover_extra

Why every plan's score is at most the flow's value (plus the constant
-stability · |previous|): a plan routes one unit along each of its
assignments within every capacity above (it keeps H6 and H7, which imply
them), and on that routing each term of the score is at most what the arcs
give it. Cover is concave in n (cover_min >= cover_extra; otherwise every
unit is valued at the larger), Σ h² = Σ d_i² + 2 Σ_{i<j} d_i d_j >=
Σ d_i² + k(k-1) · d², a volunteer's activities number at least
Σ_a k_a / n_a, and used volunteers at least k / K. With `volunteer_used`
below zero a second flow charges it instead in full on each assignment at
the sessions surely running at one instant (`busiest_sessions`): nobody
works two of them (H6), so the people used are at least those assignments;
the bound is the smaller of the two (SMPTSP: "workers >= tasks at the
busiest instant", which is its optimum on all 55 proven instances checked
so far; the per-unit charge gave 60-83% of it). What is left out only
raises the value: overlaps beyond the count, the choice of option (each
triple valued at its best option, counted in every week it may fall in),
places, fixed assignments, option penalties (>= 0). Gains are rounded up
to 1/100 of a point.

It is weaker than the LP (overlaps within a week, the exact squares,
continuity), so the solver takes the smaller of the two where both exist.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date

from .eligibility import distance_km
from .flow_network import SINK, SOURCE, FlowNetwork
from .model.candidates import Candidates
from .scenario import Scenario

#: integer cost units per point of score
SCALE = 100


def _units(gain: float) -> int:
    """`gain` in cost units, rounded up (an upper bound stays one). A whole
    number of units stays as it is: adding the margin to it cost a unit on
    every zero arc and every whole weight (SMPTSP: 2.4 workers of bound on
    240 tasks), while its float error is ~1e-16 relative, far below the one
    unit `flow_bound` adds at the end."""
    scaled = gain * SCALE
    if scaled == math.floor(scaled):
        return int(scaled)
    return math.ceil(scaled + 1e-9 * max(1.0, abs(scaled)))


def _disjoint(intervals: list[tuple[int, int]]) -> int:
    """The most pairwise disjoint half-open intervals (earliest end first)."""
    count, free_from = 0, -math.inf
    for start, end in sorted(intervals, key=lambda iv: iv[1]):
        if start >= free_from:
            count += 1
            free_from = end
    return count


def flow_bound(scenario: Scenario, candidates: Candidates) -> float | None:
    """An upper bound on the score of every plan, or None when a weight's
    sign puts the scenario outside what this relaxation covers (fairness
    below zero). When `volunteer_used` is negative, the smaller of the flow
    that charges it per unit of work and the one that charges it at the
    busiest instant (`busiest_sessions`)."""
    if scenario.weights.fairness < 0:
        return None
    bound = _flow_value(scenario, candidates, None)
    if scenario.weights.volunteer_used < 0 and bound is not None:
        peak = _flow_value(scenario, candidates, busiest_sessions(scenario, candidates))
        if peak is not None:
            bound = min(bound, peak)
    return bound


def busiest_sessions(scenario: Scenario, candidates: Candidates) -> frozenset[str]:
    """The sessions running at one instant whatever option they are held
    as (the instant where the most slots with candidates are: the sum over
    roles of min(max, candidates)). A volunteer works one of them at most
    (H6), so their assignments number at most the people used."""
    people: dict[tuple[str, str], int] = defaultdict(int)
    for a in candidates.triples:
        people[a.session, a.role] += 1
    events: list[tuple[int, int, str, int]] = []
    for s in scenario.sessions:
        usable = candidates.usable.get(s.id, ())
        if not usable:
            continue
        # the instants every usable option covers (empty: none sure)
        start = max(s.options[o].start for o in usable)
        end = min(s.options[o].end for o in usable)
        slots = sum(min(r.max, people[s.id, r.name]) for r in s.roles)
        if start < end and slots:
            events.append((start, 1, s.id, slots))
            events.append((end, 0, s.id, slots))
    events.sort()  # ends before starts at one instant: half-open intervals
    running: dict[str, int] = {}
    best: frozenset[str] = frozenset()
    best_slots = 0
    for _, is_start, session_id, slots in events:
        if is_start:
            running[session_id] = slots
            total = sum(running.values())
            if total > best_slots:
                best, best_slots = frozenset(running), total
        else:
            running.pop(session_id, None)
    return best


def _flow_value(
    scenario: Scenario, candidates: Candidates, peak: frozenset[str] | None
) -> float | None:
    """The flow's bound; with `peak`, `volunteer_used` (< 0) is charged in
    full on each assignment at those sessions and nowhere else."""
    w = scenario.weights
    sessions = scenario.session_by_id
    volunteers = scenario.volunteer_by_id
    previous = set(scenario.previous)

    # per volunteer: candidate sessions by week (their option intervals),
    # by activity, and the shortest session
    week_intervals: dict[tuple[str, tuple[int, int]], set[tuple[int, int]]] = defaultdict(set)
    week_shortest: dict[tuple[str, tuple[int, int]], float] = {}
    per_activity: dict[tuple[str, str], set[str]] = defaultdict(set)
    pair_days: dict[tuple[str, str], set[tuple[tuple[int, int], date]]] = defaultdict(set)
    day_intervals: dict[tuple[str, date], set[tuple[int, int]]] = defaultdict(set)
    shortest: dict[str, float] = {}
    for a, options in candidates.triples.items():
        session = sessions[a.session]
        per_activity[a.volunteer, session.activity].add(a.session)
        for oi in options:
            option = session.options[oi]
            key = (a.volunteer, option.iso_week)
            week_intervals[key].add((option.start, option.end))
            week_shortest[key] = min(week_shortest.get(key, math.inf), option.hours)
            shortest[a.volunteer] = min(shortest.get(a.volunteer, math.inf), option.hours)
            pair_days[a.volunteer, a.session].add((option.iso_week, option.local_date))
            day_intervals[a.volunteer, option.local_date].add((option.start, option.end))

    capacity: dict[tuple[str, tuple[int, int]], int] = {}
    total: dict[str, int] = defaultdict(int)
    for key, intervals in week_intervals.items():
        v = volunteers[key[0]]
        cap = _disjoint(list(intervals))
        if v.max_sessions_per_week is not None:
            cap = min(cap, v.max_sessions_per_week)
        if v.max_hours_per_week is not None and week_shortest[key] > 0:
            cap = min(cap, int(v.max_hours_per_week / week_shortest[key] + 1e-9))
        capacity[key] = max(cap, 0)
        total[key[0]] += capacity[key]

    network = FlowNetwork()
    node, nodes = network.node, network.nodes

    def arc(tail: int, head: int, cap: int, gain: float) -> None:
        network.arc(tail, head, cap, -_units(gain))

    for a, options in candidates.triples.items():
        session = sessions[a.session]
        v = volunteers[a.volunteer]
        activity = scenario.activity_by_id[session.activity]
        # score.own_terms, its option-dependent part taken at its best over
        # the options (the rest once: this loop runs over every triple of M)
        best = -math.inf
        for oi in options:
            option = session.options[oi]
            place = scenario.place_by_id.get(option.place) if option.place else None
            best = max(best, -w.travel_km * distance_km(v, place) - w.fairness * option.hours**2)
        gain = (
            best
            + w.interest * bool(v.interests & activity.interests)
            + w.preferred * (activity.id in v.preferred_activities)
            + w.stability * (a in previous)
        )
        if w.continuity > 0:
            gain -= w.continuity / len(per_activity[a.volunteer, session.activity])
        elif w.continuity < 0:
            gain -= w.continuity
        if w.volunteer_used < 0 and peak is None:
            gain += w.volunteer_used / max(total[a.volunteer], 1)
        elif w.volunteer_used < 0 and peak is not None and a.session in peak:
            gain += w.volunteer_used
        arc(node((a.volunteer, a.session)), node((a.session, a.role)), 1, gain)
    days: set[tuple[str, tuple[int, int], date]] = set()
    for (volunteer_id, session_id), when in pair_days.items():
        pair = nodes[(volunteer_id, session_id)]
        for week, day in when:
            if capacity[volunteer_id, week] > 0:
                arc(node((volunteer_id, day)), pair, 1, 0.0)
                days.add((volunteer_id, week, day))
    for volunteer_id, week, day in days:
        cap = min(capacity[volunteer_id, week], _disjoint(list(day_intervals[volunteer_id, day])))
        arc(node((volunteer_id, week)), nodes[(volunteer_id, day)], cap, 0.0)
    supply = 0
    for (volunteer_id, week), cap in capacity.items():
        if cap > 0:
            arc(node(volunteer_id), nodes[(volunteer_id, week)], cap, 0.0)
    for volunteer_id, units in total.items():
        d = shortest[volunteer_id]
        for k in range(1, units + 1):
            gain = -w.fairness * 2 * (k - 1) * d * d
            if k == 1 and w.volunteer_used > 0:
                gain += w.volunteer_used
            arc(SOURCE, node(volunteer_id), 1, gain)
        supply += units
    for s in scenario.sessions:
        for role in s.roles:
            slot = nodes.get((s.id, role.name))
            if slot is None:
                continue
            if w.cover_min >= w.cover_extra:
                if role.min:
                    arc(slot, SINK, role.min, w.cover_min)
                if role.max > role.min:
                    arc(slot, SINK, role.max - role.min, w.cover_extra)
            else:
                arc(slot, SINK, role.max, w.cover_extra)
    arc(SOURCE, SINK, supply, 0.0)  # the units nobody works

    flow = network.solve(supply)
    if flow is None:
        return None
    constant = -w.stability * len(previous)
    # integer costs: the float sum's rounding is far below one unit
    return -flow.optimal_cost() / SCALE + constant + 1.0 / SCALE

