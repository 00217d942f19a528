"""The users of the load test (run by `python -m bench.load`, which writes
the setup file this reads and starts the servers).

Each kind of request has its own user class and a fixed number of users, so
that every kind is measured in the same run, side by side with the bare
Flask endpoint (`BareReader`, served by a second gunicorn with the same
settings). Readers wait for nothing between requests (each user is a closed
loop: a new request as soon as the last answered), so their requests per
second show what the servers hold; the writers (answers, run submissions)
come at a human pace.

Environment: MEDSAM_LOAD_SETUP (the setup JSON), MEDSAM_LOAD_HOST (the
service), MEDSAM_LOAD_BARE_HOST (the bare endpoint's server),
MEDSAM_LOAD_USERS (readers of each kind).
Only 127.0.0.1 is ever asked: `python -m bench.load` refuses other hosts.
"""

from __future__ import annotations

import itertools
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gevent.queue import Empty, Queue
from locust import FastHttpUser, between, constant, task

SETUP: dict[str, Any] = json.loads(Path(os.environ["MEDSAM_LOAD_SETUP"]).read_text())
READERS = int(os.environ.get("MEDSAM_LOAD_USERS", "4"))
HOST = os.environ.get("MEDSAM_LOAD_HOST", "http://127.0.0.1:8090")
BARE_HOST = os.environ.get("MEDSAM_LOAD_BARE_HOST", "http://127.0.0.1:8091")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')

_volunteers = itertools.cycle(SETUP["volunteers"])
_coordinators = itertools.cycle(SETUP["coordinators"])
_answers: Queue = Queue()
for _answer in SETUP["answers"]:
    _answers.put(_answer)


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1) or match.group(2)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class CookieUser(FastHttpUser):
    """Keeps the session cookie by hand: the service's cookies are Secure and
    Locust's cookie jar does not send them back to a bare IP address."""

    abstract = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cookies: dict[str, str] = {}

    def keep_cookies(self, response: Any) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def with_cookies(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}


class BareReader(FastHttpUser):
    """GET /bare on the bare Flask app: the reference."""

    fixed_count = READERS
    wait_time = constant(0)
    host = BARE_HOST

    @task
    def bare(self) -> None:
        self.client.get("/bare", name="bare Flask endpoint")


class VolunteerReader(CookieUser):
    """A volunteer signed in to /my/ (with their code) who reloads the page
    and reads their assignments through the API with their token."""

    fixed_count = READERS
    host = HOST
    wait_time = constant(0)

    def on_start(self) -> None:
        me = next(_volunteers)
        self.volunteer_id, self.token = me["id"], me["token"]
        page = self.client.get("/my/", name="volunteer: sign-in page")
        self.keep_cookies(page)
        with self.client.post(
            "/my/sign-in", data={"token": self.token, "csrf_token": _csrf(page.text)},
            name="volunteer: sign in", allow_redirects=False, catch_response=True,
            headers=self.with_cookies(),
        ) as answer:
            self.keep_cookies(answer)
            if answer.status_code != 303:
                answer.failure(f"sign-in answered {answer.status_code}")

    @task
    def my_page(self) -> None:
        with self.client.get("/my/", name="volunteer: /my/", catch_response=True,
                             headers=self.with_cookies()) as page:
            if page.status_code == 200 and 'action="/my/sign-out"' not in page.text:
                page.failure("/my/ shows the sign-in form: the volunteer is not signed in")

    @task
    def own_assignments(self) -> None:
        self.client.get(f"/api/v1/volunteers/{self.volunteer_id}/assignments",
                        headers=_bearer(self.token), name="volunteer: own assignments (API)")


class CoordinatorReader(CookieUser):
    """A coordinator signed in to the workspace reading the week board, and
    the API's lists with the centre's token."""

    fixed_count = max(1, READERS // 2)
    host = HOST
    wait_time = constant(0)

    def on_start(self) -> None:
        me = next(_coordinators)
        self.token, self.centre_id = me["token"], me["centre_id"]
        page = self.client.get("/signin", name="coordinator: sign-in page")
        self.keep_cookies(page)
        with self.client.post(
            "/signin", name="coordinator: sign in", allow_redirects=False, catch_response=True,
            data={"email": me["email"], "password": me["password"],
                  "csrf_token": _csrf(page.text)},
            headers=self.with_cookies(),
        ) as answer:
            self.keep_cookies(answer)
            if answer.status_code != 303:
                answer.failure(f"sign-in answered {answer.status_code}")

    @task(2)
    def board(self) -> None:
        with self.client.get("/board", name="coordinator: week board (page)",
                             catch_response=True, allow_redirects=False,
                             headers=self.with_cookies()) as page:
            if page.status_code != 200:
                page.failure(f"the board answered {page.status_code}")

    @task
    def volunteers(self) -> None:
        self.client.get("/api/v1/volunteers?page_size=50", headers=_bearer(self.token),
                        name="coordinator: volunteers list (API, 50)")

    @task
    def assignments(self) -> None:
        self.client.get("/api/v1/assignments?page_size=50", headers=_bearer(self.token),
                        name="coordinator: assignments list (API, 50)")

    @task
    def sessions(self) -> None:
        self.client.get("/api/v1/sessions?page_size=50", headers=_bearer(self.token),
                        name="coordinator: sessions list (API, 50)")


class Answerer(FastHttpUser):
    """Volunteers confirming and declining proposed assignments (API), each
    assignment answered once. A decline queues a repair run for the centre;
    a repair may move another proposed seat of that centre, so an answer may
    meet 409 (the assignment changed first): counted apart, not an error."""

    fixed_count = 1
    host = HOST
    wait_time = between(0.5, 1.5)

    @task
    def answer(self) -> None:
        try:
            item = _answers.get_nowait()
        except Empty:
            return
        action = item["action"]
        with self.client.post(
            f"/api/v1/assignments/{item['assignment_id']}:{action}", json={} if action ==
            "decline" else None, headers=_bearer(item["token"]), catch_response=True,
            name=f"volunteer: {action} (API)",
        ) as answer:
            if answer.status_code == 409:
                answer.request_meta["name"] = f"volunteer: {action} (API) -> 409 changed first"
                answer.success()


class RunSubmitter(FastHttpUser):
    """A coordinator asking for a plan of the next two weeks (a dry run, so
    the published plan the readers see stays put); solved by the worker."""

    fixed_count = 1
    host = HOST
    wait_time = constant(10)

    @task
    def submit(self) -> None:
        me = next(_coordinators)
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        self.client.post(
            "/api/v1/match-runs", headers=_bearer(me["token"]), name="coordinator: submit run (API)",
            json={"centre_id": me["centre_id"], "from": start.isoformat(),
                  "to": (start + timedelta(days=14)).isoformat(), "time_limit_s": 5,
                  "dry_run": True},
        )
