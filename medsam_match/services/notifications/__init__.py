"""Messages to people: e-mail and SMS through a transactional outbox.

- `outbox`: what happened becomes outbox rows in the caller's transaction
  (never committed here): new assignments after a publish (one message per
  volunteer and publish), changes and cancellations, declines to the
  centre's coordinators, sign-in links and invites, a seat offered as a
  swap to those who may take it over;
- `reminders`, `digest`: the scheduled ones (before a session; the
  coordinator's morning digest after the nightly run);
- `render`: the text, HTML and iCalendar of a row, in the reader's language;
- `links`: signed links that act (confirm, decline, settings);
- `mail`, `sms`: the two channels' transports;
- `delivery`: claims due rows and delivers them, with back-off.

Imports no Flask at import time, like the rest of `services`.
"""

from .digest import on_nightly_published, on_run_failed
from .outbox import (
    on_assigned,
    on_availability_conflict,
    on_declined,
    on_invite,
    on_published,
    on_removed,
    on_session_changed,
    on_signin_link,
    on_swap_cancelled,
    on_swap_offered,
)

__all__ = ["on_assigned", "on_availability_conflict", "on_declined", "on_invite", "on_nightly_published", "on_published",
           "on_removed", "on_run_failed", "on_session_changed", "on_signin_link",
           "on_swap_cancelled", "on_swap_offered"]
