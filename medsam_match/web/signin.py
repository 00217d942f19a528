"""Signing a volunteer in and out of their page, CSRF tokens, and the limit
on failed sign-ins.

A sign-in is a row on the server (`VolunteerSession`); the signed Flask
session cookie holds only its random nonce (never the token, and nothing an
id and the secret key could make). Every request checks the row and the
token again, so signing out (the row is deleted), revoking the token or
erasing the volunteer ends the sign-in at once, also for a copy of the
cookie.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, abort, current_app, request, session

from ..auth import Principal
from ..models import Volunteer
from ..ratelimit import FailureLimit
from ..services import tokens
from .listing import volunteer_principal

SESSION_KEY = "sid"
CSRF_KEY = "csrf"
log = logging.getLogger(__name__)
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class SignedIn:
    volunteer: Volunteer
    principal: Principal


class SignInRefused(Exception):
    """A sign-in attempt that fails; `reason` names the text to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def sign_in(plain_token: str) -> SignedIn:
    """Check a token the way the API does (by its SHA-256 hash) and start a
    fresh session for its volunteer. Raises SignInRefused."""
    plain_token = plain_token.strip()
    if not plain_token:
        raise SignInRefused("signin_empty")
    nonce = secrets.token_urlsafe(32)
    lifetime: timedelta = current_app.permanent_session_lifetime
    try:
        volunteer, token_id = tokens.start_volunteer_session(plain_token, nonce, lifetime)
    except tokens.SignInRefused as refused:
        raise SignInRefused(f"signin_{refused.reason}") from None
    language = session.get("lang")
    _end_server_session()
    # A new session on every sign-in: nothing from before carries over
    # (no session fixation) except the language picked on the sign-in page.
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = nonce
    if language:
        session["lang"] = language
    new_csrf_token()
    return SignedIn(volunteer, volunteer_principal(volunteer, token_id))


def signed_in() -> SignedIn | None:
    """The volunteer of this request's session, if it and its token still hold."""
    nonce = session.get(SESSION_KEY)
    if not isinstance(nonce, str) or not nonce:
        return None
    found = tokens.volunteer_session(nonce, current_app.permanent_session_lifetime)
    if found is None:
        return None
    volunteer, token_id = found
    return SignedIn(volunteer, volunteer_principal(volunteer, token_id))


def was_signed_in() -> bool:
    return SESSION_KEY in session


def _end_server_session() -> None:
    """Delete this cookie's sign-in on the server (if the database lets us)."""
    nonce = session.get(SESSION_KEY)
    if not isinstance(nonce, str) or not nonce:
        return
    if not tokens.end_volunteer_session(nonce):
        log.warning("sign-out: the sign-in could not be deleted (the database refuses writes)")


def sign_out() -> None:
    """End the sign-in: on the server (a copy of the cookie stops working)
    and in this browser. The language picked stays."""
    _end_server_session()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language


# --- CSRF --------------------------------------------------------------------

def new_csrf_token() -> str:
    session[CSRF_KEY] = secrets.token_urlsafe(32)
    return str(session[CSRF_KEY])


def csrf_token() -> str:
    """The session's CSRF token for the forms of this page (made on first use)."""
    token = session.get(CSRF_KEY)
    return str(token) if isinstance(token, str) else new_csrf_token()


def check_csrf() -> None:
    """400 unless the form carries the session's CSRF token."""
    expected = session.get(CSRF_KEY)
    given = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected, given):
        abort(400)


# --- failed sign-ins per address ------------------------------------------------

#: Wrong codes on the sign-in form, per client address (the service's
#: limiter; `MEDSAM_FAILED_LOGINS_PER_MINUTE`, 0 turns it off).
failed_sign_ins = FailureLimit("volunteer-signin")


def count_failure() -> int:
    """Count a wrong code; seconds to wait when it was one too many, else 0."""
    return failed_sign_ins.fail()


def init_app(app: Flask) -> None:
    """Nothing to set up: the limit's counters live in the service's limiter."""
