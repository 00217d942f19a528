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
    from . import accounts, board_views, cookies, session_views, signin_views, throttle  # noqa: F401  (routes)
    from . import activities, link_views, message_views, people, places, planning  # noqa: F401  (routes: my pages)
    from . import figures  # noqa: F401  (routes: figures, annual report, network)
    from . import request_views  # noqa: F401  (routes: hours, swaps, erasure requests)
    from . import template_views  # noqa: F401  (routes: activity templates)
    from . import municipality_views  # noqa: F401  (routes: population, network opt-in)
    from . import participants_views  # noqa: F401  (routes: participants of a session)
    from .blueprint import bp, csrf

    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)  # checked per blueprint
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # as long as the session
    cookies.init_app(app)
    accounts.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(bp)
