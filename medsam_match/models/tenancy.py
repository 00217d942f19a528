"""Municipalities (the tenants), their volunteer centres and meeting places."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow
from .versioning import Versioned


class Municipality(Versioned, db.Model):  # type: ignore[name-defined]
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    country: Mapped[str] = mapped_column(String(2), nullable=False)  # NO or DK
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="Europe/Oslo")
    locale: Mapped[str] = mapped_column(String(5), nullable=False, default="nb")  # nb nn da en
    # Inhabitants, for volunteers per 1,000 inhabitants (services/reports.py).
    population: Mapped[int | None] = mapped_column(Integer)
    # Shares its figures (suppressed, anonymous) with the other opted-in
    # municipalities in the learning network (services/network.py). Off by default.
    network_opt_in: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=sa_false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    centres: Mapped[list[Centre]] = relationship(back_populates="municipality")
    places: Mapped[list[Place]] = relationship(back_populates="municipality")


class Centre(Versioned, db.Model):  # type: ignore[name-defined]
    """A volunteer centre (frivilligsentral / frivilligcenter)."""

    __tablename__ = "centre"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    # Inactive centres are skipped by the nightly run.
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    municipality: Mapped[Municipality] = relationship(back_populates="centres")


class Place(Versioned, db.Model):  # type: ignore[name-defined]
    """A meeting place (møteplass / mødested), owned by the municipality."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipality.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    address: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    capacity: Mapped[int | None] = mapped_column(Integer)  # None: unlimited
    parallel: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    features: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    # [{"start": ISO UTC, "end": ISO UTC}], intervals booked by others
    busy: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    municipality: Mapped[Municipality] = relationship(back_populates="places")
