"""Planning from the page: make a plan for a window (a dry run), follow it
while it solves, read the result in plain words (slots filled, how close to
the best possible plan, hours per volunteer as a chart, changes against
today's plan), publish it; and the centre's run history.

Routes call the run services with the signed-in user's principal, as the
API does (services/runs, services/run_report); outside the user's scope a
run or centre is 404.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ...domain_errors import DomainError, Invalid, LimitReached, NotFound
from ...extensions import db
from ...models import Centre, MatchRun
from ...services import board as board_service
from ...services import run_report
from ...services import runs as run_service
from ..i18n import when
from .blueprint import add_nav, bp, render_page

DEFAULT_DAYS = 14
MAX_DAYS = 62
HISTORY_LENGTH = 20
TRIGGER_LABELS = {
    "api": _l("By hand"),
    "cli": _l("By hand"),
    "nightly": _l("Nightly"),
    "decline": _l("After a decline"),
}
STATUS_LABELS = {
    "queued": _l("Waiting to start"),
    "running": _l("Solving"),
    "succeeded": _l("Done"),
    "failed": _l("Failed"),
    "cancelled": _l("Cancelled"),
}

add_nav("staff.planning", _l("Planning"))


def _centre() -> Centre:
    """The user's centre; municipality staff and admins name one with ?centre=."""
    centre_id = current_user.principal.centre_id
    if centre_id is None:
        try:
            centre_id = int(request.values.get("centre", ""))
        except ValueError:
            abort(404)
    try:
        return board_service.visible_centre(current_user.principal, centre_id)
    except NotFound:
        abort(404)


def _zone(centre: Centre) -> ZoneInfo:
    return ZoneInfo(centre.municipality.timezone)


def _history(centre: Centre) -> list[dict[str, Any]]:
    """The centre's latest runs, newest first, with local times and the outcome in words."""
    stmt = run_service.runs_query(current_user.principal, {"centre_id": centre.id})
    zone = _zone(centre)
    return [
        {
            "run": run,
            "made": run.created_at.astimezone(zone),
            "first": run.window_from.astimezone(zone).date(),
            "last": (run.window_to.astimezone(zone) - timedelta(seconds=1)).date(),
            "trigger": TRIGGER_LABELS.get(run.trigger, run.trigger),
            "outcome": _outcome(run),
        }
        for run in db.session.scalars(stmt.limit(HISTORY_LENGTH))
    ]


def _centre_arg(centre: Centre) -> dict[str, Any]:
    return {} if current_user.principal.centre_id is not None else {"centre": centre.id}


@bp.get("/plan")
@login_required
def planning() -> Any:
    if current_user.principal.centre_id is None and "centre" not in request.args:
        return redirect(url_for("staff.overview"), code=303)
    centre = _centre()
    today = datetime.now(_zone(centre)).date()
    return render_page(
        "staff/planning.html", centre=centre, runs=_history(centre), first=today,
        last=today + timedelta(days=DEFAULT_DAYS - 1), centre_arg=_centre_arg(centre), errors={},
    )


def _read_window(centre: Centre) -> tuple[datetime, datetime] | dict[str, str]:
    """The form's first and last day as [start of first, start of the day after last)."""
    errors: dict[str, str] = {}
    days: dict[str, date] = {}
    for field in ("first", "last"):
        try:
            days[field] = date.fromisoformat(request.form.get(field, ""))
        except ValueError:
            errors[field] = _("Give a date, e.g. 2026-12-14.")
    if not errors and days["last"] < days["first"]:
        errors["last"] = _("The last day must not be before the first.")
    if not errors and (days["last"] - days["first"]).days + 1 > MAX_DAYS:
        errors["last"] = _("A plan covers at most %(days)s days.", days=MAX_DAYS)
    if errors:
        return errors
    zone = _zone(centre)
    start = datetime.combine(days["first"], time(0), tzinfo=zone)
    end = datetime.combine(days["last"] + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


@bp.post("/plan")
@login_required
def make_plan() -> Any:
    centre = _centre()
    window = _read_window(centre)
    if isinstance(window, dict):
        today = datetime.now(_zone(centre)).date()
        return render_page(
            "staff/planning.html", 422, centre=centre, runs=_history(centre),
            first=request.form.get("first") or today, last=request.form.get("last") or today,
            centre_arg=_centre_arg(centre), errors=window,
        )
    time_limit = float(current_app.config.get("MEDSAM_RUN_TIME_LIMIT_S",
                                               run_service.DEFAULT_TIME_LIMIT))
    try:
        run = run_service.create_run(current_user.principal, run_service.RunRequest(
            centre_id=centre.id, window_from=window[0], window_to=window[1], mode="plan",
            dry_run=True, time_limit_s=time_limit))
    except LimitReached:
        flash(_("Plans are already waiting for this centre. Wait until one is done."), "error")
        return redirect(url_for("staff.planning", **_centre_arg(centre)), code=303)
    except Invalid as error:
        flash(_("The plan could not be made: %(why)s", why=_first_message(error)), "error")
        return redirect(url_for("staff.planning", **_centre_arg(centre)), code=303)
    return redirect(url_for("staff.plan_run", run_id=run.id), code=303)


def _run_or_404(run_id: int) -> MatchRun:
    try:
        return run_service.get_run(current_user.principal, run_id)
    except NotFound:
        abort(404)


def _progress(run: MatchRun) -> dict[str, Any]:
    """What the page shows while a run waits or solves."""
    elapsed = 0.0
    if run.started_at is not None:
        started = run.started_at
        now = datetime.now(started.tzinfo)
        elapsed = max(0.0, (now - started).total_seconds())
    limit = max(run.time_limit_s, 1.0)
    return {
        "status": run.status,
        "label": str(STATUS_LABELS.get(run.status, run.status)),
        "done": run.status not in ("queued", "running"),
        "elapsed_s": round(elapsed, 1),
        "limit_s": round(limit, 1),
        "percent": min(99, round(100 * elapsed / limit)) if run.status == "running" else 0,
    }


def _outcome(run: MatchRun) -> str:
    """One line for the history: how the run ended."""
    if run.status == "succeeded" and run.kpis:
        text = _("%(filled)s of %(needed)s places filled",
                 filled=run.kpis.get("filled_min", 0), needed=run.kpis.get("slots_min", 0))
        if run.dry_run and run.published_at is None:
            return text + " · " + _("not published")
        return text + " · " + _("published")
    if run.status == "failed":
        return _("No plan: %(why)s", why=(run.error or "")[:120])
    return str(STATUS_LABELS.get(run.status, run.status))


@bp.get("/plan/runs/<int:run_id>")
@login_required
def plan_run(run_id: int) -> Any:
    run = _run_or_404(run_id)
    centre = run.centre
    report = None
    if run.status == "succeeded":
        hours = run_report.hours_by_volunteer(run)
        report = {
            "kpis": run.kpis or {},
            "quality": run_report.closeness(run),
            "unfilled": _with_when(run_report.unfilled_for_people(run, g.language) or []),
            "changes": {
                name: _with_when(entries) if isinstance(entries, list) else entries
                for name, entries in (run_report.changes_for_people(run) or {}).items()
            },
            "hours": hours,
            "chart": json.dumps({
                "labels": [row["name"] for row in hours],
                "hours": [row["hours"] for row in hours],
                "label": _("Hours in this plan"),
            }),
        }
    return render_page(
        "staff/plan_run.html", run=run, centre=centre, progress=_progress(run), report=report,
        first=run.window_from.astimezone(_zone(centre)).date(),
        last=(run.window_to.astimezone(_zone(centre)) - timedelta(seconds=1)).date(),
        triggers=TRIGGER_LABELS, statuses=STATUS_LABELS, zone=_zone(centre),
        centre_arg=_centre_arg(centre),
    )


@bp.get("/plan/runs/<int:run_id>/progress")
@login_required
def plan_progress(run_id: int) -> Any:
    """The run's state for the page's polling script (JSON)."""
    return jsonify(_progress(_run_or_404(run_id)))


@bp.post("/plan/runs/<int:run_id>/publish")
@login_required
def publish_plan(run_id: int) -> Any:
    run = _run_or_404(run_id)
    try:
        run_service.publish_dry_run(current_user.principal, run.id)
    except DomainError as error:
        flash(_("The plan was not published: %(why)s", why=str(error)), "error")
    else:
        flash(_("The plan is published. The volunteers see their new assignments on their "
                "page and can confirm or decline them."), "success")
    return redirect(url_for("staff.plan_run", run_id=run.id), code=303)


def _with_when(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each entry with `when`: its local start and end in words ('Tirsdag 12. januar kl. 17.00–19.00')."""
    told = []
    for entry in entries:
        start, end = entry.get("start"), entry.get("end")
        text = ""
        if isinstance(start, str) and isinstance(end, str):
            text = when(datetime.fromisoformat(start), datetime.fromisoformat(end))
        told.append({**entry, "when": text})
    return told


def _first_message(error: Invalid) -> str:
    for messages in error.errors.values():
        if messages:
            return str(messages[0])
    return str(error)

