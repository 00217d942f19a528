"""API tokens and the volunteer page's sign-ins: the one door to the
`api_token` and `volunteer_session` rows for the command line and the web.

Tokens are stored hashed (SHA-256); the plain token exists only in the answer
to `issue_token`. Revoking is a conditional UPDATE (`WHERE revoked_at IS
NULL`), so of two revocations one revokes and the other learns it was done.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from ..auth import create_token, hash_token
from ..domain_errors import DomainError, NotFound
from ..extensions import db
from ..models import ApiToken, Centre, Volunteer, VolunteerSession
from ..models.types import utcnow


def issue_token(role: str, *, municipality_id: int | None = None, centre_id: int | None = None,
                volunteer_id: int | None = None, label: str = "") -> str:
    """A new token, in plain text (the only time it exists); `Invalid` names a wrong scope."""
    return create_token(role, municipality_id=municipality_id, centre_id=centre_id,
                        volunteer_id=volunteer_id, label=label)


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token: never the token."""

    id: int
    role: str
    municipality_id: int | None
    centre_id: int | None
    volunteer_id: int | None
    label: str
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def scope(self) -> str:
        if self.municipality_id:
            return f"municipality {self.municipality_id}"
        if self.centre_id:
            return f"centre {self.centre_id}"
        if self.volunteer_id:
            return f"volunteer {self.volunteer_id}"
        return "-"


def list_tokens(*, include_revoked: bool = False) -> list[TokenInfo]:
    stmt = select(ApiToken).order_by(ApiToken.id)
    if not include_revoked:
        stmt = stmt.where(ApiToken.revoked_at.is_(None))
    return [
        TokenInfo(row.id, row.role, row.municipality_id, row.centre_id, row.volunteer_id,
                  row.label, row.last_used_at, row.revoked_at)
        for row in db.session.scalars(stmt)
    ]


def revoke_token(token_id: int) -> bool:
    """Revoke the token; True if this call revoked it, False if it already was.
    `NotFound` when there is no such token."""
    done = db.session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if done.rowcount == 1:  # type: ignore[attr-defined]
        return True
    if db.session.get(ApiToken, token_id) is None:
        raise NotFound("token")
    return False


# --- the volunteer page's sign-ins ---------------------------------------------


class SignInRefused(DomainError):
    """A token that does not sign a volunteer in; `reason` is "wrong" (no such
    live volunteer token) or "not_volunteer" (a live token of another role)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"sign-in refused: {reason}")
        self.reason = reason


def _volunteer_of(row: ApiToken | None) -> Volunteer | None:
    """The volunteer a token row signs in, if it is a live volunteer token."""
    if row is None or row.revoked_at is not None or row.role != "volunteer":
        return None
    volunteer = row.volunteer
    if volunteer is None or volunteer.erased_at is not None:
        return None
    return volunteer


def start_volunteer_session(plain_token: str, nonce: str, lifetime: timedelta
                            ) -> tuple[Volunteer, int]:
    """Check a token the way the API does (by its hash) and store a sign-in
    for its volunteer under `nonce` (hashed); returns the volunteer and the
    token's id. Sign-ins that ran out are removed on the way."""
    row = db.session.scalars(
        select(ApiToken).where(ApiToken.token_hash == hash_token(plain_token))
    ).one_or_none()
    if row is not None and row.revoked_at is None and row.role != "volunteer":
        raise SignInRefused("not_volunteer")
    volunteer = _volunteer_of(row)
    if volunteer is None or row is None:
        raise SignInRefused("wrong")
    now = utcnow()
    db.session.add(VolunteerSession(nonce_hash=hash_token(nonce), volunteer_id=volunteer.id,
                                    token_id=row.id, created_at=now, expires_at=now + lifetime))
    db.session.execute(delete(VolunteerSession).where(VolunteerSession.expires_at <= now))
    row.last_used_at = now
    db.session.commit()
    return volunteer, row.id


# How often the end of a sign-in moves on as its volunteer comes back.
EXTEND_AFTER = timedelta(days=1)


def volunteer_session(nonce: str, lifetime: timedelta | None = None
                      ) -> tuple[Volunteer, int] | None:
    """The volunteer (and token id) of a live sign-in, if it and its token still hold.

    With `lifetime`, the sign-in then lasts that long from now: its end moves
    on at most once a day, as a conditional UPDATE that may fail silently
    (a read-only database must not stop reading the page).
    """
    row = db.session.scalars(
        select(VolunteerSession).where(VolunteerSession.nonce_hash == hash_token(nonce))
    ).one_or_none()
    now = utcnow()
    if row is None or row.expires_at <= now:
        return None
    # The page shows the volunteer in their municipality's language and
    # zone: token, volunteer, centre and municipality in one query.
    volunteer = _volunteer_of(db.session.get(ApiToken, row.token_id, options=[
        joinedload(ApiToken.volunteer).joinedload(Volunteer.centre)
        .joinedload(Centre.municipality)]))
    if volunteer is None or volunteer.id != row.volunteer_id:
        return None
    found = volunteer, row.token_id
    if lifetime is not None and row.expires_at < now + lifetime - EXTEND_AFTER:
        _extend_volunteer_session(row.id, now + lifetime)
    return found


def _extend_volunteer_session(session_id: int, new_end: datetime) -> None:
    try:
        db.session.execute(
            update(VolunteerSession)
            .where(VolunteerSession.id == session_id,
                   VolunteerSession.expires_at < new_end - EXTEND_AFTER)
            .values(expires_at=new_end)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()


def end_volunteer_session(nonce: str) -> bool:
    """Delete the sign-in; False when the database refuses the write (a full
    disk or a read-only database must not stop a sign-out)."""
    try:
        db.session.execute(
            delete(VolunteerSession).where(VolunteerSession.nonce_hash == hash_token(nonce))
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        return False
    return True
