"""Why a slot stays empty: the `unfilled` entries of a result.

For every scheduled (session, role) with fewer people than `min`:
`candidates` who pass H1-H5 and H9, `excluded` per rule (each rule counted on
its own, so a volunteer can count under several), `occupied` candidates who
could not be added without breaking H6-H8 given the rest of the plan, a
sentence a coordinator understands (`reason`, English) and what it is made of
(`why`: a code and its params, which `solver.reasons` phrases in English,
Norwegian bokmål and nynorsk, and Danish).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import eligibility as rules
from . import reasons
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
        start, end = option.start, option.end
        for other in self.sessions.get(volunteer_id, ()):
            held = self.options[other]
            if other == session_id or (held.start < end and start < held.end):
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
    why = _why(scenario, role, option, masks, len(candidates), occupied,
               len(here & set(candidates)))
    return {
        "session": session.id,
        "role": role.name,
        "missing": missing,
        "candidates": len(candidates),
        "excluded": {rule: int((~masks[rule]).sum()) for rule in rules.RULES},
        "occupied": occupied,
        "reason": reasons.render_reason(why, "en"),
        "why": why,
    }


# -- why, and the sentence ----------------------------------------------------


def _why(
    scenario: Scenario,
    role: Role,
    option: Option,
    masks: dict[str, Mask],
    candidates: int,
    occupied: int,
    serving: int,
) -> dict[str, Any]:
    """The code and params `solver.reasons` phrases (see its table of codes)."""
    if not scenario.volunteers:
        return {"code": reasons.NO_VOLUNTEERS, "params": {}}
    if candidates == 0:
        return _nobody(role, option, masks)
    counts = {"candidates": candidates, "serving": serving, "occupied": occupied}
    free = candidates - serving - occupied
    if free <= 0:
        return {"code": reasons.TOO_FEW, "params": counts}
    return {"code": reasons.FREE_BUT_OUTWEIGHED, "params": {"free": free, **counts}}


def _nobody(role: Role, option: Option, masks: dict[str, Mask]) -> dict[str, Any]:
    """Name the rule, or the pair of rules, that leaves nobody."""
    failing = [rule for rule in rules.RULES if not masks[rule].any()]
    if failing:
        return {"code": reasons.NOBODY,
                "params": {"rule": failing[0], **_facts(failing[:1], role, option)}}
    # A pair: among those passing `first`, everybody fails `second`. Prefer the
    # narrowest `first` (fewest people pass it), as a coordinator would say it.
    by_narrowness = sorted(rules.RULES, key=lambda rule: int(masks[rule].sum()))
    for first in by_narrowness:
        passing = masks[first]
        if passing.all():
            continue
        for second in rules.RULES:
            if second != first and not (passing & masks[second]).any():
                return {"code": reasons.NOBODY_PAIR,
                        "params": {"rules": [first, second],
                                   **_facts([first, second], role, option)}}
    excluded = {rule: int((~masks[rule]).sum()) for rule in rules.RULES if not masks[rule].all()}
    return {"code": reasons.NOBODY_COMBINED, "params": {"excluded": excluded}}


def _facts(named: list[str], role: Role, option: Option) -> dict[str, Any]:
    """What a sentence naming these rules says about the role."""
    facts: dict[str, Any] = {}
    if rules.SKILLS in named:
        facts["skills"] = sorted(role.skills)
    if rules.LANGUAGES in named:
        facts["languages"] = sorted(role.languages)
    if rules.CERTIFICATE in named:
        facts["certificate"] = role.certificate
        facts["date"] = option.local_date.isoformat()
    return facts
