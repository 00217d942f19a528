"""Delivering the outbox: claim due rows, render each once, send, mark.

A claim is one conditional UPDATE that moves due rows to `sending` with this
batch's own claim token and a lease (PostgreSQL picks them with `FOR UPDATE
SKIP LOCKED`, so two senders never take the same row and never wait for
each other; SQLite has one writer, so the UPDATE's condition is enough). A
row is due when `queued` and its `next_attempt_at` has come, or when
`sending` and its lease has run out (its sender died).

Before the first attempt the row's message is rendered and stored (committed
before anything is sent); every later attempt sends those same bytes with
the same Message-ID. So a sender killed between sending and marking is
detected (the lease runs out with the row still `sending`) and the message
goes out again identical, never as a second, different one.

A failure puts the row back to `queued` after an exponential back-off
(retry_seconds * 2^(tries-1), at most six hours); after `max_tries` it
ends `failed`, with the last error, visible through the API and resendable.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, or_, select, text, update
from sqlalchemy.engine import Connection

from ...extensions import db
from ...models import OutboxMessage, Volunteer
from ...models.types import utcnow
from .. import volunteer_secrets
from . import mail, sms
from .render import render

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=6)
# Delivered (or given up) messages are kept this long for the API, then deleted.
KEEP = timedelta(days=30)
LEASE = timedelta(minutes=5)
# Links that sign in are not kept once sent.
SCRUBBED_KINDS = ("signin_link", "invite")


@dataclass(frozen=True)
class DeliverySettings:
    max_tries: int = 8
    retry_seconds: int = 60
    lease: timedelta = LEASE
    batch: int = 100

    @classmethod
    def from_config(cls, config: Any) -> DeliverySettings:
        lease = int(config.get("MEDSAM_MESSAGE_LEASE_SECONDS") or LEASE.total_seconds())
        return cls(max_tries=int(config.get("MEDSAM_MESSAGE_MAX_TRIES") or 8),
                   retry_seconds=int(config.get("MEDSAM_MESSAGE_RETRY_SECONDS") or 60),
                   lease=timedelta(seconds=lease))

    def backoff(self, tries: int) -> timedelta:
        return min(MAX_BACKOFF, timedelta(seconds=self.retry_seconds * 2 ** max(0, tries - 1)))


@dataclass
class Outcome:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    resent_after_crash: list[int] = field(default_factory=list)


def _due(now: datetime) -> Any:
    return or_(
        and_(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_until < now),
    )


@contextmanager
def _state_change(durable: bool = True) -> Iterator[Connection]:
    """A short transaction of its own for a row's state change, apart from
    the ORM session that reads what the messages say (so its loaded rows
    stay loaded across a batch). `durable=False`: on PostgreSQL the commit
    does not wait for the disk (a crash may lose the last few "sent" marks,
    and those messages then go out again, identical: see the module's text)."""
    with db.engine.begin() as connection:
        if not durable and connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL synchronous_commit TO OFF"))
        yield connection


def claim(worker: str, limit: int, now: datetime,
          lease: timedelta = LEASE) -> tuple[str, list[OutboxMessage]]:
    """Move up to `limit` due rows to `sending` for this batch (committed)."""
    token = f"{worker}:{secrets.token_hex(6)}"
    picked = (
        select(OutboxMessage.id).where(_due(now))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    )
    with _state_change() as connection:
        chosen: Any = picked.scalar_subquery()
        if connection.dialect.name == "postgresql":
            # The ids first, locked, then the UPDATE: inside an UPDATE's
            # IN (...) PostgreSQL may run a LIMIT ... FOR UPDATE SKIP LOCKED
            # subquery again for each row, skipping the rows this very
            # statement has just updated, and so claim far more than `limit`.
            chosen = list(connection.execute(picked.with_for_update(skip_locked=True)).scalars())
        connection.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(chosen), _due(now))
            .values(status="sending", claimed_by=token, claimed_until=now + lease,
                    tries=OutboxMessage.tries + 1)
        )
    db.session.rollback()  # read what was just committed
    rows = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.claimed_by == token,
                                    OutboxMessage.status == "sending")
        .order_by(OutboxMessage.id).execution_options(populate_existing=True)
    ))
    return token, rows


def _drop_erased(rows: list[OutboxMessage], token: str) -> list[OutboxMessage]:
    """Rows of volunteers erased since they were queued end `cancelled`, unsent."""
    ids = [row.volunteer_id for row in rows if row.volunteer_id is not None]
    erased = set(db.session.scalars(select(Volunteer.id).where(
        Volunteer.id.in_(ids), Volunteer.erased_at.is_not(None)))) if ids else set()
    if not erased:
        return rows
    with _state_change() as connection:
        for row in rows:
            if row.volunteer_id in erased:
                connection.execute(update(OutboxMessage).where(_mine(row.id, token))
                                   .values(status="cancelled", claimed_until=None, payload={},
                                           rendered=None, last_error="the volunteer was erased"))
    return [row for row in rows if row.volunteer_id not in erased]


def _mine(row_id: int, token: str) -> Any:
    return and_(OutboxMessage.id == row_id, OutboxMessage.claimed_by == token,
                OutboxMessage.status == "sending")


def _render_raw(row: OutboxMessage, mail_settings: mail.MailSettings) -> tuple[str, str]:
    rendered = render(row)
    if row.channel == "email":
        return mail.build(row, rendered, mail_settings).as_string(), rendered.subject
    return rendered.text, ""


def _prepare(row: OutboxMessage, token: str, mail_settings: mail.MailSettings) -> str:
    """One row's bytes, rendered and stored (committed) at its first attempt."""
    return _prepare_batch([row], token, mail_settings)[row.id]


def _prepare_batch(rows: list[OutboxMessage], token: str,
                   mail_settings: mail.MailSettings) -> dict[int, str]:
    """The bytes of each row: those rendered before as they were; the others
    rendered now and stored, in one committed transaction, before anything
    of the batch is sent. A row that cannot be rendered is left out (and
    raises in `errors`)."""
    raws: dict[int, str] = {}
    fresh: list[dict[str, Any]] = []
    # The volunteers' link secrets of the batch, made and read at once (not
    # a lookup, or a commit, per link).
    known = volunteer_secrets.ensure_secrets(
        row.volunteer_id for row in rows if row.rendered is None and row.volunteer_id is not None)
    with volunteer_secrets.known_secrets(known):
        for row in rows:
            if row.rendered is not None:
                raws[row.id] = row.rendered
                continue
            raw, subject = _render_raw(row, mail_settings)
            raws[row.id] = raw
            fresh.append({"row_id": row.id, "token": token, "raw": raw,
                          "subject": subject[:300] or None})
    if fresh:
        table = OutboxMessage.__table__
        with _state_change() as connection:
            connection.execute(
                table.update()
                .where(table.c.id == bindparam("row_id"), table.c.claimed_by == bindparam("token"),
                       table.c.status == "sending")
                .values(rendered=bindparam("raw"), subject=bindparam("subject")),
                fresh,
            )
    return raws


class Transports:
    """The channels' transports for one batch (one SMTP connection)."""

    def __init__(self, config: Any) -> None:
        self.mail_settings = mail.MailSettings.from_config(config)
        self.smtp: mail.SmtpTransport | None = (
            mail.SmtpTransport(self.mail_settings) if self.mail_settings.host else None)
        self.folder = mail.FolderTransport(self.mail_settings.folder)
        self.sms = sms.SmsTransport(sms.SmsSettings.from_config(config))

    def send(self, row: OutboxMessage, raw: str) -> None:
        if row.channel == "sms":
            self.sms.send_row(row.id, raw, row.address)
        elif self.smtp is not None:
            self.smtp.send(raw, row.address)
        else:
            self.folder.send_row(row.id, raw, row.address)

    def close(self) -> None:
        if self.smtp is not None:
            self.smtp.close()


def _mark_sent(row: OutboxMessage, token: str, now: datetime) -> None:
    values: dict[str, Any] = {"status": "sent", "sent_at": now, "claimed_until": None,
                              "last_error": None}
    if row.kind in SCRUBBED_KINDS:
        values.update(payload={}, rendered="(a sign-in link: not kept once sent)")
    with _state_change(durable=False) as connection:
        connection.execute(update(OutboxMessage).where(_mine(row.id, token)).values(**values))


def _mark_failed(row: OutboxMessage, token: str, error: str, now: datetime,
                 settings: DeliverySettings) -> str:
    final = row.tries >= settings.max_tries
    values: dict[str, Any] = {"last_error": error[:1000], "claimed_until": None}
    if final:
        values["status"] = "failed"
    else:
        values.update(status="queued", next_attempt_at=now + settings.backoff(row.tries))
    with _state_change() as connection:
        connection.execute(update(OutboxMessage).where(_mine(row.id, token)).values(**values))
    return "failed" if final else "queued"


def deliver_due(config: Any, *, worker: str = "sender", now: datetime | None = None,
                limit: int | None = None, settings: DeliverySettings | None = None) -> Outcome:
    """Deliver every due row (in batches) until none is left or `limit` rows
    were handled. Needs an application context (templates, config)."""
    settings = settings or DeliverySettings.from_config(config)
    outcome = Outcome()
    transports = Transports(config)
    handled = 0
    try:
        while limit is None or handled < limit:
            moment = now or utcnow()
            batch = settings.batch if limit is None else min(settings.batch, limit - handled)
            token, rows = claim(worker, batch, moment, settings.lease)
            if not rows:
                break
            handled += len(rows)
            rows = _drop_erased(rows, token)
            raws: dict[int, str] = {}
            try:
                raws = _prepare_batch(rows, token, transports.mail_settings)
            except Exception:  # noqa: BLE001 - find the row that cannot be rendered
                db.session.rollback()
                for row in rows:
                    try:
                        raws[row.id] = _prepare(row, token, transports.mail_settings)
                    except Exception as error:  # noqa: BLE001
                        log.exception("message %s cannot be rendered", row.id)
                        state = _mark_failed(row, token, f"cannot be rendered: {error}",
                                             now or utcnow(), settings)
                        (outcome.failed if state == "failed" else outcome.retried).append(row.id)
            for row in rows:
                if row.id not in raws:
                    continue
                if row.rendered is not None and row.tries > 1 and row.last_error is None:
                    # Claimed again with no error recorded: its sender died while
                    # sending; the same bytes go out again (same Message-ID).
                    log.warning("message %s: its sender stopped while sending it; sending the "
                                "same message again", row.id)
                    outcome.resent_after_crash.append(row.id)
                try:
                    transports.send(row, raws[row.id])
                except Exception as error:  # noqa: BLE001 - any failure: retry later
                    state = _mark_failed(row, token, f"{type(error).__name__}: {error}",
                                         now or utcnow(), settings)
                    (outcome.failed if state == "failed" else outcome.retried).append(row.id)
                    log.warning("message %s (%s to %s) not sent: %s; %s", row.id, row.channel,
                                row.address, error, state)
                    if transports.smtp is not None:
                        transports.smtp.close()
                    continue
                _mark_sent(row, token, now or utcnow())
                outcome.sent.append(row.id)
            db.session.rollback()
    finally:
        transports.close()
        db.session.rollback()
    return outcome


def housekeeping(now: datetime | None = None, keep: timedelta = KEEP) -> int:
    """Forget what is no longer needed (commits): messages sent, failed or
    cancelled longer than `keep` ago, and every message of an erased
    volunteer (its address and what was said to it are personal data).
    Returns how many rows were deleted."""
    now = now or utcnow()
    erased = select(Volunteer.id).where(Volunteer.erased_at.is_not(None))
    with _state_change() as connection:
        result = connection.execute(
            delete(OutboxMessage).where(or_(
                and_(OutboxMessage.status.in_(("sent", "failed", "cancelled")),
                     OutboxMessage.created_at < now - keep),
                OutboxMessage.volunteer_id.in_(erased),
            ))
        )
    return int(result.rowcount or 0)


def resend(row_id: int) -> bool:
    """A failed row back to the queue, due now (a conditional UPDATE: only a
    failed row moves). The caller commits."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, OutboxMessage.status == "failed")
        .values(status="queued", tries=0, next_attempt_at=utcnow(), claimed_by=None,
                claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]
