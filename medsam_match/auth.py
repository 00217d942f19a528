"""Bearer tokens and the principal of the current request.

Tokens are random strings shown once; only their SHA-256 hash is stored. A
before-request hook resolves `Authorization: Bearer <token>` for every path
under /api/v1/ except health, the OpenAPI document and the docs page.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, g, request
from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from .errors import Invalid, problem
from .extensions import db
from .models import ApiToken, Centre, Municipality, Volunteer
from .models.types import utcnow
from .ratelimit import api_token_failures, too_many

ROLES = ("admin", "municipality", "coordinator", "volunteer")
TOKEN_PREFIX = "msm_"
API_PREFIX = "/api/v1/"
PUBLIC_PATHS = ("/api/v1/health", "/api/v1/openapi.json", "/api/v1/docs")
# Writing last_used_at on every request would turn each read into a write:
# it is written at most once a minute per token, and only if it can be.
LAST_USED_RESOLUTION = timedelta(minutes=1)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Principal:
    """Who is calling. Scope ids are filled in as far as they follow from the
    token: a coordinator's municipality, a volunteer's centre and municipality."""

    role: str
    municipality_id: int | None = None
    centre_id: int | None = None
    volunteer_id: int | None = None
    token_id: int | None = None
    user_id: int | None = None  # a staff user signed in to the pages (web/workspace)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def actor(self) -> str:
        """How the caller is named on what they decided (`user 3`, `token 7`)."""
        if self.user_id is not None:
            return f"user {self.user_id}"
        if self.token_id is not None:
            return f"token {self.token_id}"
        return self.role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_scope(
    role: str, municipality_id: int | None, centre_id: int | None, volunteer_id: int | None
) -> None:
    given = {
        "municipality_id": municipality_id,
        "centre_id": centre_id,
        "volunteer_id": volunteer_id,
    }
    needed = {
        "admin": None,
        "municipality": "municipality_id",
        "coordinator": "centre_id",
        "volunteer": "volunteer_id",
    }
    if role not in needed:
        raise Invalid({"role": [f"must be one of {', '.join(ROLES)}"]})
    errors: dict[str, list[str]] = {}
    for field, value in given.items():
        if field == needed[role] and value is None:
            errors[field] = [f"{role} tokens need {field}"]
        elif field != needed[role] and value is not None:
            errors[field] = [f"{role} tokens take no {field}"]
    model = {"municipality_id": Municipality, "centre_id": Centre, "volunteer_id": Volunteer}
    for field, value in given.items():
        if value is not None and field not in errors and db.session.get(model[field], value) is None:
            errors[field] = [f"no such {field.removesuffix('_id')}"]
    if errors:
        raise Invalid(errors)


def create_token(
    role: str,
    *,
    municipality_id: int | None = None,
    centre_id: int | None = None,
    volunteer_id: int | None = None,
    label: str = "",
) -> str:
    """Store a new token and return it in plain text (the only time it exists)."""
    _check_scope(role, municipality_id, centre_id, volunteer_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(
        ApiToken(
            token_hash=hash_token(token),
            role=role,
            municipality_id=municipality_id,
            centre_id=centre_id,
            volunteer_id=volunteer_id,
            label=label,
        )
    )
    db.session.commit()
    return token


def principal_for_token(token: str) -> Principal | None:
    """The principal of a valid, unrevoked token, or None."""
    # Every API request asks: the token, its volunteer, the centre and its
    # municipality (whose zone the answer's times are shown in) in one query
    # (the centre of a volunteer token is the volunteer's).
    row = db.session.scalars(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(token))
        .options(joinedload(ApiToken.volunteer).joinedload(Volunteer.centre)
                 .joinedload(Centre.municipality),
                 joinedload(ApiToken.centre).joinedload(Centre.municipality))
    ).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    municipality_id, centre_id = row.municipality_id, row.centre_id
    if row.role == "volunteer":
        if row.volunteer is None or row.volunteer.erased_at is not None:
            return None
        centre_id = row.volunteer.centre_id
    if row.role in ("coordinator", "volunteer"):
        centre = db.session.get(Centre, centre_id)
        if centre is None:
            return None
        municipality_id = centre.municipality_id
    principal = Principal(
        role=row.role,
        municipality_id=municipality_id,
        centre_id=centre_id,
        volunteer_id=row.volunteer_id,
        token_id=row.id,
    )
    record_use(row.id, row.last_used_at)
    return principal


def record_use(token_id: int, last_used_at: datetime | None) -> None:
    """Note when a token was last used: bookkeeping, never a reason to fail.

    At most once per LAST_USED_RESOLUTION per token (a conditional UPDATE,
    so parallel requests write it once), in its own short transaction. When
    the database refuses the write (read-only, disk full), the request goes
    on and the failure is logged.
    """
    now = utcnow()
    stale = now - LAST_USED_RESOLUTION
    if last_used_at is not None and last_used_at > stale:
        return
    try:
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id,
                   or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= stale))
            .values(last_used_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("last_used_at of token %s not recorded (the database refuses writes): %s",
                    token_id, str(error).splitlines()[0])


def current_principal() -> Principal:
    """The caller of the current API request (set by the before-request hook)."""
    principal = g.get("principal")
    if principal is None:
        raise RuntimeError("current_principal() outside an authenticated API request")
    return principal


def _is_public(path: str) -> bool:
    return not path.startswith(API_PREFIX) or any(
        path == public or path.startswith(public + "/") for public in PUBLIC_PATHS
    )


def _authenticate():  # type: ignore[no-untyped-def]
    if _is_public(request.path):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="medsam-match"'}
    if scheme.lower() != "bearer" or not token.strip():
        return problem(401, "Send a token: Authorization: Bearer <token>.", headers=challenge)
    principal = principal_for_token(token.strip())
    if principal is None:
        # Only wrong tokens count, and only they are refused past the limit:
        # a valid token is never locked out because others failed.
        wait = api_token_failures.fail()
        if wait:
            return too_many(wait, "too many requests with a wrong token from this address")
        return problem(401, "The token is unknown or revoked.", headers=challenge)
    g.principal = principal
    return None


def init_app(app: Flask) -> None:
    app.before_request(_authenticate)
