"""Independent parts of a scenario, solved as separate models.

Two sessions belong together when a volunteer is a candidate for both (they
share that volunteer's overlaps, weekly limits and score terms) or when they
may run at the same place at the same instant (`parallel`). Everything else in
the score adds up per part, so the best plans of the parts together are a
best plan of the whole. Many small parts are packed into a few models: one
CP-SAT call per tiny part would cost more than it saves.
"""

from __future__ import annotations

from collections import defaultdict

from .model.candidates import Candidates
from .model.sweep import overlap_cliques
from .scenario import Scenario

#: parts smaller than this (in candidate triples) are packed together
PACK_SIZE = 2_000


class _UnionFind:
    def __init__(self, items: list[str]):
        self.parent = {i: i for i in items}

    def find(self, i: str) -> str:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def components(scenario: Scenario, candidates: Candidates) -> list[list[str]]:
    """Session ids grouped into independent parts, in scenario order."""
    uf = _UnionFind([s.id for s in scenario.sessions])
    first_session_of: dict[str, str] = {}
    for a in candidates.triples:
        seen = first_session_of.setdefault(a.volunteer, a.session)
        uf.union(seen, a.session)
    at_place: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for s in scenario.sessions:
        for o in candidates.usable[s.id]:
            option = s.options[o]
            if option.place is not None:
                at_place[option.place].append((s.id, option.start, option.end))
    for place_id, uses in at_place.items():
        parallel = scenario.place_by_id[place_id].parallel
        for clique in overlap_cliques([(start, end) for _, start, end in uses]):
            if len({uses[i][0] for i in clique}) > parallel:
                for i in clique[1:]:
                    uf.union(uses[clique[0]][0], uses[i][0])
    groups: dict[str, list[str]] = defaultdict(list)
    for s in scenario.sessions:
        groups[uf.find(s.id)].append(s.id)
    return list(groups.values())


def packed_components(
    scenario: Scenario, candidates: Candidates, found: list[list[str]] | None = None
) -> list[list[str]]:
    """`components` (or those `found` already), with the small ones packed
    into models of about PACK_SIZE triples; largest first."""
    size: dict[str, int] = defaultdict(int)
    for a in candidates.triples:
        size[a.session] += 1
    if found is None:
        found = components(scenario, candidates)
    parts = sorted(found, key=lambda p: -sum(size[s] for s in p))
    packed: list[list[str]] = []
    bin_: list[str] = []
    bin_size = 0
    for part in parts:
        part_size = sum(size[s] for s in part)
        if part_size >= PACK_SIZE:
            packed.append(part)
            continue
        bin_.extend(part)
        bin_size += part_size
        if bin_size >= PACK_SIZE:
            packed.append(bin_)
            bin_, bin_size = [], 0
    if bin_:
        packed.append(bin_)
    return packed
