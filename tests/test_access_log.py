"""Calendar keys never reach an access log: gunicorn's (the service's) and
the development server's (werkzeug) write the path with the key masked."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from medsam_match.access_log import MaskSecretsFilter, mask
from medsam_match.config import project_dir

KEY = "7-" + secrets.token_hex(20)  # shaped like a key, opens nothing


def test_mask_replaces_the_key_in_a_calendar_path():
    assert mask(f'GET /my/calendar/{KEY}.ics HTTP/1.1') == "GET /my/calendar/[masked].ics HTTP/1.1"
    assert mask(f"/my/calendar/{KEY}.ics?x=1") == "/my/calendar/[masked].ics?x=1"
    assert mask("GET /my/ HTTP/1.1") == "GET /my/ HTTP/1.1"


@pytest.mark.parametrize(("logged", "kept"), [
    ("POST /my/answer/eyJhbGciOi.abc-DEF_1 HTTP/1.1", "POST /my/answer/[masked] HTTP/1.1"),
    ("GET /my/notifications/WzEsMl0.sig HTTP/1.1", "GET /my/notifications/[masked] HTTP/1.1"),
    ("GET /my/invite/Zm9vYmFy/ HTTP/1.1", "GET /my/invite/[masked]/ HTTP/1.1"),
    ("POST /signin/link/AbC-123_x HTTP/1.1", "POST /signin/link/[masked] HTTP/1.1"),
    ("GET /my/?token=msm_abc&lang=nb HTTP/1.1", "GET /my/?token=[masked]&lang=nb HTTP/1.1"),
    ("GET /api/v1/centres?key=s3cret HTTP/1.1", "GET /api/v1/centres?key=[masked] HTTP/1.1"),
    ("GET /api/v1/centres/12 HTTP/1.1", "GET /api/v1/centres/12 HTTP/1.1"),
])
def test_every_credential_in_a_path_or_query_is_masked(logged: str, kept: str):
    assert mask(logged) == kept


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_gunicorn_logs_the_feed_path_with_the_key_masked(tmp_path: Path):
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("MEDSAM_")}
    env.update({"MEDSAM_SECRET_KEY": secrets.token_urlsafe(48), "MEDSAM_SCHEDULER": "off",
                "MEDSAM_CHECK_SCHEMA": "false", "MEDSAM_DATA_DIR": str(tmp_path / "data"),
                "MEDSAM_BIND": f"127.0.0.1:{port}", "MEDSAM_WORKERS": "1"})
    log_file = tmp_path / "gunicorn.log"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with log_file.open("w") as log:
        server = subprocess.Popen(
            [str(gunicorn), "-c", str(project_dir() / "config" / "gunicorn.conf.py"),
             "medsam_match.wsgi:app"], cwd=project_dir(), env=env, stdout=log, stderr=log)
    try:
        url = f"http://127.0.0.1:{port}/my/calendar/{KEY}.ics"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5)
            except urllib.error.HTTPError as answer:
                assert answer.code == 404
                break
            except OSError:
                assert time.monotonic() < deadline, log_file.read_text()
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log_file.read_text()
    assert "/my/calendar/[masked].ics" in text
    assert KEY not in text


def test_the_development_server_log_is_masked_too(app, caplog):
    client = app.test_client()
    werkzeug_log = logging.getLogger("werkzeug")
    assert any(isinstance(f, MaskSecretsFilter) for f in werkzeug_log.filters)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        # What werkzeug's request handler logs for each request.
        werkzeug_log.info('%s - - [%s] "%s" %s %s', "127.0.0.1", "now",
                          f"GET /my/calendar/{KEY}.ics HTTP/1.1", "404", "-")
    assert client is not None
    assert KEY not in caplog.text
    assert "/my/calendar/[masked].ics" in caplog.text
