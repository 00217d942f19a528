"""What an outbox row says: subject, plain text, HTML, an iCalendar part
(e-mail) or a short text (SMS), in the row's language.

Texts are English in the templates (medsam_match/web/templates/mail/) and
translated through the `mail` gettext domain (translations/*/LC_MESSAGES/
mail.po, see docs/translations.md). Rendered once, at a row's first attempt;
the delivery keeps the result, so every retry sends the same message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote_plus
from zoneinfo import ZoneInfo

from flask import render_template
from flask_babel import Domain, force_locale
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...language import role_name, when
from ...models import Assignment, Centre, OutboxMessage, Session, User, Volunteer
from ...models.types import utcnow
from . import links

MAIL_DOMAIN = Domain(domain="mail")
SMS_LIMITS = {"gsm": 306, "ucs2": 134}  # two segments
# GSM 03.38 basic characters: one septet each (æøåÆØÅ are among them).
_GSM = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)


def t(text: str, **values: Any) -> str:
    """A text of the messages, in the language being rendered."""
    return str(MAIL_DOMAIN.gettext(text, **values))


_STATE_NAMES = {
    "proposed": lambda: t("Waiting for your answer"),
    "confirmed": lambda: t("Confirmed"),
    "declined": lambda: t("Declined"),
    "cancelled": lambda: t("Cancelled"),
}


# Why a seat no longer fits, as a coordinator reads it (candidates' rule codes).
_RULE_NAMES = {
    "availability": lambda: t("not available at this time any more"),
    "languages": lambda: t("no longer speaks a language the role needs"),
    "distance": lambda: t("the place is farther than they travel now"),
    "weekly_limit": lambda: t("over their weekly limit of hours or sessions"),
    "skills": lambda: t("lacks a skill the role needs"),
    "certificate": lambda: t("has no valid certificate the role needs"),
    "inactive": lambda: t("not active"),
}


def rule_name(rule: str) -> str:
    return _RULE_NAMES[rule]() if rule in _RULE_NAMES else rule


def state_name(status: str) -> str:
    return _STATE_NAMES[status]() if status in _STATE_NAMES else status


@dataclass
class Item:
    """One assignment as a message shows it."""

    assignment_id: int
    title: str
    role: str
    when: str
    start: datetime
    end: datetime
    place: str | None
    address: str | None
    map_url: str | None
    status: str
    sequence: int = 0
    confirm_url: str | None = None
    decline_url: str | None = None
    why: str | None = None  # why it no longer fits (availability_conflict)


@dataclass
class Rendered:
    subject: str
    text: str
    html: str | None = None
    ics: str | None = None  # an iCalendar document (METHOD:REQUEST or CANCEL)
    ics_method: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def map_url(lat: float | None, lon: float | None, address: str | None) -> str | None:
    if lat is not None and lon is not None:
        return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"
    if address:
        return f"https://www.openstreetmap.org/search?query={quote_plus(address)}"
    return None


def _when(start: datetime, end: datetime, zone: ZoneInfo, language: str) -> str:
    return when(start.astimezone(zone), end.astimezone(zone), language=language)


def item_of(assignment: Assignment, zone: ZoneInfo, language: str, *,
            with_links: bool = False, now: datetime | None = None) -> Item:
    session: Session = assignment.session
    start = session.start or session.window_start
    end = session.end or session.window_end
    place = session.place
    status = "cancelled" if session.status == "cancelled" else assignment.status
    item = Item(
        assignment_id=assignment.id, title=session.activity.title, role=role_name(assignment.role),
        when=_when(start, end, zone, language), start=start, end=end,
        place=place.name if place else None, address=place.address if place else None,
        map_url=map_url(place.lat, place.lon, place.address) if place else None,
        status=status, sequence=int(getattr(session, "version", 1) or 1),
    )
    if with_links and (now or utcnow()) < start and status in ("proposed", "confirmed"):
        if status == "proposed":
            item.confirm_url = links.answer_url(assignment.volunteer_id, assignment.id,
                                                "confirm", start)
        item.decline_url = links.answer_url(assignment.volunteer_id, assignment.id,
                                            "decline", start)
    return item


def _assignments(ids: list[int]) -> list[Assignment]:
    if not ids:
        return []
    return list(db.session.scalars(
        select(Assignment).where(Assignment.id.in_(ids))
        .options(joinedload(Assignment.session).joinedload(Session.activity),
                 joinedload(Assignment.session).joinedload(Session.place))
        .order_by(Assignment.id)
    ).unique())


def _removed_items(snapshots: list[dict[str, Any]], zone: ZoneInfo, language: str) -> list[Item]:
    sessions = {s.id: s for s in db.session.scalars(
        select(Session).where(Session.id.in_([snap["session_id"] for snap in snapshots]))
        .options(joinedload(Session.activity), joinedload(Session.place)))} if snapshots else {}
    items = []
    for snap in snapshots:
        session = sessions.get(snap["session_id"])
        if session is None:
            continue
        start = session.start or session.window_start
        end = session.end or session.window_end
        items.append(Item(
            assignment_id=int(snap.get("assignment_id") or 0), title=session.activity.title,
            role=role_name(snap["role"]), when=_when(start, end, zone, language), start=start,
            end=end, place=session.place.name if session.place else None,
            address=session.place.address if session.place else None, map_url=None,
            status="cancelled", sequence=int(getattr(session, "version", 1) or 1) + 1,
        ))
    return items


def _centre_of(row: OutboxMessage) -> Centre | None:
    return db.session.get(Centre, row.centre_id) if row.centre_id else None


def _context(row: OutboxMessage) -> dict[str, Any]:
    """Everything the templates of the row's kind need."""
    payload = row.payload or {}
    centre = _centre_of(row)
    zone = ZoneInfo(centre.municipality.timezone) if centre else ZoneInfo("Europe/Oslo")
    volunteer = db.session.get(Volunteer, row.volunteer_id) if row.volunteer_id else None
    user = db.session.get(User, row.user_id) if row.user_id else None
    base = links.base_url()
    context: dict[str, Any] = {
        "kind": row.kind, "channel": row.channel, "base_url": base, "centre": centre,
        "volunteer": volunteer, "user": user,
        "name": (volunteer.name if volunteer else user.name if user else ""),
        "page_url": f"{base}/my/",
        "settings_url": links.settings_url(volunteer.id) if volunteer else None,
        "contact": centre.email if centre else None,
        "items": [], "removed": [],
    }
    lang = row.language
    if row.kind == "assignments_new" or (row.kind == "assignment_cancelled" and "run_id" in payload):
        context["items"] = [item_of(a, zone, lang, with_links=True)
                            for a in _assignments(payload.get("added", []))
                            if a.status in ("proposed", "confirmed")]
        context["removed"] = _removed_items(payload.get("removed", []), zone, lang)
    elif row.kind in ("assignment_changed", "assignment_cancelled", "reminder"):
        context["items"] = [item_of(a, zone, lang, with_links=row.kind != "assignment_cancelled")
                            for a in _assignments([payload["assignment_id"]])]
        if row.kind == "assignment_cancelled":
            for item in context["items"]:
                item.status, item.sequence = "cancelled", item.sequence + 1
    elif row.kind == "declined":
        found = _assignments([payload["assignment_id"]])
        context["items"] = [item_of(a, zone, lang) for a in found]
        context["who"] = found[0].volunteer.name if found else ""
        context["was"] = payload.get("was")
        context["reason"] = payload.get("reason")
        context["session_url"] = f"{base}/sessions/{found[0].session_id}" if found else base
    elif row.kind == "availability_conflict":
        seats = payload.get("assignments", [])
        by_id = {a.id: a for a in _assignments([s["assignment_id"] for s in seats])}
        context["items"] = []
        for seat in seats:
            if seat["assignment_id"] in by_id:
                item = item_of(by_id[seat["assignment_id"]], zone, lang)
                item.why = ", ".join(rule_name(r) for r in seat.get("rules", []))
                context["items"].append(item)
        who_row = db.session.get(Volunteer, payload.get("volunteer_id"))
        context["who"] = who_row.name if who_row else ""
        context["people_url"] = f"{base}/volunteers/{payload.get('volunteer_id')}"
    elif row.kind in ("swap_offered", "swap_cancelled"):
        context["items"] = [item_of(a, zone, lang)
                            for a in _assignments([payload["assignment_id"]])]
        context["open_slots_url"] = f"{base}/my/open-slots"
        if row.kind == "swap_offered":
            context["link"] = context["open_slots_url"]  # the SMS's one link
    elif row.kind == "digest":
        from .digest import digest_context

        context.update(digest_context(payload, zone, lang))
        context["workspace_url"] = f"{base}/board"
    elif row.kind in ("signin_link", "invite"):
        context["link"] = base + str(payload.get("path", ""))
        expires = datetime.fromisoformat(str(payload["expires_at"]))
        context["expires"] = _when(expires, expires, zone, lang).rsplit("–", 1)[0]
        context["minutes"] = max(1, round((expires - row.created_at) / timedelta(minutes=1)))
    return context


def _subject(row: OutboxMessage, context: dict[str, Any]) -> str:
    items = context["items"]
    if row.kind == "assignments_new":
        if len(items) == 1:
            return t("New volunteer assignment: %(title)s, %(when)s", title=items[0].title,
                     when=items[0].when)
        return t("%(count)s new volunteer assignments", count=len(items))
    if row.kind == "assignment_cancelled":
        return t("Cancelled: %(title)s", title=(items or context["removed"] or [None])[0].title
                 if (items or context["removed"]) else "")
    if row.kind == "assignment_changed":
        return t("Changed: %(title)s, %(when)s", title=items[0].title, when=items[0].when) \
            if items else t("A volunteer assignment changed")
    if row.kind == "reminder":
        return t("Reminder: %(title)s, %(when)s", title=items[0].title, when=items[0].when) \
            if items else t("Reminder")
    if row.kind == "declined":
        title = items[0].title if items else ""
        if context.get("was") == "confirmed":
            return t("%(name)s can no longer come: %(title)s", name=context["who"], title=title)
        return t("%(name)s declined: %(title)s", name=context["who"], title=title)
    if row.kind == "availability_conflict":
        return t("%(name)s changed their availability; assignments that no longer fit: %(count)s",
                 name=context["who"], count=len(items))
    if row.kind == "swap_offered":
        return t("A seat you may take over: %(title)s, %(when)s", title=items[0].title,
                 when=items[0].when) if items else t("A seat you may take over")
    if row.kind == "swap_cancelled":
        return t("Your offer to hand over %(title)s was cancelled", title=items[0].title) \
            if items else t("Your offer to hand over an assignment was cancelled")
    if row.kind == "digest" and context.get("failed"):
        return t("Morning summary: last night's plan failed, %(empty)s empty places",
                 empty=len(context["unfilled"]))
    if row.kind == "digest":
        return t("Morning summary: %(empty)s empty places, %(declines)s declines",
                 empty=len(context["unfilled"]), declines=len(context["declines"]))
    if row.kind == "invite":
        return t("Your link to your volunteer assignments")
    return t("Your sign-in link")


def _ics(row: OutboxMessage, context: dict[str, Any]) -> tuple[str | None, str | None]:
    """An iCalendar part for new or changed assignments (REQUEST) or
    cancelled ones (CANCEL), one event per assignment, stable UIDs."""
    from .calendar_part import calendar_document

    if row.kind in ("assignments_new", "assignment_changed") and context["items"]:
        return calendar_document(context["items"], "REQUEST", row.address), "REQUEST"
    cancelled = [i for i in context["items"] if i.status == "cancelled"] + context["removed"]
    if row.kind == "assignment_cancelled" and cancelled:
        return calendar_document(cancelled, "CANCEL", row.address), "CANCEL"
    return None, None


def sms_text(context: dict[str, Any], row: OutboxMessage) -> str:
    """The SMS: within two segments, with one short link."""
    body = render_template("mail/sms.txt", t=t, **context).strip()
    body = " ".join(body.split())
    link = context.get("link") or context["page_url"]
    limit = SMS_LIMITS["gsm"] if set(body + link) <= _GSM else SMS_LIMITS["ucs2"]
    room = limit - len(link) - 1
    if len(body) > room:
        body = body[: room - 1].rstrip() + "…"
        if not set(body + link) <= _GSM:  # the ellipsis is not GSM: UCS-2 limit now
            room = SMS_LIMITS["ucs2"] - len(link) - 1
            body = body[: room - 1].rstrip() + "…"
    return f"{body} {link}"


def render(row: OutboxMessage) -> Rendered:
    """The row's message, in its language."""
    with force_locale(row.language):
        context = _context(row)
        if row.channel == "sms":
            return Rendered(subject="", text=sms_text(context, row))
        subject = _subject(row, context)
        text = render_template("mail/message.txt", t=t, subject=subject, **context)
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"  # the template's blank runs
        html = render_template("mail/message.html", t=t, subject=subject, **context)
        ics, method = _ics(row, context)
        return Rendered(subject=subject, text=text, html=html, ics=ics, ics_method=method)

