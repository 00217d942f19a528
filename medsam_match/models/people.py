"""Volunteers and the API tokens people use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .tenancy import Centre, Municipality
from .types import UTCDateTime, utcnow
from .versioning import Versioned


class Volunteer(Versioned, db.Model):  # type: ignore[name-defined]
    """A volunteer (frivillig) of one centre.

    JSON fields hold lists whose shape the API schemas check:
    certificates `[{"kind", "valid_until": "YYYY-MM-DD"}]`,
    weekly_availability `[{"weekday": 0..6, "start": "HH:MM", "end": "HH:MM"}]` (local time),
    unavailable `[{"start": ISO UTC, "end": ISO UTC}]`.
    Erasure (GDPR) wipes the personal fields and sets `erased_at`; the row stays
    so that hours given remain in the statistics, anonymous.
    """

    __tablename__ = "volunteer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centre.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    max_travel_km: Mapped[float | None] = mapped_column(Float)
    skills: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    interests: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    certificates: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    max_hours_per_week: Mapped[float | None] = mapped_column(Float)
    max_sessions_per_week: Mapped[int | None] = mapped_column(Integer)
    preferred_activity_ids: Mapped[list[int]] = mapped_column(JSON, nullable=False, default=list)
    weekly_availability: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, nullable=False, default=list
    )
    unavailable: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Messages (services/notifications): which channel (email sms both none),
    # reminders before a session on or off, and the language of messages
    # (nb nn da en; None: the municipality's).
    notify_channel: Mapped[str] = mapped_column(
        String(10), nullable=False, default="email", server_default="email"
    )
    reminders: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=sa_true()
    )
    language: Mapped[str | None] = mapped_column(String(5))
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The volunteer asked for erasure on their page (a coordinator confirms).
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    centre: Mapped[Centre] = relationship()


class ApiToken(db.Model):  # type: ignore[name-defined]
    """A bearer token. Only its SHA-256 hash is stored; the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)  # admin municipality coordinator volunteer
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centre.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("volunteer.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipality: Mapped[Municipality | None] = relationship()
    centre: Mapped[Centre | None] = relationship()
    volunteer: Mapped[Volunteer | None] = relationship()
