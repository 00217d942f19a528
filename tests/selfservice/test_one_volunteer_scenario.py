"""The open slots and the profile check build scenarios for one volunteer
only (`build_scenario(volunteer=...)`), the open slots one per ISO week
holding all of the week's sessions (`candidates.volunteer_roles_of`).
Property: on the generated centres of test_open_slots_property.py, what
these cheaper scenarios say about a volunteer is exactly what the
coordinator's candidates list (one session's full scenario, every volunteer
of the centre) says about them: the same rules exclude them from each role,
or the same fit, and the same seat counts."""

from __future__ import annotations

import random

import pytest
from flask import Flask

from medsam_match.auth import Principal
from medsam_match.domain_errors import Conflict
from medsam_match.extensions import db
from medsam_match.models import Assignment, Centre
from medsam_match.services.candidates import (
    held_rules,
    held_rules_of,
    session_candidates,
    volunteer_roles,
    volunteer_roles_of,
)
from tests.conftest import World
from tests.selfservice.test_open_slots_property import _generate


@pytest.mark.parametrize("seed", [11, 37])
def test_one_volunteer_scenario_says_what_the_full_one_says(
        app: Flask, world: World, seed: int) -> None:
    rng = random.Random(seed)
    compared = excluded = 0
    with app.app_context():
        made = _generate(rng, world)
        centre = db.session.get(Centre, world.no.centre_id)
        coordinator = Principal(role="coordinator", centre_id=centre.id,
                                municipality_id=centre.municipality_id)
        weeks = {v.id: volunteer_roles_of(made["sessions"], v.id) for v in made["volunteers"]}
        for session in made["sessions"]:
            full = {entry.role: entry for entry in session_candidates(coordinator, session.id)}
            for volunteer in made["volunteers"]:
                one = volunteer_roles(session, volunteer.id)
                assert weeks[volunteer.id][session.id] == one
                for fit in one:
                    entry = full[fit.role]
                    assert (fit.minimum, fit.maximum, fit.filled) == (
                        entry.minimum, entry.maximum, entry.filled)
                    candidate = [c for c in entry.candidates if c.volunteer_id == volunteer.id]
                    rules = [e.rules for e in entry.excluded if e.volunteer_id == volunteer.id]
                    assert len(candidate) + len(rules) == 1, (seed, volunteer.id, fit.role)
                    if rules:
                        excluded += 1
                        assert fit.failing == rules[0] and fit.candidate is None
                    else:
                        assert not fit.failing and fit.candidate == candidate[0]
                    compared += 1
    assert compared > excluded > 0 and compared - excluded > 0


@pytest.mark.parametrize("seed", [11, 37])
def test_the_profile_check_by_week_says_what_it_says_seat_by_seat(
        app: Flask, world: World, seed: int) -> None:
    """`held_rules_of` (one scenario per ISO week, as the profile check
    reads a volunteer's coming seats) gives each seat the rules
    `held_rules` gives it alone."""
    rng = random.Random(seed)
    held = broken = 0
    with app.app_context():
        made = _generate(rng, world)
        # Every other volunteer's week tighter than it was, so that some
        # seats break a limit and others still fit.
        for volunteer in made["volunteers"][::2]:
            volunteer.max_sessions_per_week = 1
        db.session.flush()
        holding = {(a.volunteer_id, a.session_id) for a in db.session.query(Assignment).filter(
            Assignment.status.in_(("proposed", "confirmed")))}
        for volunteer in made["volunteers"]:
            by_week = held_rules_of(made["sessions"], volunteer.id)
            for session in made["sessions"]:
                try:
                    alone = held_rules(session, volunteer.id)
                except Conflict:
                    assert session.id not in by_week
                    continue
                assert by_week[session.id] == alone, (seed, volunteer.id, session.id)
                if (volunteer.id, session.id) in holding:
                    held += 1
                    broken += bool(alone)
        db.session.rollback()
    assert held >= broken > 0, (held, broken)
