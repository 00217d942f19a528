"""Repair: refilling a published plan after some of it was declined.

A repair run's weights make keeping a planned person worth more than filling
a slot (`stability` > `cover_min`, the service's REPAIR_WEIGHTS): moving
someone planned to fill another slot loses more than it gains.

The baseline (`repair_baseline`): what a coordinator does by hand. The
previous plan as it still holds (`kept_plan`: every session that is not
open, the open sessions that carry a previous or fixed person, the
non-optional open ones where their place has room; a repair schedules no
new optional session), its holes refilled one by one by the people still
free (`fill_greedily`). When the validator finds it keeps every hard rule,
it is the repair's greedy baseline: `solve.greedy` returns it, the result
never scores below it, and greedy's plan over the whole scenario is never
made (0.75-0.9 s on M, and with the repair weights it scores less than half
as much: it moves 800-850 planned people). Otherwise (limits lowered since
the plan was published, an open session's option guessed wrong) greedy's
plan is the baseline and the repair runs the way it did before this one.

Then CP-SAT solves the *keep-and-fill* model: the kept plan's triples, fixed,
and, for every role with room left, the candidates who could join it next to
what they already do in that plan (`joinable`: no overlap with their planned
sessions, under their weekly session and hour limits, not already at that
session). Only the sessions and volunteers such an addition touches are in
the model, with the open sessions held and the sessions overlapping their
options at their places; the rest of the plan stays as it is. A planned
person in such a session whose volunteer can join nothing only counts
towards the role's min and max (`KeepAndFill.taken`), as no variable. On M
after 5% declines this is about 2,300 triples and 150 volunteers instead of
61,000-73,000 and 1,000; hinted with the baseline (a complete plan of it),
one CP-SAT worker with the full linearisation, no presolve and no probing
proves it optimal in 0.15-0.3 s (`solve._repair_parameters`, which lists
what was tried).

What that proves: the best plan among those that keep everyone planned and
hold the same sessions, so never below the baseline, which is one of them.
When the kept plan no longer holds together (the model is infeasible), the
usual search runs instead. A longer chain (one planned person moved so that
two free people can join) can in principle score more; the whole model is
not searched for it, and the result's bound stays null. The result's
`solver.repair` says which model decided: `keep-and-fill optimal` or not.

Where the time of a repair goes (M after 5% declines, `bench.repair`, load
3): parse 0.04-0.08 s, candidates over the whole scenario 0.15-0.2 s, the
baseline 0.09-0.12 s (its validation 0.05 s of it), the keep-and-fill model
built 0.12-0.2 s, CP-SAT 0.2-0.3 s, the result 0.04 s. Not done:
candidates only for the sessions with room (half of M's sessions have a
role with room: about a tenth of a second, estimated, for a second way of
finding candidates).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .model.candidates import Candidates
from .result import plan_problems
from .scenario import Assignment, Interval, Option, Plan, Scenario, Session, Volunteer
from .score import own_terms


def is_repair(scenario: Scenario) -> bool:
    """Whether the scenario has a previous plan and weights under which
    keeping a planned person counts more than filling any slot."""
    w = scenario.weights
    gain = w.cover_min + max(w.cover_extra, 0) + max(w.interest, 0) + max(w.preferred, 0)
    return bool(scenario.previous) and w.stability > gain


@dataclass(frozen=True)
class Baseline:
    """A repair's greedy baseline: the previous plan as it still holds
    (`kept`) and that plan refilled greedily (`plan`)."""

    kept: Plan
    plan: Plan
    #: who could join a role with room in `kept` (`joinable`)
    added: dict[Assignment, tuple[int, ...]]


def repair_baseline(
    doc: dict[str, Any], scenario: Scenario, candidates: Candidates
) -> Baseline | None:
    """What a coordinator does by hand after some declines: keep everyone
    planned, refill the holes (`kept_plan`, `fill_greedily`). None when the
    scenario is no repair (`is_repair`) or that plan breaks a hard rule by
    the validator (limits lowered since the plan was published, an open
    session's option guessed wrong): then the greedy plan is the baseline."""
    if not is_repair(scenario):
        return None
    kept = kept_plan(scenario, candidates)
    if kept is None:
        return None
    added = joinable(scenario, candidates, kept)
    plan = fill_greedily(scenario, candidates, kept, added)
    if plan_problems(doc, scenario, plan):
        return None
    return Baseline(kept, plan, added)


def kept_plan(scenario: Scenario, candidates: Candidates) -> Plan | None:
    """The previous plan as it still holds, without the greedy plan: every
    session that is not open, each open session that carries a previous or
    fixed person at the option where most of them are still eligible (then
    where their other sessions do not overlap it and its place has room,
    then the cheapest), each non-optional open session without people at
    its cheapest option whose place has room (a repair schedules no new optional session), and the
    previous and fixed triples eligible at their session's option. None when
    a non-optional open session has no such option (the usual path decides)."""
    schedule = {s.id: 0 for s in scenario.sessions if not s.is_open}
    people: dict[str, list[Assignment]] = defaultdict(list)
    for a in (*scenario.previous, *scenario.fixed):
        people[a.session].append(a)
    fixed_sessions = {a.session for a in scenario.fixed}
    sessions_of: dict[str, list[str]] = defaultdict(list)
    for a in scenario.previous:
        sessions_of[a.volunteer].append(a.session)
    by_id = scenario.session_by_id
    staffed = [s for s in scenario.sessions if s.is_open and s.id in people]
    for session in sorted(staffed, key=lambda s: (s.options[0].start, s.id)):
        triples = people[session.id]
        usable = candidates.usable.get(session.id, ())
        if session.id in fixed_sessions:  # fixed people go wherever it is held
            usable = tuple(o for o in usable if all(
                o in candidates.triples.get(a, ()) for a in triples if a in scenario.fixed
            ))
        if not usable:
            continue
        others = [
            by_id[t].options[schedule.get(t, 0)].interval
            for a in triples for t in sessions_of.get(a.volunteer, ()) if t != session.id
        ]
        schedule[session.id] = min(usable, key=lambda o: (
            -sum(o in candidates.triples.get(a, ()) for a in triples),
            any(session.options[o].interval.overlaps(b) for b in others)
            or place_full(scenario, schedule, session, o),
            session.options[o].penalty,  # of two alike, the cheaper (the validator's)
            o,
        ))
    for session in scenario.sessions:
        if not session.is_open or session.optional or session.id in schedule:
            continue
        room = [
            o for o in candidates.usable.get(session.id, ())
            if not place_full(scenario, schedule, session, o)
        ]
        if not room:
            return None
        schedule[session.id] = min(room, key=lambda o: (session.options[o].penalty, o))
    kept = {
        a for a in scenario.previous
        if a.session in schedule and schedule[a.session] in candidates.triples.get(a, ())
    } | set(scenario.fixed)
    return Plan(schedule=schedule, assignments=tuple(sorted(kept)))


def place_full(scenario: Scenario, schedule: dict[str, int], session: Session, o: int) -> bool:
    """Whether, at some moment of option `o` of `session`, its place already
    runs as many sessions held in `schedule` as it runs at once."""
    option = session.options[o]
    if option.place is None:
        return False
    events = []
    for t, held in schedule.items():
        other = scenario.session_by_id[t].options[held]
        if t != session.id and other.place == option.place and other.interval.overlaps(option.interval):
            events += [(max(other.start, option.start), 1), (min(other.end, option.end), -1)]
    running = most = 0
    for _, step in sorted(events):  # at equal times an end (-1) comes before a start
        running += step
        most = max(most, running)
    return most >= scenario.place_by_id[option.place].parallel


def joinable(
    scenario: Scenario, candidates: Candidates, kept: Plan
) -> dict[Assignment, tuple[int, ...]]:
    """The candidates who could join a role with room in the kept plan next
    to what they already do in it (no overlap, within their weekly limits,
    not already at that session), with the options under which they can."""
    sessions = scenario.session_by_id
    load = _Load.of(scenario, kept)
    room = {
        (s.id, r.name) for s in scenario.sessions if s.id in kept.schedule
        for r in s.roles if load.people[s.id, r.name] < r.max
    }
    volunteers = scenario.volunteer_by_id
    added: dict[Assignment, tuple[int, ...]] = {}
    for a, options in candidates.triples.items():
        if (a.session, a.role) not in room or (a.volunteer, a.session) in load.at_session:
            continue
        v = volunteers[a.volunteer]
        fits = tuple(oi for oi in options if load.fits(v, sessions[a.session].options[oi]))
        if fits:
            added[a] = fits
    return added


def keep_and_fill(
    scenario: Scenario, candidates: Candidates, kept: Plan,
    added: dict[Assignment, tuple[int, ...]] | None = None,
) -> KeepAndFill:
    """The keep-and-fill model's candidates (see the module's docstring);
    `added`: `joinable`'s answer, when known."""
    sessions = scenario.session_by_id
    planned = set(kept.assignments)
    load = _Load.of(scenario, kept)
    if added is None:
        added = joinable(scenario, candidates, kept)

    # The open sessions held are in the model with all their options (the
    # kept plan's option for them is the hint's guess: the published plan's
    # own is not in the scenario), and so is every session held at a place
    # they may use at a time that overlaps such an option (for H10). The
    # model holds the added triples and the planned ones of the sessions
    # and volunteers they touch.
    held_open = {s.id for s in scenario.sessions if s.is_open and s.id in kept.schedule}
    open_uses: dict[str, list[Interval]] = defaultdict(list)
    for sid in held_open:
        for o in candidates.usable[sid]:
            option = sessions[sid].options[o]
            if option.place is not None:
                open_uses[option.place].append(option.interval)
    context = set()
    for sid, o in kept.schedule.items():
        option = sessions[sid].options[o]
        if any(option.interval.overlaps(i) for i in open_uses.get(option.place or "", ())):
            context.add(sid)
    overfull = {s for (s, r), n in load.people.items() if n > sessions[s].role(r).max}
    touched_sessions = {a.session for a in added} | held_open | overfull
    touched_volunteers = {a.volunteer for a in added} | {
        a.volunteer for a in planned if a.session in held_open
    } | load.over_their_limits(scenario)
    # A planned person in a touched session whose volunteer the model does
    # not touch stays whatever it decides: they only count towards their
    # role's min and max (`taken`), as no variable (on M: 1,000 fewer
    # triples and 500 fewer volunteers in the model).
    fixed = set(scenario.fixed)
    triples = dict(added)
    taken: dict[tuple[str, str], int] = defaultdict(int)
    for a in planned:
        if a.volunteer in touched_volunteers or a.session in overfull or a in fixed:
            if a.session in touched_sessions or a.volunteer in touched_volunteers:
                triples[a] = candidates.triples[a]
        elif a.session in touched_sessions:
            taken[a.session, a.role] += 1
    in_model = {a.session for a in triples} | held_open | context
    for a in scenario.fixed:  # the model holds every fixed triple of its sessions (H9)
        if a.session in in_model:
            triples[a] = candidates.triples[a]
    usable = {s: candidates.usable[s] for s in in_model}
    outside = tuple(a for a in kept.assignments if a not in triples)
    return KeepAndFill(
        Candidates(usable, triples), tuple(sorted(in_model)), outside, dict(taken)
    )


@dataclass(frozen=True)
class KeepAndFill:
    """The keep-and-fill model's candidates, its sessions, and the planned
    triples outside it (they stay as they are)."""

    candidates: Candidates
    sessions: tuple[str, ...]
    outside: tuple[Assignment, ...]
    #: planned people of the model's sessions who are no variables of it
    #: (`ModelData.taken`); they are among `outside`
    taken: dict[tuple[str, str], int]

    def merged(self, kept: Plan, found: Plan) -> Plan:
        """The whole plan: `found` (the model's plan) with the rest of `kept`."""
        inside = set(self.sessions)
        schedule = {s: o for s, o in kept.schedule.items() if s not in inside}
        return Plan(
            schedule=schedule | found.schedule,
            assignments=tuple(sorted({*self.outside, *found.assignments})),
        )


def fill_greedily(
    scenario: Scenario, candidates: Candidates, kept: Plan,
    added: dict[Assignment, tuple[int, ...]] | None = None,
) -> Plan:
    """The kept plan with the roles that have room filled one by one by the
    free candidates who fit next to what they already do (slots below
    `min` first, then the best-scoring person): a repair's greedy baseline
    (`repair_baseline`). Keeps H6-H8 wherever the kept plan does; nothing
    moves. `added`: `joinable`'s answer, when known."""
    w = scenario.weights
    sessions = scenario.session_by_id
    volunteers = scenario.volunteer_by_id
    chosen = list(kept.assignments)
    load = _Load.of(scenario, kept)
    if added is None:
        added = joinable(scenario, candidates, kept)
    ranked = []
    for a, fits in added.items():
        held = kept.schedule[a.session]
        if held not in fits:
            continue
        session = sessions[a.session]
        v = volunteers[a.volunteer]
        option = session.options[held]
        value = own_terms(scenario, v, scenario.activity_by_id[session.activity], option)
        ranked.append((-value, a))
    ranked.sort()
    # slots below min first, then up to max where an extra person counts
    for wanted in (True, False) if w.cover_extra > 0 else (True,):
        for _, a in ranked:
            role = sessions[a.session].role(a.role)
            filled = load.people[a.session, a.role]
            if filled >= role.max or (wanted and filled >= role.min):
                continue
            if (a.volunteer, a.session) in load.at_session:
                continue
            v = volunteers[a.volunteer]
            option = sessions[a.session].options[kept.schedule[a.session]]
            if not load.fits(v, option):
                continue
            load.take(a)
            chosen.append(a)
    return Plan(schedule=dict(kept.schedule), assignments=tuple(chosen))


class _Load:
    """What a plan's people already do at its schedule's options: each
    volunteer's intervals, sessions and hours per ISO week, the sessions
    they are at, and how many people each role has."""

    def __init__(self, scenario: Scenario, schedule: dict[str, int]) -> None:
        self.sessions = scenario.session_by_id
        self.schedule = schedule
        self.busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.week_sessions: dict[tuple[str, tuple[int, int]], int] = defaultdict(int)
        self.week_hours: dict[tuple[str, tuple[int, int]], float] = defaultdict(float)
        self.at_session: set[tuple[str, str]] = set()
        self.people: dict[tuple[str, str], int] = defaultdict(int)

    @classmethod
    def of(cls, scenario: Scenario, plan: Plan) -> _Load:
        """What `plan`'s people do at its schedule's options."""
        load = cls(scenario, plan.schedule)
        for a in plan.assignments:
            load.take(a)
        return load

    def take(self, a: Assignment) -> None:
        option = self.sessions[a.session].options[self.schedule.get(a.session, 0)]
        self.busy[a.volunteer].append((option.start, option.end))
        self.week_sessions[a.volunteer, option.iso_week] += 1
        self.week_hours[a.volunteer, option.iso_week] += option.hours
        self.at_session.add((a.volunteer, a.session))
        self.people[a.session, a.role] += 1

    def fits(self, v: Volunteer, option: Option) -> bool:
        """Whether `v` can also work at `option` next to their sessions so
        far (no overlap, within the weekly limits)."""
        start, end = option.start, option.end
        for b_start, b_end in self.busy.get(v.id, ()):
            if start < b_end and b_start < end:
                return False
        week = (v.id, option.iso_week)
        if (
            v.max_sessions_per_week is not None
            and self.week_sessions.get(week, 0) >= v.max_sessions_per_week
        ):
            return False
        return v.max_hours_per_week is None or (
            self.week_hours.get(week, 0.0) + option.hours <= v.max_hours_per_week + 1e-9
        )

    def over_their_limits(self, scenario: Scenario) -> set[str]:
        """Volunteers whose sessions already break H6 or H7 (their limits
        changed since the plan was published): the model decides for them."""
        volunteers = scenario.volunteer_by_id
        found = set()
        for (vid, week), n in self.week_sessions.items():
            v = volunteers[vid]
            if (v.max_sessions_per_week is not None and n > v.max_sessions_per_week) or (
                v.max_hours_per_week is not None
                and self.week_hours[vid, week] > v.max_hours_per_week + 1e-9
            ):
                found.add(vid)
        for vid, intervals in self.busy.items():
            ordered = sorted(intervals)
            if any(b[0] < a[1] for a, b in zip(ordered, ordered[1:], strict=False)):
                found.add(vid)
        return found
