"""A nightly run that fails still sends the coordinator's morning digest,
saying in words (in the municipality's language) that no plan was made and
why, and listing the seats of the run's window still short of people. A run
someone started by hand that fails sends no digest (they see it where they
started it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Flask

from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun, OutboxMessage
from medsam_match.services.runs.create import queue_nightly_run
from medsam_match.services.runs.execute import fail

from .conftest import START, Town
from .helpers import html_of, send, text_of

NO_PLAN = "Det ble ikke laget noen plan for den i natt."


def _running_run(app: Flask, town: Town, trigger: str) -> int:
    with app.app_context():
        run = MatchRun(centre_id=town.centre_id, window_from=START - timedelta(days=1),
                       window_to=START + timedelta(days=60), status="running", trigger=trigger)
        # One seat already filled by hand: its session is not short.
        db.session.add_all([run, Assignment(volunteer_id=town.volunteer_ids[0],
                                            session_id=town.session_ids[0], role="host",
                                            status="confirmed")])
        db.session.commit()
        return run.id


def _deliver_digests(app: Flask) -> None:
    with app.app_context():
        due = max(row.next_attempt_at for row in db.session.query(OutboxMessage)
                  .filter_by(kind="digest"))
    send(app, now=max(due, datetime.now(UTC)))


def test_a_failed_nightly_run_still_sends_the_digest_saying_so_in_words(mail_app, smtp, town):
    run_id = _running_run(mail_app, town, "nightly")
    with mail_app.app_context():
        fail(run_id, "the solver process failed with exit code -9 (killed): out of memory")
        assert db.session.get(MatchRun, run_id).status == "failed"
        (row,) = db.session.query(OutboxMessage).filter_by(kind="digest").all()
        assert row.address == town.coordinator_email and row.payload == {"run_id": run_id}
    _deliver_digests(mail_app)
    (mail,) = smtp.to(town.coordinator_email)
    # Six sessions, one of them filled by hand: five seats short.
    assert mail["Subject"] == "Morgenoppsummering: nattens planlegging mislyktes, 5 tomme plasser"
    body = text_of(mail)
    assert "Nattens planlegging mislyktes: ingen nye oppdrag ble laget." in body
    assert "Planleggingen ble ikke ferdig i tide eller gikk tom for minne." in body
    assert "exit code -9" in body  # the recorded error, as recorded
    assert body.count(NO_PLAN) == 5 and body.count("Språkkafé") == 5
    assert "Mandag 7. januar" not in body  # the filled session (START) is not listed
    assert "Mandag 14. januar kl. 17.00–19.00" in body  # a week later, local time
    assert "Nattens planlegging mislyktes" in html_of(mail)


def test_a_night_the_service_missed_is_told_too_and_only_once(mail_app, smtp, town):
    with mail_app.app_context():
        night = date(2029, 12, 30)
        missed = "the nightly plan for 2029-12-30 was missed: the service was not running"
        first = queue_nightly_run(town.centre_id, night, START - timedelta(days=1),
                                  START + timedelta(days=60), 10, missed=missed)
        assert first is not None and first.status == "failed"
        # Another scheduler ticking the same night: no second run, no second digest.
        assert queue_nightly_run(town.centre_id, night, START - timedelta(days=1),
                                 START + timedelta(days=60), 10, missed=missed) is None
        assert db.session.query(OutboxMessage).filter_by(kind="digest").count() == 1
    _deliver_digests(mail_app)
    (mail,) = smtp.to(town.coordinator_email)
    body = text_of(mail)
    assert "Tjenesten kjørte ikke da nattens planlegging skulle skje." in body
    assert body.count(NO_PLAN) == 6


def test_a_run_started_by_hand_that_fails_sends_no_digest(mail_app, smtp, town):
    run_id = _running_run(mail_app, town, "api")
    with mail_app.app_context():
        fail(run_id, "the solver process failed with exit code 1")
        assert db.session.query(OutboxMessage).filter_by(kind="digest").count() == 0


def test_each_failure_the_runs_record_is_put_in_its_own_words(mail_app):
    """The digest recognises a failure by the words the runs record: the
    texts they actually write get their own sentence, not the general one
    (a reworded error would otherwise fall through unseen)."""
    from medsam_match.services.notifications.digest import failure_in_words
    from medsam_match.services.runs.recover import STALE_MESSAGE

    recorded = [
        STALE_MESSAGE,
        "the nightly plan for 2029-12-30 was missed: the service was not running at 02:00",
        "the solver process was stopped by signal 9 after 3.0 s",
        "the solver did not finish within 70 s (time limit 60 s plus 10 s grace) and was stopped",
        "the plan could not be published: the plans changed",
    ]
    with mail_app.app_context():
        general = failure_in_words("something else")
        words = [failure_in_words(error) for error in recorded]
        # A solver that crashed is not said to have run out of time or memory.
        crashed = failure_in_words("the solver process failed with exit code 1: "
                                   "Traceback ... | ValueError: bad scenario")
        out_of_memory = failure_in_words("the solver process failed with exit code 1 "
                                         "(out of memory): MemoryError")
    # Past the time limit or killed: the same words (time or memory).
    assert words[2] == words[3]
    assert general not in words and len(set(words)) == len(recorded) - 1
    assert crashed == general and out_of_memory == words[2]
