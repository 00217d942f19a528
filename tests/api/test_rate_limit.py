"""429 Too Many Requests: per caller, per minute, with Retry-After."""

from __future__ import annotations

import pytest

from medsam_match import create_app
from medsam_match.ratelimit import FixedWindowCounter
from tests.conftest import TEST_CONFIG, auth


@pytest.fixture
def limited(app):
    """The same database as `app`, served by an app with small limits."""
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "MEDSAM_RATE_LIMIT_PER_MINUTE": 5, "MEDSAM_FAILED_LOGINS_PER_MINUTE": 3})


def test_a_caller_over_the_limit_gets_429_with_retry_after(limited, world):
    client = limited.test_client()
    headers = auth(world.admin_token)
    statuses = [client.get("/api/v1/municipalities", headers=headers).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    response = client.get("/api/v1/municipalities", headers=headers)
    assert response.status_code == 429
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "more than 5 requests a minute" in response.get_json()["detail"]
    # Another caller is not affected.
    other = client.get("/api/v1/municipalities", headers=auth(world.no.municipality_token))
    assert other.status_code == 200


def test_guessing_tokens_is_refused_after_a_few_tries(limited, world):
    client = limited.test_client()
    statuses = [client.get("/api/v1/centres", headers=auth(f"msm_wrong{i}")).status_code
                for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Even a right token from that address waits for the window to end.
    assert client.get("/api/v1/centres", headers=auth(world.admin_token)).status_code == 429


def test_the_window_resets_each_minute():
    now = [0.0]
    counter = FixedWindowCounter(clock=lambda: now[0])
    assert counter.hit("a")[0] == 1 and counter.hit("a")[0] == 2
    assert counter.hit("a")[1] == pytest.approx(60.0)
    now[0] = 61.0
    assert counter.hit("a") == (1, pytest.approx(59.0))
    assert counter.count("b") == 0


def test_zero_turns_the_limit_off(app, world):
    """More requests than the default limit (600) and more wrong tokens than
    the default failed-login limit (20), all answered normally."""
    assert app.config["MEDSAM_RATE_LIMIT_PER_MINUTE"] == 0  # the test config
    client = app.test_client()
    assert all(client.get("/api/v1/health").status_code == 200 for _ in range(650))
    assert all(client.get("/api/v1/centres", headers=auth("msm_wrong")).status_code == 401
               for _ in range(25))
