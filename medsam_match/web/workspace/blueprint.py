"""The staff workspace's blueprint: language, CSRF, headers and errors for
every page. Route modules (signin_views, board_views, session_views, ...)
add their routes to `bp`; other page modules may do the same.

Pages are plain HTML forms. Every POST carries Flask-WTF's CSRF token
(`{{ csrf_token() }}` in a form, checked before the view runs); a missing
or wrong token answers 400 with a page saying the form expired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, current_app, g, render_template, request, session
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from ..i18n import LANGUAGE_NAMES, LANGUAGES, choose_language

bp = Blueprint(
    "staff",
    __name__,
    template_folder="../templates",
    static_folder="../static",
    static_url_path="/assets",
)
csrf = CSRFProtect()
LANGUAGE_KEY = "lang"


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: Any  # a lazy_gettext string
    roles: tuple[str, ...]


# The navigation bar, in order. A page module adds its entry with add_nav().
NAV: list[NavItem] = []


def add_nav(endpoint: str, label: Any,
            roles: tuple[str, ...] = ("admin", "municipality", "coordinator")) -> None:
    if all(item.endpoint != endpoint for item in NAV):
        NAV.append(NavItem(endpoint, label, roles))


def content_security_policy() -> str:
    """Only this origin: scripts, styles, images and forms. A map's tile
    server, when configured, is added to img-src (MEDSAM_MAP_TILE_ORIGIN)."""
    images = "'self' data:"
    tiles = current_app.config.get("MEDSAM_MAP_TILE_ORIGIN")
    if tiles:
        images += f" {tiles}"
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


@bp.before_request
def _request_state() -> None:
    if request.endpoint == "staff.static":
        return
    if request.method == "POST":
        csrf.protect()
    user = current_user if current_user.is_authenticated else None
    picked = user.language if user is not None else session.get(LANGUAGE_KEY)
    g.language = choose_language(picked, user.locale if user is not None else None,
                                 request.accept_languages.values())


@bp.after_request
def _page_headers(response: Response) -> Response:
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    if response.mimetype == "text/html":
        response.headers["Content-Security-Policy"] = content_security_policy()
    return response


def render_page(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    """A workspace page, with the language switch and the signed-in user."""
    switch = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
    user = current_user if current_user.is_authenticated else None
    nav = [item for item in NAV if user is not None and user.role in item.roles]
    return render_template(template, lang=g.language, languages=switch, user=user, nav=nav,
                           **context), status


def error_page(status: int, message: str) -> tuple[str, int]:
    return render_page("staff/error.html", status, message=message)


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> Any:
    if "language" not in g:
        g.language = choose_language(session.get(LANGUAGE_KEY), None,
                                     request.accept_languages.values())
    return error_page(400, _("The form had expired. Go back, reload the page and try again."))


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    if "language" not in g:
        g.language = choose_language(session.get(LANGUAGE_KEY), None,
                                     request.accept_languages.values())
    if error.code == 404:
        return error_page(404, _("That page was not found, or it belongs to another centre."))
    if error.code == 400:
        return error_page(400, _("The form had expired. Go back, reload the page and try again."))
    return error
