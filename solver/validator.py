"""The independent validator: is a `medsam-result/1` a feasible plan for its
`medsam-scenario/1`, and are its score and KPIs right?

It deliberately shares no code with the parser, the model or the result
writer: it imports only the standard library, reads the raw JSON itself and
applies the format's defaults itself, so a bug in the shared code cannot hide
behind the same bug here. The scenario is assumed to be valid (the parser's
job); the result is checked as untrusted input.

`validate(doc, result)` returns every violation found, each naming the rule and
the objects ("H6: volunteer v3 has overlapping sessions s1 and s4"); an empty
list means the result is a feasible plan whose score and KPIs are right.
`recompute_score(doc, result)` is the score of the format's §4 for the
result's schedule and assignments.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeGuard
from zoneinfo import ZoneInfo

RESULT_FORMAT = "medsam-result/1"
STATUSES = ("optimal", "feasible", "infeasible", "error")
PLAN_STATUSES = ("optimal", "feasible")
DEFAULT_TIMEZONE = "Europe/Oslo"
DEFAULT_WEIGHTS: dict[str, float] = {
    "cover_min": 1000,
    "cover_extra": 50,
    "interest": 20,
    "preferred": 30,
    "travel_km": 2,
    "fairness": 1,
    "volunteer_used": 0,
    "continuity": 10,
    "stability": 200,
}
EARTH_RADIUS_KM = 6371.0
# Hard limits (distance, hours) are compared exactly up to float noise.
_LIMIT_EPS = 1e-9

Triple = tuple[str, str, str]


# --- reading the raw documents -------------------------------------------------


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"time {text!r} has no UTC offset")
    return moment


def _seconds(text: str) -> float:
    return _instant(text).timestamp()


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _location(obj: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = obj.get("lat"), obj.get("lon")
    if lat is None or lon is None:
        return None
    return float(lat), float(lon)


def _merged(intervals: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Touching or overlapping intervals joined, sorted."""
    merged: list[tuple[float, float]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _close(a: float, b: float) -> bool:
    """Equal within 1e-6 relative, 1e-6 absolute near 0."""
    return abs(a - b) <= max(1e-6, 1e-6 * max(abs(a), abs(b)))


@dataclass(frozen=True)
class _Held:
    """How a scheduled session is held: time, place, and the option's penalty."""

    start: float
    end: float
    start_text: str
    place: str | None
    penalty: float

    @property
    def hours(self) -> float:
        return (self.end - self.start) / 3600.0


@dataclass
class _Plan:
    """The result's plan as read against the scenario: the sessions it holds and
    its distinct, resolvable assignments (fixed ones included)."""

    held: dict[str, _Held] = field(default_factory=dict)
    assignments: list[Triple] = field(default_factory=list)


class _Scenario:
    """The raw scenario with the format's defaults applied."""

    def __init__(self, doc: dict[str, Any]):
        self.doc = doc
        self.zone = ZoneInfo(doc.get("timezone") or DEFAULT_TIMEZONE)
        self.weights = dict(DEFAULT_WEIGHTS)
        self.weights.update(doc.get("weights") or {})
        self.places = {p["id"]: p for p in doc.get("places") or []}
        self.activities = {a["id"]: a for a in doc.get("activities") or []}
        self.sessions = {s["id"]: s for s in doc.get("sessions") or []}
        self.volunteers = {v["id"]: v for v in doc.get("volunteers") or []}
        self.fixed: list[Triple] = [_triple(t) for t in doc.get("fixed") or []]
        self.fixed_set = set(self.fixed)
        self.forbidden = {(p["volunteer"], p["session"]) for p in doc.get("forbidden") or []}
        self.previous = {_triple(t) for t in doc.get("previous") or []}
        self.roles: dict[str, dict[str, dict[str, Any]]] = {
            sid: {r["role"]: r for r in s.get("roles") or []} for sid, s in self.sessions.items()
        }

    def local_date(self, held: _Held) -> date:
        return _instant(held.start_text).astimezone(self.zone).date()

    def iso_week(self, held: _Held) -> tuple[int, int]:
        year, week, _ = self.local_date(held).isocalendar()
        return year, week

    def distance(self, volunteer: str, held: _Held) -> float:
        """dist(v, s): 0 when either the home or the place has no location."""
        home = _location(self.volunteers[volunteer])
        place = self.places.get(held.place) if held.place is not None else None
        where = _location(place) if place is not None else None
        if home is None or where is None:
            return 0.0
        return _haversine_km(home[0], home[1], where[0], where[1])

    @staticmethod
    def is_open(session: dict[str, Any]) -> bool:
        return "options" in session

    def ways_to_hold(self, session: dict[str, Any]) -> list[_Held]:
        if not self.is_open(session):
            return [_Held(_seconds(session["start"]), _seconds(session["end"]),
                          session["start"], session.get("place"), 0.0)]
        return [
            _Held(_seconds(o["start"]), _seconds(o["end"]), o["start"], o.get("place"),
                  float(_given(o, "penalty", 0)))
            for o in session["options"]
        ]


def _triple(obj: dict[str, Any]) -> Triple:
    return obj["volunteer"], obj["session"], obj["role"]


def _given(obj: dict[str, Any], key: str, default: Any) -> Any:
    """The field's value; absent or null gives the format's default."""
    value = obj.get(key)
    return default if value is None else value


def _role_min(role: dict[str, Any]) -> int:
    return int(_given(role, "min", 1))


def _role_max(role: dict[str, Any]) -> int:
    return int(_given(role, "max", max(_role_min(role), 1)))


def _describe(held: _Held) -> str:
    return f"{held.start_text} for {held.hours:g} h at {held.place or 'no place'}"


def _read_plan(sc: _Scenario, result: dict[str, Any], problems: list[str]) -> _Plan:
    """Resolve the result's schedule and assignments against the scenario,
    reporting what does not resolve (and leaving it out of the plan)."""
    plan = _Plan()
    schedule = result.get("schedule")
    if not isinstance(schedule, list):
        problems.append("schedule: missing or not a list")
        schedule = []
    for i, entry in enumerate(schedule):
        if not isinstance(entry, dict) or not isinstance(entry.get("session"), str):
            problems.append(f"schedule[{i}]: not an object with a session id")
            continue
        sid = entry["session"]
        session = sc.sessions.get(sid)
        if session is None:
            problems.append(f"schedule[{i}]: unknown session {sid!r}")
            continue
        if sid in plan.held:
            problems.append(f"H10: session {sid} is scheduled more than once")
            continue
        try:
            start, end = _seconds(entry["start"]), _seconds(entry["end"])
        except (KeyError, TypeError, ValueError):
            problems.append(f"schedule[{i}]: session {sid} needs start and end times with an offset")
            continue
        place = entry.get("place")
        # Identical options differing only in penalty: the cheapest is the one held.
        matching = [h for h in sc.ways_to_hold(session)
                    if h.start == start and h.end == end and h.place == place]
        if not matching:
            kind = "one of its options" if sc.is_open(session) else "its own time and place"
            problems.append(
                f"H10: session {sid} is scheduled {entry['start']}–{entry['end']} at "
                f"{place or 'no place'}, which is not {kind}")
            continue
        plan.held[sid] = min(matching, key=lambda h: h.penalty)

    assignments = result.get("assignments")
    if not isinstance(assignments, list):
        problems.append("assignments: missing or not a list")
        assignments = []
    seen: set[Triple] = set()
    for i, entry in enumerate(assignments):
        try:
            v, s, r = _triple(entry)
        except (KeyError, TypeError):
            v = s = r = None  # type: ignore[assignment]
        if not all(isinstance(x, str) for x in (v, s, r)):
            problems.append(f"assignments[{i}]: not an object with volunteer, session and role")
            continue
        if v not in sc.volunteers:
            problems.append(f"assignments[{i}]: unknown volunteer {v!r}")
            continue
        if s not in sc.sessions:
            problems.append(f"assignments[{i}]: unknown session {s!r}")
            continue
        if r not in sc.roles[s]:
            problems.append(f"assignments[{i}]: session {s} has no role {r!r}")
            continue
        if (v, s, r) in seen:
            problems.append(f"H6: volunteer {v} is assigned to role {r} of session {s} twice")
            continue
        seen.add((v, s, r))
        if s not in plan.held:
            problems.append(
                f"H10: volunteer {v} is assigned to session {s}, which is not scheduled")
            continue
        plan.assignments.append((v, s, r))
    return plan


# --- the hard rules ---------------------------------------------------------------


def _check_eligibility(sc: _Scenario, plan: _Plan, problems: list[str]) -> None:
    """H1-H5, for assignments that are not fixed."""
    for v, s, r in plan.assignments:
        if (v, s, r) in sc.fixed_set:
            continue
        vol, role, held = sc.volunteers[v], sc.roles[s][r], plan.held[s]
        who = f"volunteer {v} in role {r} of session {s}"
        availability = vol.get("availability")
        if availability is not None:
            windows = _merged([(_seconds(a["start"]), _seconds(a["end"])) for a in availability])
            if not any(a <= held.start and held.end <= b for a, b in windows):
                problems.append(f"H1: {who} is not available {_describe(held)}")
        missing = sorted(set(role.get("skills") or []) - set(vol.get("skills") or []))
        if missing:
            problems.append(f"H2: {who} lacks skills {', '.join(missing)}")
        wanted = set(role.get("languages") or [])
        if wanted and not wanted & set(vol.get("languages") or []):
            problems.append(f"H3: {who} speaks none of {', '.join(sorted(wanted))}")
        kind = role.get("certificate")
        if kind is not None:
            until = (vol.get("certificates") or {}).get(kind)
            day = sc.local_date(held)
            if until is None:
                problems.append(f"H4: {who} has no {kind} certificate")
            elif date.fromisoformat(until) < day:
                problems.append(f"H4: {who} has a {kind} certificate valid until {until}, "
                                f"before the session's date {day.isoformat()}")
        limit = vol.get("max_travel_km")
        if limit is not None:
            km = sc.distance(v, held)
            if km > float(limit) + _LIMIT_EPS:
                problems.append(f"H5: {who} would travel {km:.3f} km, more than {limit} km")


def _check_volunteer_load(sc: _Scenario, plan: _Plan, problems: list[str]) -> None:
    """H6 (one role per session, no overlaps) and H7 (weekly limits)."""
    by_volunteer: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for v, s, r in plan.assignments:
        by_volunteer[v].append((s, r))
    for v, held_roles in by_volunteer.items():
        roles_in: dict[str, list[str]] = defaultdict(list)
        for s, r in held_roles:
            roles_in[s].append(r)
        for s, names in roles_in.items():
            if len(names) > 1:
                problems.append(f"H6: volunteer {v} holds {len(names)} roles in session {s}: "
                                f"{', '.join(sorted(names))}")
        sessions = sorted(roles_in, key=lambda s: (plan.held[s].start, s))
        for i, first in enumerate(sessions):
            for second in sessions[i + 1:]:
                if plan.held[second].start >= plan.held[first].end:
                    break
                problems.append(
                    f"H6: volunteer {v} has overlapping sessions {first} and {second}")
        vol = sc.volunteers[v]
        hours: dict[tuple[int, int], float] = defaultdict(float)
        count: Counter[tuple[int, int]] = Counter()
        for s in sessions:
            week = sc.iso_week(plan.held[s])
            hours[week] += plan.held[s].hours
            count[week] += 1
        max_hours, max_sessions = vol.get("max_hours_per_week"), vol.get("max_sessions_per_week")
        for (iso_year, iso_week), total in sorted(hours.items()):
            label = f"week {iso_year}-W{iso_week:02d}"
            if max_hours is not None and total > float(max_hours) + _LIMIT_EPS:
                problems.append(f"H7: volunteer {v} has {total:g} hours in {label}, "
                                f"more than max_hours_per_week {max_hours}")
            sessions_that_week = count[(iso_year, iso_week)]
            if max_sessions is not None and sessions_that_week > int(max_sessions):
                problems.append(f"H7: volunteer {v} has {sessions_that_week} sessions in {label}, "
                                f"more than max_sessions_per_week {max_sessions}")


def _check_roles_fixed_forbidden(sc: _Scenario, plan: _Plan, problems: list[str]) -> None:
    """H8 (role capacity) and H9 (fixed in, forbidden out)."""
    people = Counter((s, r) for _, s, r in plan.assignments)
    for (s, r), n in sorted(people.items()):
        most = _role_max(sc.roles[s][r])
        if n > most:
            problems.append(f"H8: role {r} of session {s} has {n} people, more than max {most}")
    assigned = set(plan.assignments)
    for v, s, r in sc.fixed:
        if (v, s, r) not in assigned:
            problems.append(f"H9: fixed assignment of volunteer {v} to role {r} of session {s} "
                            "is missing")
    for v, s, _ in plan.assignments:
        if (v, s) in sc.forbidden:
            problems.append(f"H9: volunteer {v} is assigned to session {s}, a forbidden pair")


def _check_sessions_and_places(sc: _Scenario, plan: _Plan, problems: list[str]) -> None:
    """H10: every non-optional session scheduled; each scheduled one fits its place."""
    for sid, session in sc.sessions.items():
        if sid not in plan.held and not (sc.is_open(session) and session.get("optional", False)):
            problems.append(f"H10: session {sid} is not optional but is not scheduled")
    at_place: dict[str, list[str]] = defaultdict(list)
    for sid, held in plan.held.items():
        if held.place is None:
            continue
        place = sc.places[held.place]
        session = sc.sessions[sid]
        at_place[held.place].append(sid)
        lacking = sorted(set(session.get("needs") or []) - set(place.get("features") or []))
        if lacking:
            problems.append(f"H10: session {sid} needs {', '.join(lacking)}, "
                            f"which place {held.place} lacks")
        capacity = place.get("capacity")
        participants = int(_given(session, "participants", 0))
        if capacity is not None and participants > int(capacity):
            problems.append(f"H10: session {sid} expects {participants} participants, "
                            f"more than the capacity {capacity} of place {held.place}")
        for busy in place.get("busy") or []:
            if _seconds(busy["start"]) < held.end and held.start < _seconds(busy["end"]):
                problems.append(f"H10: session {sid} overlaps place {held.place}'s busy time "
                                f"{busy['start']}–{busy['end']}")
    for pid, sids in sorted(at_place.items()):
        parallel = int(_given(sc.places[pid], "parallel", 1))
        reported: set[frozenset[str]] = set()
        # The most sessions run at once at some session's start.
        for sid in sorted(sids, key=lambda s: plan.held[s].start):
            t = plan.held[sid].start
            running = frozenset(o for o in sids if plan.held[o].start <= t < plan.held[o].end)
            if len(running) > parallel and running not in reported:
                reported.add(running)
                problems.append(
                    f"H10: place {pid} runs {len(running)} sessions at once "
                    f"({', '.join(sorted(running))}), more than parallel {parallel}")


# --- score and KPIs ---------------------------------------------------------------


@dataclass(frozen=True)
class _Tally:
    """The counts the score and the KPIs are made of."""

    score: float
    terms: dict[str, float]
    people: dict[tuple[str, str], int]  # n(s, r) over scheduled sessions' roles
    hours: dict[str, float]  # h(v) over all volunteers
    travel_km: float
    changes: int | None


def _tally(sc: _Scenario, plan: _Plan) -> _Tally:
    assigned = set(plan.assignments)
    people = {(s, r): 0 for s in plan.held for r in sc.roles[s]}
    for _, s, r in assigned:
        people[(s, r)] += 1
    hours = {v: 0.0 for v in sc.volunteers}
    interest = preferred = 0
    travel = 0.0
    for v, s, _ in assigned:
        vol, held = sc.volunteers[v], plan.held[s]
        activity = sc.activities.get(sc.sessions[s]["activity"], {})
        hours[v] += held.hours
        travel += sc.distance(v, held)
        if set(vol.get("interests") or []) & set(activity.get("interests") or []):
            interest += 1
        if sc.sessions[s]["activity"] in (vol.get("preferred_activities") or []):
            preferred += 1
    covered = sum(min(n, _role_min(sc.roles[s][r])) for (s, r), n in people.items())
    extra = sum(max(0, n - _role_min(sc.roles[s][r])) for (s, r), n in people.items())
    used = len({v for v, _, _ in assigned})
    faces = len({(v, sc.sessions[s]["activity"]) for v, s, _ in assigned})
    dropped = len(sc.previous - assigned)
    penalty = sum(held.penalty for held in plan.held.values())
    w = sc.weights
    terms = {
        "cover_min": w["cover_min"] * covered,
        "cover_extra": w["cover_extra"] * extra,
        "interest": w["interest"] * interest,
        "preferred": w["preferred"] * preferred,
        "travel_km": -w["travel_km"] * travel,
        "fairness": -w["fairness"] * sum(h * h for h in hours.values()),
        "volunteer_used": w["volunteer_used"] * used,
        "continuity": -w["continuity"] * faces,
        "stability": -w["stability"] * dropped,
        "option_penalty": -penalty,
    }
    changes = len(sc.previous - assigned) + len(assigned - sc.previous) if sc.previous else None
    return _Tally(sum(terms.values()), terms, people, hours, travel, changes)


def recompute_score(doc: dict[str, Any], result: dict[str, Any]) -> float:
    """The score of §4 for the result's schedule and assignments (what does not
    resolve against the scenario is left out)."""
    sc = _Scenario(doc)
    return _tally(sc, _read_plan(sc, result, [])).score


def _check_score(result: dict[str, Any], tally: _Tally, problems: list[str]) -> None:
    score, bound = result.get("score"), result.get("bound")
    if not _is_number(score):
        problems.append(f"score: {score!r} is not a number")
    elif not _close(score, tally.score):
        problems.append(f"score: reported {score!r}, recomputed {tally.score!r}")
    if bound is not None:
        if not _is_number(bound):
            problems.append(f"bound: {bound!r} is neither a number nor null")
        elif _is_number(score) and bound < score and not _close(bound, score):
            problems.append(f"bound: {bound!r} is below the score {score!r}")
    if result.get("status") == "optimal" and _is_number(score):
        # Optimal means proven: the bound meets the score.
        if bound is None:
            problems.append("status: 'optimal' without a bound to prove it")
        elif _is_number(bound) and bound - score > 1e-6 * max(1.0, abs(score)):
            problems.append(f"status: 'optimal' but the bound {bound!r} is above the score {score!r}")


def _check_unfilled(sc: _Scenario, result: dict[str, Any], tally: _Tally,
                    problems: list[str]) -> None:
    expected = {}
    for (s, r), n in tally.people.items():
        low = _role_min(sc.roles[s][r])
        if n < low:
            expected[(s, r)] = low - n
    listed = result.get("unfilled")
    if not isinstance(listed, list):
        problems.append("unfilled: missing or not a list")
        return
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(listed):
        if not isinstance(entry, dict):
            problems.append(f"unfilled[{i}]: not an object")
            continue
        key = (entry.get("session"), entry.get("role"))
        if not all(isinstance(k, str) for k in key):
            problems.append(f"unfilled[{i}]: needs a session id and a role name")
            continue
        if key in seen:
            problems.append(f"unfilled[{i}]: role {key[1]} of session {key[0]} is listed twice")
            continue
        seen.add(key)  # type: ignore[arg-type]
        if key not in expected:
            problems.append(f"unfilled[{i}]: role {key[1]} of session {key[0]} is listed, "
                            "but it is not a scheduled role staffed below its min")
        elif entry.get("missing") != expected[key]:  # type: ignore[index]
            problems.append(f"unfilled[{i}]: role {key[1]} of session {key[0]} misses "
                            f"{expected[key]}, not {entry.get('missing')!r}")  # type: ignore[index]
    for s, r in sorted(set(expected) - seen):
        problems.append(f"unfilled: role {r} of session {s} is staffed below its min "
                        f"(missing {expected[(s, r)]}) but is not listed")


def _check_kpis(sc: _Scenario, result: dict[str, Any], plan: _Plan, tally: _Tally,
                problems: list[str]) -> None:
    kpis = result.get("kpis")
    if not isinstance(kpis, dict):
        problems.append("kpis: missing or not an object")
        return
    slots_min = sum(_role_min(sc.roles[s][r]) for s, r in tally.people)
    filled_min = sum(min(n, _role_min(sc.roles[s][r])) for (s, r), n in tally.people.items())
    expected: dict[str, float | int | None] = {
        "sessions_scheduled": len(plan.held),
        "slots_min": slots_min,
        "filled_min": filled_min,
        "fill_rate": filled_min / slots_min if slots_min else 1.0,
        "assignments": len(set(plan.assignments)),
        "volunteers_used": len({v for v, _, _ in plan.assignments}),
        "travel_km_total": tally.travel_km,
        "hours_max": max(tally.hours.values(), default=0.0),
        "changes": tally.changes,
    }
    for name, want in expected.items():
        if name not in kpis:
            problems.append(f"kpis.{name}: missing")
            continue
        got = kpis[name]
        if want is None:
            if got is not None:
                problems.append(f"kpis.{name}: reported {got!r}, expected null")
        elif not _is_number(got) or not _close(got, want):
            problems.append(f"kpis.{name}: reported {got!r}, recomputed {want!r}")
    terms = kpis.get("score_terms")
    if terms is None:
        return  # optional: a breakdown of the score by term
    if not isinstance(terms, dict):
        problems.append("kpis.score_terms: not an object")
        return
    for name in sorted(set(terms) - set(tally.terms)):
        problems.append(f"kpis.score_terms.{name}: not a term of the score")
    for name, want in tally.terms.items():
        got = terms.get(name)
        if not _is_number(got) or not _close(float(got), want):
            problems.append(f"kpis.score_terms.{name}: reported {got!r}, recomputed {want!r}")


# --- the entry point ----------------------------------------------------------------


def hard_rule_problems(doc: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """What `validate` finds in the result's plan alone (its schedule and
    assignments against H1-H10), without checking its score, unfilled slots
    and KPIs: for a plan that is not written out yet."""
    problems: list[str] = []
    _check_plan(_Scenario(doc), result, problems)
    return problems


def _check_plan(sc: _Scenario, result: dict[str, Any], problems: list[str]) -> _Plan:
    """The result's plan read and held against H1-H10."""
    plan = _read_plan(sc, result, problems)
    _check_eligibility(sc, plan, problems)
    _check_volunteer_load(sc, plan, problems)
    _check_roles_fixed_forbidden(sc, plan, problems)
    _check_sessions_and_places(sc, plan, problems)
    return plan


def validate(doc: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """Every violation of the result against the scenario (empty: a feasible plan
    with the right score and KPIs). The scenario is assumed valid."""
    problems: list[str] = []
    if not isinstance(result, dict):
        return ["result: not a JSON object"]
    if result.get("format") != RESULT_FORMAT:
        problems.append(f"format: {result.get('format')!r}, expected {RESULT_FORMAT!r}")
    status = result.get("status")
    if status not in STATUSES:
        problems.append(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    elif status not in PLAN_STATUSES:
        problems.append(f"status: {status!r}: the result holds no plan to check")
        return problems
    sc = _Scenario(doc)
    plan = _check_plan(sc, result, problems)
    tally = _tally(sc, plan)
    _check_score(result, tally, problems)
    _check_unfilled(sc, result, tally, problems)
    _check_kpis(sc, result, plan, tally, problems)
    return problems
