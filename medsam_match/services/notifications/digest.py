"""The coordinator's morning digest after the nightly run: the slots the
plan left empty (with the reason in words, services/run_report), the
declines of the last day, and the certificates expiring within 30 days.

Enqueued in the same transaction as the nightly run's publishing, once per
run and coordinator (the dedup key), and held back until 07:00 local so it
arrives in the morning.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...language import role_name, when
from ...models import Activity, Assignment, Centre, MatchRun, Session, Volunteer
from ...models.types import utcnow
from .outbox import add_rows_once, coordinator_rows

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


def _when(start: datetime | None, end: datetime | None, zone: ZoneInfo, language: str) -> str:
    if start is None:
        return ""
    return when(start.astimezone(zone), (end or start).astimezone(zone), language=language)


def digest_context(payload: dict[str, Any], zone: ZoneInfo, language: str) -> dict[str, Any]:
    from ..run_report import unfilled_for_people

    run = db.session.get(MatchRun, payload["run_id"])
    unfilled: list[dict[str, Any]] = []
    if run is not None:
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
    return {"unfilled": unfilled, "declines": declines, "certificates": certificates}
