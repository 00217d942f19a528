"""A min-cost flow network built arc by arc, solved by OR-Tools' network
simplex: the plumbing shared by the flow bound (`flow_bound.py`) and the
flow guide (`flow_guide.py`)."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from ortools.graph.python import min_cost_flow

#: the nodes every network has
SOURCE, SINK = 0, 1


class FlowNetwork:
    """Nodes named by any hashable key (numbered as first met, after the
    source and the sink), arcs in the order added, integer costs."""

    def __init__(self) -> None:
        self.nodes: dict[Hashable, int] = {}
        self._tails: list[int] = []
        self._heads: list[int] = []
        self._capacities: list[int] = []
        self._costs: list[int] = []

    def node(self, key: Hashable) -> int:
        """The node named `key`, made when first asked for."""
        found = self.nodes.get(key)
        if found is None:
            found = self.nodes[key] = len(self.nodes) + 2
        return found

    def arc(self, tail: int, head: int, capacity: int, cost: int) -> None:
        self._tails.append(tail)
        self._heads.append(head)
        self._capacities.append(capacity)
        self._costs.append(cost)

    def solve(self, supply: int) -> min_cost_flow.SimpleMinCostFlow | None:
        """The cheapest flow of `supply` units from the source to the sink
        (its arcs numbered as added), or None when there is none."""
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.array(self._tails, dtype=np.int32), np.array(self._heads, dtype=np.int32),
            np.array(self._capacities, dtype=np.int64), np.array(self._costs, dtype=np.int64),
        )
        flow.set_node_supply(SOURCE, supply)
        flow.set_node_supply(SINK, -supply)
        return flow if flow.solve() == flow.OPTIMAL else None
