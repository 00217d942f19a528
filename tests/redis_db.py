"""An empty database of the local Redis server for a test that starts
processes (other test runs on the machine may use others). Skips without
Redis, fails in CI (CI=true)."""

from __future__ import annotations

import os

import pytest

BASE = os.environ.get("MEDSAM_TEST_REDIS_BASE", "redis://127.0.0.1:6379")


def free_redis_db() -> str:
    import redis

    try:
        redis.Redis.from_url(BASE + "/0").ping()
    except redis.RedisError as error:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"Redis at {BASE} is not reachable: {error} (CI=true requires it)")
        pytest.skip(f"Redis at {BASE} is not reachable")
    for number in range(1, 12):
        client = redis.Redis.from_url(f"{BASE}/{number}")
        # Claimed atomically: two test runs never take the same one.
        if client.dbsize() == 0 and client.set("medsam-test-claim", "1", ex=900, nx=True):
            return f"{BASE}/{number}"
    pytest.fail("no empty Redis database among 1..11")
