"""Declines reach the coordinator, reminders go out once at the right local
time (also across a summer-time change), the nightly digest lists the empty
slots in words, and a cancelled session tells its volunteers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from medsam_match.auth import Principal
from medsam_match.extensions import db
from medsam_match.models import Assignment, MatchRun, OutboxMessage, Session, Volunteer
from medsam_match.services import assignments, sessions
from medsam_match.services.notifications.reminders import enqueue_due_reminders

from .conftest import Town
from .helpers import outbox, publish_plan, send, text_of


def _volunteer(town: Town, index: int = 0) -> Principal:
    return Principal(role="volunteer", centre_id=town.centre_id, volunteer_id=town.volunteer_ids[index])


def test_a_decline_mails_the_centres_coordinator(mail_app, smtp, town):
    publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
    send(mail_app)
    with mail_app.app_context():
        assignment_id = db.session.query(Assignment.id).scalar()
        assignments.answer(_volunteer(town), assignment_id, "decline", "Syk denne uka")
    send(mail_app)
    mails = smtp.to(town.coordinator_email)
    assert len(mails) == 1
    assert "Frivillig 00" in mails[0]["Subject"]
    body = text_of(mails[0])
    assert "Syk denne uka" in body and "Språkkafé" in body
    assert f"https://medsam.test/sessions/{town.session_ids[0]}" in body


def test_a_confirmed_volunteer_who_can_no_longer_come_is_told_to_the_coordinator_as_such(
        mail_app, smtp, town):
    publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")])
    with mail_app.app_context():
        assignment_id = db.session.query(Assignment.id).scalar()
        assignments.answer(_volunteer(town), assignment_id, "confirm")
        assignments.answer(_volunteer(town), assignment_id, "decline")
    send(mail_app)
    rows = [r for r in outbox(mail_app) if r.kind == "declined"]
    assert len(rows) == 1 and rows[0].payload["was"] == "confirmed"
    assert len(smtp.to(town.coordinator_email)) == 1


def test_a_cancelled_session_tells_its_volunteers_with_a_calendar_cancel(mail_app, smtp, town):
    import icalendar

    publish_plan(mail_app, town, [(v, town.session_ids[0], "host") for v in town.volunteer_ids[:3]])
    send(mail_app)
    with mail_app.app_context():
        sessions.update_session(Principal(role="admin"), town.session_ids[0], {"status": "cancelled"})
    send(mail_app)
    for index in range(3):
        mails = smtp.to(f"frivillig{index:02d}@example.test")
        assert len(mails) == 2
        cancel = mails[1]
        part = next(p for p in cancel.iter_attachments() if p.get_content_type() == "text/calendar")
        calendar = icalendar.Calendar.from_ical(part.get_content())
        assert calendar["METHOD"] == "CANCEL"
        first = next(p for p in mails[0].iter_attachments()
                     if p.get_content_type() == "text/calendar")
        uid = icalendar.Calendar.from_ical(first.get_content()).walk("VEVENT")[0]["UID"]
        assert calendar.walk("VEVENT")[0]["UID"] == uid  # the same event, now cancelled


def test_the_reminder_goes_out_once_at_the_local_time_across_the_spring_change(mail_app, smtp, town):
    # Sunday 31 March 2030, summer time starts at 02:00 in Oslo; the session
    # is at 10:00 CEST (08:00 UTC). 24 hours before on the local clock is
    # Saturday 10:00 CET = 09:00 UTC (not 08:00 UTC, a plain 24 h earlier).
    start = datetime(2030, 3, 31, 8, 0, tzinfo=UTC)
    with mail_app.app_context():
        session = Session(activity_id=town.activity_id, start=start, end=start + timedelta(hours=2),
                          place_id=town.place_id, status="scheduled", window_start=start,
                          window_end=start + timedelta(hours=2))
        db.session.add(session)
        db.session.flush()
        db.session.add_all([
            Assignment(volunteer_id=town.volunteer_ids[0], session_id=session.id, role="host",
                       status="confirmed"),
            Assignment(volunteer_id=town.volunteer_ids[1], session_id=session.id, role="host",
                       status="proposed"),
            Assignment(volunteer_id=town.volunteer_ids[2], session_id=session.id, role="host",
                       status="confirmed"),
        ])
        db.session.get(Volunteer, town.volunteer_ids[2]).reminders = False
        db.session.commit()
        due = datetime(2030, 3, 30, 9, 0, tzinfo=UTC)
        assert enqueue_due_reminders(24, now=due - timedelta(minutes=1)) == 0
        assert enqueue_due_reminders(24, now=due) == 2
        assert enqueue_due_reminders(24, now=due + timedelta(minutes=30)) == 0
    send(mail_app, now=due + timedelta(minutes=31))
    assert len(smtp.to("frivillig00@example.test")) == 1
    assert len(smtp.to("frivillig01@example.test")) == 1
    assert smtp.to("frivillig02@example.test") == []  # reminders turned off
    reminder = smtp.to("frivillig00@example.test")[0]
    assert "10.00" in reminder["Subject"]  # 'Påminnelse: Språkkafé, Søndag 31. mars kl. 10.00–12.00'


def test_the_morning_digest_lists_the_empty_slots_with_their_reasons(mail_app, smtp, town):
    run_id = publish_plan(mail_app, town, [(town.volunteer_ids[0], town.session_ids[0], "host")],
                          trigger="nightly")
    with mail_app.app_context():
        run = db.session.get(MatchRun, run_id)
        run.unfilled = [{"session": str(town.session_ids[1]), "role": "host", "missing": 2,
                         "reason": "Nobody is free at this time.",
                         "why": {"code": "nobody", "params": {"rule": "availability"}}}]
        db.session.commit()
        digest = db.session.query(OutboxMessage).filter_by(kind="digest").one()
        assert digest.address == town.coordinator_email
        due = digest.next_attempt_at
    send(mail_app, now=max(due, datetime.now(UTC)))
    mails = smtp.to(town.coordinator_email)
    assert len(mails) == 1
    body = text_of(mails[0])
    assert "Ingen er ledig på dette tidspunktet." in body  # the reason, in the municipality's nb
    assert "Språkkafé" in body and "2" in body


def test_an_open_session_moved_by_a_plan_tells_its_confirmed_volunteer(mail_app, smtp, town):
    first = datetime(2030, 2, 4, 16, 0, tzinfo=UTC)
    later = first + timedelta(days=2)
    with mail_app.app_context():
        options = [{"start": t.isoformat(), "end": (t + timedelta(hours=2)).isoformat(),
                    "place_id": town.place_id, "penalty": 0.0} for t in (first, later)]
        session = Session(activity_id=town.activity_id, options=options, start=first,
                          end=first + timedelta(hours=2), place_id=town.place_id,
                          status="scheduled", window_start=first,
                          window_end=later + timedelta(hours=2))
        db.session.add(session)
        db.session.flush()
        db.session.add(Assignment(volunteer_id=town.volunteer_ids[5], session_id=session.id,
                                  role="host", status="confirmed"))
        db.session.commit()
        session_id = session.id
    publish_plan(mail_app, town, [(town.volunteer_ids[5], session_id, "host"),
                                  (town.volunteer_ids[6], session_id, "host")],
                 schedule={session_id: (later, later + timedelta(hours=2), town.place_id)})
    rows = outbox(mail_app)
    kinds = sorted((r.volunteer_id, r.kind) for r in rows)
    assert kinds == [(town.volunteer_ids[5], "assignment_changed"),
                     (town.volunteer_ids[6], "assignments_new")]
    send(mail_app)
    (changed,) = smtp.to("frivillig05@example.test")
    assert "Onsdag 6. februar kl. 17.00" in text_of(changed)  # the new day, local time



def test_a_coordinator_assigning_and_removing_by_hand_tells_the_volunteer(mail_app, smtp, town):
    import icalendar

    from medsam_match.services import manual_assignments

    coordinator = Principal(role="coordinator", centre_id=town.centre_id)
    with mail_app.app_context():
        row = manual_assignments.assign(coordinator, session_id=town.session_ids[2],
                                        volunteer_id=town.volunteer_ids[9], role="host",
                                        override=True, reason="asked for it")
        assignment_id = row.id
    send(mail_app)
    (added,) = smtp.to("frivillig09@example.test")
    assert "Språkkafé" in added["Subject"] and "/my/answer/" in text_of(added)
    with mail_app.app_context():
        manual_assignments.remove(coordinator, assignment_id)
    send(mail_app)
    _, removed = smtp.to("frivillig09@example.test")
    assert removed["Subject"].startswith("Avlyst: Språkkafé")
    part = next(p for p in removed.iter_attachments() if p.get_content_type() == "text/calendar")
    assert icalendar.Calendar.from_ical(part.get_content())["METHOD"] == "CANCEL"
