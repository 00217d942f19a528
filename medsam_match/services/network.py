"""The learning network: the municipalities that opted in see each other's
figures side by side, anonymous (no personal data: counts, hours and rates
only) and suppressed (services/reports.py: "< 5").

A municipality that has not opted in (municipality.network_opt_in, off by
default) appears nowhere: not as a row, not in the network's total, and its
staff cannot open the network.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from ..auth import Principal
from ..domain_errors import Forbidden
from ..extensions import db
from ..models import Municipality
from . import reports


def may_see_network(p: Principal) -> bool:
    if p.is_admin:
        return True
    if p.role not in ("municipality", "coordinator") or p.municipality_id is None:
        return False
    municipality = db.session.get(Municipality, p.municipality_id)
    return bool(municipality and municipality.network_opt_in)


def network(p: Principal, first: date, end: date) -> dict[str, Any]:
    """Totals over [first, end) per opted-in municipality and for them together."""
    if not may_see_network(p):
        raise Forbidden(
            "the learning network is open to municipalities that share their own figures: "
            "the municipality must opt in first (network_opt_in)"
        )
    members = list(db.session.scalars(
        select(Municipality).where(Municipality.network_opt_in.is_(True))
        .order_by(Municipality.name, Municipality.id)
    ))
    rows = []
    insights = []
    for municipality in members:
        figures = reports.report(reports.municipality_scope(municipality), first, end, "year",
                                 by_activity=True)
        insight = _best_filled(municipality, figures)
        if insight is not None:
            insights.append(insight)
        rows.append({
            "municipality_id": municipality.id,
            "name": municipality.name,
            "country": municipality.country,
            "population": municipality.population,
            "own": municipality.id == p.municipality_id,
            **figures.totals,
        })
    scope = reports.Scope("network", None, "network", reports.ZoneInfo(reports.NETWORK_ZONE),
                          _population(members), "nb",
                          tuple(m.id for m in members))
    total = reports.report(scope, first, end, "year").totals
    # A figure suppressed for one municipality alone would follow from the
    # network's total minus the others': suppress a second one.
    reports.suppress_siblings(rows, total)
    return {
        "from": first.isoformat(),
        "to": (end - reports.timedelta(days=1)).isoformat(),
        "suppression": {"threshold": reports.THRESHOLD, "shown_as": reports.SUPPRESSED},
        "municipalities": [reports.public(r) for r in rows],
        "network": reports.public(total),
        "insights": insights,
    }


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIN_SESSIONS = 4


def _best_filled(municipality: Municipality, figures: reports.Report) -> dict[str, Any] | None:
    """What a municipality does well, in words: its activity with the highest
    fill rate that is shown (not suppressed) over at least MIN_SESSIONS held
    sessions, with the activity's typical week and crew (its design, no
    people), e.g. "Levanger fills 94% of the places of its Language café;
    its sessions are on Tuesdays at 17:00, 2 h, with 3 host"."""
    from ..models import Activity
    from .templates import _pattern

    shown = [a for a in figures.activities
             if isinstance(a.get("fill_rate"), float | int) and not isinstance(a["fill_rate"], bool)
             and isinstance(a.get("sessions_held"), int) and a["sessions_held"] >= MIN_SESSIONS]
    if not shown:
        return None
    best = max(shown, key=lambda a: (a["fill_rate"], a["sessions_held"]))
    activity = db.session.get(Activity, best["activity_id"])
    if activity is None:
        return None
    pattern = _pattern(activity.id, figures.scope.zone)
    crew = [{"role": str(role.get("role", "")), "min": int(role.get("min", 1) or 0)}
            for role in activity.roles or []]
    rate = round(best["fill_rate"] * 100)
    text = f"{municipality.name} fills {rate}% of the places of its {activity.title}"
    if pattern:
        hours = f"{pattern['minutes'] / 60:g}"
        people = ", ".join(f"{c['min']} {c['role']}" for c in crew)
        text += (f"; its sessions are on {WEEKDAYS[pattern['weekday']]}s at {pattern['start']}, "
                 f"{hours} h, with {people}")
    return {"municipality_id": municipality.id, "municipality": municipality.name,
            "activity": activity.title, "fill_rate": best["fill_rate"],
            "sessions_held": best["sessions_held"], "pattern": pattern, "crew": crew,
            "text": text + "."}


def _population(members: list[Municipality]) -> int | None:
    if not members or any(m.population is None for m in members):
        return None
    return sum(m.population or 0 for m in members)
