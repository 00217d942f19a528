"""/messages: the e-mails and SMS sent for the user's centres, newest first,
with their state (waiting, sent, failed with the last error) and a button
that sends a failed one again. The same service as GET /api/v1/messages."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from flask import redirect, request, url_for
from flask_babel import LazyString
from flask_login import current_user, login_required
from sqlalchemy import select

from ...domain_errors import DomainError
from ...extensions import db
from ...models import Centre, Municipality, User, Volunteer
from ...services.notifications import listing
from ...services.notifications.render import t
from .blueprint import add_nav, bp, render_page

PAGE_SIZE = 200
add_nav("staff.messages", LazyString(lambda: t("Messages")))

STATES = {
    "queued": lambda: t("Waiting"),
    "sending": lambda: t("Sending"),
    "sent": lambda: t("Sent"),
    "failed": lambda: t("Failed"),
    "cancelled": lambda: t("Not sent"),
}
KINDS = {
    "assignments_new": lambda: t("New assignments"),
    "assignment_changed": lambda: t("Changed assignment"),
    "assignment_cancelled": lambda: t("Cancelled assignment"),
    "reminder": lambda: t("Reminder"),
    "declined": lambda: t("Decline"),
    "digest": lambda: t("Morning summary"),
    "signin_link": lambda: t("Sign-in link"),
    "invite": lambda: t("Invite"),
    "availability_conflict": lambda: t("Availability no longer fits"),
    "swap_offered": lambda: t("Seat offered to take over"),
    "swap_cancelled": lambda: t("Swap offer cancelled"),
}


@bp.get("/messages")
@login_required
def messages() -> Any:
    shown = request.args.get("status", "")
    filters = {"status": shown} if shown in STATES else {}
    rows = list(db.session.scalars(
        listing.messages_query(current_user.principal, filters).limit(PAGE_SIZE)))
    volunteer_ids = {r.volunteer_id for r in rows if r.volunteer_id}
    user_ids = {r.user_id for r in rows if r.user_id}
    names = dict(db.session.execute(
        select(Volunteer.id, Volunteer.name).where(Volunteer.id.in_(volunteer_ids))).all())
    staff = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
    zones = {centre_id: ZoneInfo(zone) for centre_id, zone in db.session.execute(
        select(Centre.id, Municipality.timezone)
        .join(Municipality, Centre.municipality_id == Municipality.id)
        .where(Centre.id.in_({r.centre_id for r in rows if r.centre_id}))).all()}
    return render_page("staff/messages.html", t=t, rows=rows, shown=shown,
                       state=lambda s: STATES[s]() if s in STATES else s,
                       kind=lambda k: KINDS[k]() if k in KINDS else k,
                       who=lambda r: names.get(r.volunteer_id) or staff.get(r.user_id) or "",
                       local=lambda r: r.created_at.astimezone(
                           zones.get(r.centre_id, ZoneInfo("Europe/Oslo"))))


@bp.post("/messages/<int:message_id>/resend")
@login_required
def resend_message(message_id: int) -> Any:
    try:
        listing.resend_message(current_user.principal, message_id)
    except DomainError:
        db.session.rollback()  # already queued again, or not the user's: the list shows it
    return redirect(url_for("staff.messages", status=request.form.get("status") or None),
                    code=303)



