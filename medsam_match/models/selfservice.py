"""Hours volunteers log themselves for work outside planned sessions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Volunteer
from .planning import Activity
from .types import UTCDateTime, utcnow

HOURS_STATUSES = ("pending", "approved", "rejected")


class HoursEntry(db.Model):  # type: ignore[name-defined]
    """Hours a volunteer gave outside a planned session, pending a
    coordinator's approval (pending -> approved | rejected)."""

    __tablename__ = "hours_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity.id", ondelete="SET NULL")
    )
    day: Mapped[date] = mapped_column(Date, nullable=False)
    hours: Mapped[float] = mapped_column(Float, nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending", index=True)
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    volunteer: Mapped[Volunteer] = relationship()
    activity: Mapped[Activity | None] = relationship()
