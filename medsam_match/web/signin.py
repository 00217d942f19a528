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
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from ..auth import Principal, hash_token
from ..extensions import db
from ..models import ApiToken, Volunteer, VolunteerSession
from ..models.types import utcnow
from ..ratelimit import FailureLimit
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


def _usable_token(row: ApiToken | None) -> Volunteer | None:
    """The volunteer a token row signs in, if it is a live volunteer token."""
    if row is None or row.revoked_at is not None or row.role != "volunteer":
        return None
    volunteer = row.volunteer
    if volunteer is None or volunteer.erased_at is not None:
        return None
    return volunteer


def sign_in(plain_token: str) -> SignedIn:
    """Check a token the way the API does (by its SHA-256 hash) and start a
    fresh session for its volunteer. Raises SignInRefused."""
    plain_token = plain_token.strip()
    if not plain_token:
        raise SignInRefused("signin_empty")
    row = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(plain_token))
    ).one_or_none()
    if row is not None and row.revoked_at is None and row.role != "volunteer":
        raise SignInRefused("signin_not_volunteer")
    volunteer = _usable_token(row)
    if volunteer is None or row is None:
        raise SignInRefused("signin_wrong")
    now = utcnow()
    nonce = secrets.token_urlsafe(32)
    lifetime: timedelta = current_app.permanent_session_lifetime
    db.session.add(VolunteerSession(nonce_hash=hash_token(nonce), volunteer_id=volunteer.id,
                                    token_id=row.id, created_at=now, expires_at=now + lifetime))
    # Sign-ins that ran out are of no use to anyone.
    db.session.execute(delete(VolunteerSession).where(VolunteerSession.expires_at <= now))
    row.last_used_at = now
    db.session.commit()
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
    return SignedIn(volunteer, volunteer_principal(volunteer, row.id))


def _server_session() -> VolunteerSession | None:
    nonce = session.get(SESSION_KEY)
    if not isinstance(nonce, str) or not nonce:
        return None
    return db.session.scalars(
        select(VolunteerSession).where(VolunteerSession.nonce_hash == hash_token(nonce))
    ).one_or_none()


def signed_in() -> SignedIn | None:
    """The volunteer of this request's session, if it and its token still hold."""
    row = _server_session()
    if row is None or row.expires_at <= utcnow():
        return None
    volunteer = _usable_token(db.session.get(ApiToken, row.token_id))
    if volunteer is None or volunteer.id != row.volunteer_id:
        return None
    return SignedIn(volunteer, volunteer_principal(volunteer, row.token_id))


def was_signed_in() -> bool:
    return SESSION_KEY in session


def _end_server_session() -> None:
    """Delete this cookie's sign-in on the server (if the database lets us)."""
    nonce = session.get(SESSION_KEY)
    if not isinstance(nonce, str) or not nonce:
        return
    try:
        db.session.execute(
            delete(VolunteerSession).where(VolunteerSession.nonce_hash == hash_token(nonce))
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
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


def seconds_blocked() -> int:
    """Seconds this address must wait before it may try again (0: it may)."""
    return failed_sign_ins.blocked_for()


def count_failure() -> int:
    """Count a wrong code; seconds to wait when it was one too many, else 0."""
    return failed_sign_ins.fail()


def init_app(app: Flask) -> None:
    """Nothing to set up: the limit's counters live in the service's limiter."""
