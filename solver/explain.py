"""Why a slot stays empty: the `unfilled` entries of a result.

For every scheduled (session, role) with fewer people than `min`:
`candidates` who pass H1-H5 and H9, `excluded` per rule (each rule counted on
its own, so a volunteer can count under several), `occupied` candidates who
could not be added without breaking H6-H8 given the rest of the plan, and a
sentence a coordinator understands.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import eligibility as rules
from .scenario import Assignment, Option, Plan, Role, Scenario, Session
from .score import unique_assignments
from .volunteer_index import Mask, VolunteerIndex


@dataclass
class PlanLoad:
    """What each volunteer already does in a plan: sessions and weekly load."""

    options: dict[str, Option]
    sessions: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hours: defaultdict[tuple[str, tuple[int, int]], float] = field(
        default_factory=lambda: defaultdict(float)
    )
    count: Counter[tuple[str, tuple[int, int]]] = field(default_factory=Counter)

    @classmethod
    def of(cls, options: dict[str, Option], assignments: list[Assignment]) -> PlanLoad:
        load = cls(options)
        for a in assignments:
            option = options.get(a.session)
            if option is None:
                continue
            load.sessions[a.volunteer].append(a.session)
            load.hours[(a.volunteer, option.iso_week)] += option.hours
            load.count[(a.volunteer, option.iso_week)] += 1
        return load

    def blocked(self, scenario: Scenario, volunteer_id: str, session_id: str) -> bool:
        """Would one more assignment to this session break H6 or H7?"""
        option = self.options[session_id]
        for other in self.sessions.get(volunteer_id, ()):
            if other == session_id or self.options[other].interval.overlaps(option.interval):
                return True
        volunteer = scenario.volunteer_by_id[volunteer_id]
        week = (volunteer_id, option.iso_week)
        if (volunteer.max_hours_per_week is not None
                and self.hours[week] + option.hours > volunteer.max_hours_per_week + 1e-9):
            return True
        return (volunteer.max_sessions_per_week is not None
                and self.count[week] + 1 > volunteer.max_sessions_per_week)


def explain_unfilled(
    scenario: Scenario,
    plan: Plan,
    options: dict[str, Option],
    index: VolunteerIndex | None = None,
) -> list[dict[str, Any]]:
    """The `unfilled` entries, in session start order then role order."""
    assignments = unique_assignments(plan)
    in_slot: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for a in assignments:
        in_slot[(a.session, a.role)].add(a.volunteer)
    load: PlanLoad | None = None
    entries = []
    sessions = sorted(
        (s for s in scenario.sessions if s.id in options),
        key=lambda s: (options[s.id].start, s.id),
    )
    for session in sessions:
        option = options[session.id]
        for role in session.roles:
            here = in_slot[(session.id, role.name)]
            if len(here) >= role.min:
                continue
            index = index or VolunteerIndex(scenario)
            load = load or PlanLoad.of(options, assignments)
            entries.append(_explain_slot(scenario, index, load, session, role, option, here))
    return entries


def _explain_slot(
    scenario: Scenario,
    index: VolunteerIndex,
    load: PlanLoad,
    session: Session,
    role: Role,
    option: Option,
    here: set[str],
) -> dict[str, Any]:
    masks = index.rule_masks(session, role, option)
    eligible = np.ones(index.size, dtype=bool)
    for mask in masks.values():
        eligible &= mask
    candidates = [index.volunteers[i].id for i in np.flatnonzero(eligible)]
    occupied = sum(
        1 for v in candidates if v not in here and load.blocked(scenario, v, session.id)
    )
    missing = role.min - len(here)
    return {
        "session": session.id,
        "role": role.name,
        "missing": missing,
        "candidates": len(candidates),
        "excluded": {rule: int((~masks[rule]).sum()) for rule in rules.RULES},
        "occupied": occupied,
        "reason": _reason(scenario, role, option, masks, len(candidates), occupied,
                          len(here & set(candidates))),
    }


# -- the sentence ------------------------------------------------------------

def _words(items: frozenset[str], joiner: str) -> str:
    names = sorted(items)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + f" {joiner} " + names[-1]


def _skills(role: Role) -> str:
    return f"the skill{'s' if len(role.skills) > 1 else ''} {_words(role.skills, 'and')}"


def _qualifier(rule: str, role: Role, option: Option) -> str:
    """'Nobody <qualifier> ...': the people who pass `rule`."""
    if rule == rules.AVAILABILITY:
        return "available at this time"
    if rule == rules.SKILLS:
        return "with " + _skills(role)
    if rule == rules.LANGUAGES:
        return f"who speaks {_words(role.languages, 'or')}"
    if rule == rules.CERTIFICATE:
        return f"with a valid {role.certificate} certificate"
    if rule == rules.DISTANCE:
        return "living within their travel limit"
    return "who has not declined this session"


def _predicate(rule: str, role: Role, option: Option) -> str:
    """'Nobody <predicate>': what fails `rule`."""
    if rule == rules.AVAILABILITY:
        return "is available at this time"
    if rule == rules.SKILLS:
        return "has " + _skills(role)
    if rule == rules.LANGUAGES:
        return f"speaks {_words(role.languages, 'or')}"
    if rule == rules.CERTIFICATE:
        return (f"holds a {role.certificate} certificate valid on "
                f"{option.local_date.isoformat()}")
    if rule == rules.DISTANCE:
        return "lives within their travel limit of the place"
    return "is left who has not declined this session"


def _reason(
    scenario: Scenario,
    role: Role,
    option: Option,
    masks: dict[str, Mask],
    candidates: int,
    occupied: int,
    serving: int,
) -> str:
    total = len(scenario.volunteers)
    if total == 0:
        return "There are no volunteers in the scenario."
    if candidates == 0:
        return _nobody(role, option, masks) + "."
    free = candidates - serving - occupied
    if free <= 0:
        people = "volunteer qualifies" if candidates == 1 else "volunteers qualify"
        parts = [f"Only {candidates} {people}"]
        if serving:
            parts.append(f"{serving} already serve{'s' if serving == 1 else ''} here")
        if occupied:
            parts.append(f"{occupied} {'is' if occupied == 1 else 'are'} busy elsewhere at "
                         "this time or at their weekly limit")
        return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + "."
    return (f"{free} qualified volunteer{' is' if free == 1 else 's are'} still free, but the "
            "plan weighs other goals (fairness, travel, other sessions) above this slot.")


def _nobody(role: Role, option: Option, masks: dict[str, Mask]) -> str:
    """Name the rule, or the pair of rules, that leaves nobody."""
    failing = [rule for rule in rules.RULES if not masks[rule].any()]
    if failing:
        return "Nobody " + _predicate(failing[0], role, option)
    # A pair: among those passing `first`, everybody fails `second`. Prefer the
    # narrowest `first` (fewest people pass it), as a coordinator would say it.
    by_narrowness = sorted(rules.RULES, key=lambda rule: int(masks[rule].sum()))
    for first in by_narrowness:
        passing = masks[first]
        if passing.all():
            continue
        for second in rules.RULES:
            if second != first and not (passing & masks[second]).any():
                return ("Nobody " + _qualifier(first, role, option) + " "
                        + _predicate(second, role, option))
    counts = ", ".join(
        f"{rule} {int((~masks[rule]).sum())}" for rule in rules.RULES if not masks[rule].all()
    )
    return f"Nobody meets every requirement at once (excluded by {counts})"
