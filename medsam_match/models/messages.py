"""The outbox: every message a person must receive, as a row written in the
same transaction as the change that causes it (see services/notifications).

A row moves

    queued --claim--> sending --sent--> sent
    sending --error--> queued (next_attempt_at later: back-off) ... --> failed
    sending (left by a dead sender, lease over) --claim again--> sending

`rendered` holds the exact bytes of the first attempt (MIME for e-mail, the
text for SMS), so a retry, also after a crash between sending and marking,
sends the same message with the same Message-ID, never a second, different
one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

MESSAGE_STATUSES = ("queued", "sending", "sent", "failed", "cancelled")
MESSAGE_CHANNELS = ("email", "sms")
MESSAGE_KINDS = (
    "assignments_new",  # new proposed assignments from one publish (grouped)
    "assignment_changed",  # role changed, session moved
    "assignment_cancelled",  # removed by a plan, or the session was cancelled
    "reminder",  # before a session
    "declined",  # to the centre's coordinators
    "digest",  # the coordinator's morning digest after the nightly run
    "signin_link",  # a 15-minute one-time sign-in link asked for
    "invite",  # a coordinator's invite link
    "availability_conflict",  # to the coordinators: a volunteer's own change no longer fits seats
    "swap_offered",  # to volunteers who may take over a seat another offers (services/swaps.py)
    "swap_cancelled",  # to the offering volunteer: a coordinator cancelled the swap
)
NOTIFY_CHANNELS = ("email", "sms", "both", "none")


class OutboxMessage(db.Model):  # type: ignore[name-defined]
    __tablename__ = "outbox_message"
    __table_args__ = (
        # The sender's query: due rows of a status, oldest first.
        Index("ix_outbox_message_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    channel: Mapped[str] = mapped_column(String(10), nullable=False)  # email sms
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="queued")
    # Whom: a volunteer or a staff user (the address is copied at enqueue time).
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centre.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(String(254), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False, default="nb")
    # What to say: ids and snapshots the templates render at the first attempt.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    # A message that must exist once (a reminder per assignment and start, a
    # digest per run and coordinator): a second enqueue is refused by the key.
    dedup_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    subject: Mapped[str | None] = mapped_column(String(300))
    rendered: Mapped[str | None] = mapped_column(Text)
    tries: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffSignInLink(db.Model):  # type: ignore[name-defined]
    """A one-time sign-in link a staff user asked for by e-mail ("send me a
    link"): only the SHA-256 of its random code is stored; used once
    (`used_at` set by a conditional UPDATE) within its 15 minutes."""

    __tablename__ = "staff_signin_link"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
