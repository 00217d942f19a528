"""Rate limits hold across processes: gunicorn with two worker processes
and the limits counted in Redis (the broker, by default). More requests than
the limit, spread over both processes, get exactly the limit's worth of
answers; the rest are 429. The same for wrong tokens."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.notifications.conftest import free_port
from tests.redis_db import free_redis_db

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 24
FAILURES = 4


def _status(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # not listening (yet)


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    import redis

    broker = free_redis_db()
    port = free_port()
    env = {**os.environ, "MEDSAM_DATA_DIR": str(tmp_path / "data"),
           "MEDSAM_SECRET_KEY": "limits-" + "Qw8Er3Ty6Ui1Op4As7Df2Gh5Jk9Lz0Xc",
           "MEDSAM_BROKER_URL": broker, "MEDSAM_SCHEDULER": "off",
           "MEDSAM_RATE_LIMIT_PER_MINUTE": str(LIMIT),
           "MEDSAM_FAILED_LOGINS_PER_MINUTE": str(FAILURES),
           "MEDSAM_BIND": f"127.0.0.1:{port}", "MEDSAM_WORKERS": "2"}
    env.pop("MEDSAM_DATABASE_URL", None)
    env.pop("MEDSAM_RATELIMIT_STORAGE_URL", None)
    medsam = str(BIN / "medsam-match")
    subprocess.run([medsam, "db", "upgrade"], env=env, check=True, capture_output=True,
                   timeout=120, cwd=ROOT)
    made = subprocess.run([medsam, "token", "create", "--role", "admin"], env=env, check=True,
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    token = re.search(r"msm_\S+", made.stdout)[0]
    log = tmp_path / "access.log"
    # The access log names the worker process (pid) that answered each request;
    # reuse_port spreads the connections over both.
    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.conf.py", "--reuse-port",
         "--access-logfile", str(log), "--access-logformat", "%(p)s %(U)s %(s)s",
         "medsam_match.wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 120
        while _status(base + "/health", "") != 200:
            assert web.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        yield base, token, log
    finally:
        web.terminate()
        web.wait(timeout=30)
        redis.Redis.from_url(broker).flushdb()


def _answered_by(log: Path, path: str) -> Counter[str]:
    pids = Counter()
    for line in log.read_text().splitlines():
        pid, logged_path, _status_code = line.split()
        if logged_path == path:
            pids[pid] += 1
    return pids


def test_the_per_token_limit_holds_across_two_gunicorn_workers(served) -> None:  # type: ignore[no-untyped-def]
    base, token, log = served
    with ThreadPoolExecutor(8) as pool:
        statuses = Counter(pool.map(lambda _: _status(base + "/centres", token),
                                    range(3 * LIMIT)))
    assert statuses == {200: LIMIT, 429: 2 * LIMIT}
    time.sleep(0.5)  # the access log is written after the answer
    pids = _answered_by(log, "/api/v1/centres")
    assert len(pids) == 2 and sum(pids.values()) == 3 * LIMIT, pids


def test_wrong_tokens_are_counted_across_two_gunicorn_workers(served) -> None:  # type: ignore[no-untyped-def]
    base, token, log = served
    with ThreadPoolExecutor(4) as pool:
        statuses = Counter(pool.map(lambda i: _status(base + "/volunteers", f"msm_wrong{i}"),
                                    range(6 * FAILURES)))
    assert statuses == {401: FAILURES, 429: 5 * FAILURES}
    # The right token is still served (wrong ones never lock it out).
    assert _status(base + "/volunteers", token) == 200
    time.sleep(0.5)
    assert len(_answered_by(log, "/api/v1/volunteers")) == 2
