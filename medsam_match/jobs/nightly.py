"""Nightly planning: every active centre gets a `plan` run once per night.

A tick (every minute, from APScheduler) looks, for each centre, at the most
recent nightly time in its municipality's zone (default 02:00). If that moment
has passed less than the grace period ago, the night's run is inserted; the
runs service inserts it (`queue_nightly_run`, the one place runs are created);
the unique key (centre_id, night) in the database makes a second insert fail, so
however many processes tick, each centre gets exactly one run per night. A
night missed by more than the grace period (the service was down) is recorded
as a failed run saying so, for centres that were planned nightly before, so
nobody is left unaware.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Centre, MatchRun, Municipality
from ..models.types import utcnow
from ..services.runs import queue_nightly_run

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler
    from flask import Flask

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NightlySettings:
    at: time = time(2, 0)
    horizon_days: int = 14
    grace: timedelta = timedelta(hours=6)
    time_limit_s: float = 60.0

    @classmethod
    def from_config(cls, config: dict) -> NightlySettings:  # type: ignore[type-arg]
        hour, minute = (int(part) for part in str(config.get("MEDSAM_NIGHTLY_TIME", "02:00")).split(":"))
        return cls(
            at=time(hour, minute),
            horizon_days=int(config.get("MEDSAM_PLANNING_HORIZON_DAYS", 14)),
            grace=timedelta(hours=float(config.get("MEDSAM_NIGHTLY_GRACE_HOURS", 6))),
            time_limit_s=float(config.get("MEDSAM_NIGHTLY_TIME_LIMIT_S", 60)),
        )


def last_due(now: datetime, zone: ZoneInfo, at: time) -> tuple[date, datetime]:
    """The latest night whose planning time is not after `now`, and that moment."""
    local = now.astimezone(zone)
    night = local.date()
    moment = datetime.combine(night, at, tzinfo=zone)
    if moment > now:
        night -= timedelta(days=1)
        moment = datetime.combine(night, at, tzinfo=zone)
    return night, moment


def _planned_before(centre_id: int, night: date) -> bool:
    return db.session.scalar(
        select(MatchRun.id).where(MatchRun.centre_id == centre_id, MatchRun.night < night).limit(1)
    ) is not None


def nightly_tick(now: datetime | None = None, settings: NightlySettings | None = None) -> list[int]:
    """Insert tonight's run for every centre that has none yet; returns new run ids."""
    now = now or utcnow()
    settings = settings or NightlySettings.from_config(current_app.config)
    created: list[int] = []
    rows = db.session.execute(
        select(Centre.id, Municipality.timezone)
        .join(Municipality, Centre.municipality_id == Municipality.id)
        .where(Centre.active.is_(True))
        .order_by(Centre.id)
    ).all()
    for centre_id, zone_name in rows:
        night, moment = last_due(now, ZoneInfo(zone_name), settings.at)
        exists = db.session.scalar(
            select(MatchRun.id).where(MatchRun.centre_id == centre_id, MatchRun.night == night)
        )
        if exists is not None:
            continue
        missed = now - moment > settings.grace
        if missed and not _planned_before(centre_id, night):
            # A new centre or a new installation: nothing was missed.
            continue
        error = None
        if missed:
            error = (
                f"the nightly plan for {night.isoformat()} was missed: the service was not "
                f"running at {settings.at.strftime('%H:%M')} nor within the "
                f"{settings.grace.total_seconds() / 3600:g} hours after; start a run by hand"
            )
        run = queue_nightly_run(
            centre_id, night, moment, moment + timedelta(days=settings.horizon_days),
            settings.time_limit_s, missed=error, now=now,
        )
        if run is None:
            continue  # another process inserted this night's run first
        if missed:
            log.error("centre %s: %s", centre_id, error)
        else:
            created.append(run.id)
    return created


def guarded(app: Flask, name: str, work: Callable[[], object]) -> Callable[[], None]:
    """`work` as a scheduler job: in the app's context, its error logged and
    rolled back (the scheduler keeps ticking), the session removed after."""

    def job() -> None:
        with app.app_context():
            try:
                work()
            except Exception:  # noqa: BLE001 - keep ticking
                log.exception("%s failed", name)
                db.session.rollback()
            finally:
                db.session.remove()

    return job


def scheduler_with_ticks(app: Flask) -> BackgroundScheduler:
    """A background APScheduler (not started) with the nightly tick every
    minute (and once at start-up, which catches up a night missed within the
    grace period) and the attendance default hourly
    (jobs/attendance_default.py)."""
    from apscheduler.schedulers.background import BackgroundScheduler

    from .attendance_default import attendance_tick

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(guarded(app, "nightly tick", nightly_tick), "interval", minutes=1,
                      id="nightly-tick", next_run_time=utcnow(), max_instances=1, coalesce=True)
    scheduler.add_job(guarded(app, "attendance tick", attendance_tick), "interval", hours=1,
                      id="attendance-default", next_run_time=utcnow(), max_instances=1,
                      coalesce=True)
    return scheduler


def start_scheduler(app: Flask) -> BackgroundScheduler:
    """Without a broker: the nightly and attendance ticks, started."""
    scheduler = scheduler_with_ticks(app)
    scheduler.start()
    return scheduler
