"""Arranging runs and reading messages back, for the notification tests."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from flask import Flask

from medsam_match.extensions import db
from medsam_match.models import MatchRun, OutboxMessage, Session
from medsam_match.models.types import utcnow
from medsam_match.services.notifications.delivery import Outcome, deliver_due
from medsam_match.services.runs.publish import Window, publish

from .conftest import START, Town

LINK = re.compile(r"https://medsam\.test(/my/answer/[A-Za-z0-9_.\-]+)")


def publish_plan(app: Flask, town: Town, plan: list[tuple[int, int, str]],
                 trigger: str = "api", schedule: dict[int, tuple[Any, Any, int]] | None = None
                 ) -> int:
    """Publish `plan` ((volunteer id, session id, role), ...) as a run of the
    centre would: a running run, the window loaded under its locks, one commit."""
    with app.app_context():
        run = MatchRun(centre_id=town.centre_id, window_from=START - timedelta(days=1),
                       window_to=START + timedelta(days=60), status="running", trigger=trigger)
        db.session.add(run)
        db.session.commit()
        sessions = {s.id: s for s in db.session.query(Session).filter(
            Session.id.in_(town.session_ids))}
        result: dict[str, Any] = {
            "status": "optimal",
            "assignments": [{"volunteer": str(v), "session": str(s), "role": r}
                            for v, s, r in plan],
            "schedule": [{"session": str(s.id), "start": s.start.isoformat(),
                          "end": s.end.isoformat(), "place": str(s.place_id)}
                         for s in sessions.values()]
            + [{"session": str(sid), "start": start.isoformat(), "end": end.isoformat(),
                "place": str(place)} for sid, (start, end, place) in (schedule or {}).items()],
        }
        window = Window.load(run)
        publish(run, window, result)
        run.status = "succeeded"
        db.session.commit()
        return run.id


def send(app: Flask, **kwargs: Any) -> Outcome:
    with app.app_context():
        return deliver_due(app.config, **kwargs)


def send_once_due(app: Flask) -> Outcome:
    """Send every queued message as at the moment the last of them falls due
    (or now): an SMS queued in quiet hours (21-08 local) waits till morning."""
    latest = max((r.next_attempt_at for r in outbox(app) if r.status == "queued"),
                 default=utcnow())
    return send(app, now=max(latest, utcnow()))


def outbox(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()
        db.session.expunge_all()
        return rows


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def answer_links(message: EmailMessage) -> list[str]:
    return LINK.findall(text_of(message))
