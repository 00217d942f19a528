"""Recording how many participants came to a session (the "participants
reached" of the figures): a small form on the session's page, for the
centre's staff, once the session has begun.

The same service as PATCH /api/v1/sessions/{id} {"participants": n}, with
the version the page was read at (a change made meanwhile is not
overwritten); outside the user's scope: 404.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...domain_errors import DomainError, Stale
from ...extensions import db
from ...services import sessions as session_service
from .blueprint import bp

MAX_PARTICIPANTS = 100_000


@bp.post("/sessions/<int:session_id>/participants")
@login_required
def record_participants(session_id: int) -> Any:
    text = request.form.get("participants", "").strip()
    back = redirect(url_for("staff.session_page", session_id=session_id) + "#participants", code=303)
    if text and (not text.isdecimal() or int(text) > MAX_PARTICIPANTS):
        try:
            session_service.get_session(current_user.principal, session_id)
        except DomainError:
            abort(404)
        flash(_("Give the number of participants as a whole number (0 or more), or leave it "
                "empty if they were not counted."), "error")
        return back
    try:
        expected = {int(request.form.get("version", ""))}
    except ValueError:
        expected = None
    try:
        session_service.update_session(current_user.principal, session_id,
                                       {"participants": int(text) if text else None}, expected)
    except Stale:
        db.session.rollback()
        flash(_("Someone else changed this session meanwhile; look at it again and give the "
                "number once more."), "error")
    except DomainError:
        db.session.rollback()
        abort(404)
    else:
        flash(_("Saved."), "success")
    return back
