"""The score of §4 of the scenario format, computed exactly from a plan.

Each term is named after its weight, already multiplied by it and signed as it
enters the score; `option_penalty` is the (negative) sum of the chosen open
options' penalties. The model may round internally; this is the number reported.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .eligibility import distance_km
from .scenario import Activity, Assignment, Option, Plan, Scenario, Volunteer

TERMS: tuple[str, ...] = (
    "cover_min",
    "cover_extra",
    "interest",
    "preferred",
    "travel_km",
    "fairness",
    "volunteer_used",
    "continuity",
    "stability",
    "option_penalty",
)


def scheduled_options(scenario: Scenario, plan: Plan) -> dict[str, Option]:
    """The option each scheduled session is held as. A fixed session is always
    scheduled, with its one option, even if the plan leaves it out."""
    chosen: dict[str, Option] = {}
    for session in scenario.sessions:
        index = plan.schedule.get(session.id)
        if index is not None and 0 <= index < len(session.options):
            chosen[session.id] = session.options[index]
        elif not session.is_open:
            chosen[session.id] = session.options[0]
    return chosen


def unique_assignments(plan: Plan) -> list[Assignment]:
    """A as a set, in the plan's order."""
    return list(dict.fromkeys(plan.assignments))


def hours_by_volunteer(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """h(v) for every volunteer of the scenario (0 for those unassigned)."""
    chosen = scheduled_options(scenario, plan)
    hours = {v.id: 0.0 for v in scenario.volunteers}
    for a in unique_assignments(plan):
        option = chosen.get(a.session)
        if option is not None and a.volunteer in hours:
            hours[a.volunteer] += option.hours
    return hours


@dataclass
class Tally:
    """What the assignments add up to, per assignment-level term."""

    #: assignments whose volunteer shares an interest with the activity
    interest: int = 0
    #: assignments to one of the volunteer's preferred activities
    preferred: int = 0
    #: each assignment's travel distance (km), for scheduled sessions
    distances: list[float] = field(default_factory=list)
    #: h(v) of every volunteer with an assignment (the used ones)
    hours: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    #: (volunteer, activity) pairs
    pairs: set[tuple[str, str]] = field(default_factory=set)


def tally_assignments(
    scenario: Scenario, assignments: list[Assignment], chosen: dict[str, Option]
) -> Tally:
    """One walk over the assignments for the score's terms and the kpis."""
    tally = Tally()
    for a in assignments:
        volunteer = scenario.volunteer_by_id[a.volunteer]
        session = scenario.session_by_id[a.session]
        activity = scenario.activity_by_id[session.activity]
        tally.interest += bool(volunteer.interests & activity.interests)
        tally.preferred += activity.id in volunteer.preferred_activities
        option = chosen.get(a.session)
        if option is not None:
            place = scenario.place_by_id.get(option.place) if option.place else None
            tally.distances.append(distance_km(volunteer, place))
            tally.hours[a.volunteer] += option.hours
        else:
            tally.hours[a.volunteer] += 0.0  # still a used volunteer
        tally.pairs.add((a.volunteer, activity.id))
    return tally


def own_terms(scenario: Scenario, volunteer: Volunteer, activity: Activity, option: Option) -> float:
    """What one assignment of `volunteer` to `activity` held at `option` adds
    to the score by itself: interest, preferred activity, travel, and the
    fairness of its own hours (h², without the cross terms of the
    volunteer's other sessions)."""
    w = scenario.weights
    place = scenario.place_by_id.get(option.place) if option.place else None
    return (
        w.interest * bool(volunteer.interests & activity.interests)
        + w.preferred * (activity.id in volunteer.preferred_activities)
        - w.travel_km * distance_km(volunteer, place)
        - w.fairness * option.hours**2
    )


def score_terms(scenario: Scenario, plan: Plan) -> dict[str, float]:
    """Every term of the score, weighted and signed."""
    w = scenario.weights
    chosen = scheduled_options(scenario, plan)
    assignments = unique_assignments(plan)
    filled: Counter[tuple[str, str]] = Counter((a.session, a.role) for a in assignments)

    cover_min = cover_extra = 0
    for session in scenario.sessions:
        if session.id not in chosen:
            continue
        for role in session.roles:
            n = filled[(session.id, role.name)]
            cover_min += min(n, role.min)
            cover_extra += max(0, n - role.min)

    tally = tally_assignments(scenario, assignments, chosen)
    in_plan = set(assignments)
    dropped = sum(1 for p in dict.fromkeys(scenario.previous) if p not in in_plan)
    penalty = math.fsum(
        chosen[s.id].penalty for s in scenario.sessions if s.is_open and s.id in chosen
    )
    terms = {
        "cover_min": w.cover_min * cover_min,
        "cover_extra": w.cover_extra * cover_extra,
        "interest": w.interest * tally.interest,
        "preferred": w.preferred * tally.preferred,
        "travel_km": -w.travel_km * math.fsum(tally.distances),
        "fairness": -w.fairness * math.fsum(h * h for h in tally.hours.values()),
        "volunteer_used": w.volunteer_used * len(tally.hours),
        "continuity": -w.continuity * len(tally.pairs),
        "stability": -w.stability * dropped,
        "option_penalty": -penalty,
    }
    return {name: value + 0.0 for name, value in terms.items()}  # no -0.0 in the output


def compute_score(scenario: Scenario, plan: Plan) -> float:
    """The score of §4: the sum of `score_terms`."""
    return math.fsum(score_terms(scenario, plan).values())
