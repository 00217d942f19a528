"""Faults: the mail server down for a while (messages wait, none lost), a
sender killed between sending and marking (the same message again, never a
different one), two sender processes at once (each message once), and a
message that keeps failing (failed, with its error, and resendable)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, distinct, func, select

from medsam_match.extensions import db
from medsam_match.models import OutboxMessage
from medsam_match.models.types import utcnow
from medsam_match.services.notifications import delivery

from .conftest import make_town
from .helpers import outbox, publish_plan, send


def _publish_to(app, town, count: int) -> None:  # type: ignore[no-untyped-def]
    publish_plan(app, town, [(v, town.session_ids[i % len(town.session_ids)], "host")
                             for i, v in enumerate(town.volunteer_ids[:count])])


def test_while_the_mail_server_is_down_messages_wait_and_go_out_later(mail_app, smtp, town):
    _publish_to(mail_app, town, 5)
    smtp.stop()
    now = utcnow()
    first = send(mail_app, now=now)
    assert first.sent == [] and len(first.retried) == 5
    rows = outbox(mail_app)
    assert all(r.status == "queued" and r.tries == 1 and r.last_error for r in rows)
    assert all(r.next_attempt_at >= now + timedelta(seconds=59) for r in rows)
    assert send(mail_app, now=now + timedelta(seconds=30)).sent == []  # backing off

    second = send(mail_app, now=now + timedelta(seconds=61))  # still down: wait twice as long
    assert len(second.retried) == 5
    assert all(r.next_attempt_at >= now + timedelta(seconds=61 + 119) for r in outbox(mail_app))

    smtp.start()
    third = send(mail_app, now=now + timedelta(minutes=10))
    assert len(third.sent) == 5
    assert sorted(m["To"] for m in smtp.messages) == sorted(
        f"frivillig{i:02d}@example.test" for i in range(5))
    assert all(r.status == "sent" and r.tries == 3 for r in outbox(mail_app))


def test_a_message_that_keeps_failing_ends_failed_and_can_be_resent(mail_app, smtp, town):
    _publish_to(mail_app, town, 1)
    smtp.stop()
    now = utcnow()
    for attempt in range(4):  # MEDSAM_MESSAGE_MAX_TRIES = 4 in mail_app
        send(mail_app, now=now + timedelta(hours=attempt))
    (row,) = outbox(mail_app)
    assert row.status == "failed" and row.tries == 4 and "Error" in row.last_error
    assert send(mail_app, now=now + timedelta(days=1)).sent == []
    smtp.start()
    with mail_app.app_context():
        assert delivery.resend(row.id)
        db.session.commit()
    assert send(mail_app).sent == [row.id]
    assert len(smtp.messages) == 1


def test_a_sender_killed_between_sending_and_marking_sends_the_same_message_again(
        mail_app, smtp, town):
    _publish_to(mail_app, town, 2)
    now = utcnow()
    with mail_app.app_context():
        # A sender claims both, renders, sends the first... and dies before marking it.
        token, rows = delivery.claim("doomed", 10, now)
        transports = delivery.Transports(mail_app.config)
        raw = delivery._prepare(rows[0], token, transports.mail_settings)
        transports.send(rows[0], raw)
        transports.close()
        db.session.rollback()
        killed_id = rows[0].id
    assert len(smtp.messages) == 1
    # Within the lease nobody touches the rows; after it another sender takes them.
    assert send(mail_app, now=now + timedelta(minutes=1)).sent == []
    outcome = send(mail_app, now=now + delivery.LEASE + timedelta(seconds=1))
    assert sorted(outcome.sent) == sorted(r.id for r in outbox(mail_app))
    assert killed_id in outcome.resent_after_crash
    copies = [raw for to, raw in smtp.sink.raw if to == ["frivillig00@example.test"]]
    assert len(copies) == 2
    assert copies[0] == copies[1]  # byte for byte the same message, same Message-ID
    assert len(smtp.to("frivillig01@example.test")) == 1


SENDER = [sys.executable, "-c", "from medsam_match.cli import run; run()", "send-messages"]


def _sender_env(app, smtp, **extra: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """`medsam-match send-messages` in a process of its own, on the test's
    database and SMTP server, with the test app's secret key (its links)."""
    return {
        **os.environ,
        "MEDSAM_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDSAM_CHECK_SCHEMA": "false", "MEDSAM_SMTP_HOST": "127.0.0.1",
        "MEDSAM_SMTP_PORT": str(smtp.port), "MEDSAM_SMTP_SECURITY": "none",
        "MEDSAM_BASE_URL": "https://medsam.test", "MEDSAM_LOG_LEVEL": "WARNING",
        "MEDSAM_SECRET_KEY": "a-test-key-with-enough-entropy-0123456789abcdef",
        **extra,
    }


@pytest.mark.timeout(240)
def test_a_sender_process_killed_after_the_server_took_a_mail_sends_the_same_mail_again(
        mail_app, smtp, town):
    """A real process, killed with SIGKILL at the worst moment: the mail
    server has stored the second message, the sender has not yet heard
    the 250 and so cannot have marked it sent."""
    _publish_to(mail_app, town, 3)
    env = _sender_env(mail_app, smtp, MEDSAM_MESSAGE_LEASE_SECONDS="2")
    victim = subprocess.Popen(SENDER, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)

    def kill_at_the_second(recipients: list[str]) -> None:
        if recipients == ["frivillig01@example.test"] and victim.poll() is None:
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait(timeout=30)  # dead before the server answers 250

    smtp.sink.on_stored = kill_at_the_second
    victim.communicate(timeout=200)
    smtp.sink.on_stored = None
    assert victim.returncode == -signal.SIGKILL
    assert [to for to, _ in smtp.sink.raw] == [["frivillig00@example.test"],
                                               ["frivillig01@example.test"]]
    first, second, third = outbox(mail_app)
    assert first.status == "sent"
    # The killed sender's hold: the one the server took, and the one never sent.
    assert second.status == third.status == "sending" and second.sent_at is None
    assert second.rendered is not None and second.last_error is None

    # The restart: once the dead sender's hold has run out, another process.
    wait = (second.claimed_until - utcnow()).total_seconds()
    time.sleep(max(0.0, wait) + 0.5)
    restart = subprocess.run(SENDER, env=env, capture_output=True, text=True, timeout=200)
    assert restart.returncode == 0, restart.stderr
    assert restart.stdout.startswith("sent 2,")
    assert "sending the same message again" in restart.stderr

    assert {r.status for r in outbox(mail_app)} == {"sent"}
    copies = [raw for to, raw in smtp.sink.raw if to == ["frivillig01@example.test"]]
    assert len(copies) == 2 and copies[0] == copies[1]  # byte for byte: not a different message
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == 4 and len(set(ids)) == 3  # three messages, one of them twice, identical
    assert len(smtp.to("frivillig00@example.test")) == len(smtp.to("frivillig02@example.test")) == 1


@pytest.mark.timeout(240)
def test_two_sender_processes_at_once_send_each_message_once(mail_app, smtp, world):
    """Two `send-messages` processes on one database, made to overlap: the
    mail server holds the first mail it gets until the other process has
    claimed messages too (so both hold claims at the same moment)."""
    town = make_town(mail_app, world, volunteers=120)
    _publish_to(mail_app, town, 120)
    env = _sender_env(mail_app, smtp)
    engine = create_engine(mail_app.config["SQLALCHEMY_DATABASE_URI"])
    claimers = select(func.count(distinct(OutboxMessage.claimed_by)))
    overlapped: list[bool] = []

    def hold_until_both_claimed(recipients: list[str]) -> None:
        if overlapped:
            return
        deadline = time.monotonic() + 90
        with engine.connect() as connection:
            while time.monotonic() < deadline:
                if connection.execute(claimers).scalar_one() >= 2:
                    overlapped.append(True)
                    return
                connection.rollback()
                time.sleep(0.05)
        overlapped.append(False)

    smtp.sink.on_stored = hold_until_both_claimed
    senders = [subprocess.Popen(SENDER, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    try:
        outputs = [sender.communicate(timeout=200) for sender in senders]
    finally:
        smtp.sink.on_stored = None
        engine.dispose()
    assert all(sender.returncode == 0 for sender in senders), outputs
    assert overlapped == [True]  # the second claimed while the first held its batch
    counts = Counter(message["To"] for message in smtp.messages)
    assert len(counts) == 120 and set(counts.values()) == {1}
    with mail_app.app_context():
        assert db.session.query(OutboxMessage).filter_by(status="sent").count() == 120
    # Both took part (each printed what it sent), between them every message once.
    sent = [int(out.split("sent ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(sent) == 120 and min(sent) > 0
