"""The `medsam-match` command line.

Commands that need the service (db, token, demo, serve, plan, scheduler) get an
application context from `create_app`; the solver commands (solve, validate)
do not touch the database. Each command group lives in its own module and is
registered below.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup


def _create_app():  # type: ignore[no-untyped-def]
    from medsam_match import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
def main() -> None:
    """medsam-match: plans volunteer work for volunteer centres."""


# Registrations (one line per command module):
