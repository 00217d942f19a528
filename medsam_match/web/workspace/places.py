"""Meeting places: a list with a map (Leaflet, served from the app), create
and edit. The map's tiles come from the configured `map_tile_url`; without
one (or with the tile server out of reach) the map still shows the places
as markers on a plain background, and the list and forms work as before.

Forms are checked by the API's own place schema; saving calls the places
service with the signed-in user's principal (outside its scope: 404).
"""

from __future__ import annotations

import json
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from marshmallow import ValidationError

from api.places.schemas import PlacePatchSchema, PlaceSchema

from ...domain_errors import DomainError, Forbidden, Invalid, NotFound, Stale
from ...extensions import db
from ...models import Municipality, Place
from ...services import places as place_service
from ...services.scope import can_write_municipality
from .blueprint import add_nav, bp, render_page

add_nav("staff.places", _l("Places"))


def _municipality_id() -> int:
    principal = current_user.principal
    if principal.municipality_id is not None:
        return int(principal.municipality_id)
    try:
        return int(request.values.get("municipality", ""))
    except ValueError:
        abort(404)


def _place_or_404(place_id: int) -> Place:
    try:
        return place_service.get_place(current_user.principal, place_id)
    except NotFound:
        abort(404)


def _map_data(places: list[Place]) -> str:
    return json.dumps({
        "tiles": current_app.config.get("MEDSAM_MAP_TILE_URL", ""),
        "places": [
            {"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon,
             "url": url_for("staff.place_page", place_id=p.id)}
            for p in places if p.lat is not None and p.lon is not None
        ],
    })


@bp.get("/places")
@login_required
def places() -> Any:
    municipality_id = _municipality_id()
    principal = current_user.principal
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None or (not principal.is_admin
                                and principal.municipality_id != municipality_id):
        abort(404)
    q = request.args.get("q", "").strip().lower()
    stmt = place_service.list_places(principal, {"municipality_id": municipality_id})
    rows = [p for p in db.session.scalars(stmt) if not q or q in p.name.lower()
            or q in (p.address or "").lower()]
    return render_page("staff/places.html", municipality=municipality, rows=rows, q=q,
                       map_data=_map_data(rows),
                       may_write=can_write_municipality(current_user.principal, municipality_id))


def _body_from_form() -> tuple[dict[str, Any], dict[str, str]]:
    form = request.form
    errors: dict[str, str] = {}
    body: dict[str, Any] = {
        "name": form.get("name", "").strip(),
        "address": form.get("address", "").strip() or None,
        "features": [f.strip() for f in form.get("features", "").split(",") if f.strip()],
    }
    for name, whole in (("lat", False), ("lon", False), ("capacity", True), ("parallel", True)):
        raw = form.get(name, "").strip().replace(",", ".")
        if not raw:
            if name != "parallel":
                body[name] = None
            continue
        try:
            body[name] = int(raw) if whole else float(raw)
        except ValueError:
            errors[name] = _("Give a number.")
    return body, errors


def _errors_of(error: ValidationError | Invalid) -> dict[str, str]:
    raw = error.normalized_messages() if isinstance(error, ValidationError) else error.errors
    return {str(key): str(value[0]) if isinstance(value, list) and value else str(value)
            for key, value in raw.items()}


def _form(place: Place | None, municipality: Municipality, status: int = 200,
          errors: dict[str, str] | None = None) -> Any:
    if request.method == "POST":
        values = {k: request.form.get(k, "") for k in
                  ("name", "address", "lat", "lon", "capacity", "parallel", "features")}
    elif place is not None:
        values = {"name": place.name, "address": place.address or "",
                  "lat": "" if place.lat is None else place.lat,
                  "lon": "" if place.lon is None else place.lon,
                  "capacity": "" if place.capacity is None else place.capacity,
                  "parallel": place.parallel, "features": ", ".join(place.features or [])}
    else:
        values = {"name": "", "address": "", "lat": "", "lon": "", "capacity": "",
                  "parallel": 1, "features": ""}
    shown = [place] if place is not None else []
    return render_page("staff/place_form.html", status, place=place, municipality=municipality,
                       v=values, errors=errors or {}, map_data=_map_data(shown))


@bp.get("/places/new")
@login_required
def new_place() -> Any:
    municipality = db.session.get(Municipality, _municipality_id())
    if municipality is None or not can_write_municipality(current_user.principal, municipality.id):
        abort(404)
    return _form(None, municipality)


@bp.post("/places/new")
@login_required
def create_place() -> Any:
    municipality = db.session.get(Municipality, _municipality_id())
    if municipality is None:
        abort(404)
    body, errors = _body_from_form()
    body["municipality_id"] = municipality.id
    try:
        data = PlaceSchema().load(body)
    except ValidationError as error:
        errors.update(_errors_of(error))
    if errors:
        return _form(None, municipality, 422, errors)
    try:
        place = place_service.create_place(current_user.principal, data)
    except (Forbidden, NotFound):
        abort(404)
    except Invalid as error:
        return _form(None, municipality, 422, _errors_of(error))
    flash(_("%(name)s is added.", name=place.name), "success")
    return redirect(url_for("staff.place_page", place_id=place.id), code=303)


@bp.get("/places/<int:place_id>")
@login_required
def place_page(place_id: int) -> Any:
    place = _place_or_404(place_id)
    return _form(place, place.municipality)


@bp.post("/places/<int:place_id>")
@login_required
def save_place(place_id: int) -> Any:
    place = _place_or_404(place_id)
    body, errors = _body_from_form()
    try:
        data = PlacePatchSchema().load(body)
    except ValidationError as error:
        errors.update(_errors_of(error))
    if errors:
        return _form(place, place.municipality, 422, errors)
    try:
        expected = {int(request.form.get("version", ""))}
    except ValueError:
        expected = None
    try:
        place_service.update_place(current_user.principal, place_id, data, expected)
    except Stale:
        db.session.rollback()
        flash(_("Someone else changed this place meanwhile. Here is what is stored now; "
                "make your change again."), "error")
    except Invalid as error:
        return _form(place, place.municipality, 422, _errors_of(error))
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("staff.place_page", place_id=place_id), code=303)
