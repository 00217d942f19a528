"""The users of the load test (run by `python -m bench.load`, which writes
the setup file this reads and starts the servers).

Each kind of request has its own user class. The run has four phases of
equal length (`Phases`): the bare Flask endpoint alone (`BareReader`, served
by a second gunicorn with the same settings), then volunteers alone, then
coordinators alone, each with the same number of users, then everything at
once (bare, volunteers, half as many coordinators, one user answering
assignments and one submitting runs). Request names start with the phase.
Readers wait for nothing between requests (each user is a closed loop: a new
request as soon as the last answered), so their requests per second show
what the servers hold; the writers come at a human pace.

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
from locust import FastHttpUser, LoadTestShape, between, constant, events, task

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

    phase = "alone"
    fixed_count = READERS
    wait_time = constant(0)
    host = BARE_HOST

    @task
    def bare(self) -> None:
        self.client.get("/bare", name=f"{self.phase} | bare Flask endpoint")


class VolunteerReader(CookieUser):
    """A volunteer signed in to /my/ (with their code) who reloads the page
    and reads their assignments through the API with their token."""

    phase = "alone"
    fixed_count = READERS
    host = HOST
    wait_time = constant(0)

    def on_start(self) -> None:
        me = next(_volunteers)
        self.volunteer_id, self.token = me["id"], me["token"]
        page = self.client.get("/my/", name=f"{self.phase} | volunteer: sign-in page")
        self.keep_cookies(page)
        with self.client.post(
            "/my/sign-in", data={"token": self.token, "csrf_token": _csrf(page.text)},
            name=f"{self.phase} | volunteer: sign in", allow_redirects=False, catch_response=True,
            headers=self.with_cookies(),
        ) as answer:
            self.keep_cookies(answer)
            if answer.status_code != 303:
                answer.failure(f"sign-in answered {answer.status_code}")

    @task
    def my_page(self) -> None:
        with self.client.get("/my/", name=f"{self.phase} | volunteer: /my/", catch_response=True,
                             headers=self.with_cookies()) as page:
            if page.status_code == 200 and 'action="/my/sign-out"' not in page.text:
                page.failure("/my/ shows the sign-in form: the volunteer is not signed in")

    @task
    def own_assignments(self) -> None:
        self.client.get(f"/api/v1/volunteers/{self.volunteer_id}/assignments",
                        headers=_bearer(self.token), name=f"{self.phase} | volunteer: own assignments (API)")


class CoordinatorReader(CookieUser):
    """A coordinator signed in to the workspace reading the week board, and
    the API's lists with the centre's token."""

    phase = "alone"
    fixed_count = READERS
    host = HOST
    wait_time = constant(0)

    def on_start(self) -> None:
        me = next(_coordinators)
        self.token, self.centre_id = me["token"], me["centre_id"]
        page = self.client.get("/signin", name=f"{self.phase} | coordinator: sign-in page")
        self.keep_cookies(page)
        with self.client.post(
            "/signin", name=f"{self.phase} | coordinator: sign in", allow_redirects=False, catch_response=True,
            data={"email": me["email"], "password": me["password"],
                  "csrf_token": _csrf(page.text)},
            headers=self.with_cookies(),
        ) as answer:
            self.keep_cookies(answer)
            if answer.status_code != 303:
                answer.failure(f"sign-in answered {answer.status_code}")

    @task(2)
    def board(self) -> None:
        with self.client.get("/board", name=f"{self.phase} | coordinator: week board (page)",
                             catch_response=True, allow_redirects=False,
                             headers=self.with_cookies()) as page:
            if page.status_code != 200:
                page.failure(f"the board answered {page.status_code}")

    @task
    def volunteers(self) -> None:
        self.client.get("/api/v1/volunteers?page_size=50", headers=_bearer(self.token),
                        name=f"{self.phase} | coordinator: volunteers list (API, 50)")

    @task
    def assignments(self) -> None:
        self.client.get("/api/v1/assignments?page_size=50", headers=_bearer(self.token),
                        name=f"{self.phase} | coordinator: assignments list (API, 50)")

    @task
    def sessions(self) -> None:
        self.client.get("/api/v1/sessions?page_size=50", headers=_bearer(self.token),
                        name=f"{self.phase} | coordinator: sessions list (API, 50)")


class Answerer(FastHttpUser):
    """Volunteers confirming and declining proposed assignments (API), each
    assignment answered once. A decline queues a repair run for the centre;
    a repair may move another proposed seat of that centre, so an answer may
    meet 409 (the assignment changed first): counted apart, not an error."""

    phase = "mixed"
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
            name=f"{self.phase} | volunteer: {action} (API)",
        ) as answer:
            if answer.status_code == 409:
                answer.request_meta["name"] = (
                    f"{self.phase} | volunteer: {action} (API) -> 409 changed first")
                answer.success()


class RunSubmitter(FastHttpUser):
    """A coordinator asking for a plan of the next two weeks (a dry run, so
    the published plan the readers see stays put); solved by the worker."""

    phase = "mixed"
    fixed_count = 1
    host = HOST
    wait_time = constant(10)

    @task
    def submit(self) -> None:
        me = next(_coordinators)
        start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
        self.client.post(
            "/api/v1/match-runs", headers=_bearer(me["token"]), name=f"{self.phase} | coordinator: submit run (API)",
            json={"centre_id": me["centre_id"], "from": start.isoformat(),
                  "to": (start + timedelta(days=14)).isoformat(), "time_limit_s": 5,
                  "dry_run": True},
        )


class MixedBare(BareReader):
    phase = "mixed"


class MixedVolunteer(VolunteerReader):
    phase = "mixed"


class MixedCoordinator(CoordinatorReader):
    phase = "mixed"
    fixed_count = max(1, READERS // 2)


PHASE_SECONDS = float(os.environ.get("MEDSAM_LOAD_PHASE_SECONDS", "30"))
# Each kind of reader alone on the servers, the bare endpoint first; then
# all of them at once with the answers and the run submissions.
PHASES: list[list[type[FastHttpUser]]] = [
    [BareReader], [VolunteerReader], [CoordinatorReader],
    [MixedBare, MixedVolunteer, MixedCoordinator, Answerer, RunSubmitter],
]


class Phases(LoadTestShape):
    """The phases one after another, PHASE_SECONDS each."""

    def tick(self) -> tuple[int, float, list[type[FastHttpUser]]] | None:
        run_time = self.get_run_time()
        index = int(run_time // PHASE_SECONDS)
        if index >= len(PHASES):
            return None
        classes = PHASES[index]
        if index and run_time - index * PHASE_SECONDS < 1.0:
            # Locust keeps the running users while their number stays the
            # same: stop them all for a second, then start the next phase's.
            return 0, 100.0, classes
        users = sum(c.fixed_count for c in classes)
        return users, float(users), classes


# When each kind of request was first asked and last answered: Locust's own
# requests per second divide by the whole run, these by the kind's own time.
_span: dict[str, list[float]] = {}


@events.request.add_listener
def _note_time(name: str, start_time: float, response_time: float, **_: Any) -> None:
    end = start_time + response_time / 1000
    span = _span.setdefault(name, [start_time, end])
    span[0], span[1] = min(span[0], start_time), max(span[1], end)


@events.quitting.add_listener
def _write_times(**_: Any) -> None:
    target = os.environ.get("MEDSAM_LOAD_TIMES")
    if target:
        Path(target).write_text(json.dumps(_span))
