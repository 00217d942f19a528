"""/municipality: what the municipality's staff set for its figures: its
population (for volunteers per 1,000 inhabitants) and whether it shares its
figures in the learning network (off by default).

The same service as PATCH /api/v1/municipalities/{id}, with the signed-in
user's principal and the version the form was read at (a change made
meanwhile by someone else is not overwritten: the page says so). Municipality
staff change their own municipality, an admin any (?id=); coordinators see
the values but cannot change them; outside the scope: 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from ...domain_errors import DomainError, Forbidden, NotFound, Stale
from ...extensions import db
from ...models import Municipality
from ...services import municipalities as service
from ...services.scope import can_write_municipality
from .blueprint import add_nav, bp, render_page

add_nav("staff.municipality_settings", _l("Municipality"),
        roles=("admin", "municipality", "coordinator"))

MAX_POPULATION = 20_000_000


def _municipality() -> Municipality:
    p = current_user.principal
    wanted = request.values.get("id", "")
    if wanted.isdecimal():
        municipality_id = int(wanted)
    elif p.municipality_id is not None:
        municipality_id = p.municipality_id
    else:
        first = db.session.scalar(select(Municipality.id).order_by(Municipality.id).limit(1))
        if first is None:
            abort(404)
        municipality_id = first
    try:
        return service.get_municipality(p, municipality_id)
    except NotFound:
        abort(404)


def _page(municipality: Municipality, status: int = 200, errors: dict[str, str] | None = None,
          values: dict[str, Any] | None = None) -> Any:
    p = current_user.principal
    values = values or {"population": "" if municipality.population is None
                        else str(municipality.population),
                        "network_opt_in": municipality.network_opt_in}
    return render_page("staff/municipality.html", status, m=municipality, errors=errors or {},
                       values=values, may_change=can_write_municipality(p, municipality.id),
                       admin=p.is_admin)


@bp.get("/municipality")
@login_required
def municipality_settings() -> Any:
    return _page(_municipality())


@bp.post("/municipality")
@login_required
def save_municipality_settings() -> Any:
    municipality = _municipality()
    if not can_write_municipality(current_user.principal, municipality.id):
        abort(404)
    form = request.form
    values = {"population": form.get("population", "").strip(),
              "network_opt_in": form.get("network_opt_in") == "on"}
    errors: dict[str, str] = {}
    population: int | None = None
    text = values["population"].replace(" ", "").replace("\u00a0", "")
    if text:
        if not text.isdecimal() or not 1 <= int(text) <= MAX_POPULATION:
            errors["population"] = _("Give the number of inhabitants as a whole number "
                                     "(1 or more), or leave it empty.")
        else:
            population = int(text)
    try:
        expected = {int(form.get("version", ""))}
    except ValueError:
        expected = None
    if errors:
        return _page(municipality, 422, errors, values)
    data = {"population": population, "network_opt_in": values["network_opt_in"]}
    try:
        service.update_municipality(current_user.principal, municipality.id, data, expected)
    except Stale:
        db.session.rollback()
        flash(_("Someone else changed these settings meanwhile. Here is what is stored now; "
                "make your change again."), "error")
    except (Forbidden, DomainError):
        db.session.rollback()
        abort(404)
    else:
        flash(_("Saved."), "success")
    query = {"id": municipality.id} if current_user.principal.is_admin else {}
    return redirect(url_for("staff.municipality_settings", **query), code=303)
