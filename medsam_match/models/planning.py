"""Activities, their sessions, match runs and assignments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .people import Volunteer
from .tenancy import Centre, Place
from .types import UTCDateTime, utcnow
from .versioning import Versioned

SESSION_STATUSES = ("planned", "scheduled", "cancelled")
ASSIGNMENT_STATUSES = ("proposed", "confirmed", "declined", "cancelled")
RUN_STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
RUN_MODES = ("plan", "repair")
RUN_TRIGGERS = ("api", "nightly", "decline", "cli")


class Activity(Versioned, db.Model):  # type: ignore[name-defined]
    """A recurring or one-off co-creation activity of a centre.

    roles: `[{"role", "min", "max", "skills", "languages", "certificate"}]`.
    """

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centre.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    interests: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    needs: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    participants: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    roles: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    # Volunteers may take its open seats themselves (GET /api/v1/open-slots).
    self_signup: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=sa_true()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    centre: Mapped[Centre] = relationship()
    sessions: Mapped[list[Session]] = relationship(back_populates="activity")


class Session(Versioned, db.Model):  # type: ignore[name-defined]
    """One occurrence of an activity: fixed (start, end, place) or open (options)."""

    __tablename__ = "session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    # Fixed sessions: start/end/place_id. Open sessions: options (start/end null
    # until a run picks one; the chosen time and place are then written here).
    start: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    place_id: Mapped[int | None] = mapped_column(ForeignKey("place.id", ondelete="RESTRICT"))
    # [{"start": ISO UTC, "end": ISO UTC, "place_id": int|None, "penalty": float}]
    options: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    optional: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="planned")
    # Earliest instant the session could start (start, or the first option's):
    # lets window queries work for open sessions too.
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Participants who came (set by the coordinator after the session; None:
    # not counted). Summed as "participants reached" in services/reports.py.
    participants: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    activity: Mapped[Activity] = relationship(back_populates="sessions")
    place: Mapped[Place | None] = relationship()


class MatchRun(db.Model):  # type: ignore[name-defined]
    """One solve (kjøring / kørsel) for a centre over a window."""

    __tablename__ = "match_run"
    __table_args__ = (
        # The nightly run happens exactly once per centre and night, however
        # many scheduler processes run: the database refuses a second one.
        UniqueConstraint("centre_id", "night", name="uq_match_run_centre_night"),
        # At most one repair run waits per centre: a second decline widens it
        # (services/runs/create.py, queue_repair), whatever the concurrency.
        Index(
            "uq_match_run_one_waiting_repair",
            "centre_id",
            unique=True,
            sqlite_where=text("status = 'queued' AND \"trigger\" = 'decline'"),
            postgresql_where=text("status = 'queued' AND \"trigger\" = 'decline'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centre.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    window_from: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    window_to: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    mode: Mapped[str] = mapped_column(String(10), nullable=False, default="plan")
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    trigger: Mapped[str] = mapped_column(String(10), nullable=False, default="api")
    night: Mapped[date | None] = mapped_column(Date)  # set for nightly runs only
    time_limit_s: Mapped[float] = mapped_column(Float, nullable=False, default=30.0)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="queued", index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # A queued run is not started before this instant: declines within a minute
    # of each other are gathered into one repair run.
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker: Mapped[str | None] = mapped_column(String(100))  # host:pid of the process running it
    # With a task queue (MEDSAM_BROKER_URL): when the run was handed to it
    # (jobs/dispatch.py); a run is handed over once, by a compare-and-set.
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The running process writes this every few seconds while it solves: a
    # run whose heartbeat stopped has lost its process, on whatever host.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How often the run was started: a run whose process died is queued again
    # once (with a task queue), then failed (services/runs/recover.py).
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    score: Mapped[float | None] = mapped_column(Float)
    bound: Mapped[float | None] = mapped_column(Float)
    kpis: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    unfilled: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    scenario: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    centre: Mapped[Centre] = relationship()


class Assignment(db.Model):  # type: ignore[name-defined]
    """A volunteer in a role at a session (oppdrag / opgave)."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    session_id: Mapped[int] = mapped_column(
        ForeignKey("session.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    role: Mapped[str] = mapped_column(String(100), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="proposed", index=True)
    locked: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    match_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("match_run.id", ondelete="SET NULL"), index=True
    )
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # Swaps (services/swaps.py): set while the volunteer offers the seat to others.
    swap_offered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Attendance (services/attendance.py): attended | no_show, after the session.
    attendance: Mapped[str | None] = mapped_column(String(10))
    attendance_marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance_marked_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )

    volunteer: Mapped[Volunteer] = relationship()
    session: Mapped[Session] = relationship()
    match_run: Mapped[MatchRun | None] = relationship()
