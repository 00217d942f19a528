"""Timefold's classes for `timefold_model.py`: imported only when the peer
runs (it needs the `timefold` package). No `from __future__ import
annotations` here: Timefold reads the annotations as objects."""

from dataclasses import dataclass, field
from typing import Annotated, Any

from timefold.solver.domain import (
    PlanningEntityCollectionProperty,
    PlanningId,
    PlanningScore,
    PlanningVariable,
    ProblemFactCollectionProperty,
    ValueRangeProvider,
    planning_entity,
    planning_solution,
)
from timefold.solver.score import (
    ConstraintCollectors,
    ConstraintFactory,
    HardSoftScore,
    Joiners,
    constraint_provider,
)


@dataclass
class Volunteer:
    id: Annotated[str, PlanningId]
    max_sessions: int
    max_minutes: int

    def __hash__(self) -> int:
        return hash(self.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Volunteer) and other.id == self.id


@planning_entity
@dataclass
class Seat:
    id: Annotated[str, PlanningId]
    session: str
    role: str
    cover: str  # session/role: the people counted together for cover
    activity: str
    start: int  # minutes
    end: int
    week: int
    wanted: int  # the role's min
    candidates: Annotated[list[Volunteer], ValueRangeProvider(id="candidates")]
    #: soft score units an assignment of each candidate adds (by volunteer id)
    gain: dict[str, int]
    volunteer: Annotated[
        Volunteer | None,
        PlanningVariable(value_range_provider_refs=["candidates"], allows_unassigned=True),
    ] = field(default=None)


@planning_solution
@dataclass
class Roster:
    volunteers: Annotated[list[Volunteer], ProblemFactCollectionProperty]
    seats: Annotated[list[Seat], PlanningEntityCollectionProperty]
    score: Annotated[HardSoftScore | None, PlanningScore] = field(default=None)


def constraints(weights: Any, scale: int) -> Any:
    """The constraint provider for these weights (soft units: `scale` per point)."""
    cover_min = round(scale * weights.cover_min)
    cover_extra = round(scale * weights.cover_extra)
    continuity = round(scale * weights.continuity)
    used = round(scale * weights.volunteer_used)
    # hours² = (minutes / 60)²
    per_minute_squared = scale * weights.fairness / 3600.0

    @constraint_provider
    def define(factory: ConstraintFactory) -> list[Any]:
        found = [
            factory.for_each_unique_pair(
                Seat,
                Joiners.equal(lambda s: s.volunteer),
                Joiners.overlapping(lambda s: s.start, lambda s: s.end),
            ).penalize(HardSoftScore.ONE_HARD).as_constraint("H6 one place at a time"),
            factory.for_each(Seat)
            .group_by(lambda s: s.volunteer, lambda s: s.week, ConstraintCollectors.count())
            .filter(lambda v, week, n: n > v.max_sessions)
            .penalize(HardSoftScore.ONE_HARD, lambda v, week, n: n - v.max_sessions)
            .as_constraint("H7 sessions a week"),
            factory.for_each(Seat)
            .group_by(
                lambda s: s.volunteer, lambda s: s.week,
                ConstraintCollectors.sum(lambda s: s.end - s.start),
            )
            .filter(lambda v, week, m: m > v.max_minutes)
            .penalize(HardSoftScore.ONE_HARD, lambda v, week, m: m - v.max_minutes)
            .as_constraint("H7 hours a week"),
            factory.for_each(Seat)
            .group_by(lambda s: s.cover, lambda s: s.wanted, ConstraintCollectors.count())
            .reward(
                HardSoftScore.ONE_SOFT,
                lambda c, wanted, n: cover_min * min(n, wanted) + cover_extra * max(0, n - wanted),
            )
            .as_constraint("cover"),
            factory.for_each(Seat)
            .impact(HardSoftScore.ONE_SOFT, lambda s: s.gain[s.volunteer.id])
            .as_constraint("interest, preferred, travel"),
            factory.for_each(Seat)
            .group_by(lambda s: s.volunteer, ConstraintCollectors.sum(lambda s: s.end - s.start))
            .penalize(HardSoftScore.ONE_SOFT, lambda v, m: round(per_minute_squared * m * m))
            .as_constraint("fairness"),
        ]
        if continuity:
            found.append(
                factory.for_each(Seat)
                .group_by(lambda s: s.volunteer, lambda s: s.activity)
                .impact(HardSoftScore.ONE_SOFT, lambda v, a: -continuity)
                .as_constraint("continuity")
            )
        if used:
            found.append(
                factory.for_each(Seat)
                .group_by(lambda s: s.volunteer)
                .impact(HardSoftScore.ONE_SOFT, lambda v: used)
                .as_constraint("volunteer used")
            )
        return found

    return define
