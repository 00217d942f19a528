"""The volunteers' own web page at /my/: their upcoming assignments, confirm
or decline with one tap, and a calendar feed. Plain HTML forms and one
stylesheet; no JavaScript. See docs/volunteer-page.md.

The sign-in lives in Flask's signed session cookie, set HttpOnly,
SameSite=Lax, limited to /my/, and Secure unless the app runs in debug
mode: in production the page must be served over HTTPS (browsers also accept
Secure cookies from http://localhost and http://127.0.0.1, so `make run`
works). Anything that signs the cookie or the calendar addresses uses the
`secret_key` setting: changing it signs everyone out and invalidates every
calendar feed address.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

SESSION_LIFETIME = timedelta(days=30)


def init_app(app: Flask) -> None:
    from . import (  # noqa: F401  (routes on views.bp)
        i18n,
        invite_views,
        message_links,
        my_hours,
        my_profile,
        my_slots,
        signin,
        workspace,
    )
    from .views import bp

    app.config.update(
        SESSION_COOKIE_NAME="medsam_my",
        SESSION_COOKIE_PATH="/my/",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not app.debug,
        PERMANENT_SESSION_LIFETIME=SESSION_LIFETIME,
    )
    i18n.init_app(app)
    signin.init_app(app)
    app.register_blueprint(bp)
    workspace.init_app(app)  # the staff pages; also splits the session cookie by path
