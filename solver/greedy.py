"""The greedy baseline: a plan made the way a careful coordinator would by hand.

1. Keep everything fixed: fixed sessions, and the open sessions that carry a
   fixed assignment (their option chosen first, so the fixed people can go).
2. Take the sessions in time order. An open session gets the option that fits
   its place (features, capacity, busy, parallel) and can be staffed best,
   less its penalty; an optional one is left out when no option fits or
   nobody can staff it.
3. Within a session, the hardest roles first (fewest eligible people). Each
   slot up to `min` gets the eligible person who adds most to the score:
   preferred activity, interest, short travel, low load so far, the same
   faces, the published plan; someone that later slots of the week depend on
   (and who has few sessions left that week) is kept for them. H6 (no
   overlap) and H7 (weekly limits) are kept.
4. Slots still below `min` are repaired by moving one person: a candidate
   held elsewhere comes here when somebody free can take their place there.
5. A last pass in time order adds people up to `max` where that raises the
   score.

The plan keeps every hard rule whenever the fixed assignments do (and the
places leave room for every non-optional session). It is a hint for the model
and the yardstick of the benchmarks, so it is built for speed: eligibility
comes from `VolunteerIndex` masks and most per-volunteer state is in arrays.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .scenario import Assignment, Interval, Option, Plan, Role, Scenario, Session
from .volunteer_index import VolunteerIndex

Indices = npt.NDArray[np.int64]
_EPS = 1e-9
_REPAIR_TRIES = 25  # candidates tried per slot left below min
_DEMAND_WEIGHT = 1.0  # how much a volunteer's expected use later in the week counts


def greedy_plan(scenario: Scenario) -> Plan:
    """A feasible plan, built greedily (see the module's description)."""
    return _Greedy(scenario).run()


class _Demand:
    """How much the slots not yet staffed still need each volunteer, per ISO
    week: a slot wanting k people among n eligible adds k/n to each of them.
    Only volunteers with weekly limits count: taking them now may leave a
    later slot in the same week without anybody."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.by_week: dict[tuple[int, int], npt.NDArray[np.float64]] = {}
        self.shares: defaultdict[str, list[tuple[tuple[int, int], Indices, float]]] = \
            defaultdict(list)

    def add(self, session_id: str, week: tuple[int, int], who: Indices, share: float) -> None:
        if week not in self.by_week:
            self.by_week[week] = np.zeros(self.size)
        self.by_week[week][who] += share
        self.shares[session_id].append((week, who, share))

    def release(self, session_id: str) -> None:
        """The session is being staffed now: it no longer competes."""
        for week, who, share in self.shares.pop(session_id, ()):
            self.by_week[week][who] -= share

    def of(self, week: tuple[int, int], who: Indices) -> npt.NDArray[np.float64]:
        if week not in self.by_week:
            return np.zeros(who.size)
        return self.by_week[week][who]


@dataclass(frozen=True)
class _Choice:
    """How good an option of an open session looks right now."""

    fits: bool  # the place can take it and the fixed people can go
    value: float  # the cover that free eligible people could bring, less the penalty
    staffable: int
    index: int


class _Greedy:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.w = scenario.weights
        self.index = VolunteerIndex(scenario)
        n = self.index.size
        vols = scenario.volunteers
        self.max_hours = np.array(
            [np.inf if v.max_hours_per_week is None else v.max_hours_per_week for v in vols],
            dtype=float,
        ).reshape(n)
        self.max_sessions = np.array(
            [np.inf if v.max_sessions_per_week is None else v.max_sessions_per_week
             for v in vols],
            dtype=float,
        ).reshape(n)
        self.hours = np.zeros(n)  # h(v) so far
        self.used = np.zeros(n, dtype=bool)
        self.first_start = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        self.last_end = np.full(n, np.iinfo(np.int64).min, dtype=np.int64)
        # What each volunteer holds: (assignment, option), fixed ones included.
        self.held: list[list[tuple[Assignment, Option]]] = [[] for _ in range(n)]
        self.week_hours: dict[tuple[int, int], npt.NDArray[np.float64]] = {}
        self.week_count: dict[tuple[int, int], npt.NDArray[np.float64]] = {}
        # How often each volunteer serves each activity, and as a mask (count > 0).
        self.seen_activity: defaultdict[str, Counter[int]] = defaultdict(Counter)
        self.seen_mask: dict[str, npt.NDArray[np.bool_]] = {}
        self.in_slot: defaultdict[tuple[str, str], int] = defaultdict(int)
        self.assignments: dict[Assignment, None] = {}  # an ordered set
        self.fixed = set(scenario.fixed)
        self.schedule: dict[str, int] = {}
        self.place_use: defaultdict[str, list[Interval]] = defaultdict(list)

        self.fixed_by_session: defaultdict[str, list[Assignment]] = defaultdict(list)
        for a in scenario.fixed:
            self.fixed_by_session[a.session].append(a)
        self.previous: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        for a in scenario.previous:
            self.previous[(a.session, a.role)].append(self.index.position[a.volunteer])
        self.prefers: dict[str, npt.NDArray[np.bool_]] = {}
        for i, v in enumerate(vols):
            for activity in v.preferred_activities:
                if activity not in self.prefers:
                    self.prefers[activity] = np.zeros(n, dtype=bool)
                self.prefers[activity][i] = True
        self._interested: dict[frozenset[str], npt.NDArray[np.bool_]] = {}
        self.limited = np.isfinite(self.max_hours) | np.isfinite(self.max_sessions)
        self.demand = _Demand(n)
        self._eligible_cache: dict[tuple[str, str], Indices] = {}  # during repairs only

    # -- the passes ----------------------------------------------------------

    def run(self) -> Plan:
        sessions = sorted(
            self.scenario.sessions, key=lambda s: (min(o.start for o in s.options), s.id)
        )
        self.keep_fixed(sessions)
        self.estimate_demand(sessions)
        for session in sessions:  # time order: hold, then staff up to min
            self.demand.release(session.id)
            if session.id not in self.schedule and session.is_open:
                choice = self.choose_option(session, forced=False)
                if choice is None:
                    continue
                self.hold(session, choice)
            self.staff(session, up_to_max=False)
        held = [s for s in sessions if s.id in self.schedule]
        for session in held:
            self.repair(session)
        self._eligible_cache.clear()
        for session in held:
            self.staff(session, up_to_max=True)
        self.drop_empty_optional()
        return Plan(schedule=dict(self.schedule), assignments=tuple(self.assignments))

    def keep_fixed(self, sessions: list[Session]) -> None:
        """Hold the fixed sessions and assign their fixed people; then the open
        sessions with fixed people, each at an option those people can go to."""
        for session in sessions:
            if not session.is_open:
                self.hold(session, 0)
        for session in sessions:
            if not session.is_open:
                self.add_fixed(session)
        for session in sessions:
            if session.is_open and session.id in self.fixed_by_session:
                forced = self.choose_option(session, forced=True)
                assert forced is not None  # a forced session always gets an option
                self.hold(session, forced)
                self.add_fixed(session)

    def estimate_demand(self, sessions: list[Session]) -> None:
        """Fill `self.demand` from every slot's `min` (an open session not yet
        held counts as its first option)."""
        for session in sessions:
            option = session.options[self.schedule.get(session.id, 0)]
            for role in session.roles:
                wanted = role.min - self.in_slot[(session.id, role.name)]
                if wanted <= 0:
                    continue
                who = self.eligible(session, role, option)
                if who.size:
                    self.demand.add(session.id, option.iso_week, who[self.limited[who]],
                                    wanted / who.size)

    def hold(self, session: Session, option_index: int) -> None:
        self.schedule[session.id] = option_index
        option = session.options[option_index]
        if option.place is not None:
            self.place_use[option.place].append(option.interval)

    def add_fixed(self, session: Session) -> None:
        option = session.options[self.schedule[session.id]]
        for a in self.fixed_by_session.get(session.id, ()):
            self.assign(session, a.role, option, self.index.position[a.volunteer])

    def drop_empty_optional(self) -> None:
        """An optional session nobody could staff costs its penalty for nothing."""
        staffed = {a.session for a in self.assignments}
        for session in self.scenario.sessions:
            if session.optional and session.id in self.schedule and session.id not in staffed:
                del self.schedule[session.id]

    # -- choosing an option --------------------------------------------------

    def choose_option(self, session: Session, *, forced: bool) -> int | None:
        """The option to hold an open session as; None to leave an optional
        session out. A non-optional (or forced) session always gets one."""
        choices = [self.rate_option(session, i) for i in range(len(session.options))]
        best = max(choices, key=lambda c: (c.fits, c.value, c.staffable, -c.index))
        if forced or not session.optional:
            return best.index
        if not best.fits or best.staffable == 0 or best.value <= 0:
            return None
        return best.index

    def rate_option(self, session: Session, index: int) -> _Choice:
        option = session.options[index]
        fits = self.place_fits(session, option) and self.fixed_can_go(session, option)
        staffable = 0
        value = -option.penalty
        for role in session.roles:
            fixed_here = sum(1 for a in self.fixed_by_session.get(session.id, ())
                             if a.role == role.name)
            room = role.max - fixed_here
            if room <= 0:
                continue
            free = self.count_free(session, role, option, room)
            to_min = min(free, max(0, role.min - fixed_here))
            value += self.w.cover_min * to_min + self.w.cover_extra * (free - to_min)
            staffable += free
        return _Choice(fits, value, staffable, index)

    def place_fits(self, session: Session, option: Option) -> bool:
        """H10 for this option given the sessions already held."""
        if option.place is None:
            return True
        place = self.scenario.place_by_id[option.place]
        if not session.needs <= place.features:
            return False
        if place.capacity is not None and session.participants > place.capacity:
            return False
        span = option.interval
        if any(b.overlaps(span) for b in place.busy):
            return False
        running = [u for u in self.place_use[option.place] if u.overlaps(span)]
        if len(running) < place.parallel:
            return True
        # The most sessions running at one instant inside `span` peaks at the
        # start of one of them (or of the span).
        instants = [max(u.start, span.start) for u in running]
        peak = max(sum(1 for u in running if u.start <= t < u.end) for t in instants)
        return peak + 1 <= place.parallel

    def fixed_can_go(self, session: Session, option: Option) -> bool:
        for a in self.fixed_by_session.get(session.id, ()):
            if not self.free(self.index.position[a.volunteer], option):
                return False
        return True

    # -- moving people to fill what is left ---------------------------------

    def repair(self, session: Session) -> None:
        """Fill a slot left below `min` by moving someone: a candidate held by
        another slot goes here when a free person can take their place there
        (or their place there was an extra). One step of an augmenting path."""
        option = session.options[self.schedule[session.id]]
        for role in session.roles:
            key = (session.id, role.name)
            if self.in_slot[key] >= role.min:
                continue
            candidates = self.eligible(session, role, option)
            gain = self.gains(session, role, option, candidates)
            for j in np.argsort(-gain, kind="stable")[:_REPAIR_TRIES]:
                if self.in_slot[key] >= role.min:
                    break
                self.move_for(session, role, option, int(candidates[j]))

    def move_for(self, session: Session, role: Role, option: Option, v: int) -> bool:
        """Free volunteer `v` for this slot by handing one of their other
        assignments to someone else; True when done."""
        for a, o in list(self.held[v]):
            if a in self.fixed or not self.free_without(v, option, a, o):
                continue
            other = self.scenario.session_by_id[a.session]
            other_role = other.role(a.role)
            above_min = self.in_slot[(a.session, a.role)] - 1 >= other_role.min
            substitute = self.pick(other, other_role, o, self.eligible_cached(other, other_role, o),
                                   self.w.cover_min, exclude=v)
            if substitute is None and not above_min:
                continue
            self.unassign(a, o, v)
            if substitute is not None:
                self.assign(other, a.role, o, substitute)
            self.assign(session, role.name, option, v)
            return True
        return False

    def free_without(self, v: int, option: Option, a: Assignment, held: Option) -> bool:
        """Would `v` be free for `option` (H6, H7) if they gave up `a`, held as `held`?"""
        start, end = option.start, option.end
        if held.iso_week != option.iso_week and not (held.start < end and start < held.end):
            return False  # giving it up frees nothing here
        if any(o.start < end and start < o.end for b, o in self.held[v] if b != a):
            return False
        same = held.iso_week == option.iso_week
        return bool(self.fits_week(v, option, held.hours if same else 0.0, int(same)))

    def eligible_cached(self, session: Session, role: Role, option: Option) -> Indices:
        key = (session.id, role.name)
        if key not in self._eligible_cache:
            self._eligible_cache[key] = self.eligible(session, role, option)
        return self._eligible_cache[key]

    # -- staffing ------------------------------------------------------------

    def staff(self, session: Session, *, up_to_max: bool) -> None:
        option = session.options[self.schedule[session.id]]
        eligible = {role.name: self.eligible(session, role, option) for role in session.roles}
        roles = sorted(session.roles, key=lambda r: eligible[r.name].size)  # hardest first
        for role in roles:
            target = role.max if up_to_max else role.min
            reward = self.w.cover_extra if up_to_max else self.w.cover_min
            while self.in_slot[(session.id, role.name)] < target:
                pick = self.pick(session, role, option, eligible[role.name], reward)
                if pick is None:
                    break
                self.assign(session, role.name, option, pick)

    def eligible(self, session: Session, role: Role, option: Option) -> Indices:
        return np.flatnonzero(self.index.eligible(session, role, option))

    def within_limits(self, candidates: Indices, option: Option) -> Indices:
        """H7, for all candidates at once."""
        return candidates[self.fits_week(candidates, option)]

    def fits_week(
        self, who: Any, option: Option, less_hours: float = 0.0, less_count: int = 0
    ) -> Any:
        """H7: would `option` keep `who` (one index or an array of them)
        within their weekly hours and sessions, after giving up work worth
        `less_hours` and `less_count` sessions that week? The one place the
        greedy checks weekly limits."""
        week = option.iso_week
        hours = self.week_hours[week][who] - less_hours if week in self.week_hours else 0.0
        count = self.week_count[week][who] - less_count if week in self.week_count else 0.0
        return (hours + option.hours <= self.max_hours[who] + _EPS) & \
            (count + 1 <= self.max_sessions[who])

    def free(self, volunteer: int, option: Option) -> bool:
        """H6 and H7 for one volunteer."""
        start, end = option.start, option.end
        if any(o.start < end and start < o.end for _, o in self.held[volunteer]):
            return False
        return bool(self.fits_week(volunteer, option))

    def count_free(self, session: Session, role: Role, option: Option, wanted: int) -> int:
        """How many eligible people are free for this role, up to `wanted`."""
        candidates = self.within_limits(self.eligible(session, role, option), option)
        clear = (self.last_end[candidates] <= option.start) | \
                (self.first_start[candidates] >= option.end)
        found = int(clear.sum())
        for v in candidates[~clear]:
            if found >= wanted:
                break
            found += self.free(int(v), option)
        return min(found, wanted)

    def gains(self, session: Session, role: Role, option: Option, cand: Indices) -> np.ndarray:
        """What assigning each candidate adds to the score, cover aside."""
        w = self.w
        activity = self.scenario.activity_by_id[session.activity]
        h = self.hours[cand]
        gain = -w.fairness * ((h + option.hours) ** 2 - h ** 2)
        if w.interest and activity.interests:
            gain += w.interest * self.interested(activity.interests)[cand]
        if w.preferred and activity.id in self.prefers:
            gain += w.preferred * self.prefers[activity.id][cand]
        if w.travel_km:
            gain -= w.travel_km * self.index.distances(option.place)[cand]
        if w.volunteer_used:
            gain += w.volunteer_used * ~self.used[cand]
        if w.continuity:
            seen = self.seen_mask.get(activity.id)
            gain -= w.continuity * (~seen[cand] if seen is not None else 1.0)
        previous = self.previous.get((session.id, role.name))
        if w.stability and previous:
            gain += w.stability * np.isin(cand, previous)
        # Keep people that later slots of the week depend on, where the score
        # lets a choice be made (this is not part of the score itself).
        if _DEMAND_WEIGHT:
            gain -= _DEMAND_WEIGHT * w.cover_min * self.shortfall(cand, option)
        return gain

    def shortfall(self, cand: Indices, option: Option) -> npt.NDArray[np.float64]:
        """The later slots of the week (in expectation, at most 1) that would
        miss each candidate if they took this one: their demand beyond the
        sessions they have left that week after this one."""
        week = option.iso_week
        demand = self.demand.of(week, cand)
        done = self.week_count[week][cand] if week in self.week_count else 0.0
        left = self.max_sessions[cand] - done - 1
        return np.clip(demand - left, 0.0, 1.0)

    def interested(self, tags: frozenset[str]) -> npt.NDArray[np.bool_]:
        if tags not in self._interested:
            self._interested[tags] = np.array(
                [bool(v.interests & tags) for v in self.scenario.volunteers], dtype=bool
            )
        return self._interested[tags]

    def pick(
        self,
        session: Session,
        role: Role,
        option: Option,
        eligible: Indices,
        reward: float,
        exclude: int | None = None,
    ) -> int | None:
        """The free candidate who adds most, if adding them raises the score."""
        candidates = self.within_limits(eligible, option)
        if exclude is not None:
            candidates = candidates[candidates != exclude]
        if candidates.size == 0:
            return None
        gain = reward + self.gains(session, role, option, candidates)
        for j in np.argsort(-gain, kind="stable"):
            if gain[j] <= 0:
                return None
            v = int(candidates[j])
            if self.free(v, option):
                return v
        return None

    def assign(self, session: Session, role: str, option: Option, v: int) -> None:
        a = Assignment(self.scenario.volunteers[v].id, session.id, role)
        self.assignments[a] = None
        self.in_slot[(session.id, role)] += 1
        self.held[v].append((a, option))
        self.first_start[v] = min(self.first_start[v], option.start)
        self.last_end[v] = max(self.last_end[v], option.end)
        self.hours[v] += option.hours
        self.used[v] = True
        week = option.iso_week
        if week not in self.week_hours:
            self.week_hours[week] = np.zeros(self.index.size)
            self.week_count[week] = np.zeros(self.index.size)
        self.week_hours[week][v] += option.hours
        self.week_count[week][v] += 1
        self.seen_activity[session.activity][v] += 1
        if session.activity not in self.seen_mask:
            self.seen_mask[session.activity] = np.zeros(self.index.size, dtype=bool)
        self.seen_mask[session.activity][v] = True

    def unassign(self, a: Assignment, option: Option, v: int) -> None:
        del self.assignments[a]
        self.in_slot[(a.session, a.role)] -= 1
        self.held[v].remove((a, option))
        starts = [o.start for _, o in self.held[v]]
        ends = [o.end for _, o in self.held[v]]
        self.first_start[v] = min(starts, default=np.iinfo(np.int64).max)
        self.last_end[v] = max(ends, default=np.iinfo(np.int64).min)
        self.hours[v] -= option.hours
        self.used[v] = bool(self.held[v])
        self.week_hours[option.iso_week][v] -= option.hours
        self.week_count[option.iso_week][v] -= 1
        activity = self.scenario.session_by_id[a.session].activity
        seen = self.seen_activity[activity]
        seen[v] -= 1
        if not seen[v]:
            del seen[v]
            self.seen_mask[activity][v] = False
