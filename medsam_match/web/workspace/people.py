"""Volunteers: list, search and filter; create and edit (weekly availability,
away periods, interests, skills, languages by name, certificates with
warnings 30 days before they run out); a one-time sign-in link with its QR
code.

A form is turned into the API's body and checked by the API's own schema,
so a page accepts exactly what the API accepts, and every error names its
field. Saving calls the volunteers service with the signed-in user's
principal (outside the user's scope: 404).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError

from api.volunteers.schemas import VolunteerBodySchema, VolunteerPatchSchema

from ...domain_errors import DomainError, Invalid, NotFound, Stale
from ...extensions import db
from ...models import Centre, Volunteer
from ...services import board as board_service
from ...services import hours as hours_service
from ...services import invites as invite_service
from ...services import volunteers as volunteer_service
from ...services.languages import language_choices, language_name
from ..volunteer_form import WEEKDAYS, away_days, away_interval, blank_none, certificate_views
from .blueprint import add_nav, bp, render_page

PAGE_SIZE = 50
# Languages most centres meet, offered as check boxes (the rest in a list).
COMMON_LANGUAGES = ("no", "da", "sv", "en", "ar", "so", "ti", "uk", "pl", "fa", "ps", "ku",
                    "de", "es", "fr", "ru")
EXTRA_ROWS = 2

add_nav("staff.volunteers", _l("Volunteers"))


def _zone_of(centre: Centre) -> ZoneInfo:
    return ZoneInfo(centre.municipality.timezone)


def _centre_id() -> int:
    centre_id = current_user.principal.centre_id
    if centre_id is not None:
        return int(centre_id)
    try:
        return int(request.values.get("centre", ""))
    except ValueError:
        abort(404)


def _centre() -> Centre:
    try:
        return board_service.visible_centre(current_user.principal, _centre_id())
    except NotFound:
        abort(404)


def _volunteer_or_404(volunteer_id: int) -> Volunteer:
    try:
        return volunteer_service.get_volunteer(current_user.principal, volunteer_id)
    except NotFound:
        abort(404)


# --- the list ---------------------------------------------------------------------

@bp.get("/volunteers")
@login_required
def volunteers() -> Any:
    if current_user.principal.centre_id is None and "centre" not in request.args:
        return redirect(url_for("staff.overview"), code=303)
    centre = _centre()
    filters: dict[str, Any] = {"centre_id": centre.id}
    q = request.args.get("q", "").strip()[:200]
    if q:
        filters["q"] = q
    language = request.args.get("language", "")
    if language:
        filters["language"] = language
    shown = request.args.get("shown", "active")
    if shown in ("active", "inactive"):
        filters["active"] = shown == "active"
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        page = 1
    stmt = volunteer_service.volunteers_query(current_user.principal, filters)
    rows = list(db.session.scalars(stmt.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    today = datetime.now(_zone_of(centre)).date()
    return render_page(
        "staff/volunteers.html", centre=centre, rows=rows[:PAGE_SIZE],
        more=len(rows) > PAGE_SIZE, page=page, q=q, language=language, shown=shown,
        language_options=language_choices(g.language), language_name=_language_name,
        certificates=lambda v: certificate_views(v, today), centre_arg=_centre_arg(),
    )


def _language_name(code: str) -> str:
    return language_name(code, g.language)


def _centre_arg() -> dict[str, Any]:
    return {} if current_user.principal.centre_id is not None else {"centre": _centre_id()}


# --- the form ---------------------------------------------------------------------

def _split_tags(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _number(name: str, errors: dict[str, str], whole: bool) -> float | int | None:
    raw = request.form.get(name, "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        return int(raw) if whole else float(raw)
    except ValueError:
        errors[name] = _("Give a number.")
        return None


def body_from_form(zone: ZoneInfo) -> tuple[dict[str, Any], dict[str, str]]:
    """The API body the form describes, and errors of fields the form itself reads."""
    form = request.form
    errors: dict[str, str] = {}
    body: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip() or None,
        "phone": form.get("phone", "").strip() or None,
        "skills": _split_tags(form.get("skills", "")),
        "interests": _split_tags(form.get("interests", "")),
        "languages": list(dict.fromkeys(
            [code for code in form.getlist("languages") if code]
            + ([form["other_language"]] if form.get("other_language") else []))),
        "active": form.get("active") == "on",
        "max_hours_per_week": _number("max_hours_per_week", errors, whole=False),
        "max_sessions_per_week": _number("max_sessions_per_week", errors, whole=True),
    }
    weekly = []
    for weekday in range(7):
        for index in range(10):
            start = form.get(f"avail-{weekday}-{index}-start", "").strip()
            end = form.get(f"avail-{weekday}-{index}-end", "").strip()
            if start or end:
                weekly.append({"weekday": weekday, "start": start, "end": end})
    body["weekly_availability"] = weekly
    away = []
    for index in range(50):
        first = form.get(f"away-{index}-first", "").strip()
        last = form.get(f"away-{index}-last", "").strip()
        if not first and not last:
            continue
        try:
            first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
        except ValueError:
            errors[f"away-{index}"] = _("Give the first and the last day away.")
            continue
        if last_day < first_day:
            errors[f"away-{index}"] = _("The last day must not be before the first.")
            continue
        away.append(away_interval(first_day, last_day, zone))
    body["unavailable"] = away
    certificates = []
    for index in range(20):
        kind = form.get(f"cert-{index}-kind", "").strip()
        until = form.get(f"cert-{index}-until", "").strip()
        if kind or until:
            certificates.append({"kind": kind, "valid_until": until})
    body["certificates"] = certificates
    return body, errors


def _form_errors(error: ValidationError | Invalid) -> dict[str, str]:
    """Schema errors by the form's field names: `weekly_availability.3.end` -> `weekly.3`."""
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


def _form_values(volunteer: Volunteer | None, zone: ZoneInfo) -> dict[str, Any]:
    """What the form shows: the stored volunteer, or what was just sent."""
    if request.method == "POST":
        body, _errors = body_from_form(zone)
        return _as_form(body, zone)
    if volunteer is None:
        return _as_form({"active": True}, zone)
    return _as_form({
        "name": volunteer.name, "email": volunteer.email, "phone": volunteer.phone,
        "skills": volunteer.skills or [], "interests": volunteer.interests or [],
        "languages": volunteer.languages or [], "active": volunteer.active,
        "max_hours_per_week": volunteer.max_hours_per_week,
        "max_sessions_per_week": volunteer.max_sessions_per_week,
        "weekly_availability": volunteer.weekly_availability or [],
        "unavailable": volunteer.unavailable or [],
        "certificates": volunteer.certificates or [],
    }, zone)


def _as_form(body: dict[str, Any], zone: ZoneInfo) -> dict[str, Any]:
    by_day: dict[int, list[dict[str, str]]] = {day: [] for day in range(7)}
    for window in body.get("weekly_availability", []):
        by_day[int(window["weekday"])].append(window)
    away = [away_days(interval, zone) for interval in body.get("unavailable", [])]
    return {
        "name": body.get("name") or "", "email": body.get("email") or "",
        "phone": body.get("phone") or "",
        "skills": ", ".join(body.get("skills", [])),
        "interests": ", ".join(body.get("interests", [])),
        "languages": list(body.get("languages", [])),
        "active": bool(body.get("active", True)),
        "max_hours_per_week": blank_none(body.get("max_hours_per_week")),
        "max_sessions_per_week": blank_none(body.get("max_sessions_per_week")),
        "weekly": {day: windows + [{"start": "", "end": ""}] for day, windows in by_day.items()},
        "away": away + [{"first": "", "last": ""}] * EXTRA_ROWS,
        "certificates": list(body.get("certificates", [])) + [{"kind": "", "valid_until": ""}],
    }


def _render_form(centre: Centre, volunteer: Volunteer | None, status: int = 200,
                 errors: dict[str, str] | None = None, invite: dict[str, Any] | None = None) -> Any:
    zone = _zone_of(centre)
    values = _form_values(volunteer, zone)
    today = datetime.now(zone).date()
    common = list(dict.fromkeys([*COMMON_LANGUAGES, *values["languages"]]))
    return render_page(
        "staff/volunteer_form.html", status, centre=centre, volunteer=volunteer, v=values,
        errors=errors or {}, weekdays=[str(day) for day in WEEKDAYS],
        common_languages=[(code, language_name(code, g.language)) for code in common],
        all_languages=language_choices(g.language),
        certificates=certificate_views(volunteer, today) if volunteer else [],
        invite=invite, centre_arg=_centre_arg(),
        hours=hours_service.volunteer_hours(current_user.principal, volunteer.id)
        if volunteer else None,
    )


@bp.get("/volunteers/new")
@login_required
def new_volunteer() -> Any:
    return _render_form(_centre(), None)


@bp.post("/volunteers/new")
@login_required
def create_volunteer() -> Any:
    centre = _centre()
    body, errors = body_from_form(_zone_of(centre))
    body["centre_id"] = centre.id
    try:
        data = VolunteerBodySchema().load(body)
    except ValidationError as error:
        errors.update(_form_errors(error))
    if errors:
        return _render_form(centre, None, 422, errors)
    try:
        volunteer = volunteer_service.create_volunteer(current_user.principal, data)
    except Invalid as error:
        return _render_form(centre, None, 422, _form_errors(error))
    flash(_("%(name)s is added.", name=volunteer.name), "success")
    return redirect(url_for("staff.volunteer_page", volunteer_id=volunteer.id), code=303)


@bp.get("/volunteers/<int:volunteer_id>")
@login_required
def volunteer_page(volunteer_id: int) -> Any:
    volunteer = _volunteer_or_404(volunteer_id)
    return _render_form(volunteer.centre, volunteer)


@bp.post("/volunteers/<int:volunteer_id>")
@login_required
def save_volunteer(volunteer_id: int) -> Any:
    volunteer = _volunteer_or_404(volunteer_id)
    centre = volunteer.centre
    body, errors = body_from_form(_zone_of(centre))
    try:
        data = VolunteerPatchSchema().load(body)
    except ValidationError as error:
        errors.update(_form_errors(error))
    if errors:
        return _render_form(centre, volunteer, 422, errors)
    try:
        expected = {int(request.form.get("version", ""))}
    except ValueError:
        expected = None
    try:
        volunteer_service.update_volunteer(current_user.principal, volunteer_id, data, expected)
    except Stale:
        db.session.rollback()
        flash(_("Someone else changed this volunteer meanwhile. Here is what is stored now; "
                "make your change again."), "error")
        return redirect(url_for("staff.volunteer_page", volunteer_id=volunteer_id), code=303)
    except Invalid as error:
        return _render_form(centre, volunteer, 422, _form_errors(error))
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("staff.volunteer_page", volunteer_id=volunteer_id), code=303)
    flash(_("Saved."), "success")
    return redirect(url_for("staff.volunteer_page", volunteer_id=volunteer_id), code=303)


@bp.post("/volunteers/<int:volunteer_id>/invite")
@login_required
def invite_volunteer(volunteer_id: int) -> Any:
    """A one-time sign-in link, shown once with its QR code (only its hash is kept)."""
    volunteer = _volunteer_or_404(volunteer_id)
    try:
        new = invite_service.create_invite(current_user.principal, volunteer_id)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("staff.volunteer_page", volunteer_id=volunteer_id), code=303)
    url = url_for("web.invite", code=new.code, _external=True)
    zone = _zone_of(volunteer.centre)
    invite = {
        "url": url,
        "qr": invite_service.qr_svg(url, _("Sign-in link for %(name)s", name=volunteer.name)),
        "expires": new.invite.expires_at.astimezone(zone),
    }
    return _render_form(volunteer.centre, volunteer, invite=invite)
