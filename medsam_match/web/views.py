"""The routes of the volunteer page, /my/.

Routes read the form, call one service function with the volunteer's own
principal, and answer with a page or a redirect (POST, then redirect, then
GET: reloading a page never answers an assignment twice).
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as Redirect

from ..errors import Conflict, NotFound
from ..models.types import utcnow
from ..services import assignments as assignment_service
from . import calendar_feed, signin
from .i18n import LANGUAGE_NAMES, LANGUAGES, choose_language, normalise, when
from .listing import count_waiting, page_lists, view_of, volunteer_zone
from .my_texts import SIGNIN_REFUSED, conflict_text, status_label

MAX_REASON_LENGTH = 1000  # as the API's decline schema
ANSWER_NOTICE_KEY = "answer_notice"

bp = Blueprint(
    "web",
    __name__,
    url_prefix="/my",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


# --- per request: who, which language ---------------------------------------------

# The stylesheet and the calendar feed need neither the sign-in nor the language.
_STATELESS_ENDPOINTS = ("web.static", "web.calendar")


@bp.before_request
def _load_request_state() -> None:
    if request.endpoint in _STATELESS_ENDPOINTS:
        return
    picked = normalise(request.args.get("lang"))
    if picked is not None:
        session["lang"] = picked
    g.signed_in = signin.signed_in()
    locale = g.signed_in.volunteer.centre.municipality.locale if g.signed_in else None
    g.language = choose_language(session.get("lang"), locale, request.accept_languages.values())


@bp.after_request
def _page_headers(response: Response) -> Response:
    # Personal pages: never cached, never framed, only our own stylesheet.
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    return response


def _render(template: str, status: int = 200, **context: Any) -> tuple[str, int]:
    switch = [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES]
    return render_template(
        template, lang=g.language, languages=switch, status_label=status_label,
        signed_in=g.signed_in, messages=get_flashed_messages(with_categories=True),
        csrf_field=signin.CSRF_FIELD, csrf_token=signin.csrf_token(), **context,
    ), status


def _error_page(status: int, message: str) -> tuple[str, int]:
    return _render("my/error.html", status, message=message)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    if "language" not in g:  # an error before the request's state was loaded
        g.signed_in = None
        g.language = choose_language(session.get("lang"), None, request.accept_languages.values())
    if error.code == 400:
        return _error_page(400, _("The form had expired. Go back, reload the page and try again."))
    if error.code == 404:
        return _error_page(404, _("That page was not found."))
    return error


def _to_page(anchor: str | None = None) -> Redirect:
    return redirect(url_for("web.home", _anchor=anchor), code=303)


def _answered(assignment_id: int, category: str, message: str) -> Redirect:
    """Back to the page, at the card just answered, with the outcome shown
    in that card (a notice at the top would be out of sight there)."""
    session[ANSWER_NOTICE_KEY] = {"id": assignment_id, "category": category, "text": message}
    return _to_page(f"a{assignment_id}")


# --- sign-in ------------------------------------------------------------------------

@bp.get("/")
def home() -> Any:
    if g.signed_in is None:
        if signin.was_signed_in():
            signin.sign_out()
            flash(_("Your code is no longer valid, so you have been signed out. Ask your "
                    "volunteer centre for a new one."), "error")
        return _render("my/signin.html")
    lists = page_lists(g.signed_in.principal, g.signed_in.volunteer)
    now_local = utcnow().astimezone(volunteer_zone(g.signed_in.volunteer))
    return _render(
        "my/home.html",
        volunteer=g.signed_in.volunteer,
        upcoming=lists.upcoming,
        closed=lists.closed,
        waiting=count_waiting(lists.upcoming),
        today=now_local,
        horizon_days=current_app.config.get("MEDSAM_PLANNING_HORIZON_DAYS", 14),
        calendar_url=url_for("web.calendar", key=calendar_feed.feed_key(g.signed_in.volunteer.id),
                             _external=True),
        max_reason=MAX_REASON_LENGTH,
        notice=session.pop(ANSWER_NOTICE_KEY, None),
    )


@bp.post("/sign-in")
def sign_in() -> Any:
    signin.check_csrf()
    try:
        signin.sign_in(request.form.get("token", ""))
    except signin.SignInRefused as refused:
        if refused.reason == "signin_empty":
            return _render("my/signin.html", 422, error=str(SIGNIN_REFUSED[refused.reason]))
        # Only wrong codes count, and only they wait past the limit: a right
        # code (long and random, so never guessed) always signs in, however
        # many others behind the same address typed a wrong one.
        wait = signin.count_failure()
        if wait:
            page, status = _render("my/signin.html", 429, error=_(
                "Too many wrong attempts. Wait %(seconds)s seconds and try again.", seconds=wait))
            return Response(page, status, headers={"Retry-After": str(wait)}, mimetype="text/html")
        return _render("my/signin.html", 401, error=str(SIGNIN_REFUSED[refused.reason]))
    return _to_page()


@bp.post("/sign-out")
def sign_out() -> Any:
    signin.check_csrf()
    signin.sign_out()
    flash(_("You are signed out."), "info")
    return _to_page()


# --- answering ----------------------------------------------------------------------

def _answer(assignment_id: int, action: str) -> Any:
    if g.signed_in is None:
        return _to_page()  # the page says why (signed out or session ended)
    signin.check_csrf()
    reason = request.form.get("reason", "").strip() or None
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        return _answered(assignment_id, "error", _("The reason is too long (at most %(max)s characters).",
                                                      max=MAX_REASON_LENGTH))
    principal = g.signed_in.principal
    try:
        assignment = assignment_service.answer(principal, assignment_id, action, reason)
    except NotFound:
        return _error_page(404, _("That assignment was not found."))
    except Conflict:
        current = assignment_service.get_assignment(principal, assignment_id)
        return _answered(assignment_id, "error",
                         conflict_text(action, current.status))
    view = view_of(assignment, volunteer_zone(g.signed_in.volunteer))
    moment = when(view.start_local, view.end_local)
    moment = moment[0].lower() + moment[1:] if g.language != "en" else moment
    if action == "confirm":
        text = _("Thank you! %(title)s, %(when)s, is confirmed.", title=view.title, when=moment)
    else:
        text = _("You declined %(title)s, %(when)s. Your volunteer centre will find someone "
                 "else.", title=view.title, when=moment)
    return _answered(assignment_id, "success", text)


@bp.post("/assignments/<int:assignment_id>/confirm")
def confirm(assignment_id: int) -> Any:
    return _answer(assignment_id, "confirm")


@bp.post("/assignments/<int:assignment_id>/decline")
def decline(assignment_id: int) -> Any:
    return _answer(assignment_id, "decline")


# --- calendar -----------------------------------------------------------------------

@bp.get("/calendar/<key>.ics")
def calendar(key: str) -> Response:
    volunteer = calendar_feed.volunteer_for_key(key)
    if volunteer is None:
        return Response("No such calendar.\n", 404, mimetype="text/plain")
    with force_locale(choose_language(None, volunteer.centre.municipality.locale)):
        body = calendar_feed.feed_text(volunteer, url_for("web.home", _external=True))
    return Response(body, 200, mimetype="text/calendar",
                    headers={"Content-Disposition": 'inline; filename="assignments.ics"',
                             "Cache-Control": "private, max-age=300"})
