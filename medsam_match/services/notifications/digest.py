"""The coordinator's morning digest after the nightly run: the slots the
plan left empty (with the reason in words, services/run_report), the
declines of the last day, and the certificates expiring within 30 days.

Enqueued in the same transaction as the nightly run's publishing, once per
run and coordinator (the dedup key), and held back until 07:00 local so it
arrives in the morning.

A nightly run that fails (the solver, the publish, a worker that died, or
a night the service was not running) still sends the digest, in the same
transaction as the run's move to `failed`: it says in words that no plan
was made last night, why, and lists the seats of the run's window that are
still short of people (their sessions' roles against the assignments that
stand), so the coordinator knows what to fill by hand or plan again.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...language import role_name, when
from ...models import Activity, Assignment, Centre, MatchRun, Session, Volunteer
from ...models.types import utcnow
from .outbox import add_rows_once, coordinator_rows
from .render import t

MORNING = time(7, 0)
CERTIFICATE_DAYS = 30


def morning_after(now: datetime, zone: ZoneInfo) -> datetime:
    """07:00 local today if that is still ahead, else now."""
    local = now.astimezone(zone)
    moment = datetime.combine(local.date(), MORNING, tzinfo=zone)
    return moment if moment > now else now


def on_nightly_published(run: MatchRun, centre: Centre) -> int:
    now = utcnow()
    zone = ZoneInfo(centre.municipality.timezone)
    return add_rows_once(coordinator_rows(
        centre, "digest", {"run_id": run.id}, now=now, dedup_key=f"digest:run{run.id}",
        not_before=morning_after(now, zone)))


def on_run_failed(run_id: int) -> int:
    """A run just moved to `failed` (in the caller's transaction): when it
    was the nightly one, the morning digest says so. Other runs were started
    by someone who sees the failure where they started it."""
    run = db.session.get(MatchRun, run_id, populate_existing=True)
    if run is None or run.trigger != "nightly":
        return 0
    centre = db.session.get(Centre, run.centre_id)
    if centre is None:
        return 0
    return on_nightly_published(run, centre)


# What a failed night's recorded error means, in words (the error itself is
# technical English; it is shown too, as recorded).
_FAILURE_WORDS = (
    (("was missed",), lambda: t("The service was not running at the nightly planning time.")),
    (("stopped before it finished",), lambda: t("The planning stopped before it finished "
                                                "(the service was restarted or crashed).")),
    # The solver past its time limit, killed (by the kernel), or reported
    # to have run out of memory; one that crashed otherwise (exit code 1
    # and a traceback) is told as the general error below.
    (("did not finish within", "stopped by signal", "out of memory"),
     lambda: t("The planning could not be finished in time or ran out of memory.")),
    (("could not be published",), lambda: t("A plan was found but could not be saved, because "
                                            "the plans changed at the same time.")),
)


def failure_in_words(error: str | None) -> str:
    text = (error or "").lower()
    for markers, words in _FAILURE_WORDS:
        if any(marker in text for marker in markers):
            return words()
    return t("The planning ended with an error.")


def _short_seats(run: MatchRun, zone: ZoneInfo, language: str) -> list[dict[str, Any]]:
    """The window's sessions whose roles still lack people: each role's
    minimum against its proposed and confirmed assignments (one query)."""
    sessions = list(db.session.scalars(
        select(Session).join(Activity, Session.activity_id == Activity.id)
        .where(Activity.centre_id == run.centre_id, Session.status != "cancelled",
               Session.window_start < run.window_to, Session.window_end > run.window_from)
        .options(joinedload(Session.activity), joinedload(Session.place))
        .order_by(Session.window_start, Session.id)
    ).unique())
    standing: dict[tuple[int, str], int] = {}
    if sessions:
        for session_id, role, count in db.session.execute(
            select(Assignment.session_id, Assignment.role, func.count())
            .where(Assignment.session_id.in_([s.id for s in sessions]),
                   Assignment.status.in_(("proposed", "confirmed")))
            .group_by(Assignment.session_id, Assignment.role)
        ):
            standing[(session_id, role)] = int(count)
    short = []
    for session in sessions:
        for role in session.activity.roles or []:
            missing = int(role.get("min", 1) or 0) - standing.get((session.id, role.get("role")), 0)
            if missing > 0:
                short.append({
                    "title": session.activity.title,
                    "when": _when(session.start or session.window_start,
                                  session.end or session.window_end, zone, language),
                    "place": session.place.name if session.place else None,
                    "role": role_name(str(role.get("role"))), "missing": missing,
                    "reason": t("No plan was made for it last night."),
                })
    return short


def _when(start: datetime | None, end: datetime | None, zone: ZoneInfo, language: str) -> str:
    if start is None:
        return ""
    return when(start.astimezone(zone), (end or start).astimezone(zone), language=language)


def digest_context(payload: dict[str, Any], zone: ZoneInfo, language: str) -> dict[str, Any]:
    from ..run_report import unfilled_for_people

    run = db.session.get(MatchRun, payload["run_id"])
    unfilled: list[dict[str, Any]] = []
    failed = run is not None and run.status == "failed"
    if failed:
        assert run is not None
        unfilled = _short_seats(run, zone, language)
    elif run is not None:
        for entry in unfilled_for_people(run, language) or []:
            start = datetime.fromisoformat(entry["start"]) if entry.get("start") else None
            end = datetime.fromisoformat(entry["end"]) if entry.get("end") else None
            unfilled.append({"title": entry.get("title") or "", "when": _when(start, end, zone, language),
                             "place": entry.get("place"), "role": role_name(str(entry.get("role"))),
                             "missing": entry.get("missing", 1), "reason": entry.get("reason") or ""})
    centre_id = run.centre_id if run is not None else None
    now = utcnow()
    declines = []
    certificates = []
    if centre_id is not None:
        rows = db.session.scalars(
            select(Assignment).join(Session, Assignment.session_id == Session.id)
            .join(Activity, Session.activity_id == Activity.id)
            .where(Activity.centre_id == centre_id, Assignment.status == "declined",
                   Assignment.updated_at >= now - timedelta(days=1))
            .options(joinedload(Assignment.volunteer),
                     joinedload(Assignment.session).joinedload(Session.activity))
            .order_by(Session.window_start)
        ).unique()
        for a in rows:
            declines.append({"name": a.volunteer.name, "title": a.session.activity.title,
                             "when": _when(a.session.start or a.session.window_start,
                                           a.session.end or a.session.window_end, zone, language),
                             "reason": a.decline_reason})
        today = now.astimezone(zone).date()
        for volunteer in db.session.scalars(
            select(Volunteer).where(Volunteer.centre_id == centre_id, Volunteer.active.is_(True),
                                    Volunteer.erased_at.is_(None)).order_by(Volunteer.name)
        ):
            for certificate in volunteer.certificates or []:
                try:
                    until = date.fromisoformat(str(certificate.get("valid_until")))
                except ValueError:
                    continue
                if today <= until <= today + timedelta(days=CERTIFICATE_DAYS):
                    certificates.append({"name": volunteer.name,
                                         "kind": str(certificate.get("kind", "")),
                                         "until": until.isoformat()})
    return {"unfilled": unfilled, "declines": declines, "certificates": certificates,
            "failed": failed, "failure": failure_in_words(run.error) if failed and run else "",
            "failure_recorded": (run.error or "") if failed and run else ""}
