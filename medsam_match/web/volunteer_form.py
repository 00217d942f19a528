"""What the two forms of a volunteer's availability share: the coordinator's
(workspace/people.py) and the volunteer's own (my_profile.py).

Weekday names; an away period typed as its first and last day and stored as
the API takes it (from the first day's midnight to the midnight after the
last day, local time), and back; numbers as a form shows them; certificates
with their expiry state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from ..models import Volunteer

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
            _l("Saturday"), _l("Sunday"))
EXPIRY_WARNING = timedelta(days=30)


def away_interval(first: date, last: date, zone: ZoneInfo) -> dict[str, str]:
    """Days away, first to last, as the API's interval."""
    return {
        "start": datetime.combine(first, time(0), tzinfo=zone).isoformat(),
        "end": datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone).isoformat(),
    }


def away_days(interval: dict[str, str], zone: ZoneInfo) -> dict[str, str]:
    """A stored interval as its first and last day (ISO dates), local time."""
    start = datetime.fromisoformat(interval["start"]).astimezone(zone)
    end = datetime.fromisoformat(interval["end"]).astimezone(zone)
    return {"first": start.date().isoformat(),
            "last": (end - timedelta(seconds=1)).date().isoformat()}


def blank_none(value: Any) -> str:
    """A stored number as a form field shows it: empty for none, 2 for 2.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class CertificateView:
    kind: str
    valid_until: date
    state: str  # valid, soon, expired


def certificate_views(volunteer: Volunteer, today: date) -> list[CertificateView]:
    views = []
    for certificate in volunteer.certificates or []:
        try:
            until = date.fromisoformat(str(certificate.get("valid_until")))
        except ValueError:
            continue
        state = "expired" if until < today else "soon" if until - today <= EXPIRY_WARNING else "valid"
        views.append(CertificateView(str(certificate.get("kind", "")), until, state))
    return views
