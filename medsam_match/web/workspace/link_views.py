"""Staff sign-in by e-mail link ("send me a link" on /signin):
POST /signin/link asks for one (the same answer whether or not the address
is known; limited per client address and per address asked for);
GET /signin/link/<code> shows a button, changing nothing (mail scanners open
links); its POST uses the link up (once, 15 minutes) and signs the user in
with a fresh session, as the password sign-in does."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Response, redirect, request, session
from flask_login import login_user

from ...ratelimit import FailureLimit
from ...services.notifications import signin_links
from ...services.notifications.render import t
from .accounts import StaffUser
from .blueprint import LANGUAGE_KEY, bp, render_page
from .signin_views import _home_of

asked_from = FailureLimit("staff-signin-link")
asked_for = FailureLimit("staff-signin-link-to")


def _target_key(address: str) -> str:
    return "to:" + hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]


@bp.post("/signin/link")
def ask_signin_link() -> Any:
    email = request.form.get("email", "").strip()[:254]
    wait = asked_from.blocked_for() or (asked_for.blocked_for(_target_key(email)) if email else 0)
    if wait:
        page, status = render_page("staff/signin_link.html", 429, t=t, state="wait", seconds=wait)
        return Response(page, status, headers={"Retry-After": str(wait)}, mimetype="text/html")
    asked_from.fail()
    if email:
        asked_for.fail(_target_key(email))
        signin_links.request_staff_link(email)
    return render_page("staff/signin_link.html", t=t, state="sent")


_REFUSED = {
    "used": lambda: t("This sign-in link has already been used. Ask for a new one."),
    "expired": lambda: t("This sign-in link has expired (it works for 15 minutes). Ask for a new one."),
    "unknown": lambda: t("This sign-in link is not valid. Check that the whole link was copied, or ask for a new one."),
}


@bp.get("/signin/link/<code>")
def signin_link(code: str) -> Any:
    state = signin_links.staff_link_state(code)
    if state != "valid":
        return render_page("staff/signin_link.html", 410 if state != "unknown" else 404, t=t,
                           state="refused", refused=_REFUSED[state]())
    return render_page("staff/signin_link.html", t=t, state="valid", code=code)


@bp.post("/signin/link/<code>")
def use_signin_link(code: str) -> Any:
    try:
        row = signin_links.redeem_staff_link(code)
    except signin_links.StaffLinkRefused as refused:
        return render_page("staff/signin_link.html", 410 if refused.reason != "unknown" else 404,
                           t=t, state="refused", refused=_REFUSED[refused.reason]())
    language = session.get(LANGUAGE_KEY)
    session.clear()  # a fresh session on sign-in: nothing carries over
    if language:
        session[LANGUAGE_KEY] = language
    user = StaffUser(row)
    login_user(user)
    session.permanent = True
    return redirect(_home_of(user), code=303)
