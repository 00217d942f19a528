"""Figures for a centre, a municipality or the learning network, over a period.

Everything is counted in the database: each query below is one aggregate
SELECT ... GROUP BY over sessions (and their assignments), filtered on the
indexed session.start and activity.centre_id; only the aggregates come back
(a few rows per period bucket and activity), never the assignments.

Periods are cut into buckets (week, month, quarter, year) at local midnight
in the scope's time zone; each bucket's bounds are passed to SQL as a CASE
on session.start, so ISO weeks and local month ends are right on SQLite and
PostgreSQL alike.

Definitions (docs/reports.md says the same for readers):

- a session counts in the bucket its start falls in; open sessions that no
  run has placed yet (no start) are not counted;
- held: not cancelled and ended before now; cancelled: status cancelled;
- slots needed: the sum of the roles' minimum over sessions not cancelled;
  slots filled: confirmed assignments of those sessions; fill rate = filled / needed;
- hours given: hours of confirmed assignments marked attended, plus approved
  self-logged hours (hours_entry, by its day); hours planned, shown apart:
  hours of every confirmed assignment of a session not cancelled, whether or
  not attendance was recorded;
- volunteers engaged: distinct volunteers with a confirmed seat in a held
  session not marked no-show; new: engaged whose first engagement ever falls
  in the bucket; retained: engaged in the bucket and in the one before;
  retention = retained / engaged in the bucket before;
- no-show rate = no-shows / (attended + no-shows), over recorded attendance;
- volunteers per 1,000 inhabitants: engaged / population x 1000 (municipality
  and network scopes, when the population is known);
- participants reached: the sum of the participants counted on held sessions.

Small-number suppression (`suppress`): every figure resting on fewer than 5
volunteers becomes the string "< 5", on the server, before JSON, CSV, XLSX
or a page sees it; so does a second figure among siblings that would let a
reader work the first out by subtraction from the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    distinct,
    false,
    func,
    literal,
    or_,
    select,
)

from ..auth import Principal
from ..domain_errors import Invalid, NotFound
from ..extensions import db
from ..models import Activity, Assignment, Centre, Municipality, Session, Volunteer
from ..models.selfservice import HoursEntry
from ..models.types import MAX_ID, utcnow

GROUP_BYS = ("week", "month", "quarter", "year")
SUPPRESSED = "< 5"
THRESHOLD = 5
MAX_BUCKETS = 400
NETWORK_ZONE = "Europe/Oslo"

# Figures that rest on volunteers: suppressed when the row's volunteers are
# fewer than THRESHOLD. Sessions, slots needed and participants rest on
# sessions, not on people, and stay.
PERSON_FIGURES = (
    "slots_filled", "hours_given", "hours_attended", "hours_logged", "hours_planned",
    "volunteers_engaged", "new_volunteers", "retained", "no_shows", "attended",
)
# Counts of people or events about people: a value 1..4 is suppressed on its own.
SMALL_COUNTS = ("volunteers_engaged", "new_volunteers", "retained", "no_shows")
# Figures that add up over sibling rows (buckets of a total, activities of a
# bucket): a lone suppressed one could be worked out from the total.
ADDITIVE = ("slots_filled", "hours_given", "hours_attended", "hours_logged", "hours_planned",
            "new_volunteers", "no_shows", "attended")

FIGURES = (
    "sessions_held", "sessions_cancelled", "slots_needed", "slots_filled", "fill_rate",
    "hours_given", "hours_attended", "hours_logged", "hours_planned",
    "volunteers_engaged", "new_volunteers", "retained", "retention",
    "attended", "no_shows", "no_show_rate", "volunteers_per_1000", "participants_reached",
)


# --- scope -----------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    kind: str  # centre | municipality | network
    id: int | None
    name: str
    zone: ZoneInfo
    population: int | None
    locale: str = "nb"
    municipality_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.kind}:{self.id}" if self.id is not None else self.kind

    def centre_filter(self, centre: Any = Centre) -> ColumnElement[bool]:
        if self.kind == "centre":
            return centre.id == self.id
        if not self.municipality_ids:
            return false()
        return centre.municipality_id.in_(self.municipality_ids)


def parse_scope(text: str | None) -> tuple[str, int | None]:
    """"centre:3", "municipality:1" or "network"; Invalid naming `scope` otherwise."""
    message = 'give "centre:ID", "municipality:ID" or "network"'
    if not text:
        raise Invalid({"scope": [f"missing; {message}"]})
    if text == "network":
        return "network", None
    kind, _, number = text.partition(":")
    if kind not in ("centre", "municipality") or not number.isdigit():
        raise Invalid({"scope": [f"{text[:40]!r} is not a scope; {message}"]})
    value = int(number)
    if not 0 < value <= MAX_ID:
        raise NotFound(kind)
    return kind, value


def opted_in_ids() -> tuple[int, ...]:
    return tuple(db.session.scalars(
        select(Municipality.id).where(Municipality.network_opt_in.is_(True))
        .order_by(Municipality.id)
    ))


def resolve_scope(p: Principal, kind: str, scope_id: int | None) -> Scope:
    """The scope if the principal may see its figures; NotFound otherwise.

    admin: everything. municipality staff: its municipality and its centres.
    coordinator: its centre and its municipality's totals. volunteers: none.
    network: the opted-in municipalities together, for admins and for staff
    of an opted-in municipality.
    """
    if p.role == "volunteer":
        raise NotFound(kind)
    if kind == "centre":
        centre = db.session.get(Centre, scope_id) if scope_id else None
        if centre is None:
            raise NotFound("centre")
        allowed = (p.is_admin or (p.role == "municipality"
                                  and p.municipality_id == centre.municipality_id)
                   or (p.role == "coordinator" and p.centre_id == centre.id))
        if not allowed:
            raise NotFound("centre")
        municipality = centre.municipality
        return Scope("centre", centre.id, centre.name, _zone(municipality.timezone), None,
                     municipality.locale, (municipality.id,))
    if kind == "municipality":
        municipality = db.session.get(Municipality, scope_id) if scope_id else None
        if municipality is None or not (p.is_admin or p.municipality_id == municipality.id):
            raise NotFound("municipality")
        return Scope("municipality", municipality.id, municipality.name,
                     _zone(municipality.timezone), municipality.population,
                     municipality.locale, (municipality.id,))
    ids = opted_in_ids()
    if not p.is_admin and (p.municipality_id is None or p.municipality_id not in ids):
        raise NotFound("network")
    population = db.session.scalar(
        select(func.sum(Municipality.population)).where(Municipality.id.in_(ids))
    ) if ids else None
    missing = db.session.scalar(
        select(func.count()).select_from(Municipality)
        .where(Municipality.id.in_(ids), Municipality.population.is_(None))
    ) if ids else 1
    return Scope("network", None, "network", ZoneInfo(NETWORK_ZONE),
                 int(population) if population and not missing else None, "nb", ids)


def municipality_scope(municipality: Municipality) -> Scope:
    """The scope of one municipality, without a permission check (the network)."""
    return Scope("municipality", municipality.id, municipality.name,
                 _zone(municipality.timezone), municipality.population,
                 municipality.locale, (municipality.id,))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


# --- periods ---------------------------------------------------------------

@dataclass(frozen=True)
class Bucket:
    key: str  # 2026-W05, 2026-03, 2026-Q1, 2026
    first_day: date
    end_day: date  # exclusive
    start: datetime  # UTC
    end: datetime  # UTC, exclusive


def _next_start(day: date, group_by: str) -> date:
    if group_by == "week":
        return day - timedelta(days=day.weekday()) + timedelta(days=7)
    if group_by == "month":
        return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    if group_by == "quarter":
        month = (day.month - 1) // 3 * 3 + 4
        return date(day.year + (month > 12), (month - 1) % 12 + 1, 1)
    return date(day.year + 1, 1, 1)


def _key(day: date, group_by: str) -> str:
    if group_by == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if group_by == "month":
        return f"{day.year}-{day.month:02d}"
    if group_by == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def _utc(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def buckets(first: date, end: date, group_by: str, zone: ZoneInfo) -> list[Bucket]:
    """[first, end) cut at the group's boundaries (the first and last may be partial)."""
    out: list[Bucket] = []
    day = first
    while day < end:
        following = min(_next_start(day, group_by), end)
        out.append(Bucket(_key(day, group_by), day, following, _utc(day, zone),
                          _utc(following, zone)))
        day = following
    return out


def check_period(first: date | None, end: date | None, group_by: str | None,
                 today: date | None = None) -> tuple[date, date, str]:
    """Defaults: this calendar year up to and including today, by month.
    `end` is inclusive for callers (to=2026-12-31) and exclusive afterwards."""
    today = today or utcnow().date()
    group = group_by or "month"
    errors: dict[str, list[str]] = {}
    if group not in GROUP_BYS:
        errors["group_by"] = [f"must be one of {', '.join(GROUP_BYS)}"]
    first = first or date(today.year, 1, 1)
    last = end or date(first.year, 12, 31)
    if last < first:
        errors["to"] = ["must not be before from"]
    if errors:
        raise Invalid(errors)
    end_exclusive = last + timedelta(days=1)
    if group in GROUP_BYS and len(buckets(first, end_exclusive, group, ZoneInfo("UTC"))) > MAX_BUCKETS:
        raise Invalid({"to": [f"the period has more than {MAX_BUCKETS} {group}s; "
                              "choose a shorter period or a longer group_by"]})
    return first, end_exclusive, group


# --- SQL pieces ------------------------------------------------------------

def _hours(start: Any, end: Any) -> ColumnElement[Any]:
    if db.engine.dialect.name == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24.0
    return func.extract("epoch", end - start) / 3600.0


def _bucket_index(column: Any, cuts: list[Bucket], low: int = 0,
                  high: int | None = None) -> ColumnElement[Any]:
    """0.. for the bucket `column` (already within the period) falls in: a
    CASE nested as a binary search, so a year of weeks costs 6 comparisons
    a row, not 26 on average."""
    high = len(cuts) - 1 if high is None else high
    if low == high:
        return literal(low)
    middle = (low + high) // 2
    return case((column < cuts[middle].end, _bucket_index(column, cuts, low, middle)),
                else_=_bucket_index(column, cuts, middle + 1, high))


def _day_bucket_index(column: Any, cuts: list[Bucket]) -> ColumnElement[Any]:
    if len(cuts) == 1:
        return literal(0)
    return case(*[(column < b.end_day, i) for i, b in enumerate(cuts[:-1])],
                else_=len(cuts) - 1)


def _engaged_condition(now: datetime) -> ColumnElement[bool]:
    return and_(
        Assignment.status == "confirmed",
        Session.status != "cancelled",
        Session.end <= now,
        or_(Assignment.attendance.is_(None), Assignment.attendance != "no_show"),
    )


def _scoped_sessions(scope: Scope, start: datetime, end: datetime) -> Any:
    """FROM session JOIN activity JOIN centre WHERE scope AND start in [start, end)."""
    return (
        Session.__table__.join(Activity.__table__, Activity.id == Session.activity_id)
        .join(Centre.__table__, Centre.id == Activity.centre_id)
    ), and_(scope.centre_filter(), Session.start >= start, Session.start < end)


# --- the report ------------------------------------------------------------

@dataclass
class Report:
    scope: Scope
    first: date
    end: date  # exclusive
    group_by: str
    by_activity: bool
    totals: dict[str, Any]
    periods: list[dict[str, Any]]
    activities: list[dict[str, Any]] = field(default_factory=list)  # totals per activity
    period_activities: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scope": self.scope.label,
            "name": self.scope.name,
            "from": self.first.isoformat(),
            "to": (self.end - timedelta(days=1)).isoformat(),
            "group_by": self.group_by,
            "population": self.scope.population,
            "suppression": {"threshold": THRESHOLD, "shown_as": SUPPRESSED},
            "totals": public(self.totals),
            "periods": [public(r) for r in self.periods],
        }
        if self.by_activity:
            out["activities"] = [public(r) for r in self.activities]
            out["period_activities"] = [public(r) for r in self.period_activities]
        return out


def _empty_row() -> dict[str, Any]:
    return {
        "sessions_held": 0, "sessions_cancelled": 0, "slots_needed": 0, "slots_filled": 0,
        "hours_attended": 0.0, "hours_logged": 0.0, "hours_planned": 0.0,
        "attended": 0, "no_shows": 0, "participants_reached": 0,
        "volunteers_engaged": 0, "new_volunteers": 0, "retained": None,
        "_base": 0, "_loggers": 0, "_previous_engaged": None,
    }


def report(scope: Scope, first: date, end: date, group_by: str,
           by_activity: bool = False, now: datetime | None = None) -> Report:
    """The figures of `scope` over [first, end), suppressed."""
    now = now or utcnow()
    cuts = buckets(first, end, group_by, scope.zone)
    start, stop = cuts[0].start, cuts[-1].end
    joined, where = _scoped_sessions(scope, start, stop)
    index = _bucket_index(Session.start, cuts).label("b")

    rows: dict[tuple[int | None, int | None], dict[str, Any]] = {}

    def row(b: int | None, a: int | None) -> dict[str, Any]:
        return rows.setdefault((b, a), _empty_row())

    # 1. Sessions per bucket and activity (slots needed from the activity's roles).
    held = and_(Session.status != "cancelled", Session.end <= now)
    session_rows = db.session.execute(
        select(
            index, Session.activity_id,
            func.sum(case((held, 1), else_=0)),
            func.sum(case((Session.status == "cancelled", 1), else_=0)),
            func.sum(case((Session.status != "cancelled", 1), else_=0)),
            func.sum(case((held, func.coalesce(Session.participants, 0)), else_=0)),
        ).select_from(joined).where(where).group_by(index, Session.activity_id)
    ).all()
    activity_ids = sorted({r[1] for r in session_rows})
    needed_per_session = _slots_per_session(activity_ids)
    for b, activity_id, n_held, n_cancelled, n_open, participants in session_rows:
        for key in ((b, activity_id), (b, None), (None, activity_id), (None, None)):
            target = row(*key)
            target["sessions_held"] += int(n_held or 0)
            target["sessions_cancelled"] += int(n_cancelled or 0)
            target["slots_needed"] += int(n_open or 0) * needed_per_session.get(activity_id, 0)
            target["participants_reached"] += int(participants or 0)

    # 2. Seats per bucket (and per activity with by_activity), with the
    # distinct volunteers of each group in the same scan.
    duration = _hours(Session.start, Session.end)
    seat_join = joined.join(Assignment.__table__, Assignment.session_id == Session.id)
    seat_where = and_(where, Assignment.status == "confirmed", Session.status != "cancelled")
    engaged = _engaged_condition(now)
    seat_figures = (
        func.count(),
        func.sum(duration),
        func.sum(case((Assignment.attendance == "attended", duration), else_=0.0)),
        func.sum(case((Assignment.attendance == "attended", 1), else_=0)),
        func.sum(case((Assignment.attendance == "no_show", 1), else_=0)),
        func.count(distinct(Assignment.volunteer_id)),
        func.count(distinct(case((engaged, Assignment.volunteer_id)))),
    )
    # Per bucket; with by_activity per bucket and activity instead (the
    # buckets' sums follow, their distinct volunteers come from step 3) and
    # per activity.
    levels: list[tuple[bool, bool]] = (
        [(True, True), (False, True)] if by_activity else [(True, False)])
    least_base: dict[int, int] = {}  # bucket -> most volunteers of one of its activities
    for by_bucket, by_act in levels:
        columns: list[Any] = ([index] if by_bucket else []) + (
            [Session.activity_id] if by_act else [])
        for values in db.session.execute(
            select(*columns, *seat_figures).select_from(seat_join).where(seat_where)
            .group_by(*columns)
        ).all():
            b = values[0] if by_bucket else None
            a = values[1 if by_bucket else 0] if by_act else None
            filled, planned, attended_h, attended, no_shows, base, n_engaged = values[-7:]
            keys = [(b, a)]
            if by_bucket:
                keys += [(b, None), (None, None)] if by_act else [(None, None)]
            for key in keys:
                target = row(*key)
                target["slots_filled"] += int(filled or 0)
                target["hours_planned"] += float(planned or 0)
                target["hours_attended"] += float(attended_h or 0)
                target["attended"] += int(attended or 0)
                target["no_shows"] += int(no_shows or 0)
            target = row(b, a)
            target["_base"] = int(base or 0)
            target["volunteers_engaged"] = int(n_engaged or 0)
            if by_bucket and by_act:
                least_base[b] = max(least_base.get(b, 0), int(base or 0))
    if by_activity:
        for b, base in least_base.items():
            row(b, None)["_base"] = base  # at least this many
        if any(0 < base < THRESHOLD for base in least_base.values()):
            # Too few in every activity of some bucket to know: count exactly.
            for b, base in db.session.execute(
                select(index, func.count(distinct(Assignment.volunteer_id)))
                .select_from(seat_join).where(seat_where).group_by(index)
            ).all():
                row(b, None)["_base"] = int(base or 0)

    # 3. Engagement per volunteer and bucket over the scope's whole history,
    # in one scan: engaged, new (no earlier engagement ever), retained (in
    # the bucket before too), and for the total the same against the period
    # of the same length before.
    _engagement(scope, cuts, group_by, engaged, row, first, end)
    totals = row(None, None)
    buckets_base = max((r["_base"] for (b, a), r in rows.items()
                        if b is not None and a is None), default=0)
    if buckets_base >= THRESHOLD:
        totals["_base"] = buckets_base  # at least this many: enough to show the figures
    else:
        totals["_base"] = int(db.session.scalar(
            select(func.count(distinct(Assignment.volunteer_id)))
            .select_from(seat_join).where(seat_where)) or 0)

    # 6. Approved self-logged hours, by their day, of the scope's volunteers.
    day_index = _day_bucket_index(HoursEntry.day, cuts).label("b")
    for b, hours, loggers in db.session.execute(
        select(day_index, func.sum(HoursEntry.hours), func.count(distinct(HoursEntry.volunteer_id)))
        .select_from(HoursEntry.__table__
                     .join(Volunteer.__table__, Volunteer.id == HoursEntry.volunteer_id)
                     .join(Centre.__table__, Centre.id == Volunteer.centre_id))
        .where(scope.centre_filter(), HoursEntry.status == "approved",
               HoursEntry.day >= first, HoursEntry.day < end)
        .group_by(day_index)
    ).all():
        row(b, None)["hours_logged"] += float(hours or 0)
        row(b, None)["_loggers"] = int(loggers or 0)
    total_loggers = db.session.scalar(
        select(func.count(distinct(HoursEntry.volunteer_id)))
        .select_from(HoursEntry.__table__
                     .join(Volunteer.__table__, Volunteer.id == HoursEntry.volunteer_id)
                     .join(Centre.__table__, Centre.id == Volunteer.centre_id))
        .where(scope.centre_filter(), HoursEntry.status == "approved",
               HoursEntry.day >= first, HoursEntry.day < end)
    )
    row(None, None)["_loggers"] = int(total_loggers or 0)
    row(None, None)["hours_logged"] = sum(
        r["hours_logged"] for (b, a), r in rows.items() if b is not None and a is None)
    if by_activity and activity_ids:
        # An entry logged for an activity counts in that activity's rows too
        # (one without an activity only in the totals and periods).
        for columns in ([day_index, HoursEntry.activity_id], [HoursEntry.activity_id]):
            for values in db.session.execute(
                select(*columns, func.sum(HoursEntry.hours),
                       func.count(distinct(HoursEntry.volunteer_id)))
                .where(HoursEntry.status == "approved", HoursEntry.day >= first,
                       HoursEntry.day < end, HoursEntry.activity_id.in_(activity_ids))
                .group_by(*columns)
            ).all():
                target = row(values[0] if len(columns) == 2 else None, values[-3])
                target["hours_logged"] += float(values[-2] or 0)
                target["_loggers"] = int(values[-1] or 0)

    for r in rows.values():
        r["hours_given"] = r["hours_attended"] + r["hours_logged"]

    titles = _titles(activity_ids) if by_activity else {}
    totals = rows.get((None, None), _empty_row())
    periods = []
    for i, cut in enumerate(cuts):
        entry = {"period": cut.key, "from": cut.first_day.isoformat(),
                 "to": (cut.end_day - timedelta(days=1)).isoformat(), **rows.get((i, None), _empty_row())}
        periods.append(entry)
    activities = [
        {"activity_id": a, "title": titles.get(a, ""), **rows[(None, a)]}
        for a in activity_ids if (None, a) in rows
    ] if by_activity else []
    period_activities = [
        {"period": cuts[b].key, "activity_id": a, "title": titles.get(a, ""), **r}
        for (b, a), r in sorted(rows.items(), key=lambda item: (item[0][0] or 0, item[0][1] or 0))
        if b is not None and a is not None
    ] if by_activity else []

    suppress([totals], population=scope.population)
    suppress(periods, parent=totals, population=scope.population)
    if by_activity:
        suppress(activities, parent=totals, population=scope.population)
        for i, cut in enumerate(cuts):
            suppress([r for r in period_activities if r["period"] == cut.key],
                     parent=periods[i], population=scope.population)
    return Report(scope, first, end, group_by, by_activity, totals, periods,
                  activities, period_activities)


def _slots_per_session(activity_ids: list[int]) -> dict[int, int]:
    """Seats each session of an activity needs: the sum of its roles' minimum
    (one small row per activity, not per session)."""
    if not activity_ids:
        return {}
    out = {}
    for activity_id, roles in db.session.execute(
        select(Activity.id, Activity.roles).where(Activity.id.in_(activity_ids))
    ).all():
        out[activity_id] = sum(int(role.get("min", 1) or 0) for role in roles or [])
    return out


def _titles(activity_ids: list[int]) -> dict[int, str]:
    if not activity_ids:
        return {}
    return dict(db.session.execute(
        select(Activity.id, Activity.title).where(Activity.id.in_(activity_ids))
    ).all())


def _engagement(scope: Scope, cuts: list[Bucket], group_by: str,
                engaged: ColumnElement[bool], row: Any, first: date, end: date) -> None:
    """Volunteers engaged, new and retained, per bucket and for the period.

    Buckets of the period are 0..n-1; -1 is the bucket before the first,
    -2 the rest of the period of the same length before `first`, -3 all
    that is older. One row per (volunteer, bucket) with engagement; LAG and
    LEAD over each volunteer's rows tell whether the bucket before had them
    (retained), whether anything before did (not new), and whether the
    volunteer was engaged in the period before (the total's retention).
    """
    seats = (Session.__table__.join(Activity.__table__, Activity.id == Session.activity_id)
             .join(Centre.__table__, Centre.id == Activity.centre_id)
             .join(Assignment.__table__, Assignment.session_id == Session.id))
    previous_bucket = _utc(_bucket_start(
        _bucket_start(cuts[0].first_day, group_by) - timedelta(days=1), group_by), scope.zone)
    previous_period = min(_utc(first - (end - first), scope.zone), previous_bucket)
    code = case(
        (Session.start < previous_period, -3),
        (Session.start < previous_bucket, -2),
        (Session.start < cuts[0].start, -1),
        *[(Session.start < c.end, i) for i, c in enumerate(cuts[:-1])],
        else_=len(cuts) - 1,
    ).label("b")
    pairs = (
        select(Assignment.volunteer_id.label("v"), code)
        .select_from(seats)
        .where(scope.centre_filter(), engaged, Session.start < cuts[-1].end)
        .group_by(Assignment.volunteer_id, code)
        .subquery()
    )
    ordered_pairs = select(
        pairs.c.v, pairs.c.b,
        func.lag(pairs.c.b).over(partition_by=pairs.c.v, order_by=pairs.c.b).label("pb"),
        func.lead(pairs.c.b).over(partition_by=pairs.c.v, order_by=pairs.c.b).label("nb"),
    ).subquery()
    o = ordered_pairs.c
    in_period_first = and_(o.b >= 0, or_(o.pb.is_(None), o.pb < 0))
    totals = row(None, None)
    totals["volunteers_engaged"] = 0
    totals["new_volunteers"] = 0
    totals["retained"] = 0
    totals["_previous_engaged"] = 0
    counts: dict[int, int] = {}
    for b, n, retained, new, firsts, retained_total, previous_total in db.session.execute(
        select(
            o.b, func.count(),
            func.sum(case((o.pb == o.b - 1, 1), else_=0)),
            func.sum(case((o.pb.is_(None), 1), else_=0)),
            func.sum(case((in_period_first, 1), else_=0)),
            func.sum(case((and_(in_period_first, o.pb.in_((-2, -1))), 1), else_=0)),
            func.sum(case((and_(o.b.in_((-2, -1)), or_(o.nb.is_(None), o.nb >= 0)), 1),
                          else_=0)),
        ).group_by(o.b)
    ).all():
        counts[int(b)] = int(n)
        totals["_previous_engaged"] += int(previous_total or 0)
        if b < 0:
            continue
        target = row(int(b), None)
        target["volunteers_engaged"] = int(n)  # distinct engaged volunteers of the bucket
        target["retained"] = int(retained or 0)
        target["new_volunteers"] = int(new or 0)
        totals["volunteers_engaged"] += int(firsts or 0)
        totals["new_volunteers"] += int(new or 0)
        totals["retained"] += int(retained_total or 0)
    for i in range(len(cuts)):
        target = row(i, None)
        target["_previous_engaged"] = counts.get(i - 1, 0)
        if target["retained"] is None:
            target["retained"] = 0


def _bucket_start(day: date, group_by: str) -> date:
    if group_by == "week":
        return day - timedelta(days=day.weekday())
    if group_by == "month":
        return day.replace(day=1)
    if group_by == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


# --- suppression -------------------------------------------------------------

def suppress(rows: list[dict[str, Any]], parent: dict[str, Any] | None = None,
             population: int | None = None) -> None:
    """Replaces, in place, every figure resting on fewer than THRESHOLD
    volunteers by "< 5", then derives the rates from what is left.

    1. A row whose volunteers (anyone with a confirmed seat in it) number
       1..4 has all its person figures suppressed; a count of people or
       no-shows of 1..4 is suppressed on its own; self-logged hours of
       fewer than 5 people too.
    2. Rates are worked out only from figures that are shown.
    3. Among siblings under a shown total (`parent`), see `suppress_siblings`.
    """
    for r in rows:
        r["_raw"] = {name: r.get(name) for name in ADDITIVE}
        base = r.pop("_base", 0)
        loggers = r.pop("_loggers", 0)
        for name in PERSON_FIGURES:
            if 0 < base < THRESHOLD and name != "hours_logged":
                r[name] = SUPPRESSED
        for name in SMALL_COUNTS:
            value = r.get(name)
            if isinstance(value, int) and 0 < value < THRESHOLD:
                r[name] = SUPPRESSED
        if 0 < loggers < THRESHOLD:
            r["hours_logged"] = SUPPRESSED
        if SUPPRESSED in (r.get("hours_attended"), r.get("hours_logged")):
            r["hours_given"] = SUPPRESSED
        previous = r.get("_previous_engaged")
        if isinstance(previous, int) and 0 < previous < THRESHOLD:
            r["retained"] = SUPPRESSED
        _derive(r, population)
    if parent is not None:
        suppress_siblings(rows, parent)


# Counts whose suppressed cells must together hide at least THRESHOLD: a
# reader who subtracts the shown ones from the total learns their sum.
COUNTED = ("slots_filled", "new_volunteers", "no_shows", "attended")


def suppress_siblings(rows: list[dict[str, Any]], parent: dict[str, Any]) -> None:
    """Among rows that add up to `parent`, a figure suppressed in exactly one
    row would follow by subtraction from the parent's: the smallest other
    value of that figure is suppressed as well (and the rates built on it).
    For counts, more are suppressed until the hidden ones together hold at
    least THRESHOLD (or none is left), so that the difference says nothing
    about fewer than 5."""
    if len(rows) < 2:
        return
    for name in ADDITIVE:
        if parent.get(name) == SUPPRESSED:
            continue
        while True:
            hidden = [r for r in rows if r.get(name) == SUPPRESSED]
            if not hidden:
                break
            shown = [r for r in rows if _is_number(r.get(name)) and r[name]]
            if not too_few_hidden(hidden, name) or not shown:
                break
            min(shown, key=lambda r: r[name])[name] = SUPPRESSED
    for r in rows:
        hide_derived(r)


def too_few_hidden(hidden: list[dict[str, Any]], name: str) -> bool:
    """Whether the rows hiding `name` (siblings under a shown total) still
    let a reader learn something by subtraction: one hidden value is the
    total minus the shown ones; hidden counts must together hold at least
    THRESHOLD."""
    hidden_sum = sum(_raw(r, name) for r in hidden)
    return len(hidden) == 1 or (name in COUNTED and 0 < hidden_sum < THRESHOLD)


def hide_derived(r: dict[str, Any]) -> None:
    """The figures worked out from a hidden one are hidden too."""
    if SUPPRESSED in (r.get("hours_attended"), r.get("hours_logged")):
        r["hours_given"] = SUPPRESSED
    if r.get("slots_filled") == SUPPRESSED:
        r["fill_rate"] = SUPPRESSED
    if SUPPRESSED in (r.get("no_shows"), r.get("attended")) and r.get("no_show_rate") is not None:
        r["no_show_rate"] = SUPPRESSED
    if r.get("volunteers_engaged") == SUPPRESSED and r.get("volunteers_per_1000") is not None:
        r["volunteers_per_1000"] = SUPPRESSED
    if r.get("retained") == SUPPRESSED and r.get("retention") is not None:
        r["retention"] = SUPPRESSED


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _raw(row: dict[str, Any], name: str) -> float:
    """The value a suppressed figure had (kept on the server only, `_raw`)."""
    value = row.get("_raw", {}).get(name, 0)
    return value if _is_number(value) else 0


def public(row: dict[str, Any]) -> dict[str, Any]:
    """The row without what stays on the server (the suppressed values)."""
    return {key: value for key, value in row.items() if key != "_raw"}


def _ratio(numerator: Any, denominator: Any, scale: float = 1.0) -> Any:
    if numerator == SUPPRESSED or denominator == SUPPRESSED:
        return SUPPRESSED
    if not denominator or numerator is None:
        return None
    return round(numerator / denominator * scale, 4)


def _derive(r: dict[str, Any], population: int | None) -> None:
    previous = r.pop("_previous_engaged", None)
    r["fill_rate"] = _ratio(r["slots_filled"], r["slots_needed"])
    recorded: Any
    if SUPPRESSED in (r["attended"], r["no_shows"]):
        recorded = SUPPRESSED
    else:
        recorded = r["attended"] + r["no_shows"]
    r["no_show_rate"] = _ratio(r["no_shows"], recorded)
    if r.get("retained") is None or previous is None:
        r["retention"] = None
    elif previous and 0 < previous < THRESHOLD:
        r["retention"] = SUPPRESSED
    else:
        r["retention"] = _ratio(r["retained"], previous)
    r["volunteers_per_1000"] = (_ratio(r["volunteers_engaged"], population, 1000.0)
                                if population else None)
    for name in ("hours_given", "hours_attended", "hours_logged", "hours_planned"):
        if isinstance(r.get(name), float):
            r[name] = round(r[name], 2)


def ordered(row: dict[str, Any]) -> list[Any]:
    """A row's figures in FIGURES order (the columns of CSV and XLSX)."""
    return [row.get(name) for name in FIGURES]

