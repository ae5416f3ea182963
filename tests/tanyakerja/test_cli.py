"""The `tanyakerja staff add`, `staff disable` and `staff unlock` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from helpdesk.accounts import check_staff
from helpdesk.auth import Throttled, attempt_login
from knowledge.db import make_engine, session_scope
from knowledge.escalations import handoff, holds
from knowledge.escalations.store import create_escalation
from knowledge.models import Escalation, StaffUser
from knowledge.staff import audit

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    exe = str(Path(sys.executable).parent / "tanyakerja")
    return subprocess.run([exe, *args], input=stdin, capture_output=True, text=True, env=env)


def test_staff_add_and_disable_commands(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    # PYTHONPATH: this checkout's code, whichever checkout the console script was installed from
    env = {"DATABASE_URL": db_url, "PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(REPO)}
    ok = _run(["staff", "add", "Budi", "--password-stdin"], env, "sandi-rahasia-budi\n")
    assert ok.returncode == 0 and "budi" in ok.stdout and "admin" not in ok.stdout
    admin = _run(["staff", "add", "kepala", "--password-stdin", "--admin"], env, "sandi-rahasia-kepala\n")
    assert admin.returncode == 0 and "(admin)" in admin.stdout
    dup = _run(["staff", "add", "budi", "--password-stdin"], env, "sandi-rahasia-lain\n")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    short = _run(["staff", "add", "ani", "--password-stdin"], env, "123\n")
    assert short.returncode == 1 and "at least" in short.stderr
    engine = make_engine(db_url)
    factory = sessionmaker(bind=engine)
    with factory() as s:
        assert {u.username: u.is_admin for u in s.query(StaffUser)} == {"budi": False, "kepala": True}
        assert check_staff(s, "budi", "sandi-rahasia-budi") == "budi"
    off = _run(["staff", "disable", "BUDI"], env)
    assert off.returncode == 0 and "disabled" in off.stdout
    assert _run(["staff", "disable", "nobody"], env).returncode == 1
    with factory() as s:
        assert check_staff(s, "budi", "sandi-rahasia-budi") is None  # locked out
        assert [(e.action, e.detail["account"]) for e in audit.entries(s)] == [
            ("staff_disable", "budi"),
            ("staff_add", "kepala"),
            ("staff_add", "budi"),
        ]
    engine.dispose()


def test_staff_unlock_and_disable_give_back_what_they_should(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"DATABASE_URL": db_url, "PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(REPO)}
    assert _run(["staff", "add", "ani", "--password-stdin"], env, "sandi-rahasia-ani\n").returncode == 0
    engine = make_engine(db_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    for n in range(5):  # a locked pair: ani herself, mistyping from the office
        assert attempt_login(factory, "ani", f"salah-{n}", "203.0.113.9") is None
    with pytest.raises(Throttled):
        attempt_login(factory, "ani", "sandi-rahasia-ani", "203.0.113.9")
    assert _run(["staff", "unlock", "nobody"], env).returncode == 1
    unlocked = _run(["staff", "unlock", "ANI"], env)
    assert unlocked.returncode == 0 and "1 lock record(s) cleared" in unlocked.stdout
    assert attempt_login(factory, "ani", "sandi-rahasia-ani", "203.0.113.9") is not None
    with session_scope(factory) as s:
        esc = create_escalation(s, channel="web", user_id="u1", reason="request_human", details={})
        handoff.claim(s, esc, "ani")
    assert _run(["staff", "disable", "ani"], env).returncode == 0
    with factory() as s:
        row = s.get(Escalation, esc)
        assert row is not None and (row.status, row.assigned_to) == ("open", None)  # back in the queue
        assert holds.due_notices(s) == [("web", "u1")]  # the gateway tells the user (or their next message does)
        assert [(e.staff, e.action, e.detail.get("reason")) for e in audit.entries(s)][:3] == [
            ("(command line)", "staff_disable", None),
            ("system", "release", "staff_disabled"),
            ("(command line)", "staff_unlock", None),
        ]
    engine.dispose()
