"""Eligible (volunteer, session, role) triples: the only ones that become variables.

A triple is a candidate when, for at least one usable option of the session,
the volunteer passes H1-H5 and the pair is not forbidden; it remembers the
options under which it is eligible. Fixed triples are always candidates (they
are exempt from H1-H5) with every usable option.

Built to scale: each (option, role) asks `VolunteerIndex` for one numpy mask
over all volunteers (the same masks the greedy baseline uses), so no Python
code runs per volunteer and session except for the triples found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scenario import Assignment, Scenario
from ..volunteer_index import VolunteerIndex
from .options import usable_options


@dataclass(frozen=True)
class Candidates:
    #: session id -> indices of its usable options
    usable: dict[str, tuple[int, ...]]
    #: eligible triple -> option indices under which it is eligible (never empty)
    triples: dict[Assignment, tuple[int, ...]]


def find_candidates(scenario: Scenario, index: VolunteerIndex | None = None) -> Candidates:
    usable = {s.id: usable_options(scenario, s) for s in scenario.sessions}
    for s in scenario.sessions:
        if not s.is_open:
            usable[s.id] = (0,)  # a fixed session is held as given, come what may
    index = index or VolunteerIndex(scenario)
    ids = [v.id for v in scenario.volunteers]
    found: dict[Assignment, list[int]] = {}
    make = tuple.__new__  # Assignment(...) without its keyword handling: 73,000 times on M
    for s in scenario.sessions:
        for oi in usable[s.id]:
            option = s.options[oi]
            for role in s.roles:
                for i in np.flatnonzero(index.eligible(s, role, option)).tolist():
                    a = make(Assignment, (ids[i], s.id, role.name))
                    known = found.get(a)
                    if known is None:
                        found[a] = [oi]
                    else:
                        known.append(oi)
    for a in scenario.fixed:
        found[a] = list(usable[a.session])
    return Candidates(usable, {a: tuple(opts) for a, opts in found.items()})
