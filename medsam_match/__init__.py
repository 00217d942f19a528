"""medsam-match: plans volunteer work for municipal volunteer centres."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

# Nothing heavy at import time: the solver child (`python -m
# medsam_match.jobs.solve_child`) and `medsam-match solve` import this package
# and must not load Flask or SQLAlchemy (tests/jobs/test_import_purity.py).
if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None, *, check_schema: bool | None = None) -> Flask:
    """The application. `test_config` overrides any Flask config key
    (e.g. SQLALCHEMY_DATABASE_URI, MEDSAM_SCHEDULER="off").

    Unless MEDSAM_CHECK_SCHEMA is false (or `check_schema=False`, as the
    `db` commands pass), it refuses to start on an out-of-date schema.
    """
    from flask import Flask

    from . import sqlite_pragmas  # noqa: F401  (registers the connect hook)
    from .config import database_url, flask_config, load_settings, project_dir
    from .extensions import db, migrate
    from .url_converters import IdConverter

    settings = load_settings()
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(flask_config(settings))
    app.config["JSON_SORT_KEYS"] = False
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = database_url(settings)

    _configure_logging(app)
    app.url_map.converters["int"] = IdConverter

    from . import models  # noqa: F401  (the tables, for Alembic and create_all)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(project_dir() / "migrations"))

    from .errors import register_error_handlers

    register_error_handlers(app)

    from . import (
        access_log,
        auth,
        cache_headers,
        proxies,
        ratelimit,
        request_limits,
        web,
        write_refused,
    )

    proxies.init_app(app)  # forwarded headers from MEDSAM_PROXY_HOPS proxies only
    request_limits.init_app(app)  # body size (413) and JSON nesting (400)
    cache_headers.init_app(app)  # no-store on /api and /my answers
    access_log.init_app(app)  # calendar keys masked in the access log
    write_refused.init_app(app)  # a read-only or full database: changes get 503
    auth.init_app(app)
    ratelimit.init_app(app)
    web.init_app(app)  # the volunteers' page, /my/

    from api.openapi import init_api

    from .services.health import service_version

    init_api(app, service_version())

    if check_schema is None:
        check_schema = bool(app.config.get("MEDSAM_CHECK_SCHEMA", True))
    if check_schema:
        from .schema_check import check_schema as ensure_schema_current

        ensure_schema_current(app)
    return app


def _configure_logging(app: Flask) -> None:
    level = getattr(logging, str(app.config.get("MEDSAM_LOG_LEVEL", "INFO")))
    app.logger.setLevel(level)
    logging.getLogger("medsam_match").setLevel(level)
