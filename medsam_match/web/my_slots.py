"""/my/open-slots and swaps on /my/: seats a volunteer may take themselves.

The list is `services.open_slots.open_slots` (the planner's own eligibility,
through candidates.volunteer_roles): free seats of the centre's coming
sessions and seats other volunteers offer, soonest first, with why they suit
the volunteer. One tap takes a seat (`open_slots.take`: confirmed and locked)
or takes an offered one over (`swaps.take_over`: the original volunteer is
released and told). On a confirmed assignment the volunteer offers the seat
(`swaps.offer`) or withdraws the offer (`swaps.withdraw`). A seat someone
else took first answers with a message on the page, never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ..domain_errors import Conflict, Forbidden, Invalid, NotFound
from ..extensions import db
from ..models import Assignment
from ..models.types import utcnow
from ..services import open_slots as open_slot_service
from ..services import swaps as swap_service
from ..services.candidates import EXCLUDING_RULES
from . import signin
from .i18n import when
from .listing import view_of, volunteer_zone
from .my_texts import rule_label
from .views import _answered, _error_page, _render, _to_page, bp


@dataclass(frozen=True)
class SlotView:
    slot: open_slot_service.OpenSlot
    start_local: Any
    end_local: Any


def _slot_url_anchor(slot: open_slot_service.OpenSlot) -> str:
    return f"s{slot.session_id}-{slot.swap_assignment_id or 'free'}"


@bp.get("/open-slots")
def open_slots() -> Any:
    if g.signed_in is None:
        return _to_page()
    volunteer = g.signed_in.volunteer
    zone = volunteer_zone(volunteer)
    slots = [SlotView(s, s.start.astimezone(zone), s.end.astimezone(zone))
             for s in open_slot_service.open_slots(g.signed_in.principal)]
    return _render("my/open_slots.html", slots=slots, anchor=_slot_url_anchor,
                   today=utcnow().astimezone(zone), weeks=open_slot_service.HORIZON.days // 7)


def _back_to_slots(message: str) -> Any:
    flash(message, "error")
    return redirect(url_for("web.open_slots"), code=303)


def _refusal(error: Conflict | Forbidden) -> str:
    current = getattr(error, "current", None)
    if isinstance(error, Forbidden):
        return _("Your volunteer centre has turned off signing up yourself for this activity.")
    if current in ("full", "taken"):
        return _("Someone else took this seat just before you. Choose another one.")
    if current in ("cancelled",):
        return _("This session has been cancelled.")
    if current in EXCLUDING_RULES:
        return _("This seat does not suit you any more: %(why)s.", why=rule_label(str(current)))
    return _("This seat can no longer be taken: the session has started or changed.")


@bp.post("/open-slots/<int:session_id>/take")
def take_slot(session_id: int) -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    role = request.form.get("role", "")
    try:
        row = open_slot_service.take(g.signed_in.principal, session_id, role)
    except NotFound:
        return _error_page(404, _("That session was not found."))
    except Invalid:
        db.session.rollback()
        return _back_to_slots(_("That role was not found in this session."))
    except (Conflict, Forbidden) as error:
        db.session.rollback()
        return _back_to_slots(_refusal(error))
    return _taken(row.id)


def _taken(assignment_id: int) -> Any:
    row = db.session.get(Assignment, assignment_id)
    assert row is not None
    view = view_of(row, volunteer_zone(g.signed_in.volunteer))
    return _answered(row.id, "success", _(
        "It is yours: %(title)s, %(when)s. It is confirmed; thank you!",
        title=view.title, when=when(view.start_local, view.end_local)))


@bp.post("/swaps/<int:assignment_id>/take-over")
def take_over(assignment_id: int) -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    try:
        row = swap_service.take_over(g.signed_in.principal, assignment_id)
    except (NotFound, Conflict, Forbidden) as error:
        db.session.rollback()
        if isinstance(error, NotFound) or getattr(error, "current", None) == "taken":
            return _back_to_slots(_("This seat is no longer offered: someone else took it "
                                    "over first, or the offer was withdrawn."))
        return _back_to_slots(_refusal(error))
    return _taken(row.id)


@bp.post("/assignments/<int:assignment_id>/offer")
def offer(assignment_id: int) -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    try:
        swap_service.offer(g.signed_in.principal, assignment_id)
    except NotFound:
        return _error_page(404, _("That assignment was not found."))
    except (Conflict, Forbidden):
        db.session.rollback()
        return _answered(assignment_id, "error", _(
            "This assignment cannot be offered now: only a confirmed assignment of a session "
            "still to come can."))
    return _answered(assignment_id, "success", _(
        "Your seat is offered to the other volunteers who could take it. It stays yours until "
        "one of them takes it over; you will get a message then."))


@bp.post("/assignments/<int:assignment_id>/withdraw-offer")
def withdraw_offer(assignment_id: int) -> Any:
    if g.signed_in is None:
        return _to_page()
    signin.check_csrf()
    try:
        swap_service.withdraw(g.signed_in.principal, assignment_id)
    except NotFound:
        return _error_page(404, _("That assignment was not found."))
    except (Conflict, Forbidden):
        db.session.rollback()
        return _answered(assignment_id, "error", _(
            "There is no offer to withdraw: someone may have taken the seat over already."))
    return _answered(assignment_id, "success", _("Your offer is withdrawn; the seat is yours."))
