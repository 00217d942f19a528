"""Activity templates: an activity's design, published for other centres to
reuse (services/templates.py). A template is never edited by an importer:
importing makes a new activity in the importer's centre."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class ActivityTemplate(db.Model):  # type: ignore[name-defined]
    __tablename__ = "activity_template"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="SET NULL"), index=True
    )
    source_activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL")
    )
    source_name: Mapped[str] = mapped_column(String(200), nullable=False)  # the municipality
    country: Mapped[str] = mapped_column(String(2), nullable=False)
    language: Mapped[str] = mapped_column(String(5), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    interests: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    needs: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    roles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    # {"weekday": 0..6, "start": "HH:MM", "minutes": int} (local time) or null
    pattern: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The activity's figures of the year before publishing, suppressed ("< 5").
    achieved: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_by: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
