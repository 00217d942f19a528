"""A publish reaches every volunteer once, with its own assignments, and the
links in the mail act only when their button is pressed."""

from __future__ import annotations

import icalendar

from medsam_match.extensions import db
from medsam_match.models import Assignment, Volunteer

from .conftest import Town
from .helpers import answer_links, outbox, publish_plan, send, text_of

HTTPS = "https://medsam.test"


def _plan(town: Town) -> list[tuple[int, int, str]]:
    """Volunteer 0 gets five sessions, the others one each."""
    plan = [(town.volunteer_ids[0], s, "host") for s in town.session_ids[:5]]
    plan += [(v, town.session_ids[i % 6], "host") for i, v in enumerate(town.volunteer_ids[1:])]
    return plan


def test_a_publish_for_20_volunteers_sends_each_one_message_with_their_assignments(mail_app, smtp, town):
    publish_plan(mail_app, town, _plan(town))
    rows = outbox(mail_app)
    assert len(rows) == 20 and {r.volunteer_id for r in rows} == set(town.volunteer_ids)

    outcome = send(mail_app)
    assert len(outcome.sent) == 20 and not outcome.failed
    messages = smtp.messages
    assert sorted(m["To"] for m in messages) == sorted(
        f"frivillig{i:02d}@example.test" for i in range(20))
    assert len({m["Message-ID"] for m in messages}) == 20

    first = smtp.to("frivillig00@example.test")[0]
    assert first["Subject"] == "5 nye frivilligoppdrag"  # the municipality's language, nb
    body = text_of(first)
    assert body.startswith("Hei Frivillig 00,") and "Bekreft: https://medsam.test/my/answer/" in body
    assert "Torvet 1, 4836 Arendal" in body and "https://www.openstreetmap.org/" in body
    assert "Mandag 7. januar kl. 17.00–19.00" in body  # local time, Oslo
    assert body.count("Språkkafé") == 5
    assert len(answer_links(first)) == 10  # confirm and decline for each
    assert first["List-Unsubscribe"].startswith(f"<{HTTPS}/my/notifications/")
    calendars = [p for p in first.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 1
    parsed = icalendar.Calendar.from_ical(calendars[0].get_content())
    assert parsed["METHOD"] == "REQUEST"
    assert len(parsed.walk("VEVENT")) == 5

    other = smtp.to("frivillig07@example.test")[0]
    assert text_of(other).count("Språkkafé") == 1 and len(answer_links(other)) == 2

    # Delivered rows are not sent again.
    assert send(mail_app).sent == []
    assert len(smtp.messages) == 20


def test_the_confirm_link_shows_a_page_on_get_and_confirms_on_post(mail_app, smtp, town):
    publish_plan(mail_app, town, _plan(town)[:1])
    send(mail_app)
    message = smtp.to("frivillig00@example.test")[0]
    confirm = next(link for link in answer_links(message))
    client = mail_app.test_client()

    page = client.get(confirm, base_url=HTTPS)
    assert page.status_code == 200 and 'data-state="proposed"' in page.text
    with mail_app.app_context():
        assert db.session.query(Assignment).one().status == "proposed"  # GET changed nothing

    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    done = client.post(confirm, data={"csrf_token": token}, base_url=HTTPS)
    assert done.status_code == 200 and 'id="link-done"' in done.text
    with mail_app.app_context():
        assert db.session.query(Assignment).one().status == "confirmed"

    again = client.post(confirm, data={"csrf_token": token}, base_url=HTTPS)
    assert again.status_code == 409 and 'id="link-conflict"' in again.text


def test_a_tampered_or_expired_link_shows_a_clear_page_and_changes_nothing(mail_app, smtp, town):
    from datetime import timedelta

    from medsam_match.services.notifications import links

    publish_plan(mail_app, town, _plan(town)[:1])
    send(mail_app)
    confirm = answer_links(smtp.to("frivillig00@example.test")[0])[0]
    client = mail_app.test_client()
    tampered = confirm[:-3] + ("aaa" if not confirm.endswith("aaa") else "bbb")
    page = client.get(tampered, base_url=HTTPS)
    assert page.status_code == 404 and 'id="link-refused"' in page.text
    csrf = client.get(confirm, base_url=HTTPS).text.split('name="csrf_token" value="')[1].split('"')[0]
    refused = client.post(tampered, data={"csrf_token": csrf}, base_url=HTTPS)
    assert refused.status_code == 404 and 'id="link-refused"' in refused.text
    with mail_app.app_context():
        assignment = db.session.query(Assignment).one()
        expired = links.answer_token(assignment.volunteer_id, assignment.id, "confirm",
                                     assignment.session.start - timedelta(days=3650))
    page = client.get(f"/my/answer/{expired}", base_url=HTTPS)
    assert page.status_code == 410 and 'id="link-refused"' in page.text
    csrf = client.get(confirm, base_url=HTTPS).text.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post(f"/my/answer/{expired}", data={"csrf_token": csrf},
                       base_url=HTTPS).status_code == 410
    with mail_app.app_context():
        assert db.session.query(Assignment).one().status == "proposed"


def test_each_volunteer_reads_its_own_language_else_the_municipalitys(mail_app, smtp, town):
    with mail_app.app_context():
        for index, language in ((0, "da"), (1, "nn"), (2, "en")):
            db.session.get(Volunteer, town.volunteer_ids[index]).language = language
        db.session.commit()
    publish_plan(mail_app, town, [(town.volunteer_ids[i], town.session_ids[0], "host")
                                  for i in range(4)])
    send(mail_app)
    subjects = {m["To"]: m["Subject"] for m in smtp.messages}
    assert subjects["frivillig00@example.test"].startswith("Ny frivilligopgave: Språkkafé, Mandag")
    assert subjects["frivillig01@example.test"].startswith("Nytt frivilligoppdrag: Språkkafé, Måndag")
    assert subjects["frivillig02@example.test"].startswith("New volunteer assignment: Språkkafé, Monday")
    assert subjects["frivillig03@example.test"].startswith("Nytt frivilligoppdrag: Språkkafé, Mandag")
    danish = text_of(smtp.to("frivillig00@example.test")[0])
    assert danish.startswith("Hej Frivillig 00,") and "Bekræft: " in danish
