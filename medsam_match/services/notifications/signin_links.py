"""Sign-in links by message ("send me a link"): single use, 15 minutes.

- a volunteer gives its e-mail address or mobile number on /my/; every
  active volunteer with that address gets a one-time link to /my/ (a
  volunteer invite, services/invites.py) on that channel;
- a staff user gives its e-mail address on /signin; an active user gets a
  one-time link to the workspace (`StaffSignInLink`).

The caller answers the same whether or not the address is known. A link is
used up by a conditional UPDATE (unused and unexpired), so of two taps at
once exactly one signs in.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import func, select, update

from ...auth import hash_token
from ...extensions import db
from ...models import StaffSignInLink, User, Volunteer
from ...models.types import utcnow
from ..invites import new_signin_link
from .outbox import on_signin_link
from .phones import BadPhone, to_e164

LIFETIME = timedelta(minutes=15)


class StaffLinkRefused(Exception):
    """`reason`: unknown, used or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _as_phone(address: str) -> str | None:
    for region in ("NO", "DK"):
        try:
            return to_e164(address, region)
        except BadPhone:
            continue
    return None


def request_volunteer_link(address: str) -> int:
    """Send a sign-in link to each active volunteer with this e-mail address
    or mobile number; commits. Returns how many were sent (the page must not
    show it)."""
    address = (address or "").strip()[:254]
    if not address:
        return 0
    if "@" in address:
        channel = "email"
        found = select(Volunteer).where(func.lower(Volunteer.email) == address.lower())
    else:
        phone = _as_phone(address)
        if phone is None:
            return 0
        channel = "sms"
        found = select(Volunteer).where(Volunteer.phone == phone)
    count = 0
    for volunteer in db.session.scalars(
        found.where(Volunteer.active.is_(True), Volunteer.erased_at.is_(None))
    ):
        code = new_signin_link(volunteer, LIFETIME, "sign-in link asked for by the volunteer")
        count += on_signin_link(volunteer=volunteer, path=f"/my/invite/{code}",
                                expires_at=utcnow() + LIFETIME, channel=channel)
    db.session.commit()
    return count


def request_staff_link(email: str) -> int:
    """A one-time link to the workspace for the active staff user with this
    e-mail address; commits. Returns 1 when one was sent, else 0."""
    email = (email or "").strip().lower()[:254]
    user = db.session.scalars(
        select(User).where(User.email == email, User.active.is_(True))).one_or_none()
    if user is None:
        return 0
    code = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(StaffSignInLink(user_id=user.id, code_hash=hash_token(code), created_at=now,
                                   expires_at=now + LIFETIME))
    sent = on_signin_link(user=user, path=f"/signin/link/{code}", expires_at=now + LIFETIME)
    db.session.commit()
    return sent


def staff_link_state(code: str) -> str:
    """valid, used, expired or unknown (changes nothing)."""
    row = db.session.scalars(select(StaffSignInLink).where(
        StaffSignInLink.code_hash == hash_token(code.strip()))).one_or_none()
    if row is None:
        return "unknown"
    if row.used_at is not None:
        return "used"
    return "valid" if row.expires_at > utcnow() else "expired"


def redeem_staff_link(code: str) -> User:
    """Use the link up (once) and return its user; StaffLinkRefused otherwise. Commits."""
    code = code.strip()
    if not code or len(code) > 200:
        raise StaffLinkRefused("unknown")
    now = utcnow()
    code_hash = hash_token(code)
    claimed = db.session.execute(
        update(StaffSignInLink)
        .where(StaffSignInLink.code_hash == code_hash, StaffSignInLink.used_at.is_(None),
               StaffSignInLink.expires_at > now)
        .values(used_at=now).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise StaffLinkRefused(staff_link_state(code))
    row = db.session.scalars(select(StaffSignInLink).where(
        StaffSignInLink.code_hash == code_hash)).one()
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        db.session.rollback()
        raise StaffLinkRefused("unknown")
    db.session.commit()
    return user
