"""Two session cookies from one Flask app.

The volunteers' page (/my/) and the staff workspace (everything else that
is a page) keep their sign-ins apart: /my/ uses the cookie `medsam_my`
(path /my/, 30 days, as before), the workspace `medsam_staff` (path /,
`STAFF_SESSION_LIFETIME`). A volunteer's cookie never reaches the workspace
and signing in to one never signs out of the other. Both are signed with
SECRET_KEY, HttpOnly, SameSite=Lax, and Secure unless the app runs in debug
mode (config SESSION_COOKIE_SECURE).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

VOLUNTEER_COOKIE = "medsam_my"
VOLUNTEER_PATH = "/my/"
STAFF_COOKIE = "medsam_staff"
STAFF_SESSION_LIFETIME = timedelta(hours=12)


def _is_volunteer_page() -> bool:
    return request.path == "/my" or request.path.startswith(VOLUNTEER_PATH)


class SplitSessionInterface(SecureCookieSessionInterface):
    def get_cookie_name(self, app: Flask) -> str:
        return VOLUNTEER_COOKIE if _is_volunteer_page() else STAFF_COOKIE

    def get_cookie_path(self, app: Flask) -> str:
        return VOLUNTEER_PATH if _is_volunteer_page() else "/"

    def get_expiration_time(self, app: Flask, session: SessionMixin) -> datetime | None:
        if not session.permanent:
            return None
        if _is_volunteer_page():
            return datetime.now(UTC) + app.permanent_session_lifetime
        return datetime.now(UTC) + STAFF_SESSION_LIFETIME


def init_app(app: Flask) -> None:
    app.session_interface = SplitSessionInterface()
