"""`medsam-match token create|list|revoke`: the API's bearer tokens."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..auth import ROLES
from ..domain_errors import Invalid, NotFound
from ..services import tokens
from . import main


@main.group("token")
def token() -> None:
    """Create, list and revoke API tokens."""


@token.command("create")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--municipality", "municipality_id", type=int, help="for --role municipality")
@click.option("--centre", "centre_id", type=int, help="for --role coordinator")
@click.option("--volunteer", "volunteer_id", type=int, help="for --role volunteer")
@click.option("--label", default="", help="who or what the token is for")
@with_appcontext
def create(role: str, municipality_id: int | None, centre_id: int | None,
           volunteer_id: int | None, label: str) -> None:
    """Create a token and print it (it is shown only this once)."""
    try:
        plain = tokens.issue_token(role, municipality_id=municipality_id, centre_id=centre_id,
                             volunteer_id=volunteer_id, label=label)
    except Invalid as exc:
        options = {"municipality_id": "--municipality", "centre_id": "--centre",
                   "volunteer_id": "--volunteer", "role": "--role"}
        problems = "; ".join(
            f"{options.get(field, field)}: {' '.join(messages)}" for field, messages in exc.errors.items()
        )
        raise click.UsageError(problems) from None
    click.echo(plain)


@token.command("list")
@click.option("--all", "show_all", is_flag=True, help="include revoked tokens")
@with_appcontext
def list_tokens(show_all: bool) -> None:
    """List tokens (never the tokens themselves: they are stored hashed)."""
    rows = tokens.list_tokens(include_revoked=show_all)
    click.echo(f"{'id':>5}  {'role':<12} {'scope':<16} {'last used':<20} {'revoked':<20} label")
    for row in rows:
        last_used = row.last_used_at.strftime("%Y-%m-%d %H:%M UTC") if row.last_used_at else "never"
        revoked = row.revoked_at.strftime("%Y-%m-%d %H:%M UTC") if row.revoked_at else "-"
        click.echo(f"{row.id:>5}  {row.role:<12} {row.scope:<16} {last_used:<20} {revoked:<20} {row.label}")


@token.command("revoke")
@click.argument("token_id", type=int)
@with_appcontext
def revoke(token_id: int) -> None:
    """Revoke token TOKEN_ID (see `token list`); it stops working at once."""
    try:
        revoked_now = tokens.revoke_token(token_id)
    except NotFound:
        raise click.BadParameter(f"no token with id {token_id}", param_hint="TOKEN_ID") from None
    if revoked_now:
        click.echo(f"Token {token_id} revoked.")
    else:
        click.echo(f"Token {token_id} was already revoked.")
