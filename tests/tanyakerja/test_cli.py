"""The `tanyakerja staff add` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_staff_add_command(tmp_path):
    exe = str(Path(sys.executable).parent / "tanyakerja")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "PATH": str(Path(sys.executable).parent)}
    ok = subprocess.run(
        [exe, "staff", "add", "Budi", "--password-stdin"],
        input="sandi-rahasia-budi\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert ok.returncode == 0 and "budi" in ok.stdout
    dup = subprocess.run(
        [exe, "staff", "add", "budi", "--password-stdin"],
        input="sandi-rahasia-lain\n",
        capture_output=True,
        text=True,
        env=env,
    )
    assert dup.returncode == 1 and "already exists" in dup.stderr
    short = subprocess.run(
        [exe, "staff", "add", "ani", "--password-stdin"], input="123\n", capture_output=True, text=True, env=env
    )
    assert short.returncode == 1 and "at least" in short.stderr
