"""`medsam-match send-messages`: deliver the outbox's due messages now (and
enqueue due reminders), once or (--watch) until stopped."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import require_signing_key
from . import main


@main.command("send-messages")
@click.option("--watch", is_flag=True, help="Keep sending every few seconds until stopped.")
@click.option("--every", default=5.0, show_default=True, help="Seconds between rounds (--watch).")
@with_appcontext
def send_messages(watch: bool, every: float) -> None:
    """Send the e-mails and SMS that are due (reminders included)."""
    from ..jobs.sender import send_round

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    # Links in messages are signed: a throwaway key would break them.
    require_signing_key(app.config)
    stop = threading.Event()
    if watch:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
    while True:
        outcome = send_round(app)
        click.echo(f"sent {len(outcome.sent)}, to retry {len(outcome.retried)}, "
                   f"failed {len(outcome.failed)}")
        if not watch or stop.wait(every):
            break
