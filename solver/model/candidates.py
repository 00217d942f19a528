"""Eligible (volunteer, session, role) triples: the only ones that become variables.

A triple is a candidate when, for at least one usable option of the session,
the volunteer passes H1-H5 and the pair is not forbidden; it remembers the
options under which it is eligible. Fixed triples are always candidates (they
are exempt from H1-H5) with every usable option.

Built to scale: volunteers are first bucketed by the days their availability
covers, so a session only looks at volunteers free on its day, never at all
volunteers times all sessions.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..eligibility import certified, has_skills, speaks, within_reach
from ..scenario import Assignment, Option, Scenario, Volunteer
from .options import usable_options

DAY = 86_400


@dataclass(frozen=True)
class Candidates:
    #: session id -> indices of its usable options
    usable: dict[str, tuple[int, ...]]
    #: eligible triple -> option indices under which it is eligible (never empty)
    triples: dict[Assignment, tuple[int, ...]]


class _AvailabilityIndex:
    """Volunteers by the UTC days their availability intervals touch."""

    def __init__(self, volunteers: tuple[Volunteer, ...], horizon: tuple[int, int]):
        self.always: list[Volunteer] = []
        self.by_day: dict[int, list[Volunteer]] = defaultdict(list)
        lo, hi = horizon
        for v in volunteers:
            if v.availability is None:
                self.always.append(v)
                continue
            days: set[int] = set()
            for iv in v.availability:
                start, end = max(iv.start, lo), min(iv.end, hi)
                if start < end:
                    days.update(range(start // DAY, (end - 1) // DAY + 1))
            for day in days:
                self.by_day[day].append(v)

    def free_for(self, option: Option) -> list[Volunteer]:
        found = list(self.always)
        for v in self.by_day.get(option.start // DAY, ()):
            assert v.availability is not None
            if any(iv.start <= option.start and option.end <= iv.end for iv in v.availability):
                found.append(v)
        return found


def find_candidates(scenario: Scenario) -> Candidates:
    usable = {s.id: usable_options(scenario, s) for s in scenario.sessions}
    for s in scenario.sessions:
        if not s.is_open:
            usable[s.id] = (0,)  # a fixed session is held as given, come what may
    all_options = [o for s in scenario.sessions for o in s.options]
    horizon = (
        (min(o.start for o in all_options), max(o.end for o in all_options))
        if all_options else (0, 0)
    )
    index = _AvailabilityIndex(scenario.volunteers, horizon)
    forbidden = set(scenario.forbidden)
    found: dict[Assignment, list[int]] = defaultdict(list)
    for s in scenario.sessions:
        for oi in usable[s.id]:
            option = s.options[oi]
            place = scenario.place_by_id[option.place] if option.place else None
            for v in index.free_for(option):
                if (v.id, s.id) in forbidden or not within_reach(v, place):
                    continue
                for role in s.roles:
                    if has_skills(v, role) and speaks(v, role) and certified(v, role, option):
                        found[Assignment(v.id, s.id, role.name)].append(oi)
    for a in scenario.fixed:
        found[a] = list(usable[a.session])
    return Candidates(usable, {a: tuple(opts) for a, opts in found.items()})
