"""Staff users: create, list, disable, check a password, end sign-ins.

Passwords are hashed with Argon2id (argon2-cffi's defaults, which follow
RFC 9106's recommendations); a hash made with older parameters is replaced
on the next successful sign-in. Checking an unknown e-mail costs the same
as checking a known one, so timing does not tell whether an account exists.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update

from ..auth import Principal
from ..domain_errors import Invalid, NotFound
from ..extensions import db
from ..models import USER_ROLES, Centre, Municipality, User
from ..models.types import utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1000
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, to spend the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class NewUser:
    user: User
    password: str | None  # the generated password, shown once; None if one was given


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _check(role: str, municipality_id: int | None, centre_id: int | None,
           email: str, name: str, password: str | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if role not in USER_ROLES:
        errors["role"] = [f"must be one of {', '.join(USER_ROLES)}"]
    needed = {"admin": None, "municipality": "municipality_id", "coordinator": "centre_id"}.get(role)
    for field, value in (("municipality_id", municipality_id), ("centre_id", centre_id)):
        if role in USER_ROLES and field == needed and value is None:
            errors[field] = [f"{role} users need {field}"]
        elif role in USER_ROLES and field != needed and value is not None:
            errors[field] = [f"{role} users take no {field}"]
    if municipality_id is not None and "municipality_id" not in errors \
            and db.session.get(Municipality, municipality_id) is None:
        errors["municipality_id"] = ["no such municipality"]
    if centre_id is not None and "centre_id" not in errors \
            and db.session.get(Centre, centre_id) is None:
        errors["centre_id"] = ["no such centre"]
    if "@" not in email or email.startswith("@") or email.endswith("@") or len(email) > 254:
        errors["email"] = ["must be an e-mail address"]
    elif db.session.scalar(select(User.id).where(User.email == email)) is not None:
        errors["email"] = ["a user with this e-mail exists"]
    if not name.strip() or len(name) > 200:
        errors["name"] = ["must be 1 to 200 characters"]
    if password is not None and not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        errors["password"] = [f"must be at least {MIN_PASSWORD_LENGTH} characters"]
    return errors


def create_user(*, email: str, name: str, role: str, municipality_id: int | None = None,
                centre_id: int | None = None, password: str | None = None) -> NewUser:
    """Store a user. Without `password` one is generated and returned once."""
    email = normalise_email(email)
    errors = _check(role, municipality_id, centre_id, email, name, password)
    if errors:
        raise Invalid(errors)
    generated = None
    if password is None:
        generated = password = secrets.token_urlsafe(12)
    user = User(email=email, name=name.strip(), role=role, municipality_id=municipality_id,
                centre_id=centre_id, password_hash=_hasher.hash(password), active=True,
                session_version=1)
    db.session.add(user)
    db.session.commit()
    return NewUser(user, generated)


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.id)))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("user")
    return user


def find_user(email_or_id: str) -> User:
    """A user by id or e-mail (any case), for the command line."""
    if email_or_id.isdigit():
        return get_user(int(email_or_id))
    user = db.session.scalars(
        select(User).where(User.email == normalise_email(email_or_id))).one_or_none()
    if user is None:
        raise NotFound("user")
    return user


def disable_user(user_id: int) -> bool:
    """Stop the user signing in, and end their sign-ins. False if already disabled."""
    done = db.session.execute(
        update(User).where(User.id == user_id, User.active.is_(True))
        .values(active=False, session_version=User.session_version + 1, updated_at=utcnow())
    ).rowcount
    db.session.commit()
    return bool(done)


def new_password(user_id: int) -> str:
    """Give the user a fresh generated password (returned once; only its hash
    is stored): the one before stops working. For `serve --demo-coordinator`."""
    password = secrets.token_urlsafe(12)
    done = db.session.execute(
        update(User).where(User.id == user_id)
        .values(password_hash=_hasher.hash(password), updated_at=utcnow())
    ).rowcount
    db.session.commit()
    if not done:
        raise NotFound("user")
    return password


def end_all_sessions(user_id: int) -> None:
    """Sign the user out everywhere: every cookie carrying the old version stops working."""
    db.session.execute(
        update(User).where(User.id == user_id)
        .values(session_version=User.session_version + 1, updated_at=utcnow())
    )
    db.session.commit()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (whichever was wrong)."""
    user = db.session.scalars(
        select(User).where(User.email == normalise_email(email))).one_or_none()
    stored = user.password_hash if user is not None else _DUMMY_HASH
    try:
        _hasher.verify(stored, password[:MAX_PASSWORD_LENGTH])
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_signin_at = utcnow()
    db.session.commit()
    return user


def set_language(user_id: int, language: str | None) -> None:
    db.session.execute(update(User).where(User.id == user_id).values(language=language))
    db.session.commit()


def principal_for_user(user: User) -> Principal:
    """The same principal an API token of this role and scope carries."""
    municipality_id, centre_id = user.municipality_id, user.centre_id
    if user.role == "coordinator" and user.centre is not None:
        municipality_id = user.centre.municipality_id
    return Principal(role=user.role, municipality_id=municipality_id, centre_id=centre_id,
                     user_id=user.id)


def user_locale(user: User) -> str | None:
    """The municipality's locale of a user's scope (None for admins)."""
    if user.centre is not None:
        return user.centre.municipality.locale
    if user.municipality is not None:
        return user.municipality.locale
    return None
