"""The database models. Times are stored in UTC (see `types.UTCDateTime`)."""

from .invites import VolunteerInvite
from .manual import AssignmentOverride
from .messages import (
    MESSAGE_CHANNELS,
    MESSAGE_KINDS,
    MESSAGE_STATUSES,
    NOTIFY_CHANNELS,
    OutboxMessage,
    StaffSignInLink,
)
from .people import ApiToken, Volunteer
from .planning import (
    ASSIGNMENT_STATUSES,
    RUN_MODES,
    RUN_STATUSES,
    RUN_TRIGGERS,
    SESSION_STATUSES,
    Activity,
    Assignment,
    MatchRun,
    Session,
)
from .selfservice import HOURS_STATUSES, HoursEntry
from .templates import ActivityTemplate
from .tenancy import Centre, Municipality, Place
from .users import USER_ROLES, User
from .web_access import CalendarFeedSecret, VolunteerSession

__all__ = [
    "ActivityTemplate",
    "ASSIGNMENT_STATUSES",
    "HOURS_STATUSES",
    "MESSAGE_CHANNELS",
    "MESSAGE_KINDS",
    "MESSAGE_STATUSES",
    "NOTIFY_CHANNELS",
    "RUN_MODES",
    "RUN_STATUSES",
    "RUN_TRIGGERS",
    "SESSION_STATUSES",
    "USER_ROLES",
    "Activity",
    "ApiToken",
    "Assignment",
    "AssignmentOverride",
    "CalendarFeedSecret",
    "Centre",
    "HoursEntry",
    "MatchRun",
    "OutboxMessage",
    "Municipality",
    "Place",
    "Session",
    "StaffSignInLink",
    "User",
    "Volunteer",
    "VolunteerInvite",
    "VolunteerSession",
]
