"""The decision variables of one model, and what they mean.

- `x[v, s, r]`: volunteer v takes role r at session s; only for candidate
  triples (see `candidates.py`).
- `y[s, o]`: open session s is held as its option o; only for usable options.
  A fixed session is always held as its one option and has no `y`.
- `w[v, s, o]`: v works at open session s and s is held as o; only for the
  options under which v is eligible for some role. These carry the time and
  place a volunteer's work at an open session ends up with, so overlaps,
  weekly limits and travel are linear in them.

The constraints that define `w` (sum over o of w = assigned(v, s), w <= y,
and x only with an option the triple is eligible under) are added here: they
give the variables their meaning rather than enforce a rule of the format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..scenario import Assignment, Option, Plan
from .data import ModelData

Expr = cp_model.LinearExprT | int
Value = Callable[[cp_model.IntVar], int]


@dataclass(frozen=True)
class Work:
    """One way a volunteer may be at work: at `session`, held as `option`,
    when the sum of `parts` (0/1 variables, at most one of them 1) is 1."""

    session: str
    option: Option
    parts: tuple[cp_model.IntVar, ...]

    @property
    def lit(self) -> Expr:
        return self.parts[0] if len(self.parts) == 1 else cp_model.LinearExpr.sum(list(self.parts))


def count_of(parts: list[cp_model.IntVar]) -> Callable[[Value], int]:
    """A derivation rule: how many of `parts` are 1."""
    return lambda value: sum(value(p) for p in parts)


def any_of(parts: list[cp_model.IntVar]) -> Callable[[Value], int]:
    """A derivation rule: 1 when any of `parts` is."""
    return lambda value: max(value(p) for p in parts)


def weighted_count(pairs: list[tuple[int, cp_model.IntVar]]) -> Callable[[Value], int]:
    """A derivation rule: sum of weight * value over (weight, var) pairs."""
    return lambda value: sum(k * value(p) for k, p in pairs)


class Variables:
    def __init__(self, data: ModelData, model: cp_model.CpModel):
        self.data = data
        self.x: dict[Assignment, cp_model.IntVar] = {}
        self.y: dict[tuple[str, int], cp_model.IntVar] = {}
        self.w: dict[tuple[str, str, int], cp_model.IntVar] = {}
        #: (v, s) -> [(role, x)]
        self.pair_roles: dict[tuple[str, str], list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        #: (s, r) -> [(v, x)]
        self.role_people: dict[tuple[str, str], list[tuple[str, cp_model.IntVar]]] = defaultdict(list)
        #: v -> sessions it has a candidate triple in
        self.sessions_of: dict[str, list[str]] = defaultdict(list)
        #: auxiliary variables of rules and terms, with how each follows from
        #: the others (so a hint can be complete)
        self.derived: list[tuple[cp_model.IntVar, Callable[[Value], int]]] = []

        for a in sorted(data.triples):
            var = model.new_bool_var(f"x[{a.volunteer},{a.session},{a.role}]")
            self.x[a] = var
            if (a.volunteer, a.session) not in self.pair_roles:
                self.sessions_of[a.volunteer].append(a.session)
            self.pair_roles[a.volunteer, a.session].append((a.role, var))
            self.role_people[a.session, a.role].append((a.volunteer, var))

        for s in data.sessions:
            if s.is_open:
                for o in data.usable[s.id]:
                    self.y[s.id, o] = model.new_bool_var(f"y[{s.id},{o}]")
        self._link(model)

    def _link(self, model: cp_model.CpModel) -> None:
        session_by_id = self.data.scenario.session_by_id
        for (v, s), roles in self.pair_roles.items():
            if not session_by_id[s].is_open:
                continue
            options = sorted({o for r, _ in roles for o in self.data.triples[Assignment(v, s, r)]})
            for o in options:
                w = model.new_bool_var(f"w[{v},{s},{o}]")
                self.w[v, s, o] = w
                model.add_implication(w, self.y[s, o])
            model.add(cp_model.LinearExpr.sum([self.w[v, s, o] for o in options]) == self.assigned(v, s))
            for r, x in roles:
                eligible = self.data.triples[Assignment(v, s, r)]
                if len(eligible) < len(options):
                    model.add(x <= cp_model.LinearExpr.sum([self.w[v, s, o] for o in eligible]))

    def derive(self, var: cp_model.IntVar, rule: Callable[[Value], int]) -> None:
        """Record that `var` equals rule(value) at an optimum, where value
        reads the variables defined before it."""
        self.derived.append((var, rule))

    # -- reading the variables -------------------------------------------------

    def assigned(self, v: str, s: str) -> Expr:
        """1 when v holds a role at s (0/1 once H6 allows one role per session)."""
        roles = self.pair_roles.get((v, s), ())
        if not roles:
            return 0
        return roles[0][1] if len(roles) == 1 else cp_model.LinearExpr.sum([x for _, x in roles])

    def scheduled(self, s: str) -> Expr:
        session = self.data.scenario.session_by_id[s]
        if not session.is_open:
            return 1
        return cp_model.LinearExpr.sum([self.y[s, o] for o in self.data.usable[s]])

    def attendance(self, v: str) -> list[Work]:
        """Every way v can be at work."""
        found: list[Work] = []
        for s in self.sessions_of.get(v, ()):
            session = self.data.scenario.session_by_id[s]
            if not session.is_open:
                parts = tuple(x for _, x in self.pair_roles[v, s])
                found.append(Work(s, session.options[0], parts))
                continue
            for o in self.data.usable[s]:
                w = self.w.get((v, s, o))
                if w is not None:
                    found.append(Work(s, session.options[o], (w,)))
        return found

    def extract(self, value: Callable[[cp_model.IntVar], int]) -> Plan:
        """The plan the variables describe, read through `value` (a solver's or
        a solution callback's)."""
        schedule = {s.id: 0 for s in self.data.sessions if not s.is_open}
        for (s, o), y in self.y.items():
            if value(y):
                schedule[s] = o
        assignments = tuple(a for a, x in self.x.items() if value(x))
        return Plan(schedule=schedule, assignments=assignments)

    def hint(self, model: cp_model.CpModel, plan: Plan) -> None:
        """Offer `plan` as the starting solution: every variable gets a value,
        those of auxiliary variables derived from the plan's."""
        values = self.values(plan)
        for var in (*self.x.values(), *self.y.values(), *self.w.values()):
            model.add_hint(var, values[var.index])
        for var, _ in self.derived:
            model.add_hint(var, values[var.index])

    def values(self, plan: Plan) -> dict[int, int]:
        """Every variable's value (by index) in `plan`, the auxiliary ones
        derived from the plan's."""
        chosen = set(plan.assignments)
        values: dict[int, int] = {}
        for a, x in self.x.items():
            values[x.index] = int(a in chosen)
        for (s, o), y in self.y.items():
            values[y.index] = int(plan.schedule.get(s) == o)
        for (v, s, o), w in self.w.items():
            works = any(Assignment(v, s, r) in chosen for r, _ in self.pair_roles[v, s])
            values[w.index] = int(works and plan.schedule.get(s) == o)
        for var, rule in self.derived:
            values[var.index] = rule(lambda known: values[known.index])
        return values
