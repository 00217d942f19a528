"""The application as served to users: `create_app()` plus, when the
configuration says `scheduler = "embedded"` (the default), the background
planning (run worker and nightly scheduler) in the same process."""

from __future__ import annotations

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
    return app
