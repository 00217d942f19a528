"""`medsam-match serve`: the service behind gunicorn (threads, N workers)."""

from __future__ import annotations

from typing import Any

import click

from ..config import project_dir
from . import main

ADMIN_TOKEN_LABEL = "serve --admin-token"


def _demo_password() -> tuple[str, str, str] | None:
    """A fresh password for the demo coordinator, if the demo is loaded:
    (e-mail, password, centre name)."""
    from sqlalchemy import select

    from ..extensions import db
    from ..models import User
    from ..services.users import new_password
    from .demo_command import DEMO_COORDINATOR_EMAIL

    user = db.session.scalars(
        select(User).where(User.email == DEMO_COORDINATOR_EMAIL, User.active.is_(True))
    ).one_or_none()
    if user is None:
        return None
    centre = user.centre.name if user.centre is not None else ""
    return DEMO_COORDINATOR_EMAIL, new_password(user.id), centre


def _check_startup(admin_token: bool, demo_coordinator: bool = False,
                   ) -> tuple[str | None, tuple[str, str, str] | None]:
    """Fail here, once and readably, on bad settings or an old schema.

    With `admin_token`, returns a fresh admin token and revokes the one the
    previous start printed, so that exactly one such token is valid; with
    `demo_coordinator`, the demo coordinator's e-mail and a fresh password
    (the one printed before stops working).
    """
    from medsam_match import create_app

    # Scheduler off: this app only checks; the workers build their own.
    app = create_app({"MEDSAM_SCHEDULER": "off"})
    from ..config import require_secret_key

    require_secret_key(app.config.get("MEDSAM_SECRET_KEY", ""))
    if not admin_token and not demo_coordinator:
        return None, None
    with app.app_context():
        from sqlalchemy import update

        from ..auth import create_token
        from ..extensions import db
        from ..models import ApiToken
        from ..models.types import utcnow

        token = None
        if admin_token:
            db.session.execute(
                update(ApiToken)
                .where(ApiToken.label == ADMIN_TOKEN_LABEL, ApiToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
            token = create_token("admin", label=ADMIN_TOKEN_LABEL)
        demo = _demo_password() if demo_coordinator else None
        db.engine.dispose()  # no connections carried into forked workers
        return token, demo


def _gunicorn_application(options: dict[str, Any]) -> Any:
    # Application (not BaseApplication) can read a config file; load_config
    # is replaced, so it never parses sys.argv.
    from gunicorn.app.base import Application

    class MedsamGunicorn(Application):  # type: ignore[misc]
        def load_config(self) -> None:
            config_file = project_dir() / "config" / "gunicorn.conf.py"
            if config_file.is_file():
                self.load_config_from_file(str(config_file))
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            # Each worker process builds its app and, when the scheduler is
            # embedded, starts the background planning in it.
            from medsam_match.served import served_app

            return served_app()

    return MedsamGunicorn()


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="processes; each serves several requests at once with threads")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option("--admin-token", is_flag=True,
              help="print a fresh admin token (revoking the one the last start printed)")
@click.option("--demo-coordinator", is_flag=True,
              help="print the demo coordinator's e-mail and a fresh password (the one the "
                   "last start printed stops working)")
def serve(host: str, port: int, workers: int, threads: int, admin_token: bool,
          demo_coordinator: bool = False) -> None:
    """Serve the API (and web pages) with gunicorn."""
    token, demo = _check_startup(admin_token, demo_coordinator)
    url = f"http://{host}:{port}"
    click.echo("")
    click.echo(f"medsam-match serves {url}  (port {port})")
    click.echo(f"  pages:  {url}/  (sign in at {url}/signin)")
    click.echo(f"  API:    {url}/api/v1  (docs {url}/api/v1/docs)")
    if demo:
        email, password, centre = demo
        click.echo(f"  Demo coordinator of {centre}:")
        click.echo(f"    e-mail:   {email}")
        click.echo(f"    password: {password}")
    if token:
        click.echo(f"  Admin token (API): {token}")
        click.echo(f'    try: curl -H "Authorization: Bearer {token}" {url}/api/v1/volunteers')
    click.echo("")
    _gunicorn_application({"bind": f"{host}:{port}", "workers": workers, "threads": threads}).run()
