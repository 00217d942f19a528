"""The M centre of bench.planning: stored as the service stores a centre, it
plans the same problem as the generated M scenario."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from bench.generate import generate
from bench.planning_centre import build_m_centre
from medsam_match.extensions import db
from medsam_match.models import Centre, Volunteer
from medsam_match.services.planning_scenario import build_scenario


def _instant(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _roles(roles: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Roles with the format's defaults filled in, for comparing."""
    return [(r["role"], r.get("min", 1), r.get("max", max(r.get("min", 1), 1)),
             sorted(r.get("skills", [])), sorted(r.get("languages", [])), r.get("certificate"))
            for r in roles]


def test_the_m_centre_from_the_database_is_the_generated_m_scenario(app):
    generated = generate("M", 0)
    with app.app_context():
        built = build_m_centre(0)
        centre = db.session.get(Centre, built.centre_id)
        scenario = build_scenario(centre, *built.window)
        patterns = [v.weekly_availability for v in db.session.scalars(
            select(Volunteer).where(Volunteer.centre_id == built.centre_id))]

    assert (built.volunteers, built.sessions, built.places) == (1000, 600, 40)
    assert len(scenario["volunteers"]) == 1000 and len(scenario["sessions"]) == 600
    # Everyone has a weekly pattern, also those away this week (as `unavailable`).
    assert len(patterns) == 1000 and all(patterns)

    # Sessions in database id order are the generated ones, in order.
    stored = sorted(scenario["sessions"], key=lambda s: int(s["id"]))
    for mine, theirs in zip(stored, generated["sessions"], strict=True):
        assert _roles(mine["roles"]) == _roles(theirs["roles"])
        if "options" in theirs:
            assert [(_instant(o["start"]), _instant(o["end"])) for o in mine["options"]] == \
                   [(_instant(o["start"]), _instant(o["end"])) for o in theirs["options"]]
            assert mine["optional"] == theirs.get("optional", False)
        else:
            assert _instant(mine["start"]) == _instant(theirs["start"])
            assert _instant(mine["end"]) == _instant(theirs["end"])
        # Never more people than the generator expects: no place becomes too small.
        assert mine["participants"] <= theirs.get("participants", 0)

    # Availability: the weekly pattern minus holidays and weeks away gives the
    # generated windows (cut to the span of the week's sessions, as every
    # scenario built from the database is).
    times = [(_instant(t["start"]), _instant(t["end"]))
             for s in generated["sessions"] for t in s.get("options", [s])]
    first, last = min(t[0] for t in times), max(t[1] for t in times)
    stored_volunteers = sorted(scenario["volunteers"], key=lambda v: int(v["id"]))
    for mine, theirs in zip(stored_volunteers, generated["volunteers"], strict=True):
        expected = [(max(_instant(w["start"]), first), min(_instant(w["end"]), last))
                    for w in theirs["availability"]
                    if _instant(w["end"]) > first and _instant(w["start"]) < last]
        assert [(_instant(w["start"]), _instant(w["end"])) for w in mine["availability"]] == expected
        assert mine["certificates"] == theirs.get("certificates", {})
        assert mine.get("max_travel_km") == theirs.get("max_travel_km")
        assert mine["skills"] == sorted(theirs["skills"])
        assert mine["languages"] == sorted(theirs["languages"])
