"""The REST API, /api/v1: one package per resource, each exposing `blp`."""

from __future__ import annotations

from importlib import import_module

from flask_smorest import Api

from . import common  # noqa: F401  (sets the pagination defaults before any blueprint)

# One line per resource package (api/<name>/__init__.py exposing `blp`).
RESOURCES: tuple[str, ...] = (
    "health",
    "municipalities",
    "centres",
    "places",
    "volunteers",
    "activities",
    "sessions",
    "match_runs",
    "assignments",
    "messages",
    "open_slots",
    "swaps",
    "pending_swaps",
    "attendance",
    "hours",
    "reports",
    "templates",
)


def register_blueprints(api: Api) -> None:
    for name in RESOURCES:
        api.register_blueprint(import_module(f"{__name__}.{name}").blp)
