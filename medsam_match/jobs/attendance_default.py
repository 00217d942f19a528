"""Attendance by default: the scheduler marks attended the confirmed seats
nobody marked `attendance_default_days` days after their session ended
(services/attendance.py, `apply_default_attendance`; 0 days: off). Run
hourly; several processes doing it at once is harmless, since each seat is
changed only while it is still unmarked."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app

from ..services.attendance import apply_default_attendance

log = logging.getLogger(__name__)


def attendance_tick(now: datetime | None = None) -> int:
    days = int(current_app.config.get("MEDSAM_ATTENDANCE_DEFAULT_DAYS", 0) or 0)
    marked = apply_default_attendance(days, now)
    if marked:
        log.info("attendance: %s confirmed seats marked attended by default (%s days)",
                 marked, days)
    return marked
