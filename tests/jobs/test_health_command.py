"""`medsam-match health scheduler`: healthy only while a scheduler process
runs its jobs here; it says why otherwise (the container's health check)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent
MEDSAM = str(BIN / "medsam-match")


def _health(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([MEDSAM, "health", "scheduler"], env=env, text=True,
                          capture_output=True, timeout=120)


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # the database plays no part
def test_the_scheduler_is_healthy_while_it_runs_and_says_why_not_otherwise(app, tmp_path):
    env = {**os.environ, "MEDSAM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "MEDSAM_CHECK_SCHEMA": "false", "MEDSAM_DATA_DIR": str(tmp_path),
           "MEDSAM_BROKER_URL": "",
           "MEDSAM_SECRET_KEY": "health-" + "Rt5Yu8Io2Pa6Sd9Fg3Hj7Kl1Zx4Cv0Bn"}
    before = _health(env)
    assert before.returncode == 1 and "has not started here" in before.stderr

    scheduler = subprocess.Popen([MEDSAM, "scheduler"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while (running := _health(env)).returncode != 0:
            assert scheduler.poll() is None and time.monotonic() < deadline, running.stderr
            time.sleep(0.5)
        assert running.stdout.startswith("scheduler: ok")
    finally:
        scheduler.send_signal(signal.SIGTERM)
        scheduler.wait(timeout=30)
    assert scheduler.returncode == 0

    alive = tmp_path / "scheduler.alive"
    two_minutes_ago = time.time() - 120
    os.utime(alive, (two_minutes_ago, two_minutes_ago))  # the scheduler stopped long ago
    after = _health(env)
    assert after.returncode == 1
    assert re.fullmatch(r"Error: the scheduler last ticked 1[2-5]\d s ago\n", after.stderr)
