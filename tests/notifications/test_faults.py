"""Faults: the mail server down for a while (messages wait, none lost), a
sender killed between sending and marking (the same message again, never a
different one), two sender processes at once (each message once), and a
message that keeps failing (failed, with its error, and resendable)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from datetime import timedelta

import pytest

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


@pytest.mark.timeout(240)
def test_two_sender_processes_at_once_send_each_message_once(mail_app, smtp, world):
    town = make_town(mail_app, world, volunteers=120)
    _publish_to(mail_app, town, 120)
    env = {
        **os.environ,
        "MEDSAM_DATABASE_URL": mail_app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDSAM_CHECK_SCHEMA": "false", "MEDSAM_SMTP_HOST": "127.0.0.1",
        "MEDSAM_SMTP_PORT": str(smtp.port), "MEDSAM_SMTP_SECURITY": "none",
        "MEDSAM_BASE_URL": "https://medsam.test", "MEDSAM_LOG_LEVEL": "WARNING",
        "MEDSAM_SECRET_KEY": "a-test-key-with-enough-entropy-0123456789abcdef",
    }
    command = [sys.executable, "-c", "from medsam_match.cli import run; run()", "send-messages"]
    senders = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True) for _ in range(2)]
    outputs = [sender.communicate(timeout=200) for sender in senders]
    assert all(sender.returncode == 0 for sender in senders), outputs
    counts = Counter(message["To"] for message in smtp.messages)
    assert len(counts) == 120 and set(counts.values()) == {1}
    with mail_app.app_context():
        assert db.session.query(OutboxMessage).filter_by(status="sent").count() == 120
    # Both took part (each printed what it sent).
    sent = [int(out.split("sent ")[1].split(",")[0]) for out, _ in outputs]
    assert sum(sent) == 120
