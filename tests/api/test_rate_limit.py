"""429 Too Many Requests: per caller, per minute, with Retry-After; a low
limit on wrong tokens that never locks out a valid one."""

from __future__ import annotations

import os

import pytest
import redis

from medsam_match import create_app
from medsam_match.ratelimit import limiter
from tests.conftest import TEST_CONFIG, auth

REDIS_URL = os.environ.get("MEDSAM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _limited_app(app, **config):
    """The same database as `app`, served by an app with small limits."""
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "MEDSAM_RATE_LIMIT_PER_MINUTE": 5, "MEDSAM_FAILED_LOGINS_PER_MINUTE": 3,
                       **config})


@pytest.fixture
def limited(app):
    limited_app = _limited_app(app)
    yield limited_app
    limiter.reset()


def test_a_caller_over_the_limit_gets_429_with_retry_after(limited, world):
    client = limited.test_client()
    headers = auth(world.admin_token)
    # One count per caller across every API route.
    paths = ["/api/v1/municipalities", "/api/v1/centres", "/api/v1/places"] * 2
    statuses = [client.get(path, headers=headers).status_code for path in paths]
    assert statuses == [200] * 5 + [429]
    response = client.get("/api/v1/municipalities", headers=headers)
    assert response.status_code == 429
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "more than 5 requests a minute" in response.get_json()["detail"]
    # Another caller is not affected.
    other = client.get("/api/v1/municipalities", headers=auth(world.no.municipality_token))
    assert other.status_code == 200


def test_wrong_tokens_are_refused_after_a_few_tries_but_a_valid_one_still_works(limited, world):
    client = limited.test_client()
    statuses = [client.get("/api/v1/centres", headers=auth(f"msm_wrong{i}")).status_code
                for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    refused = client.get("/api/v1/centres", headers=auth("msm_wrong-again"))
    assert refused.mimetype == "application/problem+json"
    assert "wrong token" in refused.get_json()["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Behind a proxy every client shares one address: the right token of
    # someone else from that address, and the health check, are still served.
    assert client.get("/api/v1/centres", headers=auth(world.admin_token)).status_code == 200
    assert client.get("/api/v1/centres",
                      headers=auth(world.no.coordinator_token)).status_code == 200
    assert client.get("/api/v1/health").status_code == 200
    # Another address may still get its 401s.
    other = client.get("/api/v1/centres", headers=auth("msm_typo"),
                       environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 401


def test_the_health_check_is_never_rate_limited(limited):
    client = limited.test_client()
    assert all(client.get("/api/v1/health").status_code == 200 for _ in range(12))


def test_pages_outside_the_api_are_not_counted(limited):
    client = limited.test_client()
    assert all(client.get("/my/").status_code == 200 for _ in range(8))


def test_zero_turns_the_limit_off(app, world):
    """More requests than the default limit (600) and more wrong tokens than
    the default failed-login limit (20), all answered normally."""
    assert app.config["MEDSAM_RATE_LIMIT_PER_MINUTE"] == 0  # the test config
    client = app.test_client()
    assert all(client.get("/api/v1/health").status_code == 200 for _ in range(650))
    assert all(client.get("/api/v1/centres", headers=auth("msm_wrong")).status_code == 401
               for _ in range(25))


def test_counters_can_be_shared_between_processes_through_redis(app, world):
    """Two service processes with one Redis count one limit together."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    # Counted per token, and each test run makes its own random tokens, so
    # parallel runs on one Redis do not meet.
    config = {"MEDSAM_RATELIMIT_STORAGE_URL": REDIS_URL}
    first = _limited_app(app, **config)
    assert limiter.limiter.storage.check()  # really on Redis
    headers = auth(world.admin_token)
    try:
        statuses = [first.test_client().get("/api/v1/centres", headers=headers).status_code
                    for _ in range(3)]
        second = _limited_app(app, **config)  # a fresh process's limiter
        statuses += [second.test_client().get("/api/v1/centres", headers=headers).status_code
                     for _ in range(3)]
        assert statuses == [200] * 5 + [429]
    finally:
        limiter.reset()
        _limited_app(app)  # back to memory storage for the tests that follow


def test_an_unreachable_limit_store_does_not_take_the_service_down(app, world):
    """Redis down: requests are served (limits count in memory meanwhile),
    wrong codes still get their 401, never a 500."""
    from tests.web.conftest import PageClient

    down = _limited_app(app, MEDSAM_RATELIMIT_STORAGE_URL="redis://127.0.0.1:1/0")
    try:
        page = PageClient(down.test_client())
        assert page.sign_in("msm_guess").status_code == 401  # before any API request
        client = down.test_client()
        assert client.get("/api/v1/centres", headers=auth(world.admin_token)).status_code == 200
        assert client.get("/api/v1/centres", headers=auth("msm_wrong")).status_code == 401
        assert client.get("/api/v1/health").status_code == 200
    finally:
        _limited_app(app)  # back to memory storage for the tests that follow
