"""Without a mail server messages become .eml files a newcomer can read; an
SMS about today is not held back by the night; an erased volunteer's
messages are never sent and are deleted; old messages are deleted."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

from medsam_match.extensions import db
from medsam_match.jobs.sender import send_round
from medsam_match.models import OutboxMessage, Volunteer
from medsam_match.models.types import utcnow
from medsam_match.services.notifications.delivery import housekeeping
from medsam_match.services.notifications.outbox import volunteer_rows

from .helpers import outbox, publish_plan, send


def test_without_a_mail_server_each_message_is_an_eml_file_in_the_data_folder(
        app, town, tmp_path):
    app.config.update(MEDSAM_SMTP_HOST="", MEDSAM_DATA_DIR=str(tmp_path),
                      MEDSAM_BASE_URL="https://medsam.test", MEDSAM_REMINDER_HOURS=24)
    publish_plan(app, town, [(v, town.session_ids[0], "host") for v in town.volunteer_ids[:3]])
    outcome = send_round(app)
    assert len(outcome.sent) == 3
    files = sorted((tmp_path / "outbox-mail").glob("*.eml"))
    assert len(files) == 3
    mail = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert mail["To"] == "frivillig00@example.test" and "Språkkafé" in mail["Subject"]


def test_an_sms_about_today_goes_out_at_night_and_one_about_later_waits(app, town):
    oslo = ZoneInfo("Europe/Oslo")
    night = datetime(2030, 1, 6, 22, 30, tzinfo=oslo)
    with app.app_context():
        volunteer = db.session.get(Volunteer, town.volunteer_ids[0])
        volunteer.phone, volunteer.notify_channel = "+4791234000", "sms"
        (today,) = volunteer_rows(volunteer, "assignment_changed", {}, now=night, same_day=True)
        (later,) = volunteer_rows(volunteer, "assignment_changed", {}, now=night)
    assert today["next_attempt_at"] == night
    assert later["next_attempt_at"] == datetime(2030, 1, 7, 8, 0, tzinfo=oslo)


def test_an_erased_volunteers_messages_are_never_sent_and_are_deleted(mail_app, smtp, town):
    publish_plan(mail_app, town, [(v, town.session_ids[0], "host") for v in town.volunteer_ids[:2]])
    with mail_app.app_context():
        db.session.get(Volunteer, town.volunteer_ids[0]).erased_at = utcnow()
        db.session.commit()
    outcome = send(mail_app)
    assert len(outcome.sent) == 1
    assert [m["To"] for m in smtp.messages] == ["frivillig01@example.test"]
    erased = next(r for r in outbox(mail_app) if r.volunteer_id == town.volunteer_ids[0])
    assert erased.status == "cancelled" and erased.rendered is None and erased.payload == {}
    with mail_app.app_context():
        assert housekeeping() == 1
        assert db.session.query(OutboxMessage).count() == 1
        assert housekeeping(now=utcnow() + timedelta(days=31)) == 1  # the sent one, a month on
        assert db.session.query(OutboxMessage).count() == 0
