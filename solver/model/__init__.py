"""The CP-SAT model of a `medsam-scenario/1`: candidate triples, the
variables container, one module per hard rule (`rules/`) and per score term
(`terms/`), and the integer objective with its rounding error."""

from __future__ import annotations

from .builder import RULES, TERMS, BuiltModel, build_model
from .candidates import Candidates, find_candidates
from .data import ModelData
from .variables import Variables

__all__ = ["RULES", "TERMS", "BuiltModel", "Candidates", "ModelData", "Variables", "build_model", "find_candidates"]
