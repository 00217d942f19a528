"""Who is signed in to the workspace: Flask-Login's user, loaded from the
session cookie on every request.

The cookie holds `<user id>.<session version>.<proof>`, the proof an HMAC
under the secret key of the user's password hash (argon2, with its own random
salt), so a cookie can be made neither from the secret key and a user id
alone nor from the database alone. Signing out everywhere (or disabling the
user) raises the stored version, and a new password changes the proof, so
every cookie made before stops working at once, on every device.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import Flask, current_app
from flask_login import LoginManager, UserMixin

from ...auth import Principal
from ...extensions import db
from ...models import User
from ...services.users import principal_for_user, user_locale


class StaffUser(UserMixin):  # type: ignore[misc]
    def __init__(self, row: User) -> None:
        self.row = row
        self.user_id = row.id
        self.name = row.name
        self.email = row.email
        self.role = row.role
        self.language = row.language
        self.principal: Principal = principal_for_user(row)
        self.locale = user_locale(row)

    def get_id(self) -> str:
        return f"{self.row.id}.{self.row.session_version}.{_proof(self.row)}"

    @property
    def is_active(self) -> bool:
        return bool(self.row.active)


def _proof(row: User) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    message = f"staff-session:{row.id}:{row.password_hash}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def load_user(key: str) -> StaffUser | None:
    user_id, _, rest = key.partition(".")
    version, _, proof = rest.partition(".")
    if not user_id.isdecimal() or not version.isdecimal() or len(user_id) > 18:
        return None
    row = db.session.get(User, int(user_id))
    if row is None or not row.active or row.session_version != int(version):
        return None
    if not hmac.compare_digest(_proof(row), proof):
        return None
    return StaffUser(row)


def init_app(app: Flask) -> None:
    manager = LoginManager()
    manager.login_view = "staff.signin"
    manager.login_message = None  # the sign-in page says what it is
    manager.session_protection = "basic"
    manager.user_loader(load_user)
    manager.init_app(app)
