"""Errors the solver raises."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario breaks the format. `problems` lists every problem found, each
    starting with its JSON path, e.g. `sessions[3].roles[0].max: 0 is less than min 2`."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems) if self.problems else "invalid scenario")
