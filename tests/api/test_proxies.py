"""Forwarded headers count only from the proxies the configuration names
(MEDSAM_PROXY_HOPS, Werkzeug's ProxyFix); by default none."""

from __future__ import annotations

import pytest

from medsam_match import create_app
from medsam_match.ratelimit import limiter
from tests.conftest import TEST_CONFIG, auth


def _app(app, hops: int):
    configured = create_app({
        **TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDSAM_RATE_LIMIT_PER_MINUTE": 100, "MEDSAM_FAILED_LOGINS_PER_MINUTE": 3,
        "MEDSAM_PROXY_HOPS": hops})
    limiter.reset()  # fresh counters for each test
    return configured


def _wrong_tokens(client, forwarded_for: str, proxy: str = "10.0.0.1") -> list[int]:
    return [client.get("/api/v1/centres", headers={
        **auth(f"msm_wrong{i}"), "X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": proxy}).status_code for i in range(4)]


def test_without_configured_proxies_a_client_cannot_pick_its_address(app, world):
    """X-Forwarded-For is ignored: changing it does not reset the count."""
    client = _app(app, 0).test_client()
    statuses = [client.get("/api/v1/centres", headers={
        **auth(f"msm_wrong{i}"), "X-Forwarded-For": f"203.0.113.{i}"},
        environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code for i in range(5)]
    assert statuses == [401, 401, 401, 429, 429]


def test_behind_one_proxy_each_client_counts_for_itself(app, world):
    client = _app(app, 1).test_client()
    assert _wrong_tokens(client, "203.0.113.5") == [401, 401, 401, 429]
    # Another client behind the same proxy is not affected ...
    assert _wrong_tokens(client, "203.0.113.6")[:3] == [401, 401, 401]
    # ... nor a valid token, nor /health.
    response = client.get("/api/v1/centres", headers={
        **auth(world.admin_token), "X-Forwarded-For": "203.0.113.5"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.status_code == 200
    assert client.get("/api/v1/health", headers={"X-Forwarded-For": "203.0.113.5"},
                      environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 200


def test_only_the_entries_the_proxies_added_are_trusted(app, world):
    """A client sends its own X-Forwarded-For; the one proxy appends the real
    address. With one hop only the last entry counts."""
    client = _app(app, 1).test_client()
    statuses = [client.get("/api/v1/centres", headers={
        **auth(f"msm_wrong{i}"), "X-Forwarded-For": f"192.0.2.{i}, 203.0.113.5"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_the_scheme_and_host_follow_the_proxy_only_when_configured(app):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "medsam.example.org"}
    for hops, expected in ((0, "http://localhost/"), (1, "https://medsam.example.org/")):
        configured = _app(app, hops)

        @configured.get("/_test/url")
        def url():  # type: ignore[no-untyped-def]
            from flask import request
            return request.host_url

        assert configured.test_client().get("/_test/url", headers=headers).get_data(
            as_text=True) == expected


def test_proxy_hops_is_checked_at_start_up():
    from medsam_match.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="MEDSAM_PROXY_HOPS"):
        load_settings({"MEDSAM_PROXY_HOPS": "many"})
    assert load_settings({})["proxy_hops"] == 0
