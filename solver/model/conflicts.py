"""Causes of infeasibility that can be seen before solving, in words.

Only `fixed`, non-optional open sessions and places can make a scenario
infeasible; these checks find the common cases so the result can say why.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..scenario import Scenario
from .options import option_problems, usable_options
from .sweep import overlap_cliques


def find_conflicts(scenario: Scenario) -> list[str]:
    conflicts: list[str] = []
    sessions = scenario.session_by_id
    forbidden = set(scenario.forbidden)
    fixed = sorted(set(scenario.fixed))

    for a in fixed:
        if (a.volunteer, a.session) in forbidden:
            conflicts.append(
                f"volunteer {a.volunteer} is fixed to session {a.session} (role {a.role}) "
                "and also forbidden from it"
            )

    roles_of: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in fixed:
        roles_of[a.volunteer, a.session].append(a.role)
    for (v, sid), roles in sorted(roles_of.items()):
        if len(roles) > 1:
            conflicts.append(
                f"volunteer {v} is fixed to {len(roles)} roles ({', '.join(roles)}) at session {sid}"
            )

    for (sid, r), n in sorted(Counter((a.session, a.role) for a in fixed).items()):
        most = sessions[sid].role(r).max
        if n > most:
            conflicts.append(f"session {sid} role {r} has {n} fixed people, at most {most} allowed")

    # fixed work at fixed sessions: overlaps and weekly limits
    work: dict[str, list[str]] = defaultdict(list)
    for v, sid in sorted(roles_of):
        if not sessions[sid].is_open:
            work[v].append(sid)
    for v, own in work.items():
        volunteer = scenario.volunteer_by_id[v]
        options = [sessions[sid].options[0] for sid in own]
        for clique in overlap_cliques([(o.start, o.end) for o in options]):
            names = ", ".join(own[i] for i in clique)
            conflicts.append(f"volunteer {v} is fixed to sessions that overlap in time: {names}")
        hours: Counter[tuple[int, int]] = Counter()
        count: Counter[tuple[int, int]] = Counter()
        for o in options:
            hours[o.iso_week] += o.end - o.start
            count[o.iso_week] += 1
        for week in sorted(hours):
            label = f"{week[0]}-W{week[1]:02d}"
            limit_h = volunteer.max_hours_per_week
            if limit_h is not None and hours[week] > limit_h * 3600 + 1e-6:
                conflicts.append(
                    f"volunteer {v} is fixed to {hours[week] / 3600:g} h in week {label}, "
                    f"more than their {limit_h:g} h a week"
                )
            limit_n = volunteer.max_sessions_per_week
            if limit_n is not None and count[week] > limit_n:
                conflicts.append(
                    f"volunteer {v} is fixed to {count[week]} sessions in week {label}, "
                    f"more than their {limit_n} a week"
                )

    fixed_sessions = {a.session for a in fixed}
    for s in scenario.sessions:
        if s.is_open:
            if usable_options(scenario, s):
                continue
            if not s.optional:
                conflicts.append(f"session {s.id} must be held but none of its options is usable")
            elif s.id in fixed_sessions:
                conflicts.append(
                    f"session {s.id} has fixed assignments but none of its options is usable"
                )
        else:
            for problem in option_problems(scenario, s, s.options[0]):
                conflicts.append(f"session {s.id}: {problem}")

    # places over `parallel` with fixed sessions alone
    at_place: dict[str, list[str]] = defaultdict(list)
    for s in scenario.sessions:
        if not s.is_open and s.options[0].place is not None:
            at_place[s.options[0].place].append(s.id)
    for p, own in sorted(at_place.items()):
        parallel = scenario.place_by_id[p].parallel
        spans = [(sessions[sid].options[0].start, sessions[sid].options[0].end) for sid in own]
        for clique in overlap_cliques(spans):
            if len(clique) > parallel:
                names = ", ".join(own[i] for i in clique)
                conflicts.append(
                    f"place {p} runs {len(clique)} sessions at once ({names}), "
                    f"at most {parallel} allowed"
                )
    return conflicts
