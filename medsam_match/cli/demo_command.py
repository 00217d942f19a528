"""`medsam-match demo`: load the demo network, give it a coordinator who
signs in with a password, plan each centre once (`--plan`), and print tokens
to try it with."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..auth import create_token
from ..demo import DEFAULT_SEED, DemoSummary, load_demo
from ..demo.history import add_history
from ..extensions import db
from ..models import Centre, Municipality
from . import main

API_URL = "http://127.0.0.1:8000/api/v1"
#: The demo's coordinator (of the first centre, Arendal frivilligsentral):
#: `serve --demo-coordinator` gives them a fresh password at each start.
DEMO_COORDINATOR_EMAIL = "koordinator@arendal-frivilligsentral.example.org"
DEMO_COORDINATOR_NAME = "Kari Koordinator"


@main.command("demo")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already holds municipalities.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True,
              help="The same seed gives the same network.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Sessions fall on the 28 days after this date (default: today).")
@click.option("--history/--no-history", default=True, show_default=True,
              help="Also a year of past sessions with attendance (for the figures).")
@click.option("--plan", "plan_seconds", type=click.FloatRange(1, 600), default=None,
              metavar="SECONDS",
              help="Then plan each centre once (tonight's nightly plan, published), at most "
                   "this many seconds each, so the nightly planning has nothing to catch up.")
@click.option("--tokens/--no-tokens", default=True, show_default=True,
              help="Print an admin and a coordinator token (make run leaves it to serve "
                   "--admin-token, which knows the port).")
@with_appcontext
def demo(if_empty: bool, seed: int, today: datetime | None, history: bool,
         plan_seconds: float | None, tokens: bool) -> None:
    """Fill an empty database with the demo network: seven municipalities in
    Norway and Denmark, their volunteer centres, meeting places, about 400
    volunteers and four weeks of sessions, and a coordinator of the first
    centre who signs in on the pages. Prints an admin token and a
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
    _add_coordinator()
    if plan_seconds is not None:
        plan_each_centre(plan_seconds)
    if tokens:
        _print_tokens()


def _add_coordinator() -> None:
    from ..services.users import create_user

    centre = db.session.scalars(select(Centre).order_by(Centre.id).limit(1)).one()
    create_user(email=DEMO_COORDINATOR_EMAIL, name=DEMO_COORDINATOR_NAME, role="coordinator",
                centre_id=centre.id)
    click.echo(f"Coordinator of {centre.name}: {DEMO_COORDINATOR_EMAIL} "
               "(serve --demo-coordinator prints a password)")


def plan_each_centre(seconds: float) -> None:
    """Tonight's nightly plan for every active centre, now, in the foreground
    and published: the scheduler then finds each centre's night planned and
    queues nothing, so the first plan someone asks for on the pages runs at
    once instead of waiting behind a night's worth of catch-up runs."""
    from ..domain_errors import DomainError
    from ..jobs.nightly import NightlySettings, last_due
    from ..models.types import utcnow
    from ..services import runs as match_runs

    settings = NightlySettings.from_config(current_app.config)
    now = utcnow().replace(second=0, microsecond=0)
    rows = db.session.execute(
        select(Centre.id, Centre.name, Municipality.timezone)
        .join(Municipality, Centre.municipality_id == Municipality.id)
        .where(Centre.active.is_(True)).order_by(Centre.id)).all()
    click.echo(f"Planning each centre once, the next {settings.horizon_days} days "
               f"(at most {seconds:g} s each):")
    for centre_id, name, zone in rows:
        night, _moment = last_due(now, ZoneInfo(zone), settings.at)
        run = match_runs.queue_nightly_run(centre_id, night, now,
                                           now + timedelta(days=settings.horizon_days), seconds)
        if run is None:
            click.echo(f"  {name}: already planned tonight")
            continue
        try:
            match_runs.claim_run(run.id)
        except DomainError:  # a running service took it first: it plans it
            click.echo(f"  {name}: being planned by the running service (run {run.id})")
            continue
        run = match_runs.execute_run(run.id)
        kpis = run.kpis or {}
        if run.status == "succeeded":
            click.echo(f"  {name}: {kpis.get('filled_min', 0)} of {kpis.get('slots_min', 0)} "
                       f"places filled (run {run.id})")
        else:
            click.echo(f"  {name}: no plan (run {run.id}): {run.error}")


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

