"""The service's command group: `main`, a Flask group whose commands get an
application context from `create_app`. Every command module registers itself
on it when imported below. The solver commands (solve, validate) are added
too, as plain click commands, so `medsam-match --help` lists them; but
`medsam-match solve|validate` never come here (see `medsam_match.cli.run`).
"""

from __future__ import annotations

import sys

import click
from flask.cli import FlaskGroup

# Commands that must run on an out-of-date (or empty) schema.
SCHEMA_CHECK_EXEMPT = ("db", "openapi")


def _invoked_command() -> str | None:
    args = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    return args[0] if args else None


def _create_app():  # type: ignore[no-untyped-def]
    from medsam_match import create_app

    command = _invoked_command()
    # Listing commands (`--help`, no command) must work on any database.
    if command is None or command in SCHEMA_CHECK_EXEMPT or "--help" in sys.argv[1:]:
        return create_app(check_schema=False)
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
def main() -> None:
    """medsam-match: plans volunteer work for volunteer centres."""


# Registrations (one line per command module):
from . import (  # noqa: E402,F401  (each module adds its commands to `main`)
    demo_command,  # medsam-match demo
    health_command,  # medsam-match health worker|scheduler
    message_commands,  # medsam-match send-messages
    planning_commands,  # medsam-match plan, scheduler
    serve_command,  # medsam-match serve
    solver_commands,  # medsam-match solve, validate (also without Flask: cli.run)
    token_commands,  # medsam-match token create/list/revoke
    user_commands,  # medsam-match user create/list/disable
    worker_command,  # medsam-match worker (Celery, with MEDSAM_BROKER_URL)
)

main.add_command(solver_commands.solve_command)
main.add_command(solver_commands.validate_command)
