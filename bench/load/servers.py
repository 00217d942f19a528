"""What the load benchmarks share: a throwaway PostgreSQL database, the
service's environment, processes started and stopped by their own ids, and
waiting until a server answers. Everything on 127.0.0.1."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCAL = "127.0.0.1"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind((LOCAL, 0))
        return int(sock.getsockname()[1])


def local_only(url: str, what: str) -> None:
    host = urlsplit(url).hostname
    if host not in (LOCAL, "localhost"):
        raise SystemExit(f"{what} must be on {LOCAL} (got {host!r}): the load test asks no other host")


@contextmanager
def throwaway_database(base_url: str):  # type: ignore[no-untyped-def]
    """A new PostgreSQL database beside the one `base_url` names, dropped afterwards."""
    import psycopg

    url = make_url(base_url)
    name = f"medsam_load_{os.getpid()}"
    admin = url.set(drivername="postgresql", database=url.database or "postgres")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def service_env(database_url: str, redis_url: str, data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "MEDSAM_DATABASE_URL": database_url,
        "MEDSAM_SECRET_KEY": secrets.token_urlsafe(48),
        "MEDSAM_DATA_DIR": str(data_dir),
        "MEDSAM_RATELIMIT_STORAGE_URL": redis_url,
        "MEDSAM_RATE_LIMIT_PER_MINUTE": "1000000",
        "MEDSAM_SCHEDULER": "off",
        "MEDSAM_LOG_LEVEL": "WARNING",
    })
    return env


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {seconds:.0f} s")
        time.sleep(0.3)


def start(stack: ExitStack, name: str, argv: list[str], env: dict[str, str], logs: Path) -> None:
    log = (logs / f"{name}.log").open("w")
    process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)

    def stop() -> None:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        log.close()

    stack.callback(stop)


def gunicorn(stack: ExitStack, name: str, app: str, port: int, env: dict[str, str],
             logs: Path) -> None:
    server_env = {**env, "MEDSAM_BIND": f"{LOCAL}:{port}"}
    start(stack, name, [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", app],
          server_env, logs)


def empty_redis_database(redis_url: str) -> str:
    """The first empty database number from the one the URL names upwards (so
    nothing of another process's is read or removed)."""
    import redis

    url = make_url(redis_url.replace("redis://", "redis+x://"))
    first = int(url.database or 0)
    for number in range(first, 16):
        candidate = f"redis://{url.host or '127.0.0.1'}:{url.port or 6379}/{number}"
        if redis.Redis.from_url(candidate).dbsize() == 0:
            return candidate
    raise SystemExit("no empty Redis database from the one given up to 15")
