"""Which options of a session a place can actually host (the H10 filters).

An option is usable when its place (if any) has every feature the session
needs, room for its participants, and no `busy` interval overlapping it. The
model only ever offers usable options; a fixed session whose own option is
not usable is a conflict (see `conflicts.py`).
"""

from __future__ import annotations

from ..scenario import Option, Scenario, Session


def option_problems(scenario: Scenario, session: Session, option: Option) -> list[str]:
    """Why the option's place cannot host the session (empty: it can)."""
    if option.place is None:
        return []
    place = scenario.place_by_id[option.place]
    problems = []
    missing = session.needs - place.features
    if missing:
        problems.append(f"place {place.id} lacks {', '.join(sorted(missing))}")
    if place.capacity is not None and session.participants > place.capacity:
        problems.append(
            f"place {place.id} holds {place.capacity}, the session expects {session.participants}"
        )
    if any(option.interval.overlaps(b) for b in place.busy):
        problems.append(f"place {place.id} is busy then")
    return problems


def usable_options(scenario: Scenario, session: Session) -> tuple[int, ...]:
    """Indices into `session.options` that pass the place filters."""
    return tuple(
        i for i, option in enumerate(session.options)
        if not option_problems(scenario, session, option)
    )
