"""The `tanyakerja staff add` and `tanyakerja staff disable` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from helpdesk.accounts import check_staff
from knowledge.db import make_engine
from knowledge.models import StaffUser
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
