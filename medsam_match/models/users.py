"""Staff who sign in to the workspace pages: admins, municipality staff and
coordinators. Same roles and scopes as API tokens (see auth.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .tenancy import Centre, Municipality
from .types import UTCDateTime, utcnow

USER_ROLES = ("admin", "municipality", "coordinator")


class User(db.Model):  # type: ignore[name-defined]
    """A person with a password. The e-mail is stored lower-cased, so its
    uniqueness holds case-insensitively on every database. Raising
    `session_version` ends every sign-in of the user at once."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    role: Mapped[str] = mapped_column(String(20), nullable=False)  # admin municipality coordinator
    municipality_id: Mapped[int | None] = mapped_column(
        ForeignKey("municipality.id", ondelete="CASCADE"), index=True
    )
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centre.id", ondelete="CASCADE"), index=True
    )
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    # The language picked on the pages (nb nn da en); None: the municipality's.
    language: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    session_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow
    )
    last_signin_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    municipality: Mapped[Municipality | None] = relationship()
    centre: Mapped[Centre | None] = relationship()
