"""The `medsam-match` command line.

Commands that need the service (db, token, user, demo, serve, plan,
scheduler) get an application context from `create_app`; they live on the
Flask group `main` (`cli/service.py`, one module per command group). The
solver commands (solve, validate) work on files alone: `run`, the console
script's entry, sends them to a plain click group that loads neither Flask
nor SQLAlchemy (tests/jobs/test_import_purity.py holds it to that), so they
start in a fraction of the time.

`from medsam_match.cli import main` still gives the Flask group.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

#: Commands that run without the service (no Flask, no database).
SOLVER_COMMANDS = ("solve", "validate")


def _command_of(argv: Sequence[str]) -> str | None:
    args = [arg for arg in argv if not arg.startswith("-")]
    return args[0] if args else None


def run(args: Sequence[str] | None = None) -> Any:
    """The console script `medsam-match`."""
    argv = list(sys.argv[1:] if args is None else args)
    if _command_of(argv) in SOLVER_COMMANDS:
        from .solver_commands import solver_cli

        return solver_cli.main(args=argv, prog_name="medsam-match")
    from .service import main

    return main.main(args=argv, prog_name="medsam-match")


def __getattr__(name: str) -> Any:
    if name == "main":  # the Flask group, built on first use
        from .service import main

        return main
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
