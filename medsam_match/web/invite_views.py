"""/my/invite/<code>: a volunteer opens the one-time link their coordinator
made (services/invites.py) and taps "Sign in".

Opening the link changes nothing (link previews and scanners open links
too); the tap (a POST with the page's CSRF token) uses it up and signs the
volunteer in on this device, with a fresh session as the code sign-in does.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, redirect, session, url_for
from flask_babel import gettext as _

from ..services import invites
from . import signin
from .views import _render, bp

# What the page says when a link cannot be used.
_REFUSED = {
    "used": lambda: _("This sign-in link has already been used. A link works only once: ask "
                      "your volunteer centre for a new one, or sign in with your personal code."),
    "expired": lambda: _("This sign-in link has expired. Ask your volunteer centre for a new one, "
                         "or sign in with your personal code."),
    "unknown": lambda: _("This sign-in link is not valid. Check that the whole link was copied, "
                         "or ask your volunteer centre for a new one."),
    "erased": lambda: _("This sign-in link is not valid. Check that the whole link was copied, "
                        "or ask your volunteer centre for a new one."),
}


@bp.get("/invite/<code>")
def invite(code: str) -> Any:
    state = invites.invite_state(code)
    if state != "valid":
        return _render("my/invite.html", 410 if state in ("used", "expired") else 404,
                       refused=_REFUSED[state](), code=code)
    return _render("my/invite.html", code=code, refused=None)


@bp.post("/invite/<code>")
def use_invite(code: str) -> Any:
    signin.check_csrf()
    try:
        redeemed = invites.redeem_invite(code, current_app.permanent_session_lifetime)
    except invites.InviteRefused as refused:
        status = 410 if refused.reason in ("used", "expired") else 404
        return _render("my/invite.html", status, refused=_REFUSED[refused.reason](), code=code)
    _start_browser_session(redeemed.nonce)
    return redirect(url_for("web.home"), code=303)


def _start_browser_session(nonce: str) -> None:
    """A fresh cookie session for the new sign-in (as signin.sign_in makes):
    nothing carries over but the language picked."""
    language = session.get("lang")
    signin.sign_out()  # ends any earlier sign-in in this browser, on the server too
    session.clear()
    session.permanent = True
    session[signin.SESSION_KEY] = nonce
    if language:
        session["lang"] = language
    signin.new_csrf_token()
