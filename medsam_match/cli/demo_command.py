"""`medsam-match demo`: load the demo network and print tokens to try it with."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..auth import create_token
from ..demo import DEFAULT_SEED, DemoSummary, load_demo
from ..demo.history import add_history
from ..extensions import db
from ..models import Centre, Municipality
from . import main

API_URL = "http://127.0.0.1:8000/api/v1"


@main.command("demo")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already holds municipalities.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="The same seed gives the same network.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Sessions fall on the 28 days after this date (default: today).")
@click.option("--history/--no-history", default=True, show_default=True,
              help="Also a year of past sessions with attendance (for the figures).")
@with_appcontext
def demo(if_empty: bool, seed: int, today: datetime | None, history: bool) -> None:
    """Fill an empty database with the demo network: seven municipalities in
    Norway and Denmark, their volunteer centres, meeting places, about 400
    volunteers and four weeks of sessions. Prints an admin token and a
    coordinator token."""
    existing = db.session.scalar(select(func.count()).select_from(Municipality)) or 0
    if existing:
        if if_empty:
            click.echo(f"The database already holds {existing} municipalities: demo data not loaded.")
            click.echo("A new token: medsam-match token create --role admin")
            return
        raise click.ClickException(
            f"the database already holds {existing} municipalities; the demo loads only "
            "into an empty database (--if-empty skips it quietly)"
        )
    summary = load_demo(seed=seed, today=today.date() if today else None)
    _print_summary(summary)
    if history:
        past = add_history(seed, today.date() if today else date.today())
        click.echo(f"History: {past.sessions} past sessions over 52 weeks with "
                   f"{past.assignments} assignments and their attendance; "
                   f"{past.templates} activity templates.")
    _print_tokens()


def _print_summary(summary: DemoSummary) -> None:
    click.echo(
        f"Demo data loaded (seed {summary.seed}): {summary.municipalities} municipalities, "
        f"{summary.centres} centres, {summary.places} places, {summary.volunteers} volunteers, "
        f"{summary.activities} activities, {summary.sessions} sessions "
        f"from {summary.first_day.isoformat()} to {summary.last_day.isoformat()}."
    )


def _print_tokens() -> None:
    admin = create_token("admin", label="demo admin")
    centre = db.session.scalars(select(Centre).order_by(Centre.id).limit(1)).one()
    coordinator = create_token("coordinator", centre_id=centre.id, label=f"demo coordinator, {centre.name}")
    click.echo("")
    click.echo("Tokens (shown only now; keep them):")
    click.echo("  admin:")
    click.echo(f"    {admin}")
    click.echo(f"  coordinator of {centre.name} (centre {centre.id}):")
    click.echo(f"    {coordinator}")
    click.echo("")
    click.echo("Try it while the service runs:")
    click.echo(f"  export TOKEN={admin}")
    click.echo(f'  curl -H "Authorization: Bearer $TOKEN" {API_URL}/volunteers')

