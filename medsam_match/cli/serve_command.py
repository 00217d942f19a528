"""`medsam-match serve`: the service behind gunicorn (threads, N workers)."""

from __future__ import annotations

from typing import Any

import click

from ..config import project_dir
from . import main


def _check_startup() -> None:
    """Fail here, once and readably, on bad settings or an old schema."""
    from medsam_match import create_app

    # Scheduler off: this app only checks; the workers build their own.
    create_app({"MEDSAM_SCHEDULER": "off"})


def _gunicorn_application(options: dict[str, Any]) -> Any:
    from gunicorn.app.base import BaseApplication

    class MedsamGunicorn(BaseApplication):  # type: ignore[misc]
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
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API (and web pages) with gunicorn."""
    _check_startup()
    url = f"http://{host}:{port}"
    click.echo(f"medsam-match serves {url}  (API {url}/api/v1, docs {url}/api/v1/docs)")
    _gunicorn_application({"bind": f"{host}:{port}", "workers": workers, "threads": threads}).run()
