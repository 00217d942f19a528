"""Small builders of `medsam-scenario/1` documents for tests.

Every builder returns plain JSON-able dicts, so a test reads like the scenario
it checks. `minimal_scenario()` is a complete, valid document (one place, one
activity, one fixed session with one `host` role, one volunteer);
keyword arguments replace its top-level fields:

    doc = minimal_scenario(
        volunteers=[volunteer("ann", skills=["driver"])],
        sessions=[session("s1", roles=[role("driver", skills=["driver"])])],
    )

Times are written in Europe/Oslo winter time (+01:00) unless given.
"""

from __future__ import annotations

import copy
from typing import Any

from solver.errors import ScenarioError
from solver.parse import parse_scenario
from solver.scenario import Scenario

FORMAT = "medsam-scenario/1"
DAY = "2026-12-08"  # a Tuesday in ISO week 50


def at(clock: str, day: str = DAY, offset: str = "+01:00") -> str:
    """`at("17:00")` -> "2026-12-08T17:00:00+01:00"."""
    if clock.count(":") == 1:
        clock += ":00"
    return f"{day}T{clock}{offset}"


def place(pid: str = "p1", **fields: Any) -> dict[str, Any]:
    return {"id": pid, **fields}


def activity(aid: str = "a1", **fields: Any) -> dict[str, Any]:
    return {"id": aid, **fields}


def role(name: str = "host", **fields: Any) -> dict[str, Any]:
    return {"role": name, **fields}


def interval(start: str, end: str) -> dict[str, str]:
    return {"start": start, "end": end}


def session(
    sid: str = "s1",
    *,
    activity: str = "a1",
    start: str | None = None,
    end: str | None = None,
    place: str | None = "p1",
    roles: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A fixed session (17:00-19:00 on DAY at p1 with one `host` unless told).
    Pass `options=[option(...)]` for an open session: start/end/place are then
    left out."""
    doc: dict[str, Any] = {"id": sid, "activity": activity}
    if "options" not in fields:
        doc["start"] = start or at("17:00")
        doc["end"] = end or at("19:00")
        if place is not None:
            doc["place"] = place
    doc["roles"] = roles if roles is not None else [role()]
    doc.update(fields)
    return doc


def option(start: str, end: str, place: str | None = "p1", **fields: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "place": place, **fields}


def volunteer(vid: str = "v1", **fields: Any) -> dict[str, Any]:
    return {"id": vid, **fields}


def assignment(volunteer: str, session: str, role: str = "host") -> dict[str, str]:
    return {"volunteer": volunteer, "session": session, "role": role}


def minimal_scenario(**overrides: Any) -> dict[str, Any]:
    """A complete valid scenario; each keyword replaces that top-level field,
    and `drop=["timezone", ...]` removes fields."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "name": "test",
        "timezone": "Europe/Oslo",
        "places": [place("p1", lat=58.46, lon=8.77)],
        "activities": [activity("a1")],
        "sessions": [session("s1")],
        "volunteers": [volunteer("v1")],
    }
    drop = overrides.pop("drop", ())
    doc.update(copy.deepcopy(overrides))
    for key in drop:
        doc.pop(key, None)
    return doc


def scenario_of(**overrides: Any) -> Scenario:
    """`minimal_scenario(**overrides)`, parsed."""
    return parse_scenario(minimal_scenario(**overrides))


def problems_of(doc: Any) -> list[str]:
    """The problems `parse_scenario` reports for `doc` (fails if it accepts it)."""
    try:
        parse_scenario(doc)
    except ScenarioError as error:
        return error.problems
    raise AssertionError("the scenario was accepted")
