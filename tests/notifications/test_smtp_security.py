"""The mail server's security settings against a real aiosmtpd with a
certificate from a test CA (trustme): STARTTLS with a login, implicit TLS,
a wrong password (the message waits, with the server's answer as its
error), and a server whose certificate is not trusted (never sent in clear)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from .conftest import free_port
from .helpers import outbox, publish_plan, send


class _Sink:
    def __init__(self) -> None:
        self.raw: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        with self.lock:
            self.raw.append(bytes(envelope.original_content))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        b"medsam", b"s3cret")
    return AuthResult(success=ok, handled=False)  # a failure: the server answers 535


@pytest.fixture
def ca(monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[trustme.CA]:  # type: ignore[no-untyped-def]
    authority = trustme.CA()
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    # ssl.create_default_context() (what the sender uses) trusts SSL_CERT_FILE.
    monkeypatch.setenv("SSL_CERT_FILE", str(bundle))
    yield authority


def _server_context(authority: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("localhost").configure_cert(context)
    return context


def _configure(app, port: int, security: str, password: str = "s3cret") -> None:  # type: ignore[no-untyped-def]
    app.config.update(MEDSAM_SMTP_HOST="localhost", MEDSAM_SMTP_PORT=port,
                      MEDSAM_SMTP_SECURITY=security, MEDSAM_SMTP_USER="medsam",
                      MEDSAM_SMTP_PASSWORD=password)


def test_starttls_with_a_login(mail_app, town, ca):
    sink, port = _Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost",
                            tls_context=_server_context(ca), require_starttls=True,
                            authenticator=_authenticator, auth_required=True)
    controller.start()
    try:
        _configure(mail_app, port, "starttls")
        publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
        assert len(send(mail_app).sent) == 1
        (raw,) = sink.raw
        assert message_from_bytes(raw, policy=policy.default)["To"] == "frivillig00@example.test"
    finally:
        controller.stop()


def test_a_wrong_password_keeps_the_message_waiting_with_the_servers_answer(mail_app, town, ca):
    sink, port = _Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost",
                            tls_context=_server_context(ca), require_starttls=True,
                            authenticator=_authenticator, auth_required=True,
                            auth_exclude_mechanism=["LOGIN"])  # PLAIN answers 535 at once
    controller.start()
    try:
        _configure(mail_app, port, "starttls", password="wrong")
        publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
        outcome = send(mail_app)
        assert outcome.sent == [] and len(outcome.retried) == 1
        (row,) = outbox(mail_app)
        assert row.status == "queued" and "535" in row.last_error and sink.raw == []
    finally:
        controller.stop()


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_implicit_tls(mail_app, town, ca):
    sink, port = _Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost",
                            ssl_context=_server_context(ca), authenticator=_authenticator,
                            auth_required=True,
                            # the whole connection is TLS, which aiosmtpd does not see
                            auth_require_tls=False)
    controller.start()
    try:
        _configure(mail_app, port, "tls")
        publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
        assert len(send(mail_app).sent) == 1 and len(sink.raw) == 1
    finally:
        controller.stop()


def test_an_untrusted_certificate_is_refused_and_nothing_is_sent(mail_app, town, monkeypatch):
    other = trustme.CA()  # the server's certificate comes from a CA nobody trusts
    sink, port = _Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, server_hostname="localhost",
                            tls_context=_server_context(other), require_starttls=True,
                            authenticator=_authenticator, auth_required=True)
    controller.start()
    try:
        _configure(mail_app, port, "starttls")
        publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
        outcome = send(mail_app)
        assert outcome.sent == [] and sink.raw == []
        (row,) = outbox(mail_app)
        assert "CERTIFICATE_VERIFY_FAILED" in row.last_error
    finally:
        controller.stop()
