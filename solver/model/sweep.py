"""Maximal sets of half-open intervals that share an instant.

Sweeping over start and end events (ends first at equal times, since
[a, b) and [b, c) do not overlap), the set of running intervals just before
the first end after a run of starts is a maximal clique of the interval graph.
Constraining those cliques is equivalent to constraining every instant, with
far fewer constraints than one per pair.
"""

from __future__ import annotations

from collections.abc import Sequence


def overlap_cliques(intervals: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Indices of `intervals` grouped into the maximal cliques of size >= 2."""
    events = []
    for i, (start, end) in enumerate(intervals):
        events.append((start, 1, i))
        events.append((end, 0, i))
    events.sort()
    running: set[int] = set()
    cliques: list[list[int]] = []
    grew = False
    for _, is_start, i in events:
        if is_start:
            running.add(i)
            grew = True
        else:
            if grew and len(running) >= 2:
                cliques.append(sorted(running))
            grew = False
            running.discard(i)
    return cliques
