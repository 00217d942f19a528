"""/requests: what volunteers ask of the coordinator and wait for: hours
they logged (approve or reject), requests to be erased (confirm), seats
offered for a swap (cancel). The same services as /api/v1/hours,
/api/v1/volunteers/erasure-requests and /api/v1/swaps."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ...domain_errors import DomainError, NotFound
from ...extensions import db
from ...models import Volunteer
from ...services import erasure as erasure_service
from ...services import hours as hours_service
from ...services import swaps as swap_service
from .blueprint import add_nav, bp, render_page

MAX_SHOWN = 200


def _local_time(moment: datetime, volunteer: Volunteer) -> datetime:
    """A UTC instant on the clock of the volunteer's municipality."""
    return moment.astimezone(ZoneInfo(volunteer.centre.municipality.timezone))


@bp.get("/requests")
@login_required
def requests_page() -> Any:
    principal = current_user.principal
    return render_page(
        "staff/requests.html",
        hours=hours_service.pending_hours(principal)[:MAX_SHOWN],
        erasures=list(db.session.scalars(
            erasure_service.erasure_requests_query(principal).limit(MAX_SHOWN))),
        swaps=swap_service.pending_swaps(principal)[:MAX_SHOWN],
        can_change=current_user.role != "volunteer", local_time=_local_time,
    )


def _back() -> Any:
    return redirect(url_for("staff.requests_page"), code=303)


@bp.post("/hours/<int:entry_id>/<any(approve, reject):decision>")
@login_required
def decide_hours(entry_id: int, decision: str) -> Any:
    try:
        hours_service.decide_hours(current_user.principal, entry_id, decision)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(_("That could not be done: %(problem)s", problem=error.detail), "error")
        return _back()
    flash(_("Approved: the hours count as given.") if decision == "approve"
          else _("Rejected: the hours do not count."), "success")
    return _back()


@bp.post("/volunteers/<int:volunteer_id>/erase-on-request")
@login_required
def confirm_erasure(volunteer_id: int) -> Any:
    try:
        erasure_service.confirm_erasure(current_user.principal, volunteer_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(_("That could not be done: %(problem)s", problem=error.detail), "error")
        return _back()
    flash(_("The volunteer is erased. Their hours stay in the figures, without their name."),
          "success")
    return _back()


add_nav("staff.requests_page", _l("Requests"), roles=("coordinator", "municipality", "admin"))
