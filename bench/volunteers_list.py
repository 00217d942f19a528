"""The volunteers list against the assignments list: queries and time per request.

    python -m bench.volunteers_list [--database-url URL] [--requests 100]

Loads the demo network into a fresh database (a temporary SQLite file unless
--database-url names an empty one), then asks `GET /api/v1/volunteers` and
`GET /api/v1/assignments` (page_size 50) through the app in this process,
as the admin, and prints a table: SQL statements and CPU milliseconds per request, requests per
second and the median and 95th percentile time. No HTTP server, so the
figures show the application's own work (queries and serialisation).
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

PATHS = {
    "volunteers": "/api/v1/volunteers?page_size=50",
    "volunteers ar": "/api/v1/volunteers?page_size=50&language=ar",
    "assignments": "/api/v1/assignments?page_size=50",
    "health": "/api/v1/health",
}


@contextmanager
def counting(engine: Any) -> Iterator[list[int]]:
    count = [0]

    def before(*_: Any) -> None:
        count[0] += 1

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        event.remove(engine, "before_cursor_execute", before)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args(argv)
    os.environ.setdefault("MEDSAM_SECRET_KEY", secrets.token_urlsafe(48))
    folder = tempfile.mkdtemp(prefix="medsam-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"

    from medsam_match import create_app
    from medsam_match.auth import create_token
    from medsam_match.demo import load_demo
    from medsam_match.extensions import db

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "MEDSAM_SCHEDULER": "off", "RATELIMIT_ENABLED": False,
         "TESTING": True},
        check_schema=False,
    )
    with app.app_context():
        db.create_all()
        load_demo()
        token = create_token("admin", label="bench")
        engine = db.engine
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    rows = []
    for name, path in PATHS.items():
        for _ in range(5):  # warm up
            assert client.get(path, headers=headers).status_code == 200
        times: list[float] = []
        cpu_started = time.process_time()
        with counting(engine) as count:
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.data[:200]
        cpu_ms = (time.process_time() - cpu_started) * 1000 / args.requests
        times.sort()
        rows.append((
            name, count[0] / args.requests, cpu_ms, len(times) / sum(times),
            statistics.median(times) * 1000, times[int(len(times) * 0.95) - 1] * 1000,
        ))
    print(f"{'request':<14} {'queries':>8} {'cpu ms':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, queries, cpu, rate, p50, p95 in rows:
        print(f"{name:<14} {queries:>8.1f} {cpu:>8.1f} {rate:>8.1f} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
