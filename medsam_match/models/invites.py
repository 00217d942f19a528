"""One-time sign-in links a coordinator gives a volunteer (to /my/).

Only the SHA-256 of the link's random code is stored. A link works once
(`used_at` is set by a conditional UPDATE, so two taps race and one wins)
and until `expires_at`. Using it makes a volunteer token for the sign-in
(`token_id`), so revoking that token ends the sign-in it started.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Volunteer
from .types import UTCDateTime, utcnow


class VolunteerInvite(db.Model):  # type: ignore[name-defined]
    __tablename__ = "volunteer_invite"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer.id", ondelete="CASCADE"), nullable=False, index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    created_by: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="SET NULL"), index=True
    )

    volunteer: Mapped[Volunteer] = relationship()
