"""A compact LP relaxation over the candidate triples alone: a proven bound
and the fractional values and reduced costs that point the search at good
plans, in seconds where the whole model's LP takes tens of seconds.

The whole model's LP (`model/lp_bound.py`) relaxes every constraint CP-SAT
holds, with the attendance, place, option and fairness variables beside the
triples: on M (61,000 triples) it is built in ~4 s and solved by GLOP in
10-15 s on a quiet 2-core machine, beside a search that needs the same
cores; on L it is never tried. This one keeps only what decides most of the
score, the min-cost flow's relaxation (`flow_bound.py`) with its layers
written as rows, plus the overlaps the flow cannot see:

- a column per (triple, usable option), worth the triple's own terms at that
  option (interest, preferred, travel, stability, volunteer_used < 0 shared
  out as in `flow_bound.py`);
- per volunteer, units counting their sessions (Σ x = Σ z), the first
  earning volunteer_used when > 0; their hours, Σ hours · x, priced by
  segments of rising slope below h² (`_fairness_rows`);
- per (volunteer, activity) they have candidates at, a column paying
  continuity > 0 once, at least each session's columns and, where the
  volunteer can work fewer sessions than the pair has, their sum over that
  many (`_continuity_rows`);
- (the last two up to TIGHT_UP_TO triples; above, GLOP takes too long with
  them, and a column carries fairness of its own hours and the k-th unit
  2(k-1)·d² more, d the volunteer's shortest candidate session, and
  continuity is shared out over the pair's sessions, as in `flow_bound.py`)
- per volunteer and ISO week: at most the week's session limit, hour limit
  over the shortest session and most disjoint candidate sessions, and the
  hours within the hour limit; per volunteer and day: at most the day's
  most disjoint sessions;
- per volunteer, each maximal set of their candidate columns whose times
  overlap (`sweep.overlap_cliques`): at most one (H6; the roles of one
  session overlap, so one role a session too); per volunteer and session
  with several options, at most one of them;
- per role: filled = min part + extra part, worth cover_min and
  cover_extra (concave: cover_min >= cover_extra, else all at the larger);
- per open session, a column per usable option (held or not, worth minus
  its penalty): at most one held, exactly one unless optional, and each
  role's people at an option at most as many as it can take there times
  what the option is held (`_option_rows`);
  per place, overlapping options held and fixed sessions there at most its
  `parallel` (`_place_rows`).

Every plan is a 0/1 point of these rows (its assignments at their chosen
options), and on it the columns' values add up to at least its score less
the constant -stability · |previous| (the argument of `flow_bound.py`, with
each option's own terms exact instead of the best over options). Left out,
which only raises the value: places' `busy` times and capacity (the options
are the usable ones, `model/options.py`), fixed assignments.
With fairness counted per session against the shortest one and
continuity shared out over a pair's sessions (before 2026-12-03, midday),
M seed 1's bound was 999,172 (now 997,404) and the gaps on M 0.31-0.44%
(now 0.07-0.20%); GLOP takes ~10 s on M instead of ~2.5 s.
Without the option and place rows (before 2026-12-03) each volunteer chose
an open session's option of their own and places were left out: on L seed
1 the bound was 4,269,314 (now 4,257,285) and the search on the LP's
support ended at 4,193,953 (now 4,216,696) in 120 s; see bench/README.md.

The bound is evaluated from GLOP's duals by weak Lagrangian duality, so it
holds whatever GLOP returns (`lp_bound._lagrangian_bound`), with a margin for
float error.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt
from ortools.linear_solver.python import model_builder_helper

from .eligibility import distance_km
from .flow_bound import _disjoint
from .model.candidates import Candidates
from .model.lp_bound import GLOP_SETTINGS, _lagrangian_bound
from .model.sweep import overlap_cliques
from .repair import _Load, fill_greedily, place_full
from .scenario import Assignment, Plan, Scenario, Volunteer

#: weeks whose LPs are built and solved at once (`compact_relaxation_by_week`)
WEEKS_AT_ONCE = 2
#: the most triples an LP prices fairness and continuity on exactly
#: (`_fairness_rows`, `_continuity_rows`): on M (61,000) they take GLOP from
#: 2.5 to 10 s and the gap from 0.31-0.44% to 0.07-0.20%; on L's weeks
#: (235,000 each) from 23 s to 165 s, past the 120 s the solve has, for a
#: bound 0.24% lower
TIGHT_UP_TO = 150_000
#: PDLP (first-order, anytime: its duals at any moment give a bound) on one
#: thread. On M seed 2's exact LP its bound was 1,087,530 after 3 s,
#: 1,084,534 after 8 s, the optimum 1,084,526 (GLOP: 12-17 s for it);
#: its own stopping rules take 12-20 s, so it is given a time instead
PDLP_SETTINGS = "num_threads: 1"


@dataclass(frozen=True)
class CompactRelaxation:
    #: proven upper bound on the score of every plan
    bound: float
    #: the triples, in the order of `values` and `reduced`
    triples: list[Assignment]
    #: the LP's value of each triple (the largest over its options)
    values: npt.NDArray[np.float64]
    #: per triple, the largest reduced cost over its options: a plan using
    #: the triple scores at most bound + that (when it is negative)
    reduced: npt.NDArray[np.float64]
    #: seconds: building the rows, GLOP
    seconds: tuple[float, float]
    #: per open session the LP holds, its option held most, and how much
    held: dict[str, tuple[int, float]] = field(default_factory=dict)


class _Lp:
    """Columns with bounds and gains, and sparse rows lo <= Σ a·x <= hi."""

    def __init__(self) -> None:
        self.gain: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = [0]
        self.indices: list[int] = []
        self.coefs: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []

    def column(self, gain: float, upper: float) -> int:
        self.gain.append(gain)
        self.upper.append(upper)
        return len(self.gain) - 1

    def row(self, columns: list[int], coefs: list[float] | None, lo: float, hi: float) -> None:
        self.indices.extend(columns)
        self.coefs.extend(coefs if coefs is not None else [1.0] * len(columns))
        self.starts.append(len(self.indices))
        self.lo.append(lo)
        self.hi.append(hi)


@dataclass(frozen=True)
class _Shares:
    """Per volunteer, the most sessions all their candidate weeks allow
    (volunteer_used < 0 is shared out over them: a used volunteer works at
    least one) and per (volunteer, activity) their candidate sessions
    (continuity > 0 is shared out over them), as in `flow_bound.py`."""

    total: dict[str, int]
    per_activity: dict[tuple[str, str], int]

    @classmethod
    def of(cls, scenario: Scenario, candidates: Candidates) -> _Shares:
        sessions = scenario.session_by_id
        volunteers = scenario.volunteer_by_id
        intervals: dict[tuple[str, tuple[int, int]], set[tuple[int, int]]] = defaultdict(set)
        shortest: dict[tuple[str, tuple[int, int]], float] = {}
        activity_sessions: dict[tuple[str, str], set[str]] = defaultdict(set)
        for a, options in candidates.triples.items():
            session = sessions[a.session]
            activity_sessions[a.volunteer, session.activity].add(a.session)
            for oi in options:
                option = session.options[oi]
                key = (a.volunteer, option.iso_week)
                intervals[key].add((option.start, option.end))
                shortest[key] = min(shortest.get(key, math.inf), option.hours)
        total: dict[str, int] = defaultdict(int)
        for key, found in intervals.items():
            total[key[0]] += _week_capacity(volunteers[key[0]], found, shortest[key])
        return cls(dict(total), {k: len(v) for k, v in activity_sessions.items()})


def _week_capacity(v: Volunteer, intervals: set[tuple[int, int]], shortest: float) -> int:
    """The most sessions a volunteer can work in a week: pairwise disjoint
    candidate sessions, within the session limit and the hour limit over
    the shortest session."""
    cap = _disjoint(list(intervals))
    if v.max_sessions_per_week is not None:
        cap = min(cap, v.max_sessions_per_week)
    if v.max_hours_per_week is not None and shortest > 0:
        cap = min(cap, int(v.max_hours_per_week / shortest + 1e-9))
    return max(cap, 0)


def _model_of(
    lp: _Lp, gains: npt.NDArray[np.float64], upper: npt.NDArray[np.float64]
) -> model_builder_helper.ModelBuilderHelper:
    """The LP in OR-Tools' model builder: the columns in three array calls
    (an MPModelProto took a Python call per column field: ~3 s on L)."""
    model = model_builder_helper.ModelBuilderHelper()
    model.add_var_array_with_bounds(  # (its stub types the arrays' shapes as dtypes)
        np.zeros(len(gains)), upper, np.zeros(len(gains), dtype=bool), ""  # type: ignore[arg-type]
    )
    model.set_objective_coefficients(np.arange(len(gains)).tolist(), gains.tolist())
    model.set_maximize(True)
    add_term = model.add_term_to_constraint
    indices, coefs, starts = lp.indices, lp.coefs, lp.starts
    for i, (lo, hi) in enumerate(zip(lp.lo, lp.hi, strict=True)):
        row = model.add_linear_constraint()
        model.set_constraint_lower_bound(row, lo)
        model.set_constraint_upper_bound(row, hi)
        for k in range(starts[i], starts[i + 1]):
            add_term(row, indices[k], coefs[k])
    return model


def _solve_model(
    model: model_builder_helper.ModelBuilderHelper, rows: int, columns: int, deadline: float,
    pdlp: bool = False,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    """GLOP's duals and values (any, optimal or not: the bound is proven
    from whatever duals come), or None. GLOP runs without the GIL, so the
    search and another week's LP go on beside it. `pdlp`: PDLP's instead,
    as they are at the deadline."""
    for parameters in (PDLP_SETTINGS,) if pdlp else GLOP_SETTINGS:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        solver = model_builder_helper.ModelSolverHelper("pdlp" if pdlp else "glop")
        solver.set_time_limit_in_seconds(left)
        solver.set_solver_specific_parameters(parameters)
        solver.solve(model)
        if solver.status() == model_builder_helper.SolveStatus.ABNORMAL:
            continue
        if not solver.has_response():
            return None
        try:
            duals = np.asarray(solver.dual_values(), dtype=np.float64)
            values = np.asarray(solver.variable_values(), dtype=np.float64)
        except (RuntimeError, ValueError):
            return None
        if len(duals) != rows or len(values) != columns:
            return None
        return duals, values
    return None


def compact_relaxation(
    scenario: Scenario, candidates: Candidates, time_limit: float,
    previous: set[Assignment] | None = None, shares: _Shares | None = None,
    tight: bool | None = None, pdlp: bool = False,
) -> CompactRelaxation | None:
    """The relaxation's bound, values and reduced costs over `candidates`
    (a part's triples), `previous` being the previous plan's triples of those
    sessions (default: all of the scenario's); None when GLOP gives no usable
    duals in time, or a weight's sign is outside what it covers (fairness
    below zero). `shares`: how continuity and volunteer_used are shared out
    over a volunteer's triples, counted over all of them when `candidates`
    are only some (default: over `candidates`). `tight`: fairness and
    continuity by `_fairness_rows` and `_continuity_rows` (default: up to
    TIGHT_UP_TO triples), else per session as in `flow_bound.py`. `pdlp`:
    solved by PDLP for the whole `time_limit` (`PDLP_SETTINGS`) instead of
    GLOP to optimality."""
    w = scenario.weights
    if tight is None:
        tight = len(candidates.triples) <= TIGHT_UP_TO
    if w.fairness < 0 or time_limit <= 0:
        return None
    started = time.monotonic()
    deadline = started + time_limit
    sessions = scenario.session_by_id
    volunteers = scenario.volunteer_by_id
    previous = set(scenario.previous) if previous is None else previous
    lp = _Lp()

    # per volunteer: what the flow bound's layers need
    week_intervals: dict[tuple[str, tuple[int, int]], set[tuple[int, int]]] = defaultdict(set)
    week_shortest: dict[tuple[str, tuple[int, int]], float] = {}
    day_intervals: dict[tuple[str, date], set[tuple[int, int]]] = defaultdict(set)
    shortest: dict[str, float] = {}
    for a, options in candidates.triples.items():
        session = sessions[a.session]
        for oi in options:
            option = session.options[oi]
            key = (a.volunteer, option.iso_week)
            week_intervals[key].add((option.start, option.end))
            week_shortest[key] = min(week_shortest.get(key, math.inf), option.hours)
            day_intervals[a.volunteer, option.local_date].add((option.start, option.end))
            shortest[a.volunteer] = min(shortest.get(a.volunteer, math.inf), option.hours)
    capacity: dict[tuple[str, tuple[int, int]], int] = {}
    total: dict[str, int] = defaultdict(int)
    for key, intervals in week_intervals.items():
        capacity[key] = _week_capacity(volunteers[key[0]], intervals, week_shortest[key])
        total[key[0]] += capacity[key]

    shares = shares or _Shares.of(scenario, candidates)
    triples = list(candidates.triples)
    columns_of: list[list[int]] = []
    by_volunteer: dict[str, list[int]] = defaultdict(list)
    by_week: dict[tuple[str, tuple[int, int]], list[int]] = defaultdict(list)
    by_day: dict[tuple[str, date], list[int]] = defaultdict(list)
    by_pair: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_role: dict[tuple[str, str], list[int]] = defaultdict(list)
    at_option: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    work_times: dict[str, list[tuple[int, int]]] = defaultdict(list)
    at_activity: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    hours: dict[int, float] = {}
    distances: dict[tuple[str, str | None], float] = {}  # 500,000 triples on L, far fewer pairs
    for a in triples:
        session = sessions[a.session]
        v = volunteers[a.volunteer]
        activity = scenario.activity_by_id[session.activity]
        common = (
            w.interest * bool(v.interests & activity.interests)
            + w.preferred * (activity.id in v.preferred_activities)
            + w.stability * (a in previous)
        )
        if w.continuity < 0:
            common -= w.continuity
        elif w.continuity > 0 and not tight:  # else per pair (`_continuity_rows`)
            common -= w.continuity / shares.per_activity[a.volunteer, session.activity]
        if w.volunteer_used < 0:
            common += w.volunteer_used / max(shares.total[a.volunteer], 1)
        own: list[int] = []
        for oi in candidates.triples[a]:
            option = session.options[oi]
            if capacity[a.volunteer, option.iso_week] <= 0:
                continue  # the week allows no session: the column is 0 in every plan
            km = distances.get((v.id, option.place))
            if km is None:
                place = scenario.place_by_id.get(option.place) if option.place else None
                km = distances[v.id, option.place] = distance_km(v, place)
            gain = common - w.travel_km * km
            if not tight:  # else by the volunteer's hours (`_fairness_rows`)
                gain -= w.fairness * option.hours**2
            j = lp.column(gain, 1.0)
            hours[j] = option.hours
            own.append(j)
            by_volunteer[a.volunteer].append(j)
            by_week[a.volunteer, option.iso_week].append(j)
            by_day[a.volunteer, option.local_date].append(j)
            by_role[a.session, a.role].append(j)
            if len(session.options) > 1:
                by_pair[a.volunteer, a.session].append(j)
            if session.is_open:
                at_option[a.session, a.role, oi].append(j)
            at_activity[a.volunteer, session.activity][a.session].append(j)
            work_times[a.volunteer].append((option.start, option.end))
        columns_of.append(own)

    most_hours: dict[str, float] = defaultdict(float)
    if tight and w.fairness > 0:
        for key, own in by_week.items():
            longest = capacity[key] * max(hours[j] for j in own)
            limit = volunteers[key[0]].max_hours_per_week
            most_hours[key[0]] += longest if limit is None else min(longest, limit)
    for volunteer_id, own in by_volunteer.items():
        # (tight and volunteer_used <= 0: the units would price nothing, and
        # their row, at most total sessions, follows from the weekly rows)
        if not tight or w.volunteer_used > 0:
            units = []
            d = shortest[volunteer_id]
            for k in range(1, max(total[volunteer_id], 0) + 1):
                # the k-th session adds at least 2(k-1)·d² to h² beside its own
                gain = 0.0 if tight else -w.fairness * 2 * (k - 1) * d * d
                if k == 1 and w.volunteer_used > 0:
                    gain += w.volunteer_used
                units.append(lp.column(gain, 1.0))
            lp.row(own + units, [1.0] * len(own) + [-1.0] * len(units), 0.0, 0.0)
        if tight and w.fairness > 0:
            _fairness_rows(lp, w.fairness, own, [hours[j] for j in own], most_hours[volunteer_id])
        # the volunteer's columns in the order `work_times` lists them
        for clique in overlap_cliques(work_times[volunteer_id]):
            lp.row([own[i] for i in clique], None, -math.inf, 1.0)
    for key, own in by_week.items():
        lp.row(own, None, -math.inf, float(capacity[key]))
        limit = volunteers[key[0]].max_hours_per_week
        if limit is not None:
            lp.row(own, [hours[j] for j in own], -math.inf, float(limit))
    for (volunteer_id, day), own in by_day.items():
        lp.row(own, None, -math.inf, float(_disjoint(list(day_intervals[volunteer_id, day]))))
    for own in by_pair.values():
        if len(own) > 1:
            lp.row(own, None, -math.inf, 1.0)
    if tight and w.continuity > 0:
        _continuity_rows(lp, w.continuity, at_activity, shares, total)
    held_columns = _option_rows(lp, scenario, candidates, at_option)
    for s in scenario.sessions:
        for role in s.roles:
            filling = by_role.get((s.id, role.name))
            if not filling:
                continue
            if w.cover_min >= w.cover_extra:
                parts = [lp.column(w.cover_min, float(role.min)),
                         lp.column(w.cover_extra, float(role.max - role.min))]
            else:
                parts = [lp.column(w.cover_extra, float(role.max))]
            lp.row(filling + parts, [1.0] * len(filling) + [-1.0] * len(parts), 0.0, 0.0)

    gains = np.array(lp.gain, dtype=np.float64)
    upper = np.array(lp.upper, dtype=np.float64)
    largest = float(np.max(np.abs(gains))) if len(gains) else 0.0
    scale = 1e6 / largest if largest > 1e6 else 1.0  # see lp_bound.OBJECTIVE_LIMIT
    model = _model_of(lp, gains * scale, upper)
    built = time.monotonic() - started
    glop_started = time.monotonic()
    solution = _solve_model(model, len(lp.lo), len(gains), deadline, pdlp)
    glop = time.monotonic() - glop_started
    if solution is None:
        return None
    duals, values = solution
    duals = duals / scale
    bound, reduced = min(
        (_lagrangian_bound(lp, gains, np.zeros_like(gains), upper, sign * duals, integral=False)
         for sign in (1.0, -1.0)),
        key=lambda b: b[0],
    )
    if not math.isfinite(bound):
        return None
    # each triple's columns are consecutive, from 0 on, in the order of `triples`
    counts = np.array([len(own) for own in columns_of], dtype=np.int64)
    some = counts > 0
    starts = (np.cumsum(counts) - counts)[some]
    per_triple = np.zeros(len(triples))
    per_triple_reduced = np.full(len(triples), -math.inf)
    if len(starts):
        end = int(counts.sum())  # the fairness units and roles' parts come after
        per_triple[some] = np.maximum.reduceat(values[:end], starts)
        per_triple_reduced[some] = np.maximum.reduceat(reduced[:end], starts)
    constant = -w.stability * len(previous)
    held: dict[str, tuple[int, float]] = {}
    for session_id, columns in held_columns.items():
        oi, j = max(columns.items(), key=lambda item: values[item[1]])
        if values[j] > 1e-6:
            held[session_id] = (oi, float(values[j]))
    return CompactRelaxation(
        bound + constant, triples, per_triple, per_triple_reduced, (built, glop), held
    )


def _fairness_rows(
    lp: _Lp, fairness: float, own: list[int], hours: list[float], most: float
) -> None:
    """A volunteer's fairness, -fairness · h² with h = Σ hours · x their
    hours (at most `most`): h² >= 2a·h - a² for every a, so h² is at least
    the largest of these tangents at a = 0, 1, 2, ... hours, exact at whole
    hours and within 1/4 between. That is a sum of segments of h of rising
    slope, 0 up to 1/2 hour, then 2a from a - 1/2 to a + 1/2, which the LP
    fills in order. Counted per session (d² for its own hours plus
    2(k-1)·s² for the k-th, s the volunteer's shortest candidate session;
    before 2026-12-03, midday) the LP counted 6,182 of fairness on M seed 1
    at hours whose squares added up to 7,458. Tried beside: both together
    (a column t at least each) raised the bound 68 more on M and took GLOP
    25 s instead of 12; the secant s·h below the shortest session, no gain."""
    segments = [lp.column(0.0, 0.5)] + [
        lp.column(-fairness * 2.0 * a, 1.0) for a in range(1, math.ceil(most) + 1)
    ]
    lp.row(own + segments, hours + [-1.0] * len(segments), 0.0, 0.0)


def _continuity_rows(
    lp: _Lp, continuity: float, at_activity: dict[tuple[str, str], dict[str, list[int]]],
    shares: _Shares, most_sessions: dict[str, int],
) -> None:
    """continuity > 0 costs once per (volunteer, activity) worked: a column
    per pair with candidate sessions here, at least each of those sessions'
    columns (a volunteer works a session once). Charged its share of the
    pair's candidate sessions (all of them when this LP has all: a week's LP
    of `compact_relaxation_by_week` has only its own, and the shares of the
    weeks a plan works the pair in add up to at most one). A pair with one
    session here is charged on that session's columns. Also, over all the
    pair's columns: at most as many sessions as the volunteer can work here
    times the pair's column (else the LP works the pair half in each of two
    sessions at half the cost). Shared out over the triples instead (before
    2026-12-03), the LP paid 1,561 less continuity than the plan on M seed
    1: 5 of 10 for a pair of two candidate sessions whichever it worked."""
    for pair, per_session in at_activity.items():
        cost = continuity * len(per_session) / shares.per_activity[pair]
        if len(per_session) == 1:
            for j in next(iter(per_session.values())):
                lp.gain[j] -= cost
            continue
        worked = lp.column(-cost, 1.0)
        most = min(len(per_session), most_sessions[pair[0]])
        if most > 1:  # (with one, the row below holds each of these)
            for own in per_session.values():
                lp.row(own + [worked], [1.0] * len(own) + [-1.0], -math.inf, 0.0)
        if most < len(per_session):
            every = [j for own in per_session.values() for j in own]
            lp.row(every + [worked], [1.0] * len(every) + [-float(most)], -math.inf, 0.0)


def _option_rows(
    lp: _Lp, scenario: Scenario, candidates: Candidates,
    at_option: dict[tuple[str, str, int], list[int]],
) -> dict[str, dict[int, int]]:
    """Open sessions: a column per usable option (held or not, worth minus
    its penalty), at most one held (exactly one unless the session is
    optional), and a role is staffed at an option only as far as it is held
    there: its people at that option at most min(role's max, its candidates
    there) times the option's column. Without these rows each volunteer
    chose an option of their own, and the LP staffed one session at several
    times at once. A row per volunteer, session and option instead (each
    volunteer's columns at most the option's) is at least as tight, but
    GLOP on XL found no solution within 470 s with it (and L took 32 s
    against 23 s).
    Returns each session's option columns."""
    by_session: dict[str, list[tuple[int, str, list[int]]]] = defaultdict(list)
    for (session_id, role, oi), own in at_option.items():
        by_session[session_id].append((oi, role, own))
    sessions = scenario.session_by_id
    columns: dict[str, dict[int, int]] = {}
    for session_id, working in by_session.items():
        session = sessions[session_id]
        held = {
            oi: lp.column(-session.options[oi].penalty, 1.0)
            for oi in candidates.usable[session_id]
        }
        lp.row(list(held.values()), None, 0.0 if session.optional else 1.0, 1.0)
        for oi, role, own in working:
            # at most as many as the role takes, or as can come, at a held option
            room = min(session.role(role).max, len(own))
            lp.row(own + [held[oi]], [1.0] * len(own) + [-float(room)], -math.inf, 0.0)
        columns[session_id] = held
    _place_rows(lp, scenario, columns)
    return columns


def _place_rows(lp: _Lp, scenario: Scenario, columns: dict[str, dict[int, int]]) -> None:
    """H10's `parallel`: at every place and instant, the options held there
    and the fixed sessions running there (always held) number at most the
    place's `parallel`; a row per maximal set of overlapping ones."""
    sessions = scenario.session_by_id
    at_place: dict[str, list[tuple[tuple[int, int], int | None]]] = defaultdict(list)
    for session_id, held in columns.items():
        for oi, j in held.items():
            option = sessions[session_id].options[oi]
            if option.place is not None:
                at_place[option.place].append(((option.start, option.end), j))
    for session in scenario.sessions:
        option = session.options[0]
        if not session.is_open and option.place in at_place:
            at_place[option.place].append(((option.start, option.end), None))
    for place_id, found in at_place.items():
        parallel = scenario.place_by_id[place_id].parallel
        for clique in overlap_cliques([interval for interval, _ in found]):
            held_there = [col for i in clique if (col := found[i][1]) is not None]
            room = parallel - (len(clique) - len(held_there))
            if len(held_there) > room:
                lp.row(held_there, None, -math.inf, float(max(room, 0)))


def compact_relaxation_by_week(
    scenario: Scenario, candidates: Candidates, time_limit: float,
    previous: set[Assignment] | None = None, tight: bool | None = None, pdlp: bool = False,
) -> CompactRelaxation | None:
    """`compact_relaxation` for each ISO week's sessions (the week of a
    session's first option) on its own, the bounds added up: GLOP's time
    grows faster than the LP, and on L (two weeks, 470,000 triples) the
    whole LP took 60 s of GLOP where its weeks take a fraction each.

    Still a bound: a week's rows hold its own columns only (a weekly limit
    shared with another week's open session, or the fairness of hours across
    weeks, H² >= H1² + H2², only loosen), so a plan's columns in each week
    are a point of that week's LP; the plan scores at most the sum, and at
    most the sum plus a triple's reduced cost when it uses that triple. The
    terms counted once per volunteer (volunteer_used < 0, continuity) are
    shared out over all their weeks' triples (`_Shares`), not each week's:
    charged in full in every week they would undercut a plan across weeks."""
    weeks = _by_week(scenario, candidates)
    if len(weeks) <= 1:
        return compact_relaxation(
            scenario, candidates, time_limit, previous, tight=tight, pdlp=pdlp
        )
    previous = set(scenario.previous) if previous is None else previous
    shares = _Shares.of(scenario, candidates)
    deadline = time.monotonic() + time_limit

    def week_part(week: tuple[int, int]) -> CompactRelaxation | None:
        own = Candidates(candidates.usable, weeks[week])
        return compact_relaxation(
            scenario, own, deadline - time.monotonic(),
            {a for a in previous if a in weeks[week]}, shares, tight, pdlp,
        )

    # two weeks at a time: one week's rows are built (Python, holding the
    # GIL) while GLOP solves the other's without it (L: 27 s -> see bench/README.md)
    with ThreadPoolExecutor(max_workers=WEEKS_AT_ONCE) as pool:
        found = list(pool.map(week_part, sorted(weeks)))
    parts = [part for part in found if part is not None]
    if len(parts) < len(found):
        return None
    # previous triples that are no candidates any more count in the constant
    lost = len([a for a in previous if a not in candidates.triples])
    return CompactRelaxation(
        sum(p.bound for p in parts) - scenario.weights.stability * lost,
        [t for p in parts for t in p.triples],
        np.concatenate([p.values for p in parts]),
        np.concatenate([p.reduced for p in parts]),
        (sum(p.seconds[0] for p in parts), sum(p.seconds[1] for p in parts)),
        {k: v for p in parts for k, v in p.held.items()},
    )


def tightens(scenario: Scenario, candidates: Candidates) -> bool:
    """Whether `compact_relaxation_by_week` with `tight=True` prices anything
    the per-session LP does not: fairness or continuity is weighed and some
    week has at most TIGHT_UP_TO triples."""
    w = scenario.weights
    if w.fairness <= 0 and w.continuity <= 0:
        return False
    return any(len(week) <= TIGHT_UP_TO for week in _by_week(scenario, candidates).values())


def _by_week(
    scenario: Scenario, candidates: Candidates
) -> dict[tuple[int, int], dict[Assignment, tuple[int, ...]]]:
    """The triples by the ISO week of their session's first option: the
    parts `compact_relaxation_by_week` solves one by one."""
    weeks: dict[tuple[int, int], dict[Assignment, tuple[int, ...]]] = defaultdict(dict)
    sessions = scenario.session_by_id
    for a, options in candidates.triples.items():
        weeks[sessions[a.session].options[0].iso_week][a] = options
    return weeks


def rounded_plan(
    scenario: Scenario, candidates: Candidates, relaxation: CompactRelaxation, base: Plan
) -> Plan:
    """A plan near the LP's solution, for a hint: `base`'s schedule and fixed
    assignments, then the triples in the order of their LP values while
    they fit (no overlap, weekly limits, role room, one role a session),
    then the roles with room filled greedily (`repair.fill_greedily`).
    Greedy's own plan is far from the LP's, and CP-SAT on the LP's support
    hinted with it found nothing better for most of its time."""
    sessions = scenario.session_by_id
    volunteers = scenario.volunteer_by_id
    fixed = set(scenario.fixed)
    chosen = [a for a in base.assignments if a in fixed]
    schedule = _lp_schedule(scenario, relaxation, base, {a.session for a in chosen})
    load = _Load(scenario, schedule)
    for a in chosen:
        load.take(a)
    for t in np.argsort(-relaxation.values, kind="stable"):
        if relaxation.values[t] <= 1e-6:
            break
        a = relaxation.triples[t]
        held = schedule.get(a.session)
        if held is None or held not in candidates.triples.get(a, ()):
            continue
        session = sessions[a.session]
        if (a.volunteer, a.session) in load.at_session or (
            load.people[a.session, a.role] >= session.role(a.role).max
        ):
            continue
        if load.fits(volunteers[a.volunteer], session.options[held]):
            load.take(a)
            chosen.append(a)
    return fill_greedily(scenario, candidates, Plan(schedule=schedule, assignments=tuple(chosen)))


def _lp_schedule(
    scenario: Scenario, relaxation: CompactRelaxation, base: Plan, keep: set[str]
) -> dict[str, int]:
    """`base`'s schedule with each open session moved to the option the LP
    holds it at, when its place has room then (the LP's place rows hold
    only its fractional options), most surely held first; optional sessions
    the LP holds at least half are added, those it does not hold are kept
    as in `base`. Sessions in `keep` (with fixed assignments) stay as they
    are. Places are only shared within a part (`decompose.py`), so `base`'s
    schedule of the part's sessions is all that can run there."""
    sessions = scenario.session_by_id
    schedule = dict(base.schedule)
    for session_id, (oi, value) in sorted(relaxation.held.items(), key=lambda kv: -kv[1][1]):
        now = schedule.get(session_id)
        if oi == now or session_id in keep or (now is None and value < 0.5):
            continue
        if not place_full(scenario, schedule, sessions[session_id], oi):
            schedule[session_id] = oi
    return schedule
