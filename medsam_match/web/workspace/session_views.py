"""A session's page: who is in it, the candidates for each open role, and
the coordinator's manual changes (assign, unlock, remove, cancel)."""

from __future__ import annotations

from typing import Any

from flask import abort, g
from flask_login import current_user, login_required

from ...domain_errors import NotFound
from ...services import board as board_service
from ...services.sessions import get_session
from .blueprint import bp, render_page


@bp.get("/sessions/<int:session_id>")
@login_required
def session_page(session_id: int) -> Any:
    try:
        session = get_session(current_user.principal, session_id)
    except NotFound:
        abort(404)
    card = board_service.session_card(current_user.principal, session, g.language)
    return render_page("staff/session.html", session=session, card=card)
