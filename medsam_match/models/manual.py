"""What a coordinator overruled when they assigned someone by hand."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow


class AssignmentOverride(db.Model):  # type: ignore[name-defined]
    """A manual assignment made although it broke `rules` (availability or
    travel distance only), with the coordinator's reason and who they were
    (`user <id>` or `token <id>`)."""

    __tablename__ = "assignment_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignment.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    rules: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    made_by: Mapped[str] = mapped_column(String(100), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
