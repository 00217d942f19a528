"""A volunteer's assignments as the page and the calendar feed show them.

Everything is read through `services.assignments.assignments_ending_after`
(the service's `assignments_query`) with the volunteer's own principal, so
the page can never show more than the API would show the same volunteer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from ..auth import Principal
from ..models import Assignment, Centre, Session, Volunteer
from ..models.types import utcnow
from ..services.assignments import assignments_ending_after

OPEN_STATUSES = ("proposed", "confirmed")
CLOSED_STATUSES = ("declined", "cancelled")


@dataclass(frozen=True)
class AssignmentView:
    """One assignment, with the times in UTC and in the municipality's zone."""

    id: int
    status: str  # proposed, confirmed, declined or cancelled (also when the session is)
    title: str
    role: str
    start: datetime
    end: datetime
    start_local: datetime
    end_local: datetime
    place_name: str | None
    place_address: str | None
    lat: float | None
    lon: float | None
    updated_at: datetime
    swap_offered: bool = False  # offered to others, still theirs (services/swaps.py)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def volunteer_zone(volunteer: Volunteer) -> ZoneInfo:
    return ZoneInfo(volunteer.centre.municipality.timezone)


def view_of(assignment: Assignment, zone: ZoneInfo) -> AssignmentView:
    session: Session = assignment.session
    # An open session has its time written once a run chose one; until then
    # the earliest and latest instants it could take are the best we know.
    start = session.start or session.window_start
    end = session.end or session.window_end
    status = "cancelled" if session.status == "cancelled" else assignment.status
    place = session.place
    return AssignmentView(
        id=assignment.id,
        status=status,
        title=session.activity.title,
        role=assignment.role,
        start=start,
        end=end,
        start_local=start.astimezone(zone),
        end_local=end.astimezone(zone),
        place_name=place.name if place else None,
        place_address=place.address if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        updated_at=max(assignment.updated_at, session.updated_at),
        swap_offered=assignment.swap_offered_at is not None and status == "confirmed",
    )


def assignment_views(
    principal: Principal, volunteer: Volunteer, *, ending_after: datetime
) -> list[AssignmentView]:
    """The volunteer's assignments whose session ends after `ending_after`, soonest first."""
    zone = volunteer_zone(volunteer)
    return [view_of(row, zone) for row in assignments_ending_after(principal, ending_after)]


@dataclass(frozen=True)
class PageLists:
    upcoming: list[AssignmentView]  # proposed and confirmed, soonest first
    closed: list[AssignmentView]  # declined or cancelled, still ahead


def page_lists(principal: Principal, volunteer: Volunteer, now: datetime | None = None) -> PageLists:
    """What the page shows: nothing whose session has ended."""
    views = assignment_views(principal, volunteer, ending_after=now or utcnow())
    return PageLists(
        upcoming=[v for v in views if v.is_open],
        closed=[v for v in views if not v.is_open],
    )


def feed_views(
    principal: Principal,
    volunteer: Volunteer,
    *,
    history: timedelta,
    cancelled_kept: timedelta,
    now: datetime | None = None,
) -> list[AssignmentView]:
    """What the calendar feed holds: proposed and confirmed assignments that
    ended at most `history` ago (so a subscribed calendar does not lose last
    week's entries), and declined or cancelled ones that changed within
    `cancelled_kept` (sent as cancelled, so calendars that imported them
    remove them)."""
    now = now or utcnow()
    views = assignment_views(principal, volunteer, ending_after=now - history)
    return [
        v for v in views
        if v.is_open or now - v.updated_at <= cancelled_kept
    ]


def volunteer_principal(volunteer: Volunteer, token_id: int | None = None) -> Principal:
    """The principal a volunteer's own token carries (as auth.py builds it)."""
    centre: Centre = volunteer.centre
    return Principal(
        role="volunteer",
        municipality_id=centre.municipality_id,
        centre_id=centre.id,
        volunteer_id=volunteer.id,
        token_id=token_id,
    )


def count_waiting(views: Iterable[AssignmentView]) -> int:
    return sum(1 for v in views if v.status == "proposed")
