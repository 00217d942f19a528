"""Fixtures for the solver tests; the builders themselves are in helpers.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from solver.scenario import Scenario

from .helpers import minimal_scenario, scenario_of


@pytest.fixture
def doc() -> dict[str, Any]:
    """A fresh, valid minimal scenario document to modify."""
    return minimal_scenario()


@pytest.fixture
def build() -> Callable[..., Scenario]:
    """`build(sessions=[...], volunteers=[...])`: a parsed minimal scenario."""
    return scenario_of
