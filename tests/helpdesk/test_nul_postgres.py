"""A NUL character in what staff clients send, on PostgreSQL (issue 21, High 2): a username with NUL is a
wrong login (counted, audited), never a 500; a NUL in the audit page's filter finds nothing, no 500."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine
from knowledge.migrations import upgrade_to_head
from knowledge.staff.models import AuthThrottle
from tests.helpdesk.conftest import PASSWORDS, login

pytestmark = pytest.mark.pg


@pytest.fixture
def db(pg_database) -> Iterator[sessionmaker[Session]]:
    """The helpdesk fixtures (staffed_db, browser_for, logged_in) on PostgreSQL instead of SQLite."""
    engine = make_engine(pg_database())
    upgrade_to_head(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def test_a_username_with_nul_is_a_wrong_login_not_a_500(browser_for, staffed_db):
    r = login(browser_for(), "ani\x00", PASSWORDS["ani"])
    assert r.status_code == 200 and "salah" in r.text  # the form's "wrong username or password"
    basic = base64.b64encode(f"ani\x00:{PASSWORDS['ani']}".encode()).decode()
    r = browser_for().get("/api/escalations", headers={"Authorization": f"Basic {basic}"})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
    with staffed_db() as s:
        keys = list(s.scalars(select(AuthThrottle.key)))
    assert any(k.startswith("pair:ani\ufffd|") for k in keys)  # counted, under a name no account has
    assert login(browser_for(), "ani").status_code == 303  # and ani herself is not affected


def test_a_nul_in_the_audit_filter_is_not_a_500(logged_in):
    boss = logged_in("boss")
    r = boss.get("/helpdesk/audit", params={"staff": "bo\x00ss"})
    assert r.status_code == 200
