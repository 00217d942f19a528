"""SMS through any HTTP gateway: the URL, method, an auth header and a body
template (settings sms_gateway_*), which covers the usual Nordic providers'
JSON or form APIs. The template's {to}, {text}, {sender} and {reference}
are filled in JSON-escaped (and URL-escaped in a GET's URL). {reference} is
the outbox row's id, which gateways that take a client reference use to
drop a repeated request. With no gateway URL set, each SMS is written to
<data_dir>/outbox-sms and logged.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

log = logging.getLogger(__name__)


class GatewayError(Exception):
    pass


@dataclass(frozen=True)
class SmsSettings:
    url: str
    method: str
    auth_header: str
    body: str
    sender: str
    folder: Path
    timeout: float = 20.0

    @classmethod
    def from_config(cls, config: Any) -> SmsSettings:
        return cls(
            url=str(config.get("MEDSAM_SMS_GATEWAY_URL") or ""),
            method=str(config.get("MEDSAM_SMS_GATEWAY_METHOD") or "POST").upper(),
            auth_header=str(config.get("MEDSAM_SMS_GATEWAY_AUTH_HEADER") or ""),
            body=str(config.get("MEDSAM_SMS_GATEWAY_BODY") or
                     '{"to": "{to}", "message": "{text}", "from": "{sender}"}'),
            sender=str(config.get("MEDSAM_SMS_FROM") or "Medsam"),
            folder=Path(str(config.get("MEDSAM_DATA_DIR") or "instance")).resolve() / "outbox-sms",
        )


def _fill(template: str, values: dict[str, str], escape: Any) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", escape(value))
    return out


def _json_escape(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


class SmsTransport:
    def __init__(self, settings: SmsSettings) -> None:
        self.settings = settings

    def send_row(self, row_id: int, text: str, to: str) -> None:
        s = self.settings
        values = {"to": to, "text": text, "sender": s.sender, "reference": str(row_id)}
        if not s.url:
            s.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            (s.folder / f"{row_id:08d}.txt").write_text(f"To: {to}\n\n{text}\n", encoding="utf-8")
            log.info("SMS to %s written to %s (no sms_gateway_url set)", to, s.folder)
            return
        url = _fill(s.url, values, lambda v: quote(v, safe=""))
        data = None if s.method == "GET" else _fill(s.body, values, _json_escape).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=s.method)
        body = s.body.lstrip()
        request.add_header("Content-Type", "application/json" if body.startswith(("{", "["))
                           else "application/x-www-form-urlencoded")
        if s.auth_header and ":" in s.auth_header:
            name, value = s.auth_header.split(":", 1)
            request.add_header(name.strip(), value.strip())
        try:
            with urllib.request.urlopen(request, timeout=s.timeout) as answer:  # noqa: S310
                if not 200 <= answer.status < 300:
                    raise GatewayError(f"the SMS gateway answered {answer.status}")
        except urllib.error.HTTPError as error:
            raise GatewayError(f"the SMS gateway answered {error.code}: "
                               f"{error.read()[:200].decode('utf-8', 'replace')}") from None
        except urllib.error.URLError as error:
            raise GatewayError(f"the SMS gateway cannot be reached: {error.reason}") from None

    def close(self) -> None:
        pass
