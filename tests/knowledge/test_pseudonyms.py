"""Keyed hashes for user ids in logs and numbers in the report-link index: not plain SHA-256, one key for
every process of a deployment (kept in the database, or configured), read once by the gateway."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.asgi import create_app
from bot.router import hashed
from knowledge import pseudonyms
from knowledge.db import session_scope
from knowledge.escalations import links
from knowledge.escalations.store import create_escalation
from knowledge.models import AppSecret, Escalation
from knowledge.settings import Settings
from knowledge.staff.models import EscalationLink

ROOT = Path(__file__).resolve().parents[2]
PHONE = "+6281234567890"


def test_the_key_is_made_once_and_shared_through_the_database(db):
    with db() as s:
        key = pseudonyms.hash_key(s)
        assert pseudonyms.hash_key(s) == key and len(key) >= 32
        [stored] = s.scalars(select(AppSecret).where(AppSecret.name == pseudonyms.KEY_NAME))
    assert stored.value.encode() == key
    value = pseudonyms.digest(key, PHONE, kind="phone")
    assert value != hashlib.sha256(f"phone:{PHONE}".encode()).hexdigest()[:40]  # not the unkeyed hash
    assert value == pseudonyms.digest(key, PHONE, kind="phone")  # stable
    # another process on the same database computes the same hash
    url = str(db.kw["bind"].url)
    probe = (
        "import sys; from sqlalchemy import create_engine; from knowledge import pseudonyms\n"
        "engine = create_engine(sys.argv[1])\n"
        "print(pseudonyms.digest(pseudonyms.hash_key(engine), sys.argv[2], kind='phone'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, url, PHONE],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == value


def test_a_configured_key_wins(db):
    with db() as s:
        assert pseudonyms.hash_key(s, "kunci-dari-konfigurasi") == b"kunci-dari-konfigurasi"


def test_the_gateway_reads_the_key_at_startup_for_its_log_lines(db, tmp_path):
    with db() as s:
        key = pseudonyms.hash_key(s)
    app = create_app(Settings(), factory=db, transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    with TestClient(app):
        deadline = time.monotonic() + 10
        expected = pseudonyms.digest(key, "6281234567890", kind="log", size=12)
        while hashed("6281234567890") != expected and time.monotonic() < deadline:
            time.sleep(0.02)
        assert hashed("6281234567890") == expected
    assert hashed("6281234567890") != hashlib.sha256(b"6281234567890").hexdigest()[:12]


def test_links_made_with_the_old_unkeyed_hash_are_indexed_again(db):
    with session_scope(db) as s:
        old = create_escalation(s, channel="web", user_id="a", reason="fraud_report", details={"message": PHONE})
        new = create_escalation(s, channel="web", user_id="b", reason="fraud_report", details={"message": PHONE})
        # what the index held before keyed hashes: plain SHA-256, already marked as indexed
        s.add(
            EscalationLink(escalation_id=old, kind="phone", key=hashlib.sha256(b"phone:x").hexdigest()[:40], label="x")
        )
        s.get(Escalation, old).links_indexed_at = s.get(Escalation, old).updated_at
    links._current.clear()  # a process starting after the upgrade
    with session_scope(db) as s:
        assert links.index_stale(s) == 2  # the new report, and the old one again
        [group] = links.linked(s, new)
        assert (group.kind, group.others) == ("phone", (old,))
        key = pseudonyms.hash_key(s)
        stored = s.scalars(select(EscalationLink.key).where(EscalationLink.kind == "phone")).all()
    assert len(set(stored)) == 1 and stored[0].startswith(links._tag(key))
    with session_scope(db) as s:
        assert links.index_stale(s) == 0  # checked once: nothing more to do
