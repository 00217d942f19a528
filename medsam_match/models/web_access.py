"""What the volunteers' page keeps on the server so that neither a sign-in
nor a calendar address can be made from the secret key and an id alone.

* `VolunteerSession`: one sign-in. The cookie carries a random nonce; only
  its SHA-256 is stored. Signing out deletes the row, so a copied cookie
  stops working at once.
* `CalendarFeedSecret`: a random secret per volunteer that goes into the
  calendar address (see web/calendar_feed.py); a new secret makes a new
  address and the old one stops working.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class VolunteerSession(db.Model):  # type: ignore[name-defined]
    __tablename__ = "volunteer_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nonce_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer.id", ondelete="CASCADE"), nullable=False, index=True
    )
    token_id: Mapped[int] = mapped_column(
        ForeignKey("api_token.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class CalendarFeedSecret(db.Model):  # type: ignore[name-defined]
    __tablename__ = "calendar_feed_secret"

    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer.id", ondelete="CASCADE"), primary_key=True
    )
    secret: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
