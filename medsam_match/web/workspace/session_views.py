"""A session's page: who is in it, the candidates for each open role, and
the coordinator's manual changes (assign, lock, unlock, remove, cancel);
once it has begun, who came (attendance); seats offered for a swap, which
the coordinator may cancel.

Every change is a POST with the form's CSRF token that calls one service
with the signed-in user's principal, then redirects back to the page with
the outcome in words (POST, redirect, GET).
"""

from __future__ import annotations

import re
from typing import Any

from flask import abort, flash, g, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ...domain_errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from ...models.types import utcnow
from ...services import assignments as assignment_service
from ...services import attendance as attendance_service
from ...services import board as board_service
from ...services import candidates as candidate_service
from ...services import manual_assignments
from ...services import swaps as swap_service
from ...services.sessions import get_session, update_session
from .blueprint import bp, render_page
from .board_views import STATE_LABELS

# Why someone cannot take a role, in the coordinator's words.
RULE_WORDS = {
    "inactive": _l("not active"),
    "already_assigned": _l("already in this session"),
    "declined_before": _l("declined this session before"),
    "availability": _l("not available at this time"),
    "skills": _l("lacks a skill the role needs"),
    "languages": _l("speaks none of the languages the role needs"),
    "certificate": _l("has no valid certificate the role needs"),
    "distance": _l("lives farther away than they travel"),
    "overlap": _l("busy in another session at the same time"),
    "weekly_limit": _l("would go over their weekly limit"),
    "role_max": _l("the role is full"),
}
MAX_SHOWN_CANDIDATES = 15
_RULE_IN_MESSAGE = re.compile(r"breaks rule (\w+)")


def _session_or_404(session_id: int) -> Any:
    try:
        return get_session(current_user.principal, session_id)
    except NotFound:
        abort(404)


@bp.get("/sessions/<int:session_id>")
@login_required
def session_page(session_id: int) -> Any:
    session = _session_or_404(session_id)
    card = board_service.session_card(current_user.principal, session, g.language)
    roles: list[Any] = []
    problem = None
    if session.status != "cancelled":
        try:
            roles = candidate_service.session_candidates(current_user.principal, session_id)
        except Conflict as conflict:
            problem = conflict.detail
        except Forbidden:
            roles = []
    by_role = {r.role: r for r in roles}
    now = utcnow()
    seats = (attendance_service.session_attendance(current_user.principal, session_id)
             if attendance_service.markable(session, now) else [])
    swaps = {a.id for a in swap_service.pending_swaps(current_user.principal,
                                                      session_id=session_id)}
    return render_page(
        "staff/session.html", session=session, card=card, candidates=by_role, problem=problem,
        states=STATE_LABELS, rule_words=RULE_WORDS, overridable=candidate_service.OVERRIDABLE,
        max_shown=MAX_SHOWN_CANDIDATES, can_change=current_user.role != "volunteer",
        seats=seats, swaps=swaps, attendance_words=ATTENDANCE_WORDS,
        started=session.start is not None and session.start <= now,
    )


ATTENDANCE_WORDS = {
    "attended": _l("Came"),
    "no_show": _l("Did not come"),
    attendance_service.UNMARKED: _l("Not marked"),
}


@bp.post("/sessions/<int:session_id>/attendance")
@login_required
def mark_attendance(session_id: int) -> Any:
    """The attendance form: one radio group per confirmed seat; only the
    seats whose choice differs from what the page showed are sent, each
    compared with what the page showed (a 409 if someone changed it)."""
    _session_or_404(session_id)
    marks = []
    for key, value in request.form.items():
        if not key.startswith("attendance-") or not key[len("attendance-"):].isdecimal():
            continue
        assignment_id = int(key[len("attendance-"):])
        seen = request.form.get(f"seen-{assignment_id}", attendance_service.UNMARKED)
        if value == seen or value not in ATTENDANCE_WORDS or seen not in ATTENDANCE_WORDS:
            continue
        unmarked = attendance_service.UNMARKED
        marks.append(attendance_service.Mark(
            assignment_id, None if value == unmarked else value,
            seen=None if seen == unmarked else seen))
    if not marks:
        flash(_("Nothing changed."), "success")
        return _back(session_id)
    try:
        attendance_service.mark_session_attendance(current_user.principal, session_id, marks)
    except NotFound:
        abort(404)
    except Conflict:
        flash(_("Someone else marked attendance meanwhile. The page shows it as it is now; "
                "check it and save again."), "error")
        return _back(session_id)
    except DomainError as error:
        flash(_explain(error), "error")
        return _back(session_id)
    flash(_("Attendance saved. Hours given are counted from it."), "success")
    return _back(session_id)


@bp.post("/assignments/<int:assignment_id>/cancel-swap")
@login_required
def cancel_swap(assignment_id: int) -> Any:
    try:
        assignment = assignment_service.get_assignment(current_user.principal, assignment_id)
    except NotFound:
        abort(404)
    try:
        swap_service.cancel_swap(current_user.principal, assignment_id)
        flash(_("The swap is cancelled: the seat stays with the volunteer who offered it."),
              "success")
    except DomainError as error:
        flash(_explain(error), "error")
    target = request.form.get("back")
    if target == "requests":
        return redirect(url_for("staff.requests_page"), code=303)
    return _back(assignment.session_id)


def _back(session_id: int) -> Any:
    return redirect(url_for("staff.session_page", session_id=session_id), code=303)


def _explain(error: DomainError) -> str:
    """A refused change in words: the rules named, in the page's language."""
    if isinstance(error, Invalid):
        codes = [m.group(1) for messages in error.errors.values() for text in messages
                 if (m := _RULE_IN_MESSAGE.search(text))]
        if codes:
            return _("Not assigned: %(rules)s.",
                     rules="; ".join(str(RULE_WORDS.get(c, c)) for c in codes))
        if "reason" in error.errors:
            return _("Write a reason when you assign someone despite a rule.")
        return _("Not assigned: %(problem)s",
                 problem="; ".join(m for ms in error.errors.values() for m in ms))
    if isinstance(error, Conflict):
        return _("That could not be done: %(problem)s", problem=error.detail)
    return _("That could not be done.")


@bp.post("/sessions/<int:session_id>/assign")
@login_required
def assign(session_id: int) -> Any:
    _session_or_404(session_id)
    try:
        volunteer_id = int(request.form.get("volunteer_id", ""))
    except ValueError:
        flash(_("Choose a volunteer (field: volunteer_id)."), "error")
        return _back(session_id)
    override = request.form.get("override") == "1"
    try:
        manual_assignments.assign(
            current_user.principal, session_id=session_id, volunteer_id=volunteer_id,
            role=request.form.get("role", ""), override=override,
            reason=request.form.get("reason"))
    except NotFound:
        abort(404)
    except DomainError as error:
        flash(_explain(error), "error")
        return _back(session_id)
    flash(_("Assigned. The assignment is locked, so planning will not move it; the volunteer "
            "is asked to confirm."), "success")
    return _back(session_id)


def _assignment_action(assignment_id: int, action: str) -> Any:
    try:
        assignment = assignment_service.get_assignment(current_user.principal, assignment_id)
    except NotFound:
        abort(404)
    session_id = assignment.session_id
    try:
        if action == "remove":
            manual_assignments.remove(current_user.principal, assignment_id)
            flash(_("Removed from the session."), "success")
        else:
            assignment_service.set_locked(current_user.principal, assignment_id,
                                          action == "lock")
            flash(_("Locked: planning will not move this person.") if action == "lock"
                  else _("Unlocked: the next plan may move this person."), "success")
    except DomainError as error:
        flash(_explain(error), "error")
    return _back(session_id)


@bp.post("/assignments/<int:assignment_id>/remove")
@login_required
def remove_assignment(assignment_id: int) -> Any:
    return _assignment_action(assignment_id, "remove")


@bp.post("/assignments/<int:assignment_id>/lock")
@login_required
def lock_assignment(assignment_id: int) -> Any:
    return _assignment_action(assignment_id, "lock")


@bp.post("/assignments/<int:assignment_id>/unlock")
@login_required
def unlock_assignment(assignment_id: int) -> Any:
    return _assignment_action(assignment_id, "unlock")


@bp.post("/sessions/<int:session_id>/cancel")
@login_required
def cancel_session(session_id: int) -> Any:
    _session_or_404(session_id)
    try:
        update_session(current_user.principal, session_id, {"status": "cancelled"})
    except DomainError as error:
        flash(_explain(error), "error")
        return _back(session_id)
    flash(_("The session is cancelled. The volunteers in it see it as cancelled."), "success")
    return _back(session_id)
