"""Who could take an open role of a session, best fit first, and why everyone
else cannot; and the same check for one person before a manual assignment.

Every rule is the solver's own: the session is turned into a scenario by
`planning_scenario.build_scenario` (the one translation of rows into a
scenario) focused on it: the session alone, with the standing assignments of
the rest of its ISO week frozen around it, so overlaps and weekly limits see
them, and the volunteers' availability at that session only. Then

- H1-H5 (availability, skills, languages, certificate, travel distance) are
  `solver.eligibility.failed_rules`;
- H6-H7 (another session at the same time, weekly hours or sessions) are
  `solver.explain.PlanLoad.blocked` on the standing plan;
- H9 (declined this session before) is the scenario's `forbidden` pairs.

The fit of a candidate is what adding them would add to the plan's score
(interest, preferred activity, travel, fairness, continuity; see
docs/scenario-format.md section 4), so the order is the solver's order too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from solver import eligibility as rules
from solver.explain import PlanLoad
from solver.parse import parse_scenario
from solver.scenario import Option, Role, Scenario
from solver.scenario import Session as ScenarioSession

from ..auth import Principal
from ..domain_errors import Conflict, Forbidden, Invalid
from ..models import Session
from .planning_scenario import build_scenario
from .sessions import get_session

# The rules that may exclude a volunteer, in the order a coordinator reads them.
OVERLAP = "overlap"
WEEKLY_LIMIT = "weekly_limit"
ALREADY_HERE = "already_assigned"
DECLINED = "declined_before"
INACTIVE = "inactive"
EXCLUDING_RULES: tuple[str, ...] = (
    INACTIVE, ALREADY_HERE, DECLINED, rules.AVAILABILITY, rules.SKILLS, rules.LANGUAGES,
    rules.CERTIFICATE, rules.DISTANCE, OVERLAP, WEEKLY_LIMIT,
)
#: What a coordinator may overrule with `override: true` and a reason.
OVERRIDABLE: frozenset[str] = frozenset({rules.AVAILABILITY, rules.DISTANCE})
#: Short English descriptions (the API's words; the pages translate the codes).
RULE_TEXT = {
    INACTIVE: "the volunteer is not active",
    ALREADY_HERE: "already has a role in this session",
    DECLINED: "declined this session before",
    rules.AVAILABILITY: "not available at this time",
    rules.SKILLS: "lacks a skill the role needs",
    rules.LANGUAGES: "speaks none of the languages the role needs",
    rules.CERTIFICATE: "has no valid certificate the role needs",
    rules.DISTANCE: "the place is farther than the volunteer travels",
    OVERLAP: "busy in another session at the same time",
    WEEKLY_LIMIT: "would go over the weekly limit of hours or sessions",
}


@dataclass(frozen=True)
class Candidate:
    volunteer_id: int
    name: str
    fit: float
    interest: bool
    preferred: bool
    knows_activity: bool  # already in a session of this activity in the plan
    distance_km: float | None
    hours_this_week: float


@dataclass(frozen=True)
class Excluded:
    volunteer_id: int
    name: str
    rules: tuple[str, ...]  # every rule that excludes them, most basic first

    @property
    def rule(self) -> str:
        return self.rules[0]


@dataclass(frozen=True)
class RoleCandidates:
    role: str
    minimum: int
    maximum: int
    filled: int
    candidates: list[Candidate] = field(default_factory=list)
    excluded: list[Excluded] = field(default_factory=list)

    @property
    def open(self) -> bool:
        return self.filled < self.maximum


@dataclass
class _Context:
    """A session in its scenario, with the standing plan of its week."""

    session: Session
    scenario: Scenario
    target: ScenarioSession
    option: Option
    load: PlanLoad
    here: dict[str, str]  # volunteer id -> role, standing in this session
    forbidden: set[str]  # volunteers who declined this session
    hours: dict[str, float]  # volunteer id -> hours in the option's ISO week
    pairs: set[tuple[str, str]]  # (volunteer, activity) already in the plan


def _chosen_option(session: Session, target: ScenarioSession) -> Option:
    if not target.is_open:
        return target.options[0]
    if session.start is None:
        raise Conflict("the session's time is not chosen yet; plan it first, then assign people")
    start = int(session.start.timestamp())
    for option in target.options:
        if option.start == start:
            return option
    raise Conflict("the session's chosen time is none of its options")


def _context(session: Session, volunteer_id: int | None = None) -> _Context:
    """The session's context; with `volunteer_id`, as that one volunteer
    sees it (`build_scenario(volunteer=...)`): every rule about them is the
    same, at a fraction of the cost."""
    if session.status == "cancelled":
        raise Conflict("the session is cancelled", current="cancelled")
    centre = session.activity.centre
    doc = build_scenario(centre, session.window_start,
                         session.window_start + timedelta(microseconds=1),
                         focus=session.id, volunteer=volunteer_id)
    return _Week(parse_scenario(doc), [session], None).context(session)


class _Week:
    """One scenario holding several sessions of an ISO week in its window
    (`build_scenario(focus=[...])`), each seen as its own focused scenario
    sees it: itself at its chosen time, the others (at their chosen times)
    as part of the standing plan around it. With `only`, the loads are
    counted for that one volunteer (all `_failing` and `_fit` ask about)."""

    def __init__(self, scenario: Scenario, sessions: list[Session], only: str | None) -> None:
        self.scenario = scenario
        self.only = only
        self.chosen: dict[str, Option] = {}
        for s in scenario.sessions:
            if not s.is_open:
                self.chosen[s.id] = s.options[0]
        for row in sessions:
            target = scenario.session_by_id[str(row.id)]
            if target.is_open and row.start is not None:
                start = int(row.start.timestamp())
                self.chosen.update((target.id, o) for o in target.options if o.start == start)
        self.standing = [a for a in (*scenario.fixed, *scenario.previous)
                         if only is None or a.volunteer == only]
        self.at: dict[str, list[Any]] = defaultdict(list)
        for a in (*scenario.fixed, *scenario.previous):
            self.at[a.session].append(a)

    def context(self, session: Session) -> _Context:
        scenario = self.scenario
        target = scenario.session_by_id[str(session.id)]
        option = _chosen_option(session, target)
        options = {**self.chosen, target.id: option}
        standing = [a for a in self.standing if a.session in options]
        load = PlanLoad.of(options, standing)
        hours: dict[str, float] = defaultdict(float)
        pairs: set[tuple[str, str]] = set()
        for a in standing:
            pairs.add((a.volunteer, scenario.session_by_id[a.session].activity))
            if options[a.session].iso_week == option.iso_week:
                hours[a.volunteer] += options[a.session].hours
        here = {a.volunteer: a.role for a in self.at[target.id]}
        forbidden = {p.volunteer for p in scenario.forbidden if p.session == target.id}
        return _Context(session, scenario, target, option, load, here, forbidden, hours, pairs)


def _failing(ctx: _Context, volunteer_id: str, role: Role) -> tuple[str, ...]:
    volunteer = ctx.scenario.volunteer_by_id.get(volunteer_id)
    if volunteer is None:
        return (INACTIVE,)
    if volunteer_id in ctx.here:
        return (ALREADY_HERE,)
    failed: list[str] = []
    if volunteer_id in ctx.forbidden:
        failed.append(DECLINED)
    failed += rules.failed_rules(ctx.scenario, volunteer, role, ctx.option)
    if ctx.load.blocked(ctx.scenario, volunteer_id, ctx.target.id):
        busy = any(ctx.load.options[other].interval.overlaps(ctx.option.interval)
                   for other in ctx.load.sessions.get(volunteer_id, ()))
        failed.append(OVERLAP if busy else WEEKLY_LIMIT)
    return tuple(sorted(failed, key=EXCLUDING_RULES.index))


def _fit(ctx: _Context, volunteer_id: str) -> Candidate:
    """What adding this volunteer adds to the score (the solver's weights)."""
    w = ctx.scenario.weights
    volunteer = ctx.scenario.volunteer_by_id[volunteer_id]
    activity = ctx.scenario.activity_by_id[ctx.target.activity]
    place = ctx.scenario.place_by_id.get(ctx.option.place) if ctx.option.place else None
    interest = bool(volunteer.interests & activity.interests)
    preferred = activity.id in volunteer.preferred_activities
    located = place is not None and place.located and volunteer.located
    distance = rules.distance_km(volunteer, place)
    hours = ctx.hours.get(volunteer_id, 0.0)
    added = ctx.option.hours
    knows = (volunteer_id, activity.id) in ctx.pairs
    fit = (w.interest * interest + w.preferred * preferred - w.travel_km * distance
           - w.fairness * ((hours + added) ** 2 - hours ** 2) - w.continuity * (not knows))
    return Candidate(volunteer_id=int(volunteer_id), name=volunteer.name, fit=round(fit, 3),
                     interest=interest, preferred=preferred, knows_activity=knows,
                     distance_km=round(distance, 1) if located else None,
                     hours_this_week=round(hours, 2))


def _role(ctx: _Context, name: str) -> Role:
    try:
        return ctx.target.role(name)
    except KeyError:
        known = ", ".join(r.name for r in ctx.target.roles) or "none"
        raise Invalid({"role": [f"the session has no role {name!r} (roles: {known})"]}) from None


def session_candidates(principal: Principal, session_id: int) -> list[RoleCandidates]:
    """For each role of the session: who fits (best first) and who is excluded by which rule."""
    session = get_session(principal, session_id)
    if principal.role == "volunteer":
        raise Forbidden("only coordinators see the candidates of a session")
    ctx = _context(session)
    filled: dict[str, int] = defaultdict(int)
    for role in ctx.here.values():
        filled[role] += 1
    result = []
    for role in ctx.target.roles:
        entry = RoleCandidates(role=role.name, minimum=role.min, maximum=role.max,
                               filled=filled[role.name])
        for volunteer in ctx.scenario.volunteers:
            failed = _failing(ctx, volunteer.id, role)
            if failed:
                entry.excluded.append(Excluded(int(volunteer.id), volunteer.name, failed))
            else:
                entry.candidates.append(_fit(ctx, volunteer.id))
        entry.candidates.sort(key=lambda c: (-c.fit, c.name, c.volunteer_id))
        entry.excluded.sort(key=lambda e: (EXCLUDING_RULES.index(e.rule), e.name, e.volunteer_id))
        result.append(entry)
    return result


def role_candidates(session: Session, role_name: str) -> list[Candidate]:
    """The volunteers who may take a seat of `role_name` at `session` by the
    rules of `session_candidates` (the ones already in the session excluded),
    best fit first, whether or not the role is full: a seat offered as a swap
    (services/swaps.py) is the offerer's, so the maximum does not apply."""
    ctx = _context(session)
    role = _role(ctx, role_name)
    found = [_fit(ctx, v.id) for v in ctx.scenario.volunteers if not _failing(ctx, v.id, role)]
    return sorted(found, key=lambda c: (-c.fit, c.name, c.volunteer_id))


def check_assignment(session: Session, volunteer_id: int, role_name: str,
                     overrule: bool) -> tuple[str, ...]:
    """Raise Invalid naming the broken rule if `volunteer_id` may not take
    `role_name` at `session`; with `overrule`, availability and travel
    distance are allowed and returned (the rules overruled)."""
    ctx = _context(session, volunteer_id)
    role = _role(ctx, role_name)
    in_role = sum(1 for r in ctx.here.values() if r == role.name)
    if in_role >= role.max and str(volunteer_id) not in ctx.here:
        raise Invalid({"role": [f"breaks rule role_max: role {role.name!r} already has "
                                f"{in_role} of at most {role.max} people"]})
    failed = _failing(ctx, str(volunteer_id), role)
    overruled = tuple(r for r in failed if overrule and r in OVERRIDABLE)
    broken = [r for r in failed if r not in overruled]
    if broken:
        messages = [f"breaks rule {rule}: {RULE_TEXT[rule]}" for rule in broken]
        if any(r in OVERRIDABLE for r in broken):
            messages.append("availability and distance may be overruled with override: true "
                            "and a reason")
        raise Invalid({"volunteer_id": messages})
    return overruled


@dataclass(frozen=True)
class RoleFit:
    """One role of a session as seen by one volunteer."""

    role: str
    minimum: int
    maximum: int
    filled: int
    failing: tuple[str, ...]  # the rules that exclude the volunteer; empty: eligible
    candidate: Candidate | None  # the fit, when eligible


def volunteer_roles(session: Session, volunteer_id: int) -> list[RoleFit]:
    """Each role of the session for one volunteer: how full it is, and the
    rules (the same as `session_candidates`) that exclude them, or their fit
    (open slots, swaps: services/open_slots.py)."""
    return _roles_for(_context(session, volunteer_id), volunteer_id)


def volunteer_roles_of(sessions: list[Session], volunteer_id: int,
                       ) -> dict[int, list[RoleFit] | Conflict]:
    """`volunteer_roles` of many sessions of one centre at once (the open
    slots): one scenario per ISO week holds all of that week's sessions, and
    each is read from it as its own focused scenario would read it. A
    session that cannot be checked (cancelled, time not chosen) maps to the
    Conflict `volunteer_roles` would raise."""
    result: dict[int, list[RoleFit] | Conflict] = {}
    for session, ctx in _week_contexts(sessions, volunteer_id):
        result[session.id] = ctx if isinstance(ctx, Conflict) else _roles_for(ctx, volunteer_id)
    return result


def _week_contexts(sessions: list[Session], volunteer_id: int,
                   ) -> Iterator[tuple[Session, _Context | Conflict]]:
    """Each session's context as `volunteer_id` sees it, from one scenario
    per ISO week (see `volunteer_roles_of`), or the Conflict `_context`
    would raise for it."""
    weeks: dict[tuple[int, int], list[Session]] = defaultdict(list)
    for session in sessions:
        if session.status == "cancelled":
            yield session, Conflict("the session is cancelled", current="cancelled")
            continue
        zone = ZoneInfo(session.activity.centre.municipality.timezone)
        year, number, _ = session.window_start.astimezone(zone).isocalendar()
        weeks[(year, number)].append(session)
    for group in weeks.values():
        first = min(s.window_start for s in group)
        last = max(s.window_start for s in group)
        doc = build_scenario(group[0].activity.centre, first, last + timedelta(microseconds=1),
                             focus=[s.id for s in group], volunteer=volunteer_id)
        week = _Week(parse_scenario(doc), group, str(volunteer_id))
        for session in group:
            try:
                yield session, week.context(session)
            except Conflict as refused:
                yield session, refused


def _roles_for(ctx: _Context, volunteer_id: int) -> list[RoleFit]:
    filled: dict[str, int] = defaultdict(int)
    for name in ctx.here.values():
        filled[name] += 1
    result = []
    for role in ctx.target.roles:
        failed = _failing(ctx, str(volunteer_id), role)
        result.append(RoleFit(role.name, role.min, role.max, filled[role.name], failed,
                              None if failed else _fit(ctx, str(volunteer_id))))
    return result


def held_rules(session: Session, volunteer_id: int) -> tuple[str, ...]:
    """The rules a volunteer who holds a seat in `session` breaks there now:
    H1-H5 (availability, skills, languages, certificate, travel) for the role
    they hold, and the weekly limits counting this seat among the week's
    others. Empty while the seat still fits, or when they hold none. Used
    when a volunteer changes their own availability or limits
    (services/own_profile.py), with the same rules as everything above."""
    return _held(_context(session, volunteer_id), volunteer_id)


def held_rules_of(sessions: list[Session], volunteer_id: int) -> dict[int, tuple[str, ...]]:
    """`held_rules` of many sessions at once, one scenario per ISO week as
    in `volunteer_roles_of`; a session that cannot be checked (cancelled,
    time not chosen) is left out."""
    return {session.id: _held(ctx, volunteer_id)
            for session, ctx in _week_contexts(sessions, volunteer_id)
            if not isinstance(ctx, Conflict)}


def _held(ctx: _Context, volunteer_id: int) -> tuple[str, ...]:
    key = str(volunteer_id)
    role_name = ctx.here.get(key)
    if role_name is None:
        return ()
    volunteer = ctx.scenario.volunteer_by_id.get(key)
    if volunteer is None:
        return (INACTIVE,)
    failed = list(rules.failed_rules(ctx.scenario, volunteer, ctx.target.role(role_name),
                                     ctx.option))
    week = (key, ctx.option.iso_week)
    if (volunteer.max_hours_per_week is not None
            and ctx.load.hours[week] > volunteer.max_hours_per_week + 1e-9) or (
            volunteer.max_sessions_per_week is not None
            and ctx.load.count[week] > volunteer.max_sessions_per_week):
        failed.append(WEEKLY_LIMIT)
    return tuple(sorted(failed, key=EXCLUDING_RULES.index))


__all__ = ["EXCLUDING_RULES", "RoleFit", "held_rules", "held_rules_of", "volunteer_roles", "volunteer_roles_of", "OVERRIDABLE", "RULE_TEXT", "Candidate",
           "Excluded", "RoleCandidates", "check_assignment", "session_candidates"]
