"""The centre's list of interests: the interests its activities name.

Volunteers choose their interests from this list (on /my/ and through the
API with a volunteer token); an interest outside it is a 422 naming the
item (`interests.2`), except one they hold already (a coordinator may have
set it, or an activity dropped it since): keeping it is no error.
Coordinators may set any interest (they also write the activities).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from ..domain_errors import Invalid
from ..extensions import db
from ..models import Activity


def centre_interests(centre_id: int) -> list[str]:
    """The interests of the centre's activities, sorted, each once."""
    found: set[str] = set()
    for interests in db.session.scalars(select(Activity.interests)
                                        .where(Activity.centre_id == centre_id)):
        found.update(i for i in interests or [] if isinstance(i, str))
    return sorted(found, key=str.casefold)


def check_chosen_interests(centre_id: int, chosen: Iterable[str],
                           held: Iterable[str] = ()) -> None:
    """422 naming each chosen interest neither on the centre's list nor held already."""
    allowed = set(centre_interests(centre_id)) | set(held)
    known = ", ".join(sorted(allowed, key=str.casefold)) or "none yet"
    errors = {f"interests.{index}": [f"not one of the centre's interests ({known})"]
              for index, interest in enumerate(chosen) if interest not in allowed}
    if errors:
        raise Invalid(errors)


__all__ = ["centre_interests", "check_chosen_interests"]
