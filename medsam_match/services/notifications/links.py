"""Links in messages that act, signed (itsdangerous) with the service's secret
key and the volunteer's own random secret (services/volunteer_secrets.py), so
they need no sign-in and can be neither made up nor altered, not even by
someone who knows the secret key but not the database.

- answer links (`/my/answer/<token>`): confirm or decline one assignment;
  bound to the volunteer, the assignment and the action, and valid until the
  session starts. Opening one (GET) shows a page with a button; only the
  button's POST acts, through the same assignment service as `/my/`.
- settings links (`/my/notifications/<token>`): the volunteer's message
  settings (channel, reminders on or off) without signing in; they do not
  expire (a message's unsubscribe link must keep working) and end when the
  secret key or the volunteer's secret changes (erasure deletes it).

Each kind has its own salt: a settings token is no answer token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..volunteer_secrets import existing_secret, volunteer_secret

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


def _serializer(salt: str, volunteer_secret: str = "") -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]),
                             salt=f"{salt}:{volunteer_secret}")


def _signed(salt: str, volunteer_id: int, payload: object) -> str:
    return str(_serializer(salt, volunteer_secret(volunteer_id)).dumps(payload))


def _verified(salt: str, token: str) -> object:
    """The payload of a token whose first item (or whole payload) is a volunteer
    id, checked with that volunteer's secret; LinkRefused("tampered") otherwise."""
    try:
        _, claimed = _serializer(salt).loads_unsafe(token)
    except (ValueError, TypeError):
        raise LinkRefused("tampered") from None
    volunteer_id = claimed[0] if isinstance(claimed, list) and claimed else claimed
    if not isinstance(volunteer_id, int) or isinstance(volunteer_id, bool):
        raise LinkRefused("tampered")
    secret = existing_secret(volunteer_id)
    if secret is None:
        raise LinkRefused("tampered")
    try:
        return _serializer(salt, secret).loads(token)
    except (BadSignature, ValueError, TypeError):
        raise LinkRefused("tampered") from None


def base_url() -> str:
    return str(current_app.config.get("MEDSAM_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")


def answer_token(volunteer_id: int, assignment_id: int, action: str, expires_at: datetime) -> str:
    if action not in ACTIONS:
        raise ValueError(action)
    return _signed(ANSWER_SALT, volunteer_id,
                   [volunteer_id, assignment_id, action, int(expires_at.timestamp())])


def answer_url(volunteer_id: int, assignment_id: int, action: str, expires_at: datetime) -> str:
    return f"{base_url()}/my/answer/{answer_token(volunteer_id, assignment_id, action, expires_at)}"


def read_answer_token(token: str, now: datetime) -> AnswerLink:
    """The link's content; LinkRefused when altered, made elsewhere or expired."""
    try:
        volunteer_id, assignment_id, action, expires = _verified(ANSWER_SALT, token)  # type: ignore[misc]
    except (ValueError, TypeError):
        raise LinkRefused("tampered") from None
    if action not in ACTIONS or not all(isinstance(x, int) for x in (volunteer_id, assignment_id,
                                                                      expires)):
        raise LinkRefused("tampered")
    expires_at = datetime.fromtimestamp(expires, UTC)
    if now >= expires_at:
        raise LinkRefused("expired")
    return AnswerLink(volunteer_id, assignment_id, action, expires_at)


def settings_token(volunteer_id: int) -> str:
    return _signed(SETTINGS_SALT, volunteer_id, volunteer_id)


def settings_url(volunteer_id: int) -> str:
    return f"{base_url()}/my/notifications/{settings_token(volunteer_id)}"


def read_settings_token(token: str) -> int:
    volunteer_id = _verified(SETTINGS_SALT, token)
    if not isinstance(volunteer_id, int):
        raise LinkRefused("tampered")
    return volunteer_id
