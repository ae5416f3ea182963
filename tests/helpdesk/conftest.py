"""A gateway with three staff accounts (one admin) and a way to log in to the dashboard like a browser."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge.db import session_scope
from knowledge.settings import Settings
from tests.support.fake_rasa import FakeRasa

SETTINGS = Settings(rasa_url="http://rasa.test", actions_url="http://actions.test", rasa_token="tok")
PASSWORDS = {"ani": "sandi-ani-12345", "budi": "sandi-budi-12345", "boss": "sandi-boss-12345"}
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@pytest.fixture
def staffed_db(db):
    with session_scope(db) as s:
        add_staff(s, "ani", PASSWORDS["ani"])
        add_staff(s, "budi", PASSWORDS["budi"])
        add_staff(s, "boss", PASSWORDS["boss"], admin=True)
    return db


@pytest.fixture
def browser_for(staffed_db, tmp_path) -> Iterator[Callable[..., TestClient]]:
    """browser_for(settings=...) -> a started TestClient; each is its own browser (its own cookies)."""
    clients: list[TestClient] = []
    app = create_app(
        SETTINGS, factory=staffed_db, transport=httpx.MockTransport(FakeRasa()), spool_dir=tmp_path / "spool"
    )

    def make(base_url: str = "http://testserver") -> TestClient:
        client = TestClient(app, follow_redirects=False, base_url=base_url)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def login(client: TestClient, user: str, password: str | None = None, **headers: str) -> httpx.Response:
    """Open the login page and post the form, as a browser does."""
    page = client.get("/helpdesk/", headers=headers)
    return client.post(
        "/helpdesk/login",
        data={
            "username": user,
            "password": password or PASSWORDS[user],
            "csrf": csrf_of(page.text),
            "next": "/helpdesk/",
        },
        headers=headers,
    )


@pytest.fixture
def logged_in(browser_for) -> Callable[[str], TestClient]:
    """logged_in("ani") -> a browser with ani's session."""

    def make(user: str) -> TestClient:
        client = browser_for()
        assert login(client, user).status_code == 303
        return client

    return make
