"""/my/hours and /my/data: the hours a volunteer gave and logs, and their
personal data.

- Hours given are `services.hours.volunteer_hours`: seats marked attended
  plus approved logged hours, never the plan; pending hours apart.
- Logging hours: the form becomes the body of POST /api/v1/hours, checked by
  the API's own schema, stored by `hours.log_hours` with the volunteer's own
  principal (pending until a coordinator approves). A pending entry can be
  withdrawn.
- My data: the JSON of GET /api/v1/volunteers/{id}/export
  (`services.export`), and asking to be erased (`services.erasure`; the
  coordinator confirms, or the request erases at once where configured).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import select

from api.hours.resources import HoursEntrySchema

from ..domain_errors import Conflict, Invalid, NotFound
from ..extensions import db
from ..models import Activity
from ..models.types import utcnow
from ..services import attendance as attendance_service
from ..services import erasure as erasure_service
from ..services import export as export_service
from ..services import hours as hours_service
from . import signin
from .listing import view_of, volunteer_zone
from .views import _render, _to_page, bp

MAX_ENTRIES_SHOWN = 50
MAX_SESSIONS_SHOWN = 20
HOURS_ERRORS = {
    "day": _l("Give the day you did the work: today or earlier, within the last year."),
    "hours": _l("Give the hours: more than 0, and at most 24 in one day."),
    "activity_id": _l("Choose one of your centre's activities, or none."),
    "note": _l("The note is too long (at most 1000 characters)."),
}


def _activities(centre_id: int) -> list[tuple[int, str]]:
    return [(row.id, row.title) for row in db.session.execute(
        select(Activity.id, Activity.title).where(Activity.centre_id == centre_id)
        .order_by(Activity.title, Activity.id))]


def _hours_page(status: int = 200, errors: dict[str, str] | None = None,
                sent: dict[str, str] | None = None) -> Any:
    volunteer = g.signed_in.volunteer
    principal = g.signed_in.principal
    summary = hours_service.volunteer_hours(principal)
    entries = list(db.session.scalars(
        hours_service.hours_query(principal, {}).limit(MAX_ENTRIES_SHOWN)))
    zone = volunteer_zone(volunteer)
    today = utcnow().astimezone(zone).date()
    # The sessions they had a confirmed seat in, newest first, with whether they came.
    sessions = [(view_of(row, zone), row.attendance) for row in db.session.scalars(
        attendance_service.attendance_query(principal, {}).limit(MAX_SESSIONS_SHOWN))]
    return _render("my/hours.html", status, summary=summary, entries=entries,
                   sessions=sessions,
                   activities=_activities(volunteer.centre_id), errors=errors or {},
                   sent=sent or {"day": today.isoformat()}, today=today)


@bp.get("/hours")
def hours() -> Any:
    if g.signed_in is None:
        return _to_page()
    return _hours_page()


def _hours_number(raw: str) -> Any:
    text = raw.strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return text  # the schema names the field


@bp.post("/hours")
def log_hours() -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    form = request.form
    sent = {key: form.get(key, "") for key in ("day", "hours", "activity_id", "note")}
    activity = sent["activity_id"].strip()
    body: dict[str, Any] = {
        "day": sent["day"].strip(), "hours": _hours_number(sent["hours"]),
        "activity_id": int(activity) if activity.isdecimal() else (activity or None),
        "note": sent["note"].strip(),
    }
    try:
        data = HoursEntrySchema().load(body)
        hours_service.log_hours(g.signed_in.principal, data)
    except (ValidationError, Invalid) as error:
        db.session.rollback()
        raw = error.normalized_messages() if isinstance(error, ValidationError) else error.errors
        errors = {key: str(HOURS_ERRORS.get(key, HOURS_ERRORS["hours"])) for key in raw}
        return _hours_page(422, errors, sent)
    flash(_("Thank you! Your hours are logged and wait for your volunteer centre's approval."),
          "success")
    return redirect(url_for("web.hours"), code=303)


@bp.post("/hours/<int:entry_id>/withdraw")
def withdraw_hours(entry_id: int) -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    try:
        hours_service.withdraw_hours(g.signed_in.principal, entry_id)
    except NotFound:
        return _render("my/error.html", 404, message=_("That entry was not found."))
    except Conflict:
        db.session.rollback()
        flash(_("This entry was approved or rejected already, so it cannot be withdrawn."),
              "error")
        return redirect(url_for("web.hours"), code=303)
    flash(_("The entry is withdrawn."), "success")
    return redirect(url_for("web.hours"), code=303)


# --- my data --------------------------------------------------------------------

@bp.get("/data")
def my_data() -> Any:
    if g.signed_in is None:
        return _to_page()
    volunteer = g.signed_in.volunteer
    zone = volunteer_zone(volunteer)
    requested = volunteer.erasure_requested_at.astimezone(zone) \
        if volunteer.erasure_requested_at else None
    return _render("my/data.html", volunteer=volunteer, requested=requested,
                   at_once=erasure_service.erasure_at_once())


@bp.get("/data.json")
def my_data_json() -> Any:
    if g.signed_in is None:
        return _to_page()
    volunteer_id = g.signed_in.volunteer.id
    document = export_service.export_volunteer(g.signed_in.principal, volunteer_id)
    body = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="medsam-personal-data-{volunteer_id}.json"'})


@bp.post("/data/erasure")
def ask_erasure() -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    if request.form.get("understood") != "on":
        flash(_("Tick the box to confirm that you understand what erasure means."), "error")
        return redirect(url_for("web.my_data"), code=303)
    volunteer = erasure_service.request_erasure(g.signed_in.principal, g.signed_in.volunteer.id)
    if volunteer.erased_at is not None:
        signin.sign_out()
        flash(_("Your personal data has been erased and you are signed out. Thank you for "
                "what you gave."), "info")
        return _to_page()
    flash(_("Your request is sent. Your volunteer centre will erase your data and you will be "
            "signed out then."), "success")
    return redirect(url_for("web.my_data"), code=303)


@bp.post("/data/erasure/withdraw")
def withdraw_erasure() -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    try:
        erasure_service.withdraw_erasure_request(g.signed_in.principal,
                                                 g.signed_in.volunteer.id)
    except Conflict:
        db.session.rollback()
    flash(_("Your request to be erased is withdrawn."), "success")
    return redirect(url_for("web.my_data"), code=303)
