"""Signing staff in and out, and the language switch."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ...services import users as user_service
from ..i18n import LANGUAGES
from . import throttle
from .accounts import StaffUser
from .blueprint import LANGUAGE_KEY, bp, render_page
from .forms import SignInForm


def _home_of(user: StaffUser) -> str:
    if user.role == "coordinator":
        return url_for("staff.board")
    return url_for("staff.overview")


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site (never //host or a scheme): no open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.get("/")
def root() -> Any:
    if current_user.is_authenticated:
        return redirect(_home_of(current_user), code=303)
    return redirect(url_for("staff.signin"), code=303)


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(_home_of(current_user), code=303)
    form = SignInForm()
    if request.method == "GET":
        return render_page("staff/signin.html", form=form, next=request.args.get("next", ""))
    email = form.email.data or ""
    wait = throttle.seconds_blocked(email)
    if wait:
        page, status = render_page(
            "staff/signin.html", 429, form=form, next=request.form.get("next", ""),
            error=_("Too many failed attempts. Wait %(seconds)s seconds and try again.",
                    seconds=wait))
        return Response(page, status, headers={"Retry-After": str(wait)}, mimetype="text/html")
    if not form.validate():
        return render_page("staff/signin.html", 422, form=form, next=request.form.get("next", ""),
                           error=_("Enter your e-mail address and your password."))
    row = user_service.authenticate(email, form.password.data or "")
    if row is None:
        throttle.count_failure(email)
        return render_page(
            "staff/signin.html", 401, form=form, next=request.form.get("next", ""),
            error=_("The e-mail address or the password is wrong, or the account is "
                    "disabled."))
    language = session.get(LANGUAGE_KEY)
    session.clear()  # a fresh session on sign-in: nothing carries over (no fixation)
    if language and row.language is None:
        user_service.set_language(row.id, language)
    user = StaffUser(row)
    login_user(user)
    session.permanent = True
    return redirect(_safe_next(request.form.get("next")) or _home_of(user), code=303)


@bp.post("/signout")
def signout() -> Any:
    language = g.language
    logout_user()
    session.clear()
    session[LANGUAGE_KEY] = language
    return redirect(url_for("staff.signin", out=1), code=303)


@bp.post("/signout/everywhere")
@login_required
def signout_everywhere() -> Any:
    user_service.end_all_sessions(current_user.user_id)
    return signout()


@bp.post("/language")
def language() -> Any:
    picked = request.form.get("language", "")
    if picked in LANGUAGES:
        if current_user.is_authenticated:
            user_service.set_language(current_user.user_id, picked)
        session[LANGUAGE_KEY] = picked
    back = _safe_next(request.form.get("back")) or url_for("staff.root")
    return redirect(back, code=303)
