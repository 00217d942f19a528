"""A volunteer's message settings: channel (email, sms, both, none) and
reminders on or off. One conditional UPDATE each; nothing else changes."""

from __future__ import annotations

from sqlalchemy import update

from ...extensions import db
from ...models import NOTIFY_CHANNELS, Volunteer


class BadSetting(ValueError):
    """A value that is not a setting; the message names the field."""


def update_settings(volunteer_id: int, *, channel: str | None = None,
                    reminders: bool | None = None) -> bool:
    """Change the settings given (None: unchanged); commits. False when the
    volunteer is gone or erased."""
    values: dict[str, object] = {}
    if channel is not None:
        if channel not in NOTIFY_CHANNELS:
            raise BadSetting(f"channel must be one of {', '.join(NOTIFY_CHANNELS)}")
        values["notify_channel"] = channel
    if reminders is not None:
        values["reminders"] = bool(reminders)
    if not values:
        return True
    values["version"] = Volunteer.version + 1  # an ETag read before is stale now
    result = db.session.execute(
        update(Volunteer).where(Volunteer.id == volunteer_id, Volunteer.erased_at.is_(None))
        .values(**values).execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]
