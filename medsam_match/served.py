"""The application as served to users: `create_app()` plus, when the
configuration says `scheduler = "embedded"` (the default), the background
planning (run worker and nightly scheduler) in the same process."""

from __future__ import annotations

import gc

from flask import Flask

from . import create_app


def served_app() -> Flask:
    from .config import require_secret_key

    app = create_app()
    require_secret_key(app.config.get("MEDSAM_SECRET_KEY", ""))
    if app.config.get("MEDSAM_SCHEDULER", "embedded") == "embedded":
        from .jobs import start_background

        start_background(app)
    elif app.config.get("MEDSAM_BROKER_URL"):
        from .jobs.dispatch import listen

        listen(app)  # runs asked for here go to the task queue at once
    freeze_startup_objects()
    return app


def freeze_startup_objects() -> None:
    """What start-up made (modules, the schema, templates) lives as long as
    the process: move it out of the garbage collector's sight, so a full
    collection does not scan it again and again. A request that builds a
    big scenario (a session's candidates in a centre of a thousand
    volunteers) triggers several; they cost as much as the request's own
    work before (bench/README.md, "The week board and candidates")."""
    gc.collect()
    gc.freeze()
