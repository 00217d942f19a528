"""Staff users and a workspace client that signs in the way a browser does."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from medsam_match.services.users import create_user

PASSWORD = "correct horse battery"
CSRF_PATTERN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def make_user(app: Flask, email: str, role: str = "coordinator", **scope: Any) -> int:
    with app.app_context():
        return create_user(email=email, name=email.split("@")[0].title(), role=role,
                           password=PASSWORD, **scope).user.id


def csrf_of(html: str) -> str:
    match = CSRF_PATTERN.search(html) or re.search(
        r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


class Workspace:
    """The Flask test client with a coordinator's steps."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def csrf(self, path: str = "/signin") -> str:
        return csrf_of(self.client.get(path).get_data(as_text=True))

    def sign_in(self, email: str, password: str = PASSWORD, **extra: str) -> Any:
        return self.client.post("/signin", data={"email": email, "password": password,
                                                 "csrf_token": self.csrf(), **extra})

    def post(self, path: str, page: str = "/signin", **form: str) -> Any:
        return self.client.post(path, data={"csrf_token": self.csrf(page), **form})
