"""/my/profile: the volunteer's own availability and profile.

Weekly windows (add, change, remove), away periods (first and last day),
interests from the centre's list, languages by name, how far they travel,
sessions and hours a week at most, contact details and how messages reach
them; skills and certificates (with their expiry) shown, not editable.

The form becomes the body of PATCH /api/v1/volunteers/{id} and is checked by
the API's own schema (`VolunteerPatchSchema`), then stored by the same
service with the volunteer's own principal (`services.own_profile`), so the
page accepts exactly what the API accepts and every error names its field.
Seats the change makes impossible are listed on the page after saving; the
coordinators are told by the service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError

from api.volunteers.schemas import VolunteerPatchSchema

from ..domain_errors import Invalid, Stale
from ..extensions import db
from ..models import Assignment, Volunteer
from ..models.types import utcnow
from ..services import own_profile
from ..services.interests import centre_interests
from ..services.languages import language_choices, language_name
from . import signin
from .i18n import LANGUAGE_NAMES, LANGUAGES
from .listing import view_of, volunteer_zone
from .my_texts import rule_label
from .views import _render, _to_page, bp
from .volunteer_form import WEEKDAYS, away_days, away_interval, blank_none, certificate_views

CHANNELS = ("email", "sms", "both", "none")
MAX_ROWS = 200  # as many windows as the API takes
BROKEN_KEY = "profile_broken"

# What each field's error says to the volunteer (the API's own words are English).
FIELD_ERRORS = {
    "window": _l("Check the times: from and to as hours and minutes (00:00 to 23:59), "
                 "and not the same time."),
    "away": _l("Give the first and the last day away; the last must not be before the first."),
    "interests": _l("Choose among your volunteer centre's interests."),
    "languages": _l("Choose a language from the list."),
    "name": _l("Give your name (at most 200 characters)."),
    "email": _l("This is not an e-mail address."),
    "phone": _l("This is not a phone number, e.g. +47 912 34 567."),
    "max_travel_km": _l("Give a number of kilometres, 0 or more (or leave it empty)."),
    "max_sessions_per_week": _l("Give a whole number from 0 to 100 (or leave it empty)."),
    "max_hours_per_week": _l("Give a number of hours from 0 to 168 (or leave it empty)."),
    "notify_channel": _l("Choose how messages reach you."),
    "reminders": _l("Choose whether you want reminders."),
    "language": _l("Choose a language from the list."),
}


@dataclass
class Form:
    """What the form shows, and how its rows map to the body's list items."""

    values: dict[str, Any]
    window_rows: list[int]  # body index -> form row
    away_rows: list[int]


def _number(raw: str, whole: bool) -> Any:
    """A number typed (comma or point); text that is none goes to the schema as
    it is, so the schema's error names the field."""
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        return int(text) if whole else float(text)
    except ValueError:
        return text


def _day_bounds(first: str, last: str, zone: ZoneInfo) -> dict[str, str]:
    """An away period as the API takes it: from the first day's midnight to
    the midnight after the last day, local time. Days that are no dates go
    on as they were typed (the schema names them)."""
    try:
        first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return {"start": first, "end": last}
    return away_interval(first_day, last_day, zone)


def body_from_form(volunteer: Volunteer, zone: ZoneInfo) -> tuple[dict[str, Any], Form]:
    form = request.form
    windows, window_rows, shown_windows = [], [], []
    for row in range(MAX_ROWS + 1):
        if f"win-{row}-day" not in form:
            continue
        day, start, end = (form.get(f"win-{row}-{part}", "").strip()
                           for part in ("day", "start", "end"))
        removed = form.get(f"win-{row}-remove") == "on"
        shown_windows.append({"row": row, "day": day, "start": start, "end": end,
                              "removed": removed})
        if removed or not (start or end):
            continue
        window_rows.append(row)
        windows.append({"weekday": int(day) if day.isdecimal() else day, "start": start,
                        "end": end})
    away, away_rows, shown_away = [], [], []
    for row in range(MAX_ROWS + 1):
        if f"away-{row}-first" not in form:
            continue
        first = form.get(f"away-{row}-first", "").strip()
        last = form.get(f"away-{row}-last", "").strip()
        removed = form.get(f"away-{row}-remove") == "on"
        shown_away.append({"row": row, "first": first, "last": last, "removed": removed})
        if removed or not (first or last):
            continue
        away_rows.append(row)
        away.append(_day_bounds(first, last or first, zone))
    languages = [code for code in form.getlist("languages") if code]
    if form.get("add_language"):
        languages.append(form["add_language"])
    body: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "email": form.get("email", "").strip() or None,
        "phone": form.get("phone", "").strip() or None,
        "weekly_availability": windows,
        "unavailable": away,
        "interests": form.getlist("interests"),
        "languages": list(dict.fromkeys(languages)),
        "max_travel_km": _number(form.get("max_travel_km", ""), whole=False),
        "max_sessions_per_week": _number(form.get("max_sessions_per_week", ""), whole=True),
        "max_hours_per_week": _number(form.get("max_hours_per_week", ""), whole=False),
        "notify_channel": form.get("notify_channel", volunteer.notify_channel),
        "reminders": form.get("reminders") == "on",
        "language": form.get("language") or None,
    }
    values = {
        **{key: form.get(key, "") for key in ("name", "email", "phone", "max_travel_km",
                                              "max_sessions_per_week", "max_hours_per_week")},
        "windows": shown_windows, "away": shown_away,
        "interests": body["interests"], "languages": body["languages"],
        "notify_channel": body["notify_channel"], "reminders": body["reminders"],
        "language": form.get("language", ""),
    }
    return body, Form(values, window_rows, away_rows)


def stored_form(volunteer: Volunteer, zone: ZoneInfo) -> Form:
    windows = [{"row": row, "day": str(w["weekday"]), "start": w["start"], "end": w["end"],
                "removed": False}
               for row, w in enumerate(volunteer.weekly_availability or [])]
    away = [{"row": row, **away_days(interval, zone), "removed": False}
            for row, interval in enumerate(volunteer.unavailable or [])]
    values = {
        "name": volunteer.name, "email": volunteer.email or "", "phone": volunteer.phone or "",
        "max_travel_km": blank_none(volunteer.max_travel_km),
        "max_sessions_per_week": blank_none(volunteer.max_sessions_per_week),
        "max_hours_per_week": blank_none(volunteer.max_hours_per_week),
        "windows": windows, "away": away,
        "interests": list(volunteer.interests or []),
        "languages": list(volunteer.languages or []),
        "notify_channel": volunteer.notify_channel, "reminders": volunteer.reminders,
        "language": volunteer.language or "",
    }
    return Form(values, list(range(len(windows))), list(range(len(away))))


def form_errors(error: ValidationError | Invalid, form: Form) -> dict[str, str]:
    """The schema's or the service's errors by the form's own fields:
    `weekly_availability.2.end` -> `win-<row>`, `unavailable.0.end` ->
    `away-<row>`, `interests.1` -> `interests`."""
    raw = error.normalized_messages() if isinstance(error, ValidationError) else error.errors
    errors: dict[str, str] = {}

    def place(path: list[str]) -> None:
        head = path[0]
        index = int(path[1]) if len(path) > 1 and path[1].isdecimal() else None
        if head == "weekly_availability":
            key = f"win-{form.window_rows[index]}" if index is not None \
                and index < len(form.window_rows) else "windows"
            errors.setdefault(key, str(FIELD_ERRORS["window"]))
        elif head == "unavailable":
            key = f"away-{form.away_rows[index]}" if index is not None \
                and index < len(form.away_rows) else "away"
            errors.setdefault(key, str(FIELD_ERRORS["away"]))
        elif head in ("lat", "lon"):
            errors.setdefault("max_travel_km", str(FIELD_ERRORS["max_travel_km"]))
        else:
            errors.setdefault(head, str(FIELD_ERRORS.get(head, FIELD_ERRORS["name"])))

    def walk(path: list[str], value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk([*path, str(key)], inner)
        elif path:
            place(".".join(path).split("."))

    walk([], raw)
    return errors


@dataclass(frozen=True)
class BrokenSeat:
    view: Any
    reasons: list[str]


def _broken_seats(volunteer: Volunteer, broken: dict[str, list[str]]) -> list[BrokenSeat]:
    zone = volunteer_zone(volunteer)
    seats = []
    for assignment_id, rules in broken.items():
        row = db.session.get(Assignment, int(assignment_id))
        if row is not None and row.volunteer_id == volunteer.id:
            seats.append(BrokenSeat(view_of(row, zone), [rule_label(r) for r in rules]))
    seats.sort(key=lambda s: s.view.start)
    return seats


def _render_form(volunteer: Volunteer, form: Form, status: int = 200,
                 errors: dict[str, str] | None = None) -> Any:
    zone = volunteer_zone(volunteer)
    today = datetime.now(zone).date()
    offered = centre_interests(volunteer.centre_id)
    interests = list(dict.fromkeys([*offered, *(volunteer.interests or [])]))
    spoken = [(code, language_name(code, g.language)) for code in form.values["languages"]]
    broken = session.pop(BROKEN_KEY, None) if status == 200 else None
    return _render(
        "my/profile.html", status, volunteer=volunteer, v=form.values, errors=errors or {},
        weekdays=[str(day) for day in WEEKDAYS], interests=interests, spoken=spoken,
        all_languages=[(c, n) for c, n in language_choices(g.language)
                       if c not in form.values["languages"]],
        skills=list(volunteer.skills or []),
        certificates=certificate_views(volunteer, today),
        broken=_broken_seats(volunteer, broken) if broken else [],
        channels=CHANNELS, today=today,
        message_languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
    )


@bp.get("/profile")
def profile() -> Any:
    signed_in = g.signed_in
    if signed_in is None:
        return _to_page()
    volunteer = signed_in.volunteer
    return _render_form(volunteer, stored_form(volunteer, volunteer_zone(volunteer)))


@bp.post("/profile")
def save_profile() -> Any:
    signed_in = g.signed_in
    if signed_in is None:
        return _to_page()
    signin.check_csrf()
    volunteer = signed_in.volunteer
    body, form = body_from_form(volunteer, volunteer_zone(volunteer))
    try:
        data = VolunteerPatchSchema().load(body)
    except ValidationError as error:
        return _render_form(volunteer, form, 422, form_errors(error, form))
    try:
        expected = {int(request.form.get("version", ""))}
    except ValueError:
        expected = None
    try:
        saved = own_profile.save_own_profile(signed_in.principal, data, expected, utcnow())
    except Stale:
        db.session.rollback()
        flash(_("Your profile was changed elsewhere meanwhile. Here is what is stored now; "
                "make your change again."), "error")
        return redirect(url_for("web.profile"), code=303)
    except Invalid as error:
        db.session.rollback()
        db.session.refresh(volunteer)
        return _render_form(volunteer, form, 422, form_errors(error, form))
    if saved.broken:
        session[BROKEN_KEY] = {str(k): list(v) for k, v in saved.broken.items()}
    flash(_("Saved. Your changes count from the next plan."), "success")
    return redirect(url_for("web.profile"), code=303)
