"""Figures by interest: the period's totals of a report for each interest
its activities carry ("language", "outdoors", ...), next to the figures by
activity (services/reports.py, whose definitions hold here too).

An activity may carry several interests: it counts in each of them, so the
interest rows overlap and do not add up to the total. Each row is a few
aggregate SELECTs over the sessions of the interest's activities
(`activity_id IN (...)`, one small set per interest; the interests come
from the activities of the report, a few rows): sessions, seats, hours,
the distinct volunteers with a seat and the distinct engaged ones, and the
approved self-logged hours entered for those activities. New volunteers and
retention need each volunteer's whole history and are not given by
interest (null).

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

from sqlalchemy import and_, case, distinct, func, select

from ..extensions import db
from ..models import Activity, Assignment, Session
from ..models.selfservice import HoursEntry
from ..models.types import utcnow
from . import reports
from .reports import SUPPRESSED, THRESHOLD, Report

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


def _raw_row(report: Report, activity_ids: list[int], now: datetime) -> dict[str, Any]:
    start = reports._utc(report.first, report.scope.zone)
    stop = reports._utc(report.end, report.scope.zone)
    in_period = and_(Session.activity_id.in_(activity_ids), Session.start >= start,
                     Session.start < stop)
    held = and_(Session.status != "cancelled", Session.end <= now)
    needed = reports._slots_per_session(activity_ids)
    r = reports._empty_row()
    for activity_id, n_held, n_cancelled, n_open, participants in db.session.execute(
        select(Session.activity_id,
               func.sum(case((held, 1), else_=0)),
               func.sum(case((Session.status == "cancelled", 1), else_=0)),
               func.sum(case((Session.status != "cancelled", 1), else_=0)),
               func.sum(case((held, func.coalesce(Session.participants, 0)), else_=0)))
        .where(in_period).group_by(Session.activity_id)
    ).all():
        r["sessions_held"] += int(n_held or 0)
        r["sessions_cancelled"] += int(n_cancelled or 0)
        r["slots_needed"] += int(n_open or 0) * needed.get(activity_id, 0)
        r["participants_reached"] += int(participants or 0)
    duration = reports._hours(Session.start, Session.end)
    engaged = reports._engaged_condition(now)
    filled, planned, attended_h, attended, no_shows, base, n_engaged = db.session.execute(
        select(func.count(), func.sum(duration),
               func.sum(case((Assignment.attendance == "attended", duration), else_=0.0)),
               func.sum(case((Assignment.attendance == "attended", 1), else_=0)),
               func.sum(case((Assignment.attendance == "no_show", 1), else_=0)),
               func.count(distinct(Assignment.volunteer_id)),
               func.count(distinct(case((engaged, Assignment.volunteer_id)))))
        .select_from(Session.__table__.join(Assignment.__table__,
                                            Assignment.session_id == Session.id))
        .where(in_period, Assignment.status == "confirmed", Session.status != "cancelled")
    ).one()
    r.update(slots_filled=int(filled or 0), hours_planned=float(planned or 0),
             hours_attended=float(attended_h or 0), attended=int(attended or 0),
             no_shows=int(no_shows or 0), volunteers_engaged=int(n_engaged or 0),
             _base=int(base or 0))
    logged, loggers = db.session.execute(
        select(func.sum(HoursEntry.hours), func.count(distinct(HoursEntry.volunteer_id)))
        .where(HoursEntry.status == "approved", HoursEntry.activity_id.in_(activity_ids),
               HoursEntry.day >= report.first, HoursEntry.day < report.end)
    ).one()
    r["hours_logged"] = float(logged or 0)
    r["_loggers"] = int(loggers or 0)
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
        hidden_sum = sum(reports._raw(a, name) for a in hidden)
        if len(hidden) == 1 or (name in reports.COUNTED and 0 < hidden_sum < THRESHOLD):
            row[name] = SUPPRESSED
    if SUPPRESSED in (row.get("hours_attended"), row.get("hours_logged")):
        row["hours_given"] = SUPPRESSED
    if row.get("slots_filled") == SUPPRESSED:
        row["fill_rate"] = SUPPRESSED
    if SUPPRESSED in (row.get("no_shows"), row.get("attended")) and row.get("no_show_rate") is not None:
        row["no_show_rate"] = SUPPRESSED
    if row.get("volunteers_engaged") == SUPPRESSED and row.get("volunteers_per_1000") is not None:
        row["volunteers_per_1000"] = SUPPRESSED


def by_interest(report: Report, now: datetime | None = None) -> list[dict[str, Any]]:
    """One suppressed row per interest of the report's activities: interest,
    activity_ids and the figures. `report` must have been made with
    by_activity=True (its activity rows, as suppressed, are what a reader
    could subtract)."""
    if not report.by_activity:
        raise ValueError("figures by interest need the report's activity rows")
    now = now or utcnow()
    activity_rows = {a["activity_id"]: a for a in report.activities}
    rows = []
    for interest, ids in interests_of(sorted(activity_rows)).items():
        row = {"interest": interest, "activity_ids": ids, **_raw_row(report, ids, now)}
        reports.suppress([row], population=report.scope.population)
        for name in NOT_BY_INTEREST + ("retention",):
            row[name] = None
        _hide_what_subtraction_would_reveal(row, [activity_rows[i] for i in ids])
        rows.append(row)
    return rows
