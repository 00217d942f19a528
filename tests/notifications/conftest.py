"""Messages end to end: a real SMTP server (aiosmtpd) in the test process
and a local HTTP server standing in for the SMS gateway.

Fixtures: `smtp` (a running server; `smtp.messages` are the parsed
`email.message.EmailMessage`s it received; `smtp.stop()`/`smtp.start()`
take it down and up on the same port), `sms_gateway` (an HTTP server whose
`requests` are the JSON bodies it received), `mail_app` (the `app` set to
send through both), and `town` (a centre with a coordinator, 20
volunteers with e-mail addresses and sessions).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from medsam_match.extensions import db
from medsam_match.models import Activity, Centre, Place, Session, User, Volunteer
from tests.conftest import World

# A Monday, well ahead (local 17:00 in Oslo in winter).
START = datetime(2030, 1, 7, 16, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Sink:
    def __init__(self) -> None:
        self.raw: list[tuple[list[str], bytes]] = []
        self.lock = threading.Lock()
        # Called with the recipients once a message is stored, before the
        # server answers 250 (a test may stop the sender right there).
        self.on_stored: Callable[[list[str]], None] | None = None

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.lock:
            self.raw.append((list(envelope.rcpt_tos), bytes(envelope.original_content)))
        if self.on_stored is not None:
            self.on_stored(list(envelope.rcpt_tos))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.sink = _Sink()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        with self.sink.lock:
            return [message_from_bytes(raw, policy=policy.default)  # type: ignore[misc]
                    for _, raw in self.sink.raw]

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@dataclass
class Gateway:
    port: int
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    status: int = 200


@pytest.fixture
def sms_gateway() -> Iterator[Gateway]:
    gateway = Gateway(port=free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            gateway.requests.append(json.loads(body))
            gateway.headers.append(dict(self.headers))
            self.send_response(gateway.status)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", gateway.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield gateway
    server.shutdown()
    server.server_close()


@pytest.fixture
def mail_app(app: Flask, smtp: SmtpServer, sms_gateway: Gateway, tmp_path) -> Flask:  # type: ignore[no-untyped-def]
    app.config.update(
        MEDSAM_SMTP_HOST="127.0.0.1", MEDSAM_SMTP_PORT=smtp.port, MEDSAM_SMTP_SECURITY="none",
        MEDSAM_MAIL_FROM="Frivilligsentralen <noreply@medsam.test>",
        MEDSAM_BASE_URL="https://medsam.test", MEDSAM_MESSAGE_MAX_TRIES=4,
        MEDSAM_MESSAGE_RETRY_SECONDS=60, MEDSAM_DATA_DIR=str(tmp_path),
        MEDSAM_SMS_GATEWAY_URL=f"http://127.0.0.1:{sms_gateway.port}/send",
        MEDSAM_SMS_GATEWAY_METHOD="POST", MEDSAM_SMS_GATEWAY_AUTH_HEADER="Authorization: Bearer k",
        MEDSAM_SMS_GATEWAY_BODY='{"to": "{to}", "message": "{text}", "ref": "{reference}"}',
        MEDSAM_SMS_FROM="Medsam",
    )
    return app


@dataclass
class Town:
    centre_id: int
    coordinator_id: int
    coordinator_email: str
    activity_id: int
    session_ids: list[int]
    volunteer_ids: list[int]
    place_id: int


def make_town(app: Flask, world: World, volunteers: int = 20, sessions: int = 6) -> Town:
    with app.app_context():
        centre = db.session.get(Centre, world.no.centre_id)
        place = db.session.get(Place, world.no.place_ids[0])
        place.address = place.address or "Torvet 1, 4836 Arendal"
        coordinator = User(email="koordinator@arendal.test", name="Kari Koordinator",
                           role="coordinator", centre_id=centre.id,
                           municipality_id=centre.municipality_id, password_hash="x")
        activity = Activity(centre_id=centre.id, title="Språkkafé",
                            roles=[{"role": "host", "min": 1, "max": 5}])
        db.session.add_all([coordinator, activity])
        db.session.flush()
        rows = []
        for week in range(sessions):
            start = START + timedelta(days=7 * week)
            rows.append(Session(activity_id=activity.id, start=start,
                                end=start + timedelta(hours=2), place_id=place.id,
                                status="planned", window_start=start,
                                window_end=start + timedelta(hours=2)))
        people = [Volunteer(centre_id=centre.id, name=f"Frivillig {i:02d}",
                            email=f"frivillig{i:02d}@example.test") for i in range(volunteers)]
        db.session.add_all([*rows, *people])
        db.session.commit()
        return Town(centre.id, coordinator.id, coordinator.email, activity.id,
                    [s.id for s in rows], [v.id for v in people], place.id)


@pytest.fixture
def town(app: Flask, world: World) -> Town:
    return make_town(app, world)
