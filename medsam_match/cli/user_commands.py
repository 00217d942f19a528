"""`medsam-match user create|list|disable`: staff who sign in to the pages."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..domain_errors import Invalid, NotFound
from ..models import USER_ROLES
from ..services import users as user_service
from . import main

_OPTIONS = {"municipality_id": "--municipality", "centre_id": "--centre", "role": "--role",
            "email": "--email", "name": "--name", "password": "--password"}


@main.group("user")
def user() -> None:
    """Create, list and disable staff users (they sign in at /signin)."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(USER_ROLES))
@click.option("--municipality", "municipality_id", type=int, help="for --role municipality")
@click.option("--centre", "centre_id", type=int, help="for --role coordinator")
@click.option("--password", default=None,
              help="at least 10 characters; left out, one is made and printed once")
@with_appcontext
def create(email: str, name: str, role: str, municipality_id: int | None,
           centre_id: int | None, password: str | None) -> None:
    """Create a user who signs in with e-mail and password."""
    try:
        made = user_service.create_user(email=email, name=name, role=role,
                                        municipality_id=municipality_id, centre_id=centre_id,
                                        password=password)
    except Invalid as exc:
        problems = "; ".join(f"{_OPTIONS.get(field, field)}: {' '.join(messages)}"
                             for field, messages in exc.errors.items())
        raise click.UsageError(problems) from None
    click.echo(f"User {made.user.id} created: {made.user.email} ({made.user.role}).")
    if made.password is not None:
        click.echo(f"Password (shown only this once): {made.password}")


@user.command("list")
@with_appcontext
def list_users() -> None:
    """List users (never their passwords: only hashes are stored)."""
    click.echo(f"{'id':>5}  {'e-mail':<32} {'role':<12} {'scope':<16} {'active':<7} "
               f"{'last sign-in':<20} name")
    for row in user_service.list_users():
        scope = (f"municipality {row.municipality_id}" if row.municipality_id
                 else f"centre {row.centre_id}" if row.centre_id else "-")
        last = row.last_signin_at.strftime("%Y-%m-%d %H:%M UTC") if row.last_signin_at else "never"
        click.echo(f"{row.id:>5}  {row.email:<32} {row.role:<12} {scope:<16} "
                   f"{'yes' if row.active else 'no':<7} {last:<20} {row.name}")


@user.command("disable")
@click.argument("user", metavar="USER")
@with_appcontext
def disable(user: str) -> None:
    """Disable USER (an id or an e-mail): no more sign-ins, current ones end at once."""
    try:
        row = user_service.find_user(user)
    except NotFound:
        raise click.BadParameter(f"no user {user}", param_hint="USER") from None
    if user_service.disable_user(row.id):
        click.echo(f"User {row.id} ({row.email}) disabled.")
    else:
        click.echo(f"User {row.id} ({row.email}) was already disabled.")
