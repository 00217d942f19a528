"""Activities: list, create and edit (with their roles: how many people, the
skills, languages and certificate each needs), and sessions made from a
weekly pattern, public holidays left out unless asked otherwise, saying
which were left out.

Forms become the API's bodies and are checked by the API's own schemas;
saving calls the same services as the API with the signed-in user's
principal (outside its scope: 404).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy import func, select

from api.activities.schemas import ActivityPatchSchema, ActivitySchema
from api.sessions.schemas import GenerateSchema

from ...domain_errors import DomainError, Invalid, NotFound, Stale
from ...extensions import db
from ...models import Activity, Centre, Place, Session
from ...services import activities as activity_service
from ...services import board as board_service
from ...services.languages import language_choices, language_name
from ...services.session_generation import generate_sessions
from .blueprint import add_nav, bp, render_page
from .people import WEEKDAYS

ROLE_ROWS_EXTRA = 1
add_nav("staff.activities", _l("Activities"))


def _centre() -> Centre:
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


def _centre_arg() -> dict[str, Any]:
    if current_user.principal.centre_id is not None:
        return {}
    return {"centre": request.values.get("centre", "")}


def _activity_or_404(activity_id: int) -> Activity:
    try:
        return activity_service.get_activity(current_user.principal, activity_id)
    except NotFound:
        abort(404)


def _role_summary(activity: Activity) -> str:
    parts = []
    for role in activity.roles or []:
        text = f"{role['role']} {role.get('min', 1)}–{role.get('max', role.get('min', 1))}"
        if role.get("languages"):
            text += " (" + ", ".join(language_name(c, g.language) for c in role["languages"]) + ")"
        parts.append(text)
    return "; ".join(parts)


@bp.get("/activities")
@login_required
def activities() -> Any:
    if current_user.principal.centre_id is None and "centre" not in request.args:
        return redirect(url_for("staff.overview"), code=303)
    centre = _centre()
    stmt = activity_service.activities_query(current_user.principal, {"centre_id": centre.id})
    rows = list(db.session.scalars(stmt))
    now = datetime.now(ZoneInfo(centre.municipality.timezone))
    upcoming = dict(db.session.execute(
        select(Session.activity_id, func.count())
        .where(Session.activity_id.in_([a.id for a in rows]), Session.window_start >= now,
               Session.status != "cancelled")
        .group_by(Session.activity_id)).all()) if rows else {}
    return render_page("staff/activities.html", centre=centre, rows=rows, upcoming=upcoming,
                       roles=_role_summary, centre_arg=_centre_arg())


# --- the activity form -----------------------------------------------------------------

def _tags(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _body_from_form() -> tuple[dict[str, Any], dict[str, str]]:
    form = request.form
    errors: dict[str, str] = {}
    roles = []
    for index in range(20):
        name = form.get(f"role-{index}-name", "").strip()
        if not name:
            continue
        role: dict[str, Any] = {"role": name,
                                "skills": _tags(form.get(f"role-{index}-skills", "")),
                                "languages": [c for c in form.getlist(f"role-{index}-languages") if c],
                                "certificate": form.get(f"role-{index}-certificate", "").strip() or None}
        for bound in ("min", "max"):
            raw = form.get(f"role-{index}-{bound}", "").strip()
            if raw:
                try:
                    role[bound] = int(raw)
                except ValueError:
                    errors[f"roles.{index}.{bound}"] = _("Give a whole number.")
        roles.append(role)
    body = {
        "title": form.get("title", "").strip(),
        "description": form.get("description", "").strip(),
        "interests": _tags(form.get("interests", "")),
        "roles": roles,
    }
    return body, errors


def _errors_of(error: ValidationError | Invalid) -> dict[str, str]:
    raw = error.normalized_messages() if isinstance(error, ValidationError) else error.errors
    flat: dict[str, str] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            flat.setdefault(prefix, str(value[0]))

    walk("", raw)
    return flat


def _form_values(activity: Activity | None) -> dict[str, Any]:
    if request.method == "POST" and request.endpoint in ("staff.create_activity",
                                                         "staff.save_activity"):
        body, _errors = _body_from_form()
    elif activity is not None:
        body = {"title": activity.title, "description": activity.description or "",
                "interests": activity.interests or [], "roles": activity.roles or []}
    else:
        body = {"title": "", "description": "", "interests": [],
                "roles": [{"role": "", "min": 1, "max": 1}]}
    roles = [dict(r) for r in body["roles"]] + [{"role": "", "min": "", "max": ""}] * ROLE_ROWS_EXTRA
    return {"title": body["title"], "description": body["description"],
            "interests": ", ".join(body["interests"]), "roles": roles}


def _render(centre: Centre, activity: Activity | None, status: int = 200,
            errors: dict[str, str] | None = None, generated: Any = None,
            pattern: dict[str, Any] | None = None) -> Any:
    zone = ZoneInfo(centre.municipality.timezone)
    today = datetime.now(zone).date()
    places = list(db.session.scalars(select(Place).where(
        Place.municipality_id == centre.municipality_id).order_by(Place.name)))
    return render_page(
        "staff/activity_form.html", status, centre=centre, activity=activity,
        v=_form_values(activity), errors=errors or {}, all_languages=language_choices(g.language),
        weekdays=[str(day) for day in WEEKDAYS], places=places, generated=generated,
        p=pattern or {"first": today.isoformat(), "last": (today + timedelta(days=27)).isoformat(),
                      "weekdays": [], "start": "17:00", "end": "19:00", "place_id": "",
                      "skip_holidays": True},
        centre_arg=_centre_arg(),
    )


@bp.get("/activities/new")
@login_required
def new_activity() -> Any:
    return _render(_centre(), None)


@bp.post("/activities/new")
@login_required
def create_activity() -> Any:
    centre = _centre()
    body, errors = _body_from_form()
    body["centre_id"] = centre.id
    try:
        data = ActivitySchema().load(body)
    except ValidationError as error:
        errors.update(_errors_of(error))
    if errors:
        return _render(centre, None, 422, errors)
    try:
        activity = activity_service.create_activity(current_user.principal, data)
    except Invalid as error:
        return _render(centre, None, 422, _errors_of(error))
    flash(_("%(name)s is added. Now make its sessions below.", name=activity.title), "success")
    return redirect(url_for("staff.activity_page", activity_id=activity.id), code=303)


@bp.get("/activities/<int:activity_id>")
@login_required
def activity_page(activity_id: int) -> Any:
    activity = _activity_or_404(activity_id)
    return _render(activity.centre, activity, pattern=_pattern_from_args(activity.centre))


def _pattern_from_args(centre: Centre) -> dict[str, Any] | None:
    """The sessions form filled from ?weekday=&start=&end=&place_id= (an
    imported template's typical week); None without them."""
    args = request.args
    if not any(key in args for key in ("weekday", "start", "end", "place_id")):
        return None
    today = datetime.now(ZoneInfo(centre.municipality.timezone)).date()
    return {"first": today.isoformat(), "last": (today + timedelta(days=27)).isoformat(),
            "weekdays": [int(d) for d in args.getlist("weekday") if d.isdecimal() and int(d) < 7],
            "start": args.get("start", "17:00")[:5], "end": args.get("end", "19:00")[:5],
            "place_id": args.get("place_id", "") if args.get("place_id", "").isdecimal() else "",
            "skip_holidays": True}


@bp.post("/activities/<int:activity_id>")
@login_required
def save_activity(activity_id: int) -> Any:
    activity = _activity_or_404(activity_id)
    body, errors = _body_from_form()
    try:
        data = ActivityPatchSchema().load(body)
    except ValidationError as error:
        errors.update(_errors_of(error))
    if errors:
        return _render(activity.centre, activity, 422, errors)
    try:
        expected = {int(request.form.get("version", ""))}
    except ValueError:
        expected = None
    try:
        activity_service.update_activity(current_user.principal, activity_id, data, expected)
    except Stale:
        db.session.rollback()
        flash(_("Someone else changed this activity meanwhile. Here is what is stored now; "
                "make your change again."), "error")
    except Invalid as error:
        return _render(activity.centre, activity, 422, _errors_of(error))
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("staff.activity_page", activity_id=activity_id), code=303)


# --- sessions from a weekly pattern ------------------------------------------------------

@bp.post("/activities/<int:activity_id>/sessions")
@login_required
def make_sessions(activity_id: int) -> Any:
    activity = _activity_or_404(activity_id)
    centre = activity.centre
    zone = ZoneInfo(centre.municipality.timezone)
    form = request.form
    pattern = {"first": form.get("first", ""), "last": form.get("last", ""),
               "weekdays": [int(d) for d in form.getlist("weekday") if d.isdecimal()],
               "start": form.get("start", ""), "end": form.get("end", ""),
               "place_id": form.get("place_id", ""), "skip_holidays": form.get("skip_holidays") == "on"}
    errors: dict[str, str] = {}
    try:
        first, last = date.fromisoformat(pattern["first"]), date.fromisoformat(pattern["last"])
    except ValueError:
        errors["first"] = _("Give the first and the last day.")
        first = last = date.today()
    if not pattern["weekdays"]:
        errors["weekday"] = _("Pick at least one weekday.")
    body: dict[str, Any] = {
        "from": datetime.combine(first, time(0), tzinfo=zone).isoformat(),
        "to": datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).isoformat(),
        "weekly": [{"weekday": d, "start": pattern["start"], "end": pattern["end"]}
                   for d in pattern["weekdays"]],
        "skip_holidays": pattern["skip_holidays"],
    }
    if pattern["place_id"].isdecimal():
        body["place_id"] = int(pattern["place_id"])
    data = None
    if not errors:
        try:
            data = GenerateSchema().load(body)
        except ValidationError as error:
            for key, message in _errors_of(error).items():
                field = {"from": "first", "to": "last"}.get(key.split(".")[0], key.split(".")[-1])
                errors.setdefault(field, message)
    if errors or data is None:
        return _render(centre, activity, 422, errors, pattern=pattern)
    try:
        generated = generate_sessions(current_user.principal, activity_id, data, g.language)
    except Invalid as error:
        for key, messages in error.errors.items():
            errors.setdefault({"to": "last", "from": "first"}.get(key, key), messages[0])
        return _render(centre, activity, 422, errors, pattern=pattern)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("staff.activity_page", activity_id=activity_id), code=303)
    return _render(centre, activity, generated=generated, pattern=pattern)
