"""The peer benchmark's conversion: the scenarios both optimisers get.
(Timefold itself is optional and not run here: `python -m bench.peers`.)"""

from __future__ import annotations

from bench.generate import generate
from bench.peers.timefold_model import expressible, fixed_sessions
from solver import greedy, validate
from solver.parse import parse_scenario


def test_fixed_sessions_hold_each_open_session_at_its_first_option() -> None:
    doc = generate("S", 1)
    opened = {s["id"]: s["options"][0] for s in doc["sessions"] if "options" in s}
    assert opened and expressible(doc) == ["open sessions"]

    fixed = fixed_sessions(doc)

    assert expressible(fixed) == []
    scenario = parse_scenario(fixed)  # a valid scenario
    assert not any(s.is_open for s in scenario.sessions)
    for s in fixed["sessions"]:
        if s["id"] in opened:
            first = opened[s["id"]]
            assert (s["start"], s["end"], s["place"]) == (first["start"], first["end"], first["place"])
    assert len(fixed["sessions"]) == len(doc["sessions"])
    baseline = greedy(fixed)
    assert validate(fixed, baseline) == []


def test_fixed_and_previous_assignments_are_beyond_the_peer() -> None:
    doc = fixed_sessions(generate("S", 1))
    doc["previous"] = [{"volunteer": "v1", "session": "s1", "role": "host"}]
    assert expressible(doc) == ["previous assignments"]
