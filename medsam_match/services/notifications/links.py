"""Links in messages that act, signed with the service's secret key
(itsdangerous), so they need no sign-in and cannot be made up or altered.

- answer links (`/my/answer/<token>`): confirm or decline one assignment;
  bound to the volunteer, the assignment and the action, and valid until the
  session starts. Opening one (GET) shows a page with a button; only the
  button's POST acts, through the same assignment service as `/my/`.
- settings links (`/my/notifications/<token>`): the volunteer's message
  settings (channel, reminders on or off) without signing in; they do not
  expire (a message's unsubscribe link must keep working) and end when the
  secret key changes.

Each kind has its own salt: a settings token is no answer token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

ANSWER_SALT = "medsam-answer-link"
SETTINGS_SALT = "medsam-settings-link"
ACTIONS = ("confirm", "decline")


class LinkRefused(Exception):
    """`reason`: tampered (not ours, or altered) or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class AnswerLink:
    volunteer_id: int
    assignment_id: int
    action: str
    expires_at: datetime


def _serializer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt=salt)


def base_url() -> str:
    return str(current_app.config.get("MEDSAM_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")


def answer_token(volunteer_id: int, assignment_id: int, action: str, expires_at: datetime) -> str:
    if action not in ACTIONS:
        raise ValueError(action)
    return str(_serializer(ANSWER_SALT).dumps(
        [volunteer_id, assignment_id, action, int(expires_at.timestamp())]))


def answer_url(volunteer_id: int, assignment_id: int, action: str, expires_at: datetime) -> str:
    return f"{base_url()}/my/answer/{answer_token(volunteer_id, assignment_id, action, expires_at)}"


def read_answer_token(token: str, now: datetime) -> AnswerLink:
    """The link's content; LinkRefused when altered, made elsewhere or expired."""
    try:
        volunteer_id, assignment_id, action, expires = _serializer(ANSWER_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkRefused("tampered") from None
    if action not in ACTIONS or not all(isinstance(x, int) for x in (volunteer_id, assignment_id,
                                                                      expires)):
        raise LinkRefused("tampered")
    expires_at = datetime.fromtimestamp(expires, UTC)
    if now >= expires_at:
        raise LinkRefused("expired")
    return AnswerLink(volunteer_id, assignment_id, action, expires_at)


def settings_token(volunteer_id: int) -> str:
    return str(_serializer(SETTINGS_SALT).dumps(volunteer_id))


def settings_url(volunteer_id: int) -> str:
    return f"{base_url()}/my/notifications/{settings_token(volunteer_id)}"


def read_settings_token(token: str) -> int:
    try:
        volunteer_id = _serializer(SETTINGS_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkRefused("tampered") from None
    if not isinstance(volunteer_id, int):
        raise LinkRefused("tampered")
    return volunteer_id
