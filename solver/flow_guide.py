"""Triples worth searching first, found without an LP: a transportation
problem (min-cost flow) over volunteers' weeks and roles' slots.

What the LP relaxation mostly decides on the generated scenarios is which
slots can be filled at all given each volunteer's weekly limits: the cover
terms dwarf the others. That part is a bipartite b-matching, which a min-cost
flow solves exactly in well under a second where the LP takes 10-30 s:

    source -> (volunteer, ISO week)   capacity: the week's session limit
           -> (volunteer, day)        capacity 1 (a day's sessions mostly overlap;
                                      only for volunteers with weekly limits)
           -> (session, role)         one arc per candidate triple, cost:
                                      minus its own small terms
           -> sink                    `min` units worth cover_min each,
                                      `max - min` more worth cover_extra

Left out (so this only guides, it proves nothing): overlaps within a day
beyond one session, one role per
session, hour limits beyond what they allow in sessions, fairness beyond the
first session's share, open sessions' choice of option (a triple counts in
the week of its first eligible option). The caller searches the model
narrowed to the flow's triples and the hint's, where CP-SAT mends all that.
"""

from __future__ import annotations

import math
from datetime import date

from .flow_network import SINK, SOURCE, FlowNetwork
from .model.data import ModelData
from .scenario import Assignment, Volunteer
from .score import own_terms

#: integer cost units per unit of score
_SCALE = 100


def _limited(volunteer: Volunteer) -> bool:
    return volunteer.max_sessions_per_week is not None or volunteer.max_hours_per_week is not None


def flow_support(data: ModelData, avoid: frozenset[Assignment] = frozenset()) -> set[Assignment]:
    """The triples the min-cost flow uses. Triples in `avoid` cost as much as
    half a filled slot more: a second call with the first call's triples
    there finds the next-best ways to fill the same slots."""
    scenario = data.scenario
    w = scenario.weights
    sessions = {s.id: s for s in data.sessions}
    volunteers = {v.id: v for v in data.volunteers}
    previous = set(data.previous)
    network = FlowNetwork()
    node, nodes = network.node, network.nodes
    triples: list[Assignment] = []  # the first arcs, in this order

    def arc(tail: int, head: int, capacity: int, cost: float) -> None:
        network.arc(tail, head, capacity, round(cost * _SCALE))

    shortest: dict[tuple[str, tuple[int, int]], float] = {}
    days: set[tuple[str, date, tuple[int, int]]] = set()
    count: dict[tuple[str, tuple[int, int]], int] = {}
    for a, option_indices in data.triples.items():
        session = sessions[a.session]
        option = session.options[option_indices[0]]
        volunteer = volunteers[a.volunteer]
        week = option.iso_week
        key = (a.volunteer, week)
        shortest[key] = min(shortest.get(key, math.inf), option.hours)
        activity = scenario.activity_by_id[session.activity]
        value = (
            own_terms(scenario, volunteer, activity, option)
            - w.continuity
            + w.stability * (a in previous)
            - 0.5 * w.cover_min * (a in avoid)
        )
        count[key] = count.get(key, 0) + 1
        if _limited(volunteer):
            arc(node((a.volunteer, option.local_date)), node((a.session, a.role)), 1, -value)
            days.add((a.volunteer, option.local_date, week))
        else:
            arc(node(key), node((a.session, a.role)), 1, -value)
        triples.append(a)

    supply = 0
    for (volunteer_id, week), hours in shortest.items():
        volunteer = volunteers[volunteer_id]
        limit = volunteer.max_sessions_per_week
        if volunteer.max_hours_per_week is not None and hours > 0:
            by_hours = int(volunteer.max_hours_per_week // hours + 1e-9)
            limit = by_hours if limit is None else min(limit, by_hours)
        limit = count[(volunteer_id, week)] if limit is None else limit
        arc(SOURCE, node((volunteer_id, week)), limit, 0.0)
        supply += limit
    for volunteer_id, day, week in days:
        # one session a day for those with weekly limits (volunteers with a
        # few evenings a week, whose sessions of a day mostly overlap)
        arc(node((volunteer_id, week)), nodes[(volunteer_id, day)], 1, 0.0)
    for s in data.sessions:
        for role in s.roles:
            slot = nodes.get((s.id, role.name))
            if slot is None:
                continue
            if role.min:
                arc(slot, SINK, role.min, -w.cover_min)
            if role.max > role.min:
                arc(slot, SINK, role.max - role.min, -w.cover_extra)
    arc(SOURCE, SINK, supply, 0.0)  # what nobody takes

    flow = network.solve(supply)
    if flow is None:
        return set()
    return {a for i, a in enumerate(triples) if flow.flow(i) > 0}
