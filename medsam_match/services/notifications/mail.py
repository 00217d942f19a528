"""E-mail: the MIME message of an outbox row, and the two ways it leaves:
SMTP (smtplib; none, STARTTLS or TLS; optional login), or, with no SMTP
host set, an .eml file per message in <data_dir>/outbox-mail (logged), so a
newcomer running `make run` can read what would have been sent.

The Message-ID is made from the outbox row's id (and its creation time), so
every attempt to send one row is the same message: a mail that went out
just before a crash and goes out again after it is the same message, which
mail programs show once.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ...models import OutboxMessage
from ...models.types import utcnow
from . import links
from .render import Rendered

log = logging.getLogger(__name__)
DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
# CRLF line ends (as SMTP sends them) and no folding of a header below the
# RFC 5322 limit, so a List-Unsubscribe address stays one plain <URL>.
MAIL_POLICY = policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    user: str
    password: str
    security: str
    sender: str
    folder: Path
    timeout: float = 30.0

    @classmethod
    def from_config(cls, config: Any) -> MailSettings:
        security = str(config.get("MEDSAM_SMTP_SECURITY") or "starttls")
        return cls(
            host=str(config.get("MEDSAM_SMTP_HOST") or ""),
            port=int(config.get("MEDSAM_SMTP_PORT") or 0) or DEFAULT_PORTS[security],
            user=str(config.get("MEDSAM_SMTP_USER") or ""),
            password=str(config.get("MEDSAM_SMTP_PASSWORD") or ""),
            security=security,
            sender=str(config.get("MEDSAM_MAIL_FROM") or "Medsam <noreply@medsam.invalid>"),
            folder=Path(str(config.get("MEDSAM_DATA_DIR") or "instance")).resolve() / "outbox-mail",
        )


def message_id(row: OutboxMessage) -> str:
    host = urlsplit(links.base_url()).hostname or "medsam.invalid"
    return f"<outbox-{row.id}.{int(row.created_at.timestamp())}@{host}>"


def build(row: OutboxMessage, rendered: Rendered, settings: MailSettings) -> EmailMessage:
    message = EmailMessage(policy=MAIL_POLICY)
    message["From"] = settings.sender
    message["To"] = row.address
    message["Subject"] = rendered.subject
    message["Date"] = format_datetime(utcnow())
    message["Message-ID"] = message_id(row)
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = row.language
    if row.volunteer_id is not None:
        settings_link = links.settings_url(row.volunteer_id)
        # RFC 8058 one-click: a POST to this address turns reminders off.
        message["List-Unsubscribe"] = f"<{settings_link}?reminders=off>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    else:
        # Staff mail (declines, the digest) comes with the role: the workspace.
        message["List-Unsubscribe"] = f"<{links.base_url()}/>"
    message.set_content(rendered.text, cte="quoted-printable")
    if rendered.html:
        message.add_alternative(rendered.html, subtype="html", cte="quoted-printable")
    if rendered.ics:
        message.add_attachment(rendered.ics, subtype="calendar", filename="invite.ics",
                               params={"method": rendered.ics_method or "REQUEST"})
    return message


class SmtpTransport:
    """One SMTP connection, opened on first use and kept for the batch."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout,
                                                  context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
        if s.user:
            smtp.login(s.user, s.password)
        return smtp

    def send(self, raw: str, to: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        sender = parseaddr(self.settings.sender)[1]
        try:
            self._smtp.sendmail(sender, [to], raw.encode("utf-8"))
        except (smtplib.SMTPServerDisconnected, OSError):
            self.close()
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass
            self._smtp = None


class FolderTransport:
    """No mail server: each message becomes <folder>/<row id>.eml (one file
    per row, so sending a row again writes the same file)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send_row(self, row_id: int, raw: str, to: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = self.folder / f"{row_id:08d}.eml"
        path.write_text(raw, encoding="utf-8")
        log.info("mail to %s written to %s (no smtp_host set)", to, path)

    def close(self) -> None:
        pass
