"""One-time sign-in links for volunteers: made by their coordinator, used once.

`create_invite` makes a random code (only its SHA-256 is stored) valid for
`INVITE_LIFETIME`; the link `/my/invite/<code>` and a QR code of it are for
the coordinator to hand over (print, show on screen, send). `redeem_invite`
uses the code: a conditional UPDATE marks it used only if it is still unused
and unexpired, so of two taps at the same moment exactly one signs in.
Using it makes a volunteer token for this sign-in and the server-side
sign-in row the volunteer page's cookie points at (see web/signin.py), in
one transaction.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import timedelta

import segno
from sqlalchemy import select, update

from ..auth import Principal, hash_token
from ..domain_errors import Forbidden
from ..extensions import db
from ..models import ApiToken, Volunteer, VolunteerSession
from ..models.invites import VolunteerInvite
from ..models.types import utcnow
from . import notifications
from .scope import can_write_centre
from .volunteers import get_volunteer

INVITE_LIFETIME = timedelta(days=7)
CODE_BYTES = 32  # 43 URL-safe characters


@dataclass(frozen=True)
class NewInvite:
    invite: VolunteerInvite
    code: str  # in plain text: exists only in this answer
    sent_to: tuple[str, ...] = ()  # channels the link also goes out on (email, sms)


class InviteRefused(Exception):
    """The code is unknown, used or expired (`reason`: unknown, used, expired, erased)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Redeemed:
    volunteer: Volunteer
    token_id: int
    nonce: str  # the sign-in's cookie value


def create_invite(
    principal: Principal, volunteer_id: int, lifetime: timedelta = INVITE_LIFETIME
) -> NewInvite:
    """A new one-time link for a volunteer the principal may change.

    404 outside the principal's scope (as every read); 403 for a volunteer's
    own token (a volunteer does not invite themselves) or a read-only scope.
    Earlier unused links stay valid until they expire.
    """
    volunteer = get_volunteer(principal, volunteer_id)
    if principal.role == "volunteer" or not can_write_centre(principal, volunteer.centre_id):
        raise Forbidden("this token may not give this volunteer a sign-in link")
    if volunteer.erased_at is not None:
        raise Forbidden("an erased volunteer cannot sign in")
    code = secrets.token_urlsafe(CODE_BYTES)
    now = utcnow()
    invite = VolunteerInvite(
        volunteer_id=volunteer.id,
        code_hash=hash_token(code),
        created_by=_who(principal),
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(invite)
    # The link also goes out by e-mail and/or SMS when the volunteer has an
    # address (outbox, same transaction; the code is scrubbed once sent).
    channels = notifications.on_invite(volunteer, f"/my/invite/{code}", invite.expires_at)
    db.session.commit()
    return NewInvite(invite, code, channels)


def new_signin_link(volunteer: Volunteer, lifetime: timedelta, created_by: str) -> str:
    """A one-time link row for the volunteer in the caller's transaction (no
    commit): the "send me a link" of the sign-in page. Returns the code."""
    code = secrets.token_urlsafe(CODE_BYTES)
    now = utcnow()
    db.session.add(VolunteerInvite(volunteer_id=volunteer.id, code_hash=hash_token(code),
                                   created_by=created_by, created_at=now,
                                   expires_at=now + lifetime))
    return code


def redeem_invite(code: str, session_lifetime: timedelta) -> Redeemed:
    """Use a link: mark it used (once), make a token and a sign-in. Raises InviteRefused."""
    code = code.strip()
    if not code or len(code) > 200:
        raise InviteRefused("unknown")
    code_hash = hash_token(code)
    now = utcnow()
    claimed = db.session.execute(
        update(VolunteerInvite)
        .where(
            VolunteerInvite.code_hash == code_hash,
            VolunteerInvite.used_at.is_(None),
            VolunteerInvite.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    invite = db.session.scalars(
        select(VolunteerInvite).where(VolunteerInvite.code_hash == code_hash)
    ).one_or_none()
    if claimed.rowcount != 1 or invite is None:
        db.session.rollback()
        raise InviteRefused(_why_refused(invite))
    volunteer = invite.volunteer
    if volunteer.erased_at is not None:
        db.session.rollback()
        raise InviteRefused("erased")
    token = ApiToken(
        token_hash=hash_token("msm_" + secrets.token_urlsafe(32)),  # never shown: a grant
        role="volunteer",
        volunteer_id=volunteer.id,
        label=f"sign-in link {invite.id}",
        created_at=now,
        last_used_at=now,
    )
    db.session.add(token)
    db.session.flush()
    invite.token_id = token.id
    nonce = secrets.token_urlsafe(32)
    db.session.add(VolunteerSession(nonce_hash=hash_token(nonce), volunteer_id=volunteer.id,
                                    token_id=token.id, created_at=now,
                                    expires_at=now + session_lifetime))
    db.session.commit()
    return Redeemed(volunteer, token.id, nonce)


def invite_state(code: str) -> str:
    """`valid`, `used`, `expired` or `unknown`: for the page before the tap (nothing changes)."""
    invite = db.session.scalars(
        select(VolunteerInvite).where(VolunteerInvite.code_hash == hash_token(code.strip()))
    ).one_or_none()
    if invite is None:
        return "unknown"
    if invite.used_at is None and invite.expires_at > utcnow():
        return "valid"
    return _why_refused(invite)


def qr_svg(url: str, title: str = "") -> str:
    """The link as a QR code: an SVG element to put straight into a page."""
    out = io.BytesIO()
    segno.make(url, error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, title=title or None,
        svgclass="qr", lineclass=None,
    )
    return out.getvalue().decode("utf-8")


def qr_png(url: str) -> bytes:
    """The link as a QR code, PNG (for printing)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=8, border=2)
    return out.getvalue()


def _why_refused(invite: VolunteerInvite | None) -> str:
    if invite is None:
        return "unknown"
    if invite.used_at is not None:
        return "used"
    return "expired"


def _who(principal: Principal) -> str:
    if principal.user_id is not None:
        return f"user {principal.user_id}"
    return f"{principal.role} token {principal.token_id}" if principal.token_id else principal.role
