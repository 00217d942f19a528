"""Races on the outbox, with threads (a database session each), on SQLite
and PostgreSQL: four senders at once deliver each message once; two
resends of one failed message at once queue it once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from medsam_match.auth import Principal
from medsam_match.domain_errors import Conflict
from medsam_match.extensions import db
from medsam_match.models import OutboxMessage
from medsam_match.models.types import utcnow
from medsam_match.services.notifications import listing
from medsam_match.services.notifications.delivery import deliver_due
from tests.services.conftest import race

from .helpers import outbox, publish_plan

ROUNDS = 5


def test_four_senders_at_once_deliver_each_message_once(mail_app, smtp, town):
    for round_ in range(ROUNDS):
        publish_plan(mail_app, town, [(v, town.session_ids[round_ % 6], "host")
                                      for v in town.volunteer_ids])
        outcomes = race(mail_app, [lambda i=i: deliver_due(mail_app.config, worker=f"s{i}")
                                   for i in range(4)])
        sent = [row for outcome in outcomes for row in outcome.value.sent]
        assert len(sent) == len(set(sent)) == 20  # this round's messages, each by one sender
    counts = Counter(message["Message-ID"] for message in smtp.messages)
    assert len(counts) == 20 * ROUNDS and set(counts.values()) == {1}
    assert {r.status for r in outbox(mail_app)} == {"sent"}


def test_two_resends_of_a_failed_message_at_once_queue_it_once(mail_app, smtp, town):
    publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
    coordinator = Principal(role="coordinator", centre_id=town.centre_id)
    for _ in range(ROUNDS):
        with mail_app.app_context():
            row = db.session.query(OutboxMessage).one()
            row.status, row.tries, row.last_error = "failed", 4, "refused"
            db.session.commit()
            row_id = row.id
        outcomes = race(mail_app, [lambda r=row_id: listing.resend_message(coordinator, r)] * 2)
        assert sorted(o.won for o in outcomes) == [False, True]
        assert isinstance(next(o.error for o in outcomes if not o.won), Conflict)
        with mail_app.app_context():
            row = db.session.get(OutboxMessage, row_id)
            assert row.status == "queued" and row.tries == 0
            assert row.next_attempt_at <= utcnow() + timedelta(seconds=1)


def test_a_claim_takes_at_most_its_batch(mail_app, smtp, world):
    # 120 due messages, a batch of 50: one claim moves 50 to `sending`, no more
    # (on PostgreSQL a LIMIT ... SKIP LOCKED subquery inside the UPDATE could
    # be run again per row and take them all).
    from medsam_match.services.notifications.delivery import claim

    from .conftest import make_town

    town = make_town(mail_app, world, volunteers=120)
    publish_plan(mail_app, town, [(v, town.session_ids[0], "host") for v in town.volunteer_ids])
    with mail_app.app_context():
        token, rows = claim("one", 50, utcnow())
        assert len(rows) == 50
        assert db.session.query(OutboxMessage).filter_by(status="sending").count() == 50
        assert db.session.query(OutboxMessage).filter_by(claimed_by=token).count() == 50
