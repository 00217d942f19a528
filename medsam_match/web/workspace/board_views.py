"""The week board (a coordinator's home page) and the municipality overview."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import abort, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ...domain_errors import NotFound
from ...services import board as board_service
from ...services import swaps as swap_service
from ..i18n import role_name
from .blueprint import add_nav, bp, error_page, render_page

STATE_LABELS = {
    "confirmed": _l("Confirmed"),
    "proposed": _l("Proposed, waiting for an answer"),
    "declined": _l("Said no"),
    "missing": _l("Missing"),
    "free": _l("Optional seat free"),
}


def _board_page(centre_id: int) -> Any:
    week = request.args.get("week")
    try:
        chosen = date.fromisoformat(week) if week is not None else None
    except ValueError:
        return error_page(400, _("The week must be a date written as YYYY-MM-DD (field: week)."))
    try:
        centre = board_service.visible_centre(current_user.principal, centre_id)
    except NotFound:
        abort(404)
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo(centre.municipality.timezone)).date()
    board = board_service.week_board(current_user.principal, centre_id, chosen or today,
                                     g.language)
    return render_page(
        "staff/board.html", board=board, today=today,
        states={state: str(label) for state, label in STATE_LABELS.items()},
        role_names={role: role_name(role) for role in {
            r.role for day in board.days for c in day.sessions for r in c.roles}},
        previous_week=(board.week_start - timedelta(days=7)).isoformat(),
        next_week=(board.week_start + timedelta(days=7)).isoformat(),
        this_week=board_service.monday_of(today).isoformat(),
        week_number=board.week_start.isocalendar()[1],
        week_end=board.week_start + timedelta(days=6),
        own_board=current_user.role == "coordinator",
        swaps=swap_service.pending_swaps(current_user.principal, centre_id=centre_id),
    )


@bp.get("/board")
@login_required
def board() -> Any:
    if current_user.role != "coordinator":
        return redirect(url_for("staff.overview"), code=303)
    return _board_page(current_user.principal.centre_id)


@bp.get("/centres/<int:centre_id>/board")
@login_required
def centre_board(centre_id: int) -> Any:
    return _board_page(centre_id)


@bp.get("/overview")
@login_required
def overview() -> Any:
    if current_user.role == "coordinator":
        return redirect(url_for("staff.board"), code=303)
    rows = board_service.overview(current_user.principal, date.today())
    return render_page("staff/overview.html", rows=rows)


add_nav("staff.board", _l("Week board"), roles=("coordinator",))
add_nav("staff.overview", _l("Centres"), roles=("admin", "municipality"))
