"""The staff workspace: sign-in, the week board, a session's page and the
other pages coordinators and municipality staff work in.

Pages answer with HTML; they call the same services as the API with the
principal of the signed-in user (services/users.principal_for_user), so a
page never shows what the API would hide from a token of the same role and
scope (outside it: 404).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import (  # noqa: F401  (each module's routes register themselves on import)
        accounts,
        activities,
        board_views,
        cookies,
        figures,
        link_views,
        message_views,
        municipality_views,
        participants_views,
        people,
        places,
        planning,
        request_views,
        session_views,
        signin_views,
        template_views,
        throttle,
    )
    from .blueprint import bp, csrf

    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked per blueprint
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # as long as the session
    cookies.init_app(app)
    accounts.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(bp)
