"""The data one CP-SAT model is built from: a scenario, narrowed to one
independent component (or the whole of it), with its candidate triples."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..scenario import Assignment, Scenario, Session, Volunteer
from .candidates import Candidates


@dataclass(frozen=True)
class ModelData:
    scenario: Scenario
    sessions: tuple[Session, ...]
    volunteers: tuple[Volunteer, ...]
    #: session id -> usable option indices (only sessions of this model)
    usable: dict[str, tuple[int, ...]]
    #: candidate triple -> option indices under which it is eligible
    triples: dict[Assignment, tuple[int, ...]]
    fixed: frozenset[Assignment]
    previous: tuple[Assignment, ...]
    #: (session, role) -> people held there outside the model: they count
    #: towards the role's `min` and `max` but are no variables (a repair's
    #: planned people who stay whatever the model decides)
    taken: Mapping[tuple[str, str], int] = field(default_factory=dict)

    @classmethod
    def whole(cls, scenario: Scenario, candidates: Candidates) -> ModelData:
        return cls.restricted(scenario, candidates, (s.id for s in scenario.sessions))

    @classmethod
    def restricted(
        cls, scenario: Scenario, candidates: Candidates, session_ids: Iterable[str],
        taken: Mapping[tuple[str, str], int] | None = None,
    ) -> ModelData:
        """The part of the scenario made of these sessions and the volunteers
        with a candidate triple in them (`taken`: see the field)."""
        keep = set(session_ids)
        triples = {a: o for a, o in candidates.triples.items() if a.session in keep}
        volunteer_ids = {a.volunteer for a in triples}
        return cls(
            scenario=scenario,
            sessions=tuple(s for s in scenario.sessions if s.id in keep),
            volunteers=tuple(v for v in scenario.volunteers if v.id in volunteer_ids),
            usable={s: o for s, o in candidates.usable.items() if s in keep},
            triples=triples,
            fixed=frozenset(a for a in scenario.fixed if a.session in keep),
            previous=tuple(a for a in scenario.previous if a.session in keep),
            taken=dict(taken or {}),
        )
