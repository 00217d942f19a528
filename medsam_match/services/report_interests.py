"""Figures by interest: the period's totals of a report for each interest
its activities carry ("language", "outdoors", ...), next to the figures by
activity (services/reports.py, whose definitions hold here too).

An activity may carry several interests: it counts in each of them, so the
interest rows overlap and do not add up to the total. Each row is a few
aggregate SELECTs over the sessions of the interest's activities
The sums (sessions, seats, hours, attendance, participants) add up the
report's own activity rows (as counted, before suppression); the distinct
volunteers of each interest (with a seat, engaged, with self-logged hours
for its activities) come from one scan of the period's seats and one of
the hours, joined to a small (activity, interest) table and grouped by
interest. New volunteers and retention need each volunteer's whole history
and are not given by interest (null).

Suppression: the report's rules ("< 5" for a figure resting on fewer than 5
volunteers, `reports.suppress`), and one more, because an interest row is
the sum of activity rows a reader also sees: where an activity of the
interest hides a figure, the interest row hides it too, unless the hidden
ones together hold at least 5 (counts) in more than one activity, so that
subtracting the shown activities says nothing about fewer than 5.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, case, distinct, func, literal, select, union_all

from ..extensions import db
from ..models import Activity, Assignment, Session
from ..models.selfservice import HoursEntry
from ..models.types import utcnow
from . import reports
from .reports import SUPPRESSED, Report

NOT_BY_INTEREST = ("new_volunteers", "retained")


def interests_of(activity_ids: list[int]) -> dict[str, list[int]]:
    """interest -> the ids of the activities carrying it (sorted by interest)."""
    found: dict[str, list[int]] = {}
    if not activity_ids:
        return found
    for activity_id, interests in db.session.execute(
        select(Activity.id, Activity.interests).where(Activity.id.in_(activity_ids))
        .order_by(Activity.id)
    ).all():
        for interest in dict.fromkeys(interests or []):
            found.setdefault(str(interest), []).append(activity_id)
    return dict(sorted(found.items()))


def _mapping(interests: dict[str, list[int]]) -> Any:
    """(activity_id, interest) rows as a derived table, for a join."""
    return union_all(*[
        select(literal(activity_id, Integer).label("activity_id"),
               literal(interest, String).label("interest"))
        for interest, ids in interests.items() for activity_id in ids
    ]).subquery("interest_of")


def _distinct_people(report: Report, interests: dict[str, list[int]],
                     now: datetime) -> dict[str, tuple[int, int, int]]:
    """interest -> (volunteers with a confirmed seat, engaged volunteers,
    volunteers with approved self-logged hours for its activities): one
    scan of the period's seats and one of the hours, grouped by interest."""
    m = _mapping(interests)
    start = reports._utc(report.first, report.scope.zone)
    stop = reports._utc(report.end, report.scope.zone)
    engaged = reports._engaged_condition(now)
    out = {interest: (0, 0, 0) for interest in interests}
    for interest, base, n_engaged in db.session.execute(
        select(m.c.interest, func.count(distinct(Assignment.volunteer_id)),
               func.count(distinct(case((engaged, Assignment.volunteer_id)))))
        .select_from(Session.__table__
                     .join(Assignment.__table__, Assignment.session_id == Session.id)
                     .join(m, m.c.activity_id == Session.activity_id))
        .where(Session.start >= start, Session.start < stop,
               Assignment.status == "confirmed", Session.status != "cancelled")
        .group_by(m.c.interest)
    ).all():
        out[interest] = (int(base or 0), int(n_engaged or 0), 0)
    for interest, loggers in db.session.execute(
        select(m.c.interest, func.count(distinct(HoursEntry.volunteer_id)))
        .select_from(HoursEntry.__table__.join(m, m.c.activity_id == HoursEntry.activity_id))
        .where(HoursEntry.status == "approved", HoursEntry.day >= report.first,
               HoursEntry.day < report.end)
        .group_by(m.c.interest)
    ).all():
        base, n_engaged, _ = out[interest]
        out[interest] = (base, n_engaged, int(loggers or 0))
    return out


SESSION_FIGURES = ("sessions_held", "sessions_cancelled", "slots_needed", "participants_reached")
SEAT_FIGURES = ("slots_filled", "hours_planned", "hours_attended", "hours_logged", "attended",
                "no_shows")


def _raw_row(activities: list[dict[str, Any]], people: tuple[int, int, int]) -> dict[str, Any]:
    """An interest's figures before suppression: the sums of its activities'
    rows (their values as counted, `_raw`, where the report hid them) and
    its own distinct volunteers."""
    r = reports._empty_row()
    for activity in activities:
        for name in SESSION_FIGURES:
            r[name] += activity.get(name) or 0
        for name in SEAT_FIGURES:
            value = activity.get(name)
            r[name] += value if reports._is_number(value) else reports._raw(activity, name)
    base, n_engaged, loggers = people
    r.update(volunteers_engaged=n_engaged, _base=base, _loggers=loggers)
    r["hours_given"] = r["hours_attended"] + r["hours_logged"]
    for name in NOT_BY_INTEREST:
        r[name] = None
    return r


def _hide_what_subtraction_would_reveal(row: dict[str, Any],
                                        activities: list[dict[str, Any]]) -> None:
    for name in reports.ADDITIVE:
        hidden = [a for a in activities if a.get(name) == SUPPRESSED]
        if not hidden or row.get(name) in (SUPPRESSED, None):  # None: not given by interest
            continue
        if reports.too_few_hidden(hidden, name):
            row[name] = SUPPRESSED
    reports.hide_derived(row)


def by_interest(report: Report, now: datetime | None = None) -> list[dict[str, Any]]:
    """One suppressed row per interest of the report's activities: interest,
    activity_ids and the figures. `report` must have been made with
    by_activity=True (its activity rows, as suppressed, are what a reader
    could subtract)."""
    if not report.by_activity:
        raise ValueError("figures by interest need the report's activity rows")
    now = now or utcnow()
    activity_rows = {a["activity_id"]: a for a in report.activities}
    interests = interests_of(sorted(activity_rows))
    if not interests:
        return []
    people = _distinct_people(report, interests, now)
    rows = []
    for interest, ids in interests.items():
        row = {"interest": interest, "activity_ids": ids,
               **_raw_row([activity_rows[i] for i in ids], people[interest])}
        reports.suppress([row], population=report.scope.population)
        for name in NOT_BY_INTEREST + ("retention",):
            row[name] = None
        _hide_what_subtraction_would_reveal(row, [activity_rows[i] for i in ids])
        rows.append(row)
    return rows
