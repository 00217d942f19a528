"""/templates: the library of activity templates (what other centres run,
with what it achieved, "< 5" where a figure rests on fewer than 5
volunteers), one template with its import form, and the import itself.

Importing asks which centre (staff above one centre), which place to hold
the sessions at and whether to drop role requirements the centre cannot
fill. A role needing a skill none of the centre's volunteers has is named
before the import, and the import is refused (422, nothing made) unless the
coordinator ticks "adapt". After an import the activity's page opens with
the template's weekly pattern and the place filled into its sessions form.
Publishing an activity as a template is a button on the activity's page.

The same services as /api/v1/templates, with the signed-in user's
principal (outside its scope: 404).
"""

from __future__ import annotations

from datetime import time
from typing import Any

from babel.dates import get_day_names
from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from ...domain_errors import DomainError, Invalid, NotFound
from ...extensions import db
from ...language import clock
from ...models import ActivityTemplate, Centre
from ...services import templates as service
from ...services.languages import language_name
from ...services.scope import centre_filter
from .blueprint import add_nav, bp, render_page
from .figures import shown

add_nav("staff.templates", _l("Templates"))

# (key, label, kind) of what a template achieved, in the order shown.
ACHIEVED = [
    ("sessions_held", _l("Sessions held"), ""),
    ("fill_rate", _l("Fill rate"), "rate"),
    ("participants_reached", _l("Participants reached"), ""),
    ("hours_given", _l("Hours given"), ""),
    ("volunteers_engaged", _l("Volunteers engaged"), ""),
]
SIZES = {"small": _l("Small (1–3 people)"), "medium": _l("Medium (4–8 people)"),
         "large": _l("Large (9 people or more)")}
COUNTRIES = {"NO": _l("Norway"), "DK": _l("Denmark")}


def _filters() -> dict[str, str]:
    args = request.args
    filters = {"q": args.get("q", "").strip()[:100], "interest": args.get("interest", "").strip()[:60],
               "country": args.get("country", ""), "size": args.get("size", "")}
    if filters["country"] not in COUNTRIES:
        filters["country"] = ""
    if filters["size"] not in SIZES:
        filters["size"] = ""
    return filters


def _centres() -> list[Centre]:
    """The centres the user may import into (its own; a municipality's; all)."""
    return list(db.session.scalars(
        select(Centre).where(centre_filter(current_user.principal, Centre.id)).order_by(Centre.name)))


def _template_or_404(template_id: int) -> ActivityTemplate:
    try:
        return service.get(current_user.principal, template_id)
    except NotFound:
        abort(404)


def pattern_text(pattern: dict[str, Any] | None) -> str:
    """'Tuesdays 17:00, 2 h' in the page's language (no year, no date)."""
    if not pattern:
        return ""
    day = str(get_day_names("wide", locale=g.language)[int(pattern["weekday"])])
    hours = f"{int(pattern['minutes']) / 60:.1f}".rstrip("0").rstrip(".")
    start = clock(time.fromisoformat(str(pattern["start"])), g.language)  # 17.00 / 17:00
    return _("%(weekday)s at %(start)s, %(hours)s h", weekday=day, start=start, hours=hours)


def roles_text(roles: list[dict[str, Any]]) -> str:
    parts = []
    for role in roles or []:
        low, high = role.get("min", 1), role.get("max", role.get("min", 1))
        text = f"{role.get('role', '')} {low}" + (f"–{high}" if high != low else "")
        if role.get("skills"):
            text += " (" + ", ".join(role["skills"]) + ")"
        parts.append(text)
    return "; ".join(parts)


def _page_helpers() -> dict[str, Any]:
    return {"achieved_names": ACHIEVED, "shown": shown, "pattern_text": pattern_text,
            "roles_text": roles_text, "countries": COUNTRIES, "sizes": SIZES,
            "language_name": lambda code: language_name(code, g.language)}


@bp.get("/templates")
@login_required
def templates() -> Any:
    filters = _filters()
    try:
        query = service.library(current_user.principal, {k: v for k, v in filters.items() if v})
    except NotFound:
        abort(404)
    found = [t for t in db.session.scalars(query.limit(2000))
             if service.matches(t, {k: v for k, v in filters.items() if v})][:200]
    return render_page("staff/templates.html", found=found, f=filters, **_page_helpers())


def _render_template_page(template: ActivityTemplate, status: int = 200,
                          errors: dict[str, str] | None = None,
                          form: dict[str, Any] | None = None) -> Any:
    centres = _centres()
    form = form or {}
    chosen_id = form.get("centre_id") or (centres[0].id if len(centres) == 1 else None)
    chosen = next((c for c in centres if c.id == chosen_id), None)
    unfillable = service.unfillable_roles(template, chosen.id) if chosen else []
    places = service.centre_places(chosen) if chosen else []
    return render_page(
        "staff/template.html", status, t=template, centres=centres, chosen=chosen,
        unfillable=unfillable, places=places, errors=errors or {}, form=form,
        gaps={gap.place: gap.lacking for gap in service.place_gaps(template, places)},
        **_page_helpers())


@bp.get("/templates/<int:template_id>")
@login_required
def template_page(template_id: int) -> Any:
    template = _template_or_404(template_id)
    form: dict[str, Any] = {}
    if request.args.get("centre", "").isdecimal():
        form["centre_id"] = int(request.args["centre"])
    return _render_template_page(template, form=form)


def _form() -> tuple[dict[str, Any], dict[str, str]]:
    values = request.form
    errors: dict[str, str] = {}
    form: dict[str, Any] = {"title": values.get("title", "").strip(),
                            "adapt": values.get("adapt") == "on"}
    centres = {c.id for c in _centres()}
    centre = values.get("centre_id", "")
    if len(centres) == 1 and not centre:
        centre = str(next(iter(centres)))
    if not centre.isdecimal() or int(centre) not in centres:
        errors["centre_id"] = _("Pick the centre the activity is for.")
    else:
        form["centre_id"] = int(centre)
    place = values.get("place_id", "")
    form["place_id"] = int(place) if place.isdecimal() else None
    if len(form["title"]) > 200:
        errors["title"] = _("The title is at most 200 characters.")
    return form, errors


@bp.post("/templates/<int:template_id>/import")
@login_required
def import_template(template_id: int) -> Any:
    template = _template_or_404(template_id)
    form, errors = _form()
    if errors:
        return _render_template_page(template, 422, errors, form)
    data = {"centre_id": form["centre_id"], "adapt": form["adapt"],
            "place_ids": [form["place_id"]] if form["place_id"] else []}
    if form["title"]:
        data["title"] = form["title"]
    try:
        done = service.import_template(current_user.principal, template_id, data)
    except Invalid as error:
        db.session.rollback()
        if any(key.startswith("roles.") for key in error.errors):
            errors["adapt"] = _("Nothing was imported: some roles need skills none of this "
                                "centre's volunteers has (listed above). Tick the box to "
                                "import without those requirements, or add volunteers "
                                "with them first.")
        elif "place_ids" in error.errors:
            errors["place_id"] = _("Pick one of the municipality's places.")
        else:
            errors["centre_id"] = _("Pick the centre the activity is for.")
        return _render_template_page(template, 422, errors, form)
    except DomainError:
        db.session.rollback()
        abort(404)
    activity = done["activity"]
    flash(_("%(title)s is imported as a new activity. Make its sessions below.",
            title=activity.title), "success")
    for change in done["adapted"]:
        flash(_("The role %(role)s no longer needs %(skills)s: none of your volunteers has it.",
                role=change["role"], skills=", ".join(change["dropped_skills"])), "warning")
    for gap in done["gaps"]:
        flash(_("%(place)s lacks %(needs)s, which the activity needs.", place=gap.place,
                needs=", ".join(gap.lacking)), "warning")
    prefill: dict[str, Any] = {}
    pattern = done["pattern"] or {}
    if pattern:
        start_h, start_m = (int(part) for part in str(pattern["start"]).split(":"))
        end = start_h * 60 + start_m + int(pattern["minutes"])
        prefill = {"weekday": pattern["weekday"], "start": pattern["start"],
                   "end": f"{(end // 60) % 24:02d}:{end % 60:02d}"}
    if form["place_id"]:
        prefill["place_id"] = form["place_id"]
    return redirect(url_for("staff.activity_page", activity_id=activity.id, **prefill), code=303)


@bp.post("/activities/<int:activity_id>/template")
@login_required
def publish_template(activity_id: int) -> Any:
    """Share the activity's design (and last year's figures, suppressed) in the library."""
    try:
        template = service.publish(current_user.principal, activity_id, {})
    except DomainError:
        db.session.rollback()
        abort(404)
    flash(_("%(title)s is in the library now, for other centres to use.", title=template.title),
          "success")
    return redirect(url_for("staff.template_page", template_id=template.id), code=303)
