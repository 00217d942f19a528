"""Pages behind the links in messages (services/notifications/links.py):

- /my/answer/<token>: confirm or decline one assignment without signing in.
  GET shows the assignment and one button, changing nothing (mail scanners
  and link previews open links); the button's POST answers through the same
  assignment service as the signed-in page, with the volunteer's own
  principal, so a race with any other answer is settled there (409: the page
  says what the assignment is now).
- /my/notifications/<token>: the volunteer's message settings (channel,
  reminders on or off). A POST with reminders=off and no form is the
  one-click unsubscribe of RFC 8058 (the List-Unsubscribe-Post header),
  sent by mail programs without cookies: the signed link is the proof.

An altered, foreign or expired link shows a page saying so; nothing changes.
Texts come from the `mail` gettext domain (as the messages themselves).
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Response, g, request
from flask_babel import force_locale

from ..domain_errors import Conflict, NotFound
from ..extensions import db
from ..models import Assignment, Volunteer
from ..models.types import utcnow
from ..ratelimit import FailureLimit
from ..services import assignments as assignment_service
from ..services.notifications import links, settings, signin_links
from ..services.notifications.outbox import volunteer_language
from ..services.notifications.render import item_of, state_name, t
from . import signin
from .listing import volunteer_principal, volunteer_zone
from .views import _render, bp

_REFUSED = {
    "tampered": lambda: t("This link is not valid. Check that the whole link was copied from "
                          "the message, or open your page to answer there."),
    "expired": lambda: t("This link has expired: the session has started. Contact your "
                         "volunteer centre if something has changed."),
    "gone": lambda: t("This assignment no longer exists. Open your page to see your "
                      "assignments."),
}


def _refused(reason: str, status: int) -> Any:
    return _render("my/message_link.html", status, t=t, refused=_REFUSED[reason](), item=None)


class _Refused(Exception):
    def __init__(self, page: Any) -> None:
        super().__init__("refused")
        self.page = page


def _link_and_assignment(token: str) -> tuple[links.AnswerLink, Assignment]:
    try:
        link = links.read_answer_token(token, utcnow())
    except links.LinkRefused as refused:
        raise _Refused(_refused(refused.reason, 410 if refused.reason == "expired" else 404)) \
            from None
    assignment = db.session.get(Assignment, link.assignment_id)
    if assignment is None or assignment.volunteer_id != link.volunteer_id \
            or assignment.volunteer.erased_at is not None:
        raise _Refused(_refused("gone", 404))
    return link, assignment


def _language_for(volunteer: Volunteer) -> None:
    if not request.args.get("lang") and "lang" not in (request.cookies or {}):
        g.language = volunteer_language(volunteer)


@bp.get("/answer/<token>")
def answer_link(token: str) -> Any:
    try:
        link, assignment = _link_and_assignment(token)
    except _Refused as refused:
        return refused.page
    _language_for(assignment.volunteer)
    with force_locale(g.language):
        item = item_of(assignment, volunteer_zone(assignment.volunteer), g.language)
        return _render("my/message_link.html", t=t, state_name=state_name, refused=None,
                       item=item, action=link.action, token=token, done=None)


@bp.post("/answer/<token>")
def use_answer_link(token: str) -> Any:
    signin.check_csrf()
    try:
        link, assignment = _link_and_assignment(token)
    except _Refused as refused:
        return refused.page
    volunteer = assignment.volunteer
    _language_for(volunteer)
    reason = request.form.get("reason", "").strip()[:1000] or None
    try:
        assignment_service.answer(volunteer_principal(volunteer), assignment.id, link.action,
                                  reason if link.action == "decline" else None)
        done, status = ("confirmed" if link.action == "confirm" else "declined"), 200
    except NotFound:
        return _refused("gone", 404)
    except Conflict:
        done, status = "conflict", 409
    db.session.expire_all()
    assignment = db.session.get(Assignment, link.assignment_id)
    assert assignment is not None
    with force_locale(g.language):
        item = item_of(assignment, volunteer_zone(volunteer), g.language)
        return _render("my/message_link.html", status, t=t, state_name=state_name, refused=None,
                       item=item, action=link.action, token=token, done=done)


@bp.route("/notifications/<token>", methods=["GET", "POST"])
def notification_settings(token: str) -> Any:
    try:
        volunteer_id = links.read_settings_token(token)
    except links.LinkRefused:
        return _refused("tampered", 404)
    volunteer = db.session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.erased_at is not None:
        return _refused("tampered", 404)
    _language_for(volunteer)
    saved = False
    error = None
    if request.method == "POST":
        form = request.form
        if form.get("List-Unsubscribe") == "One-Click" or request.args.get("reminders") == "off" \
                and "channel" not in form:
            settings.update_settings(volunteer.id, reminders=False)
        else:
            try:
                settings.update_settings(volunteer.id, channel=form.get("channel"),
                                         reminders=form.get("reminders") == "on")
            except settings.BadSetting as bad:
                error = str(bad)
        saved = error is None
        db.session.expire_all()
        volunteer = db.session.get(Volunteer, volunteer_id)
        assert volunteer is not None
    return _render("my/message_settings.html", 422 if error else 200, t=t, volunteer=volunteer,
                   token=token, saved=saved, error=error,
                   suggest_off=request.args.get("reminders") == "off")


# --- "send me a link" on the sign-in page -------------------------------------------

asked_from = FailureLimit("volunteer-signin-link")
asked_for = FailureLimit("volunteer-signin-link-to")


@bp.app_context_processor
def _message_texts() -> dict[str, Any]:
    """`t()`: the `mail` domain's texts, for the pages that show them."""
    return {"t": t, "message_settings_token": links.settings_token}


@bp.post("/sign-in/link")
def ask_signin_link() -> Any:
    signin.check_csrf()
    address = request.form.get("address", "").strip()[:254]
    target = "to:" + hashlib.sha256(address.lower().encode()).hexdigest()[:32]
    wait = asked_from.blocked_for() or (asked_for.blocked_for(target) if address else 0)
    if wait:
        page, status = _render("my/signin_link_sent.html", 429, t=t, wait=wait)
        return Response(page, status, headers={"Retry-After": str(wait)}, mimetype="text/html")
    asked_from.fail()
    if address:
        asked_for.fail(target)
        signin_links.request_volunteer_link(address)
    return _render("my/signin_link_sent.html", t=t, wait=None)
